// JSON Patch (RFC 6902) with the behaviour of evanphx/json-patch v4 as kube-apiserver uses it.
#include "skiff/api/json_patch.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

namespace skiff::api {
namespace {

namespace json = boost::json;
using base::Reason;
using base::Result;
using base::Status;

Status does_not_apply(std::string message) {
    return Status(Reason::Invalid, std::move(message));
}

std::string quote(std::string_view s) {
    return json::serialize(json::value(s));
}

// Go's strconv.Atoi: an optional sign and decimal digits that fit in an int64.
std::optional<std::int64_t> parse_index(std::string_view s) {
    std::size_t i = 0;
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        i = 1;
    }
    if (i == s.size()) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return std::nullopt;
        }
        const int d = s[i] - '0';
        if (v > (std::numeric_limits<std::int64_t>::max() - d) / 10) {
            return std::nullopt;
        }
        v = v * 10 + d;
    }
    return negative ? -v : v;
}

std::string invalid_index(std::int64_t i) {
    return "unable to access invalid index: " + std::to_string(i);
}

std::string not_an_index(std::string_view key) {
    return "value was not a proper array index: " + quote(key);
}

// RFC 6901: "~1" is "/" and "~0" is "~", decoded left to right.
std::string decode_token(std::string_view t) {
    std::string out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '~' && i + 1 < t.size() && (t[i + 1] == '0' || t[i + 1] == '1')) {
            out += t[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += t[i];
        }
    }
    return out;
}

// An index of an existing array element (get, replace, remove); an error text otherwise.
struct Index {
    std::size_t index = 0;
    std::string error;
};

Index existing_index(const json::array& a, std::string_view key) {
    auto parsed = parse_index(key);
    if (!parsed) {
        return {0, not_an_index(key)};
    }
    const auto n = static_cast<std::int64_t>(a.size());
    std::int64_t i = *parsed;
    if (i < 0) {
        if (i < -n) {
            return {0, invalid_index(*parsed)};
        }
        i += n;
    }
    if (i >= n) {
        return {0, invalid_index(*parsed)};
    }
    return {static_cast<std::size_t>(i), {}};
}

// The slot an "add" inserts at: "-" or 0..n, negative counting from the slot after the end.
Index insert_index(const json::array& a, std::string_view key) {
    if (key == "-") {
        return {a.size(), {}};
    }
    auto parsed = parse_index(key);
    if (!parsed) {
        return {0, not_an_index(key)};
    }
    const auto n = static_cast<std::int64_t>(a.size()) + 1;
    std::int64_t i = *parsed;
    if (i >= n) {
        return {0, invalid_index(*parsed)};
    }
    if (i < 0) {
        if (i < -n) {
            return {0, invalid_index(*parsed)};
        }
        i += n;
    }
    return {static_cast<std::size_t>(i), {}};
}

// The container holding the target of `path` and the target's key in it, or nullopt when
// the path is empty, lacks the leading "/", or crosses a missing, null or scalar value.
struct Target {
    json::value* container;
    std::string key;
};

std::optional<Target> find_target(json::value& root, std::string_view path) {
    if (path.empty() || path[0] != '/') {
        return std::nullopt;
    }
    std::vector<std::string> tokens;
    std::size_t start = 1;
    while (true) {
        const auto slash = path.find('/', start);
        tokens.push_back(decode_token(path.substr(start, slash - start)));
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    json::value* cur = &root;
    for (std::size_t t = 0; t + 1 < tokens.size(); ++t) {
        json::value* next = nullptr;
        if (auto* o = cur->if_object()) {
            next = o->if_contains(tokens[t]);
        } else if (auto* a = cur->if_array()) {
            auto idx = existing_index(*a, tokens[t]);
            if (idx.error.empty()) {
                next = &(*a)[idx.index];
            }
        }
        if (next == nullptr) {
            return std::nullopt;
        }
        cur = next;
    }
    if (!cur->is_object() && !cur->is_array()) {
        return std::nullopt;
    }
    return Target{cur, std::move(tokens.back())};
}

// The value at key in a container: nullptr for a missing object member (upstream treats it as
// null), an error text for a bad array index.
struct Found {
    json::value* value = nullptr;
    std::string error;
};

Found get(Target& t) {
    if (auto* o = t.container->if_object()) {
        return {o->if_contains(t.key), {}};
    }
    auto& a = t.container->get_array();
    auto idx = existing_index(a, t.key);
    if (!idx.error.empty()) {
        return {nullptr, std::move(idx.error)};
    }
    return {&a[idx.index], {}};
}

std::string add(Target& t, json::value v) {
    if (auto* o = t.container->if_object()) {
        (*o)[t.key] = std::move(v);
        return {};
    }
    auto& a = t.container->get_array();
    auto idx = insert_index(a, t.key);
    if (!idx.error.empty()) {
        return idx.error;
    }
    a.insert(a.begin() + static_cast<std::ptrdiff_t>(idx.index), std::move(v));
    return {};
}

std::string remove(Target& t) {
    if (auto* o = t.container->if_object()) {
        if (o->stable_erase(t.key) == 0) {
            return "unable to remove nonexistent key: " + quote(t.key);
        }
        return {};
    }
    auto& a = t.container->get_array();
    auto idx = existing_index(a, t.key);
    if (!idx.error.empty()) {
        return idx.error;
    }
    a.erase(a.begin() + static_cast<std::ptrdiff_t>(idx.index));
    return {};
}

std::optional<std::string_view> string_member(const json::object& op, std::string_view name) {
    const auto* v = op.if_contains(name);
    if (v == nullptr || !v->is_string()) {
        return std::nullopt;
    }
    return std::string_view(v->get_string());
}

json::value value_of(const json::object& op) {
    const auto* v = op.if_contains("value");
    return v ? *v : json::value(nullptr);
}

Status apply_op(json::value& doc, const json::object& op) {
    const auto kind_opt = string_member(op, "op");
    const std::string kind(kind_opt.value_or("unknown"));
    if (kind != "add" && kind != "remove" && kind != "replace" && kind != "move" &&
        kind != "copy" && kind != "test") {
        return does_not_apply("unexpected kind: " + kind);
    }
    const auto path_opt = string_member(op, "path");
    if (!path_opt) {
        return does_not_apply(kind + " operation failed to decode path");
    }
    const std::string path(*path_opt);
    const std::string qpath = quote(path);

    if (kind == "add") {
        auto t = find_target(doc, path);
        if (!t) {
            return does_not_apply("add operation does not apply: doc is missing path: " + qpath);
        }
        if (auto err = add(*t, value_of(op)); !err.empty()) {
            return does_not_apply("error in add for path: " + qpath + ": " + err);
        }
        return {};
    }
    if (kind == "remove") {
        auto t = find_target(doc, path);
        if (!t) {
            return does_not_apply("remove operation does not apply: doc is missing path: " + qpath);
        }
        if (auto err = remove(*t); !err.empty()) {
            return does_not_apply("error in remove for path: " + qpath + ": " + err);
        }
        return {};
    }
    if (kind == "replace") {
        json::value v = value_of(op);
        if (path.empty()) {
            if (!v.is_object() && !v.is_array()) {
                return does_not_apply("replace operation value must be object or array");
            }
            doc = std::move(v);
            return {};
        }
        auto t = find_target(doc, path);
        if (!t) {
            return does_not_apply("replace operation does not apply: doc is missing path: " +
                                  qpath);
        }
        auto found = get(*t);
        if (!found.error.empty()) {
            return does_not_apply("replace operation does not apply: doc is missing key: " + qpath);
        }
        if (found.value != nullptr) {
            *found.value = std::move(v);
        } else {
            // A missing object member: upstream sets it like "add".
            t->container->get_object()[t->key] = std::move(v);
        }
        return {};
    }
    if (kind == "test") {
        const json::value want = value_of(op);
        const json::value* have = nullptr;
        if (path.empty()) {
            have = &doc;
        } else {
            auto t = find_target(doc, path);
            if (!t) {
                return does_not_apply("test operation does not apply: is missing path: " + qpath);
            }
            auto found = get(*t);
            if (!found.error.empty()) {
                return does_not_apply("error in test for path: " + qpath + ": " + found.error);
            }
            have = found.value;
        }
        const bool equal = have == nullptr ? want.is_null() : json_equal(*have, want);
        if (!equal) {
            return does_not_apply("testing value " + qpath + " failed");
        }
        return {};
    }

    // move and copy read "from" first.
    const auto from_opt = string_member(op, "from");
    if (!from_opt) {
        return does_not_apply(kind + " operation failed to decode from");
    }
    const std::string from(*from_opt);
    const std::string qfrom = quote(from);
    auto src = find_target(doc, from);
    if (!src) {
        return does_not_apply(kind +
                              " operation does not apply: doc is missing from path: " + qfrom);
    }
    auto found = get(*src);
    if (!found.error.empty()) {
        return does_not_apply("error in " + kind + " for path: " + qfrom + ": " + found.error);
    }
    if (found.value == nullptr) {
        if (kind == "move") {
            return does_not_apply("error in move for path: " + qfrom +
                                  ": unable to remove nonexistent key: " + quote(src->key));
        }
        return does_not_apply("copy operation does not apply: doc is missing from path: " + qfrom);
    }
    json::value moved = *found.value;
    if (kind == "move") {
        if (auto err = remove(*src); !err.empty()) {
            return does_not_apply("error in move for path: " + qfrom + ": " + err);
        }
    }
    // The destination is looked up after the removal: moving a value into itself fails here.
    auto dst = find_target(doc, path);
    if (!dst) {
        return does_not_apply(
            kind + " operation does not apply: doc is missing destination path: " + qpath);
    }
    if (auto err = add(*dst, std::move(moved)); !err.empty()) {
        return does_not_apply("error in " + kind + " for path: " + qpath + ": " + err);
    }
    return {};
}

bool numbers_equal(const json::value& a, const json::value& b) {
    if (a.is_double() || b.is_double()) {
        return a.to_number<double>() == b.to_number<double>();
    }
    if (a.is_int64() && b.is_int64()) {
        return a.get_int64() == b.get_int64();
    }
    if (a.is_uint64() && b.is_uint64()) {
        return a.get_uint64() == b.get_uint64();
    }
    const auto& s = a.is_int64() ? a : b;  // one int64 and one uint64
    const auto& u = a.is_int64() ? b : a;
    return s.get_int64() >= 0 && static_cast<std::uint64_t>(s.get_int64()) == u.get_uint64();
}

}  // namespace

bool json_equal(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) {
        return numbers_equal(a, b);
    }
    if (a.kind() != b.kind()) {
        return false;
    }
    switch (a.kind()) {
        case json::kind::object: {
            const auto& oa = a.get_object();
            const auto& ob = b.get_object();
            if (oa.size() != ob.size()) {
                return false;
            }
            for (const auto& [k, v] : oa) {
                const auto* w = ob.if_contains(k);
                if (w == nullptr || !json_equal(v, *w)) {
                    return false;
                }
            }
            return true;
        }
        case json::kind::array: {
            const auto& aa = a.get_array();
            const auto& ab = b.get_array();
            if (aa.size() != ab.size()) {
                return false;
            }
            for (std::size_t i = 0; i < aa.size(); ++i) {
                if (!json_equal(aa[i], ab[i])) {
                    return false;
                }
            }
            return true;
        }
        default:
            return a == b;
    }
}

Result<json::value> apply_json_patch(const json::value& doc, const json::value& patch) {
    if (patch.is_null()) {
        return doc;
    }
    const auto* ops = patch.if_array();
    if (ops == nullptr) {
        return base::bad_request("json patch must be an array of operations, not " +
                                 std::string(json::to_string(patch.kind())));
    }
    for (std::size_t i = 0; i < ops->size(); ++i) {
        if (!(*ops)[i].is_object() && !(*ops)[i].is_null()) {
            return base::bad_request("json patch operation " + std::to_string(i) +
                                     " is not an object");
        }
    }
    if (ops->size() > kMaxJsonPatchOperations) {
        const std::string why = "The allowed maximum operations in a JSON patch is " +
                                std::to_string(kMaxJsonPatchOperations) + ", got " +
                                std::to_string(ops->size());
        return Status(Reason::RequestEntityTooLarge, "Request entity too large: " + why);
    }
    json::value result = doc;
    for (const auto& op : *ops) {
        // A null operation decodes upstream as an empty one.
        if (!op.is_object()) {
            return does_not_apply("unexpected kind: unknown");
        }
        if (auto s = apply_op(result, op.get_object()); !s.ok()) {
            return s;
        }
    }
    return result;
}

}  // namespace skiff::api
