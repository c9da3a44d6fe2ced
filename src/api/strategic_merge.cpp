// Strategic merge patch: applying it as kube-apiserver does, and the two-way diff kubectl makes.
#include "skiff/api/strategic_merge.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "skiff/api/json_patch.h"

namespace skiff::api {
namespace {

namespace json = boost::json;
using base::Reason;
using base::Result;
using base::Status;

constexpr std::string_view kPatchDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeletePrefix = "$deleteFromPrimitiveList";
constexpr std::string_view kOrderPrefix = "$setElementOrder";

// Upstream's apiserver answers its well-known format errors with 400, lists of lists with 422
// and every other strategic merge error as an unclassified error: 500 with reason "".
Status bad_format(std::string message) {
    return base::bad_request(std::move(message));
}
Status unprocessable(std::string message) {
    return {Reason::Invalid, std::move(message)};
}
Status merge_error(std::string message) {
    return {Reason::Unknown, std::move(message)};
}

std::string quote(std::string_view s) {
    return json::serialize(json::value(s));
}

// What Go's %s prints for a decoded JSON value: strings bare, the rest as JSON.
std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

std::string kind_name(const json::value& v) {
    switch (v.kind()) {
        case json::kind::object:
            return "map";
        case json::kind::array:
            return "list";
        case json::kind::string:
            return "string";
        case json::kind::bool_:
            return "bool";
        case json::kind::null:
            return "null";
        default:
            return "number";
    }
}

Status no_merge_key(const json::value& item, std::string_view key) {
    return merge_error("map: " + json::serialize(item) +
                       " does not contain declared merge key: " + std::string(key));
}

Status bad_arg_type(std::string_view expected, const json::value& actual) {
    return merge_error("expected a " + std::string(expected) + ", but received a " +
                       kind_name(actual));
}

// The field name behind "<prefix>/<field>", or nullopt when the key is not of that form.
std::optional<std::string> directive_field(std::string_view key, std::string_view prefix) {
    const auto slash = key.find('/');
    if (slash == std::string_view::npos || key.substr(0, slash) != prefix) {
        return std::nullopt;
    }
    return std::string(key.substr(slash + 1));
}

struct FieldMeta {
    bool merge = false;
    bool replace = false;
    bool retain_keys = false;
    std::string merge_key;
};

FieldMeta parse_meta(const std::optional<PatchMeta>& meta) {
    FieldMeta out;
    if (!meta) {
        return out;
    }
    out.merge_key = meta->merge_key;
    std::string_view s = meta->strategy;
    while (!s.empty()) {
        const auto comma = s.find(',');
        std::string_view token = s.substr(0, comma);
        while (!token.empty() && token.front() == ' ') {
            token.remove_prefix(1);
        }
        while (!token.empty() && token.back() == ' ') {
            token.remove_suffix(1);
        }
        out.merge = out.merge || token == "merge";
        out.replace = out.replace || token == "replace";
        out.retain_keys = out.retain_keys || token == "retainKeys";
        if (comma == std::string_view::npos) {
            break;
        }
        s.remove_prefix(comma + 1);
    }
    return out;
}

enum class Kind { Null, Bool, Number, String, Array, Object };

Kind kind_of(const json::value& v) {
    switch (v.kind()) {
        case json::kind::object:
            return Kind::Object;
        case json::kind::array:
            return Kind::Array;
        case json::kind::string:
            return Kind::String;
        case json::kind::bool_:
            return Kind::Bool;
        case json::kind::null:
            return Kind::Null;
        default:
            return Kind::Number;
    }
}

// The common kind of the elements of some lists (nullopt when they are all empty); lists of
// lists and mixed kinds are errors, as upstream's sliceElementType has them.
Result<std::optional<Kind>> element_kind(std::initializer_list<const json::array*> lists) {
    std::optional<Kind> kind;
    for (const auto* list : lists) {
        if (list == nullptr) {
            continue;
        }
        for (const auto& v : *list) {
            const Kind k = kind_of(v);
            if (!kind) {
                if (k == Kind::Array) {
                    return unprocessable("lists of lists are not supported");
                }
                kind = k;
            } else if (*kind != k) {
                std::string all;
                for (const auto* l : lists) {
                    if (l != nullptr) {
                        all += (all.empty() ? "" : " ") + json::serialize(*l);
                    }
                }
                return merge_error("list element types are not identical: " + all);
            }
        }
    }
    return kind;
}

// How list items are identified when ordering: by merge key for lists of objects (a missing
// key reads as null, as Go's nil), by value otherwise.
struct Keying {
    std::string merge_key;  // empty: by value

    json::value key(const json::value& item) const {
        if (merge_key.empty()) {
            return item;
        }
        const auto* o = item.if_object();
        const auto* v = o ? o->if_contains(merge_key) : nullptr;
        return v ? *v : json::value(nullptr);
    }

    std::vector<json::value> keys(const json::array& items) const {
        std::vector<json::value> out;
        out.reserve(items.size());
        for (const auto& i : items) {
            out.push_back(key(i));
        }
        return out;
    }
};

bool contains(const json::array& list, const json::value& v) {
    return std::any_of(list.begin(), list.end(),
                       [&](const json::value& e) { return json_equal(e, v); });
}

long index_of(const std::vector<json::value>& keys, const json::value& key) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (json_equal(keys[i], key)) {
            return static_cast<long>(i);
        }
    }
    return -1;
}

// Orders items by where their keys first appear in `order`. Upstream uses sort.SliceStable with
// a "less" that is true whenever either item is missing from `order`; when all are present
// that is a plain stable sort, otherwise we replay the insertion sort Go runs on such lists.
json::array sort_by_order(const json::array& items, const Keying& keying,
                          const std::vector<json::value>& order) {
    std::vector<long> idx;
    idx.reserve(items.size());
    for (const auto& item : items) {
        idx.push_back(index_of(order, keying.key(item)));
    }
    std::vector<std::size_t> perm(items.size());
    std::iota(perm.begin(), perm.end(), 0);
    const bool all_found = std::all_of(idx.begin(), idx.end(), [](long i) { return i >= 0; });
    if (all_found) {
        std::stable_sort(perm.begin(), perm.end(),
                         [&](std::size_t a, std::size_t b) { return idx[a] < idx[b]; });
    } else {
        auto less = [&](std::size_t a, std::size_t b) {
            return idx[a] >= 0 && idx[b] >= 0 ? idx[a] < idx[b] : true;
        };
        for (std::size_t i = 1; i < perm.size(); ++i) {
            for (std::size_t j = i; j > 0 && less(perm[j], perm[j - 1]); --j) {
                std::swap(perm[j], perm[j - 1]);
            }
        }
    }
    json::array out;
    out.reserve(items.size());
    for (auto p : perm) {
        out.push_back(items[p]);
    }
    return out;
}

// Upstream's normalizeElementOrder: patch items sorted by `patch_order`, server-only items by
// `server_order`, then interleaved: a server-only item goes first only when both it and the next
// patch item are in `server_order` and it comes earlier there.
json::array normalize_order(const json::array& patch_items, const json::array& server_only,
                            const std::vector<json::value>& patch_order,
                            const std::vector<json::value>& server_order, const Keying& keying) {
    const json::array right = sort_by_order(patch_items, keying, patch_order);
    const json::array left = sort_by_order(server_only, keying, server_order);
    json::array out;
    out.reserve(left.size() + right.size());
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < left.size() || j < right.size()) {
        if (i >= left.size()) {
            out.push_back(right[j++]);
        } else if (j >= right.size()) {
            out.push_back(left[i++]);
        } else {
            const long li = index_of(server_order, keying.key(left[i]));
            const long ri = index_of(server_order, keying.key(right[j]));
            if (li >= 0 && ri >= 0 && li < ri) {
                out.push_back(left[i++]);
            } else {
                out.push_back(right[j++]);
            }
        }
    }
    return out;
}

// Upstream deletes from and appends to a merged list in place, on the live list's backing
// array, and later orders server-only items by what that array's first n slots hold. This
// replays those writes on the merge keys: deletions shift later slots left (leaving the last
// one stale), appends fill the freed slots.
struct Backing {
    std::vector<std::optional<json::value>> slots;
    std::size_t len = 0;

    void remove_matching(const json::value& key) {
        while (true) {
            std::size_t i = 0;
            while (i < len && !(slots[i] && json_equal(*slots[i], key))) {
                ++i;
            }
            if (i == len) {
                return;
            }
            for (; i + 1 < len; ++i) {
                slots[i] = slots[i + 1];
            }
            --len;
        }
    }

    void append(const json::value& key) {
        if (len < slots.size()) {
            slots[len] = key;
        }
        ++len;
    }

    std::vector<json::value> view() const {
        std::vector<json::value> out;
        for (const auto& s : slots) {
            out.push_back(s ? *s : json::value(nullptr));
        }
        return out;
    }
};

// The field path being worked on, for lookups and error messages.
class PathWalker {
public:
    explicit PathWalker(const PatchMetaLookup& lookup) : lookup_(lookup) {}

protected:
    class Descend {
    public:
        Descend(PathWalker& w, std::string_view field) : w_(w) { w_.path_.emplace_back(field); }
        ~Descend() { w_.path_.pop_back(); }
        Descend(const Descend&) = delete;
        Descend& operator=(const Descend&) = delete;

    private:
        PathWalker& w_;
    };

    FieldMeta meta() const {
        if (!lookup_ || path_.empty()) {
            return {};
        }
        return parse_meta(lookup_(std::span<const std::string>(path_)));
    }

    // Prefixes an error made at the current field with its dotted path.
    Status fail(Status s) const {
        if (!path_.empty()) {
            std::string where;
            for (const auto& p : path_) {
                where += (where.empty() ? "" : ".") + p;
            }
            s.prepend(where);
        }
        return s;
    }

    Status fail(const Result<std::optional<Kind>>& r) const { return fail(r.status()); }

private:
    const PatchMetaLookup& lookup_;
    std::vector<std::string> path_;
};

class Merger : public PathWalker {
public:
    using PathWalker::PathWalker;

    // Merges `patch` into `orig` (upstream's mergeMap); `patch` is consumed.
    Status merge_map(json::object& orig, json::object& patch) {
        if (const auto* d = patch.if_contains(kPatchDirective)) {
            if (d->is_string() && d->get_string() == "replace") {
                patch.stable_erase(kPatchDirective);
                json::object fresh;
                if (auto s = merge_map(fresh, patch); !s.ok()) {
                    return s;
                }
                orig = std::move(fresh);
                return {};
            }
            if (d->is_string() && d->get_string() == "delete") {
                orig = json::object();
                return {};
            }
            return fail(merge_error("unknown patch type: " + text(*d) +
                                    " in map: " + json::serialize(patch)));
        }
        if (auto s = retain_keys(orig, patch); !s.ok()) {
            return s;
        }
        if (auto s = element_orders(orig, patch); !s.ok()) {
            return s;
        }
        std::vector<std::pair<std::string, json::value>> deletions;
        for (auto& member : patch) {
            const std::string_view key = member.key();
            json::value& v = member.value();
            if (key.starts_with(kDeletePrefix)) {
                deletions.emplace_back(key, std::move(v));
                continue;
            }
            if (key.starts_with("$") && key != "$ref" && key != "$schema") {
                return fail(bad_format("unknown strategic merge patch directive " + quote(key)));
            }
            if (v.is_null()) {
                orig.stable_erase(key);
                continue;
            }
            Descend into(*this, key);
            const FieldMeta m = meta();
            auto* cur = orig.if_contains(key);
            if (cur != nullptr && cur->is_object() && v.is_object()) {
                if (m.replace) {
                    *cur = std::move(v);
                } else if (auto s = merge_map(cur->get_object(), v.get_object()); !s.ok()) {
                    return s;
                }
            } else if (cur != nullptr && cur->is_array() && v.is_array()) {
                if (!m.merge) {
                    *cur = std::move(v);
                } else if (auto s = merge_list(cur->get_array(), v.get_array(), m, nullptr);
                           !s.ok()) {
                    return s;
                }
            } else {
                auto fresh = fresh_value(std::move(v), m);
                if (!fresh.ok()) {
                    return fresh.status();
                }
                orig[key] = std::move(*fresh);
            }
        }
        for (auto& [key, values] : deletions) {
            if (auto s = delete_from_list(orig, key, values); !s.ok()) {
                return s;
            }
        }
        return {};
    }

private:
    // A patch value for a member the original lacks: merged into an empty value, so that its
    // directives and nulls are processed.
    Result<json::value> fresh_value(json::value v, const FieldMeta& m) {
        if (v.is_object() && !m.replace) {
            json::object fresh;
            if (auto s = merge_map(fresh, v.get_object()); !s.ok()) {
                return s;
            }
            return json::value(std::move(fresh));
        }
        if (v.is_array() && m.merge) {
            json::array fresh;
            if (auto s = merge_list(fresh, v.get_array(), m, nullptr); !s.ok()) {
                return s;
            }
            return json::value(std::move(fresh));
        }
        return v;
    }

    Status retain_keys(json::object& orig, json::object& patch) {
        auto it = patch.find(kRetainKeys);
        if (it == patch.end()) {
            return {};
        }
        const json::value keys = std::move(it->value());
        patch.stable_erase(it);
        if (!keys.is_array()) {
            return fail(bad_format("invalid patch format of retainKeys"));
        }
        auto retained = [&](std::string_view k) {
            return std::any_of(
                keys.get_array().begin(), keys.get_array().end(),
                [&](const json::value& v) { return v.is_string() && v.get_string() == k; });
        };
        for (const auto& [k, v] : patch) {
            if (v.is_null() || k.starts_with(kDeletePrefix) || k.starts_with(kOrderPrefix)) {
                continue;
            }
            if (!retained(k)) {
                return fail(bad_format("invalid patch format of retainKeys: " + quote(k) +
                                       " is not in the list"));
            }
        }
        std::vector<std::string> drop;
        for (const auto& [k, v] : orig) {
            if (!retained(k)) {
                drop.emplace_back(k);
            }
        }
        for (const auto& k : drop) {
            orig.stable_erase(k);
        }
        return {};
    }

    // Checks that the patch list is in $setElementOrder's order (upstream's
    // validatePatchWithSetOrderList); deletions and other directive items are skipped.
    Status check_patch_order(const json::array* patch_list, const json::array& order,
                             const std::string& merge_key) {
        if (patch_list == nullptr || patch_list->empty() || order.empty()) {
            return {};
        }
        std::vector<const json::value*> items;
        for (const auto& item : *patch_list) {
            if (!merge_key.empty()) {
                const auto* o = item.if_object();
                if (o == nullptr) {
                    return fail(bad_arg_type("map", item));
                }
                const auto* d = o->if_contains(kPatchDirective);
                if (d != nullptr && d->is_string() && d->get_string() == "delete") {
                    continue;
                }
            }
            items.push_back(&item);
        }
        std::size_t p = 0;
        std::size_t o = 0;
        while (p < items.size() && o < order.size()) {
            if (const auto* obj = items[p]->if_object(); obj && obj->contains(kPatchDirective)) {
                ++p;
                continue;
            }
            bool equal = false;
            if (merge_key.empty()) {
                equal = json_equal(*items[p], order[o]);
            } else {
                for (const auto* side : {items[p], &order[o]}) {
                    if (!side->is_object()) {
                        return fail(bad_arg_type("map", *side));
                    }
                    if (!side->get_object().contains(merge_key)) {
                        return fail(no_merge_key(*side, merge_key));
                    }
                }
                equal = json_equal(items[p]->get_object().at(merge_key),
                                   order[o].get_object().at(merge_key));
            }
            if (equal) {
                ++p;
            }
            ++o;
        }
        if (p < items.size()) {
            return fail(merge_error("the order in patch list:\n" + json::serialize(*patch_list) +
                                    "\n doesn't match $setElementOrder list:\n" +
                                    json::serialize(order)));
        }
        return {};
    }

    // Splits `merged` into the items that `by` names and the others (upstream's
    // partition*ByPresentInList), checking merge keys on the way.
    Status partition(const json::array& merged, const json::array& by, const Keying& keying,
                     json::array& in, json::array& out) {
        std::vector<json::value> by_keys;
        if (!keying.merge_key.empty()) {
            for (const auto& b : by) {
                if (!b.is_object()) {
                    return fail(bad_arg_type("map", b));
                }
            }
        }
        for (const auto& b : by) {
            by_keys.push_back(keying.key(b));
        }
        for (const auto& item : merged) {
            if (!keying.merge_key.empty()) {
                if (!item.is_object()) {
                    return fail(bad_arg_type("map", item));
                }
                if (!item.get_object().contains(keying.merge_key)) {
                    return fail(no_merge_key(item, keying.merge_key));
                }
            }
            (index_of(by_keys, keying.key(item)) >= 0 ? in : out).push_back(item);
        }
        return {};
    }

    // Every item of an order list must be an object with the merge key (upstream's
    // validateMergeKeyInLists).
    Status check_merge_keys(const json::array& list, const std::string& merge_key) {
        if (merge_key.empty()) {
            return {};
        }
        for (const auto& item : list) {
            if (!item.is_object()) {
                return fail(bad_arg_type("map", item));
            }
            if (!item.get_object().contains(merge_key)) {
                return fail(no_merge_key(item, merge_key));
            }
        }
        return {};
    }

    // Upstream's mergePatchIntoOriginal: each "$setElementOrder/<field>" merges <field> (if the
    // patch has it) and then orders the result.
    Status element_orders(json::object& orig, json::object& patch) {
        std::vector<std::string> directives;
        for (const auto& [k, v] : patch) {
            if (k.starts_with(kOrderPrefix)) {
                directives.emplace_back(k);
            }
        }
        for (const auto& directive : directives) {
            json::value order_value = std::move(patch.at(directive));
            patch.stable_erase(directive);
            auto field = directive_field(directive, kOrderPrefix);
            if (!field) {
                return fail(bad_format("invalid patch format of setElementOrder list"));
            }
            Descend into(*this, *field);
            if (!order_value.is_array()) {
                return fail(bad_arg_type("list", order_value));
            }
            const json::array& order = order_value.get_array();
            json::array* orig_list = nullptr;
            if (auto* v = orig.if_contains(*field); v != nullptr && !v->is_null()) {
                if (!v->is_array()) {
                    return fail(bad_arg_type("list", *v));
                }
                orig_list = &v->get_array();
            }
            json::array* patch_list = nullptr;
            if (auto* v = patch.if_contains(*field)) {
                if (!v->is_array()) {
                    return fail(bad_arg_type("list", *v));
                }
                patch_list = &v->get_array();
            }
            const FieldMeta m = meta();
            if (auto s = check_patch_order(patch_list, order, m.merge_key); !s.ok()) {
                return s;
            }
            if (orig_list == nullptr && patch_list == nullptr) {
                continue;
            }
            const Keying keying{m.merge_key};
            auto kind = element_kind({orig_list, patch_list});
            if (!kind.ok()) {
                return fail(kind);
            }

            json::array merged;
            std::vector<json::value> server_order;
            if (patch_list == nullptr) {
                merged = *orig_list;
                server_order = keying.keys(*orig_list);
            } else if (orig_list == nullptr) {
                auto fresh = fresh_value(json::value(*patch_list), m);
                if (!fresh.ok()) {
                    return fresh.status();
                }
                merged = std::move(fresh->get_array());
            } else if (!m.merge) {
                merged = *patch_list;
                server_order = keying.keys(*orig_list);
            } else {
                merged = *orig_list;
                if (keying.merge_key.empty()) {
                    server_order = keying.keys(*orig_list);
                    if (auto s = merge_list(merged, *patch_list, m, nullptr); !s.ok()) {
                        return s;
                    }
                } else {
                    Backing backing;
                    for (const auto& item : *orig_list) {
                        const auto* o = item.if_object();
                        const auto* k = o ? o->if_contains(keying.merge_key) : nullptr;
                        backing.slots.push_back(k ? std::optional<json::value>(*k) : std::nullopt);
                    }
                    backing.len = backing.slots.size();
                    if (auto s = merge_list(merged, *patch_list, m, &backing); !s.ok()) {
                        return s;
                    }
                    server_order = backing.view();
                }
            }
            if (!merged.empty()) {
                json::array patch_items;
                json::array server_only;
                if (auto s = partition(merged, order, keying, patch_items, server_only); !s.ok()) {
                    return s;
                }
                if (auto s = check_merge_keys(order, keying.merge_key); !s.ok()) {
                    return s;
                }
                merged = normalize_order(patch_items, server_only, keying.keys(order), server_order,
                                         keying);
            }
            orig[*field] = std::move(merged);
            patch.stable_erase(*field);
        }
        return {};
    }

    // Upstream's mergeSlice for a list tagged "merge": scalars become a union, objects merge
    // by merge key; then the result is ordered. `orig` receives the result.
    Status merge_list(json::array& orig, json::array& patch, const FieldMeta& m, Backing* backing) {
        if (orig.empty() && patch.empty()) {
            return {};
        }
        auto kind = element_kind({&orig, &patch});
        if (!kind.ok()) {
            return fail(kind);
        }
        if (*kind != Kind::Object) {
            const Keying by_value;
            json::array merged;
            for (const auto* list : {&orig, &patch}) {
                for (const auto& v : *list) {
                    if (!contains(merged, v)) {
                        merged.push_back(v);
                    }
                }
            }
            json::array patch_items;
            json::array server_only;
            if (auto s = partition(merged, patch, by_value, patch_items, server_only); !s.ok()) {
                return s;
            }
            orig = normalize_order(patch_items, server_only, by_value.keys(patch),
                                   by_value.keys(orig), by_value);
            return {};
        }

        const std::string& key = m.merge_key;
        if (key.empty()) {
            return fail(merge_error("cannot merge lists of objects without a merge key"));
        }
        const Keying keying{key};
        json::array plain;
        bool replace = false;
        for (auto& item : patch) {
            auto& obj = item.get_object();
            const auto* d = obj.if_contains(kPatchDirective);
            if (d == nullptr) {
                plain.push_back(std::move(item));
                continue;
            }
            if (d->is_string() && d->get_string() == "delete") {
                const auto* value = obj.if_contains(key);
                if (value == nullptr) {
                    return fail(no_merge_key(item, key));
                }
                const json::value target = *value;
                auto matches = [&](const json::value& o) {
                    const auto* k = o.get_object().if_contains(key);
                    return k != nullptr && json_equal(*k, target);
                };
                orig.erase(std::remove_if(orig.begin(), orig.end(), matches), orig.end());
                if (backing != nullptr) {
                    backing->remove_matching(target);
                }
            } else if (d->is_string() && d->get_string() == "replace") {
                replace = true;  // the other items still need their directives checked
            } else if (d->is_string() && d->get_string() == "merge") {
                return fail(merge_error("merging lists cannot yet be specified in the patch"));
            } else {
                return fail(merge_error("unknown patch type: " + text(*d) +
                                        " in map: " + json::serialize(item)));
            }
        }
        if (replace) {
            json::array fresh;
            for (auto& item : plain) {
                if (!item.get_object().contains(key)) {
                    return fail(no_merge_key(item, key));
                }
                json::object merged_item;
                if (auto s = merge_map(merged_item, item.get_object()); !s.ok()) {
                    return s;
                }
                fresh.push_back(std::move(merged_item));
            }
            orig = std::move(fresh);
            return {};
        }

        const std::vector<json::value> server_order = keying.keys(orig);
        const std::vector<json::value> patch_order = keying.keys(plain);
        json::array merged = std::move(orig);
        for (std::size_t p = 0; p < plain.size(); ++p) {
            json::object item = plain[p].get_object();
            if (!item.contains(key)) {
                return fail(no_merge_key(plain[p], key));
            }
            const json::value& value = patch_order[p];
            auto found = std::find_if(merged.begin(), merged.end(), [&](const json::value& o) {
                const auto* k = o.get_object().if_contains(key);
                return k != nullptr && json_equal(*k, value);
            });
            if (found != merged.end()) {
                if (auto s = merge_map(found->get_object(), item); !s.ok()) {
                    return s;
                }
            } else {
                json::object fresh;
                if (auto s = merge_map(fresh, item); !s.ok()) {
                    return s;
                }
                merged.push_back(std::move(fresh));
                if (backing != nullptr) {
                    backing->append(value);
                }
            }
        }
        json::array patch_items;
        json::array server_only;
        if (auto s = partition(merged, plain, keying, patch_items, server_only); !s.ok()) {
            return s;
        }
        orig = normalize_order(patch_items, server_only, patch_order, server_order, keying);
        return {};
    }

    Status delete_from_list(json::object& orig, std::string_view directive,
                            const json::value& values) {
        auto field = directive_field(directive, kDeletePrefix);
        if (!field || !values.is_array()) {
            return fail(bad_format("invalid patch format of primitive list"));
        }
        Descend into(*this, *field);
        auto* cur = orig.if_contains(*field);
        if (cur == nullptr || cur->is_null()) {
            return {};
        }
        if (!cur->is_array()) {
            return fail(bad_arg_type("list", *cur));
        }
        auto& list = cur->get_array();
        if (auto kind = element_kind({&list, &values.get_array()}); !kind.ok()) {
            return fail(kind);
        }
        const auto& drop = values.get_array();
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const json::value& v) {
                                      return std::any_of(
                                          drop.begin(), drop.end(),
                                          [&](const json::value& d) { return json_equal(v, d); });
                                  }),
                   list.end());
        return {};
    }
};

// What Go's %v prints for a decoded JSON scalar; upstream sorts list items by this text when
// diffing.
std::string go_text(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            return std::string(v.get_string());
        case json::kind::int64:
            return std::to_string(v.get_int64());
        case json::kind::uint64:
            return std::to_string(v.get_uint64());
        case json::kind::double_: {
            char buf[64];
            auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
            return std::string(buf, r.ptr);
        }
        case json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case json::kind::null:
            return "<nil>";
        default:
            return json::serialize(v);
    }
}

bool same_type(const json::value& a, const json::value& b) {
    return (a.is_number() && b.is_number()) || a.kind() == b.kind();
}

class Differ : public PathWalker {
public:
    using PathWalker::PathWalker;

    // Upstream's diffMaps with SetElementOrder on and nothing ignored.
    Result<json::object> diff_maps(const json::object& original, const json::object& modified,
                                   bool build_retain_keys) {
        json::object patch;
        std::vector<std::string> retain;
        for (const auto& [k, mv] : modified) {
            if (build_retain_keys && !mv.is_null()) {
                retain.emplace_back(k);
            }
            const auto* ov = original.if_contains(k);
            if (ov == nullptr) {
                patch[k] = mv;
                continue;
            }
            if (k == kPatchDirective) {
                if (!ov->is_string() || !mv.is_string()) {
                    return fail(merge_error("invalid value for special key: $patch"));
                }
                if (*ov != mv) {
                    patch[k] = mv;
                }
                continue;
            }
            if (!same_type(*ov, mv)) {
                patch[k] = mv;
                continue;
            }
            Descend into(*this, k);
            const FieldMeta m = meta();
            if (ov->is_object()) {
                if (m.replace) {
                    patch[k] = mv;
                    continue;
                }
                auto sub = diff_maps(ov->get_object(), mv.get_object(), m.retain_keys);
                if (!sub.ok()) {
                    return sub.status();
                }
                if (!sub->empty()) {
                    patch[k] = std::move(*sub);
                }
            } else if (ov->is_array() && m.merge) {
                json::array add;
                json::array del;
                json::array order;
                if (auto s = diff_lists(ov->get_array(), mv.get_array(), m, add, del, order);
                    !s.ok()) {
                    return s;
                }
                if (!add.empty()) {
                    patch[k] = std::move(add);
                }
                if (!del.empty()) {
                    patch[std::string(kDeletePrefix) + "/" + std::string(k)] = std::move(del);
                }
                if (!order.empty()) {
                    patch[std::string(kOrderPrefix) + "/" + std::string(k)] = std::move(order);
                }
            } else if (!json_equal(*ov, mv)) {
                patch[k] = mv;
            }
        }
        for (const auto& [k, ov] : original) {
            if (!modified.contains(k)) {
                patch[k] = nullptr;
            }
        }
        if (!retain.empty() && (!patch.empty() || has_additional_field(original, modified))) {
            std::sort(retain.begin(), retain.end());
            json::array list;
            for (auto& r : retain) {
                list.emplace_back(r);
            }
            patch[kRetainKeys] = std::move(list);
        }
        return patch;
    }

private:
    static bool has_additional_field(const json::object& original, const json::object& modified) {
        return std::any_of(original.begin(), original.end(), [&](const auto& member) {
            return !member.value().is_null() && !modified.contains(member.key());
        });
    }

    // Sorts items by the Go text of their keys, as upstream does before walking two lists.
    static std::vector<const json::value*> sorted_by_text(const json::array& items,
                                                          const Keying& keying) {
        std::vector<const json::value*> out;
        for (const auto& i : items) {
            out.push_back(&i);
        }
        std::stable_sort(out.begin(), out.end(), [&](const auto* a, const auto* b) {
            return go_text(keying.key(*a)) < go_text(keying.key(*b));
        });
        return out;
    }

    // Upstream's diffLists: `add` gets additions and changes (and, for objects, deletion
    // items), `del` removed scalars, `order` the $setElementOrder list.
    Status diff_lists(const json::array& original, const json::array& modified, const FieldMeta& m,
                      json::array& add, json::array& del, json::array& order) {
        if (original.empty()) {
            add = modified;
            return {};
        }
        auto kind = element_kind({&original, &modified});
        if (!kind.ok()) {
            return fail(kind);
        }
        if (*kind == Kind::Object) {
            const Keying keying{m.merge_key};
            for (const auto* list : {&original, &modified}) {
                for (const auto& item : *list) {
                    if (m.merge_key.empty() || !item.get_object().contains(m.merge_key)) {
                        return fail(no_merge_key(item, m.merge_key));
                    }
                }
            }
            const auto o = sorted_by_text(original, keying);
            const auto n = sorted_by_text(modified, keying);
            json::array changes;
            json::array deletions;
            std::size_t i = 0;
            std::size_t j = 0;
            while (i < o.size() || j < n.size()) {
                const std::string ok = i < o.size() ? go_text(keying.key(*o[i])) : "";
                const std::string nk = j < n.size() ? go_text(keying.key(*n[j])) : "";
                if (i < o.size() && j < n.size() && ok == nk) {
                    auto sub = diff_maps(o[i]->get_object(), n[j]->get_object(), m.retain_keys);
                    if (!sub.ok()) {
                        return sub.status();
                    }
                    if (!sub->empty()) {
                        (*sub)[m.merge_key] = n[j]->get_object().at(m.merge_key);
                        changes.push_back(std::move(*sub));
                    }
                    ++i;
                    ++j;
                } else if (i >= o.size() || (j < n.size() && ok > nk)) {
                    changes.push_back(*n[j++]);
                } else {
                    json::object d;
                    d[m.merge_key] = o[i]->get_object().at(m.merge_key);
                    d[kPatchDirective] = "delete";
                    deletions.push_back(std::move(d));
                    ++i;
                }
            }
            add = sort_by_order(changes, keying, keying.keys(modified));
            bool order_same = original.size() == modified.size();
            for (std::size_t k = 0; order_same && k < original.size(); ++k) {
                order_same = json_equal(keying.key(original[k]), keying.key(modified[k]));
            }
            for (auto& d : deletions) {
                add.push_back(std::move(d));
            }
            if (!add.empty() || !order_same) {
                for (const auto& item : modified) {
                    json::object entry;
                    entry[m.merge_key] = item.get_object().at(m.merge_key);
                    order.push_back(std::move(entry));
                }
            }
            return {};
        }

        const Keying by_value;
        const auto o = sorted_by_text(original, by_value);
        const auto n = sorted_by_text(modified, by_value);
        json::array additions;
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < o.size() || j < n.size()) {
            const std::string ot = i < o.size() ? go_text(*o[i]) : "";
            const std::string nt = j < n.size() ? go_text(*n[j]) : "";
            if (i < o.size() && j < n.size() && ot == nt) {
                ++i;
                ++j;
            } else if (i >= o.size() || (j < n.size() && ot > nt)) {
                additions.push_back(*n[j++]);
            } else {
                if (!contains(del, *o[i])) {
                    del.push_back(*o[i]);
                }
                ++i;
            }
        }
        add = sort_by_order(additions, by_value, by_value.keys(modified));
        // Upstream sorts the original list in place before comparing it with the modified one,
        // so an unchanged but unsorted list still gets a $setElementOrder.
        bool same = o.size() == modified.size();
        for (std::size_t k = 0; same && k < o.size(); ++k) {
            same = json_equal(*o[k], modified[k]);
        }
        if (!del.empty() || !same) {
            order = modified;
        }
        return {};
    }
};

}  // namespace

Result<json::value> apply_strategic_merge_patch(const json::value& original,
                                                const json::value& patch,
                                                const PatchMetaLookup& lookup) {
    const auto* p = patch.if_object();
    if (p == nullptr) {
        return base::bad_request("strategic merge patch must be a JSON object, not " +
                                 kind_name(patch));
    }
    json::object result;
    if (const auto* o = original.if_object()) {
        result = *o;
    } else if (!original.is_null()) {
        return base::bad_request("invalid JSON document: the original must be an object");
    }
    json::object consumed = *p;
    Merger merger(lookup);
    if (auto s = merger.merge_map(result, consumed); !s.ok()) {
        return s;
    }
    return json::value(std::move(result));
}

Result<json::value> create_two_way_merge_patch(const json::value& original,
                                               const json::value& modified,
                                               const PatchMetaLookup& lookup) {
    if (!original.is_object() || !modified.is_object()) {
        return base::bad_request("invalid JSON document: both sides must be objects");
    }
    Differ differ(lookup);
    auto patch = differ.diff_maps(original.get_object(), modified.get_object(), false);
    if (!patch.ok()) {
        return patch.status();
    }
    return json::value(std::move(*patch));
}

}  // namespace skiff::api
