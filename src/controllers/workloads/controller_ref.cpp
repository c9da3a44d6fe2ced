// Controller references: reading them, ClaimObject's decision, adoption and release patches.
#include "skiff/controllers/controller_ref.h"

#include <boost/json.hpp>

namespace skiff::controllers {

namespace json = boost::json;

namespace {

std::string meta_string(const json::object& object, std::string_view key) {
    const auto* meta = object.if_contains("metadata");
    if (!meta || !meta->is_object()) {
        return {};
    }
    const auto* v = meta->as_object().if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool has_deletion_timestamp(const json::object& object) {
    const auto* meta = object.if_contains("metadata");
    if (!meta || !meta->is_object()) {
        return false;
    }
    const auto* v = meta->as_object().if_contains("deletionTimestamp");
    return v && !v->is_null();
}

const json::object* labels_of(const json::object& object) {
    const auto* meta = object.if_contains("metadata");
    if (!meta || !meta->is_object()) {
        return nullptr;
    }
    const auto* v = meta->as_object().if_contains("labels");
    return v && v->is_object() ? &v->as_object() : nullptr;
}

}  // namespace

Owner owner_of(const json::object& object, std::string api_version, std::string kind) {
    Owner o;
    o.api_version = std::move(api_version);
    o.kind = std::move(kind);
    o.name = meta_string(object, "name");
    o.namespace_ = meta_string(object, "namespace");
    o.uid = meta_string(object, "uid");
    o.deleting = has_deletion_timestamp(object);
    return o;
}

const json::object* controller_ref_of(const json::object& object) {
    const auto* meta = object.if_contains("metadata");
    if (!meta || !meta->is_object()) {
        return nullptr;
    }
    const auto* refs = meta->as_object().if_contains("ownerReferences");
    if (!refs || !refs->is_array()) {
        return nullptr;
    }
    for (const auto& r : refs->as_array()) {
        if (!r.is_object()) {
            continue;
        }
        const auto* c = r.as_object().if_contains("controller");
        if (c && c->is_bool() && c->as_bool()) {
            return &r.as_object();
        }
    }
    return nullptr;
}

std::string controller_uid_of(const json::object& object) {
    const auto* ref = controller_ref_of(object);
    if (!ref) {
        return {};
    }
    const auto* uid = ref->if_contains("uid");
    return uid && uid->is_string() ? std::string(uid->as_string()) : std::string();
}

json::object make_controller_ref(const Owner& owner) {
    return json::object{
        {"apiVersion", owner.api_version},
        {"kind", owner.kind},
        {"name", owner.name},
        {"uid", owner.uid},
        {"controller", true},
        {"blockOwnerDeletion", true},
    };
}

Claim claim(const Owner& owner, const api::LabelSelector& selector, const json::object& object) {
    if (controller_ref_of(object)) {
        if (controller_uid_of(object) != owner.uid) {
            return Claim::Ignore;
        }
        if (selector.matches(labels_of(object))) {
            return Claim::Owned;
        }
        // Ours but no longer selected: let go, unless we are going away ourselves.
        return owner.deleting ? Claim::Ignore : Claim::Release;
    }
    if (owner.deleting || !selector.matches(labels_of(object))) {
        return Claim::Ignore;
    }
    if (has_deletion_timestamp(object)) {
        return Claim::Ignore;
    }
    if (!owner.namespace_.empty() && meta_string(object, "namespace") != owner.namespace_) {
        return Claim::Ignore;
    }
    return Claim::Adopt;
}

Patch adopt_patch(const Owner& owner, const json::object& object) {
    Patch p;
    p.name = meta_string(object, "name");
    p.body =
        json::object{{"metadata", json::object{
                                      {"ownerReferences", json::array{make_controller_ref(owner)}},
                                      {"uid", meta_string(object, "uid")},
                                  }}};
    return p;
}

Patch release_patch(const Owner& owner, const json::object& object) {
    Patch p;
    p.name = meta_string(object, "name");
    p.body = json::object{
        {"metadata", json::object{
                         {"ownerReferences",
                          json::array{json::object{{"$patch", "delete"}, {"uid", owner.uid}}}},
                         {"uid", meta_string(object, "uid")},
                     }}};
    return p;
}

}  // namespace skiff::controllers
