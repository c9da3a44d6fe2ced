// JSON Merge Patch (RFC 7386) with evanphx/json-patch v4's null pruning, and its two-way diff.
#include "skiff/api/merge_patch.h"

#include <utility>

#include <boost/json.hpp>

#include "skiff/api/json_patch.h"

namespace skiff::api {
namespace {

namespace json = boost::json;
using base::Result;

// Drops null object members and null array elements, recursively.
json::value pruned(json::value v) {
    if (auto* o = v.if_object()) {
        json::object out;
        for (auto& [k, m] : *o) {
            if (!m.is_null()) {
                out[k] = pruned(std::move(m));
            }
        }
        return out;
    }
    if (auto* a = v.if_array()) {
        json::array out;
        for (auto& e : *a) {
            if (!e.is_null()) {
                out.push_back(pruned(std::move(e)));
            }
        }
        return out;
    }
    return v;
}

void merge_into(json::object& doc, const json::object& patch) {
    for (const auto& [k, v] : patch) {
        if (v.is_null()) {
            doc.stable_erase(k);
            continue;
        }
        auto* cur = doc.if_contains(k);
        if (cur != nullptr && cur->is_object() && v.is_object()) {
            merge_into(cur->get_object(), v.get_object());
        } else {
            doc[k] = pruned(v);
        }
    }
}

// Whether two values have the same JSON type, all numbers being one type (Go's float64).
bool same_type(const json::value& a, const json::value& b) {
    return (a.is_number() && b.is_number()) || a.kind() == b.kind();
}

json::object diff(const json::object& original, const json::object& modified) {
    json::object out;
    for (const auto& [k, m] : modified) {
        const auto* o = original.if_contains(k);
        if (o == nullptr || !same_type(*o, m)) {
            out[k] = m;
            continue;
        }
        if (o->is_object()) {
            auto sub = diff(o->get_object(), m.get_object());
            if (!sub.empty()) {
                out[k] = std::move(sub);
            }
        } else if (!json_equal(*o, m)) {
            out[k] = m;
        }
    }
    for (const auto& [k, o] : original) {
        if (!modified.contains(k)) {
            out[k] = nullptr;
        }
    }
    return out;
}

}  // namespace

Result<json::value> apply_merge_patch(const json::value& doc, const json::value& patch) {
    if (patch.is_array()) {
        return pruned(patch);
    }
    const auto* p = patch.if_object();
    if (p == nullptr) {
        return base::bad_request("invalid JSON patch: a merge patch must be an object, not " +
                                 std::string(json::to_string(patch.kind())));
    }
    if (!doc.is_object()) {
        return pruned(patch);
    }
    json::value result = doc;
    merge_into(result.get_object(), *p);
    return result;
}

Result<json::value> create_merge_patch(const json::value& original, const json::value& modified) {
    if (!original.is_object() || !modified.is_object()) {
        return base::bad_request("invalid JSON document: merge patches are made from objects");
    }
    return json::value(diff(original.get_object(), modified.get_object()));
}

}  // namespace skiff::api
