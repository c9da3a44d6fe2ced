// Controller references and upstream's claim rules: which objects a controller owns, adopts or
// releases, and the patches that adopt and release them.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/api/rest.h"

namespace skiff::controllers {

/// A patch of one object in the controller's namespace, by name.
struct Patch {
    std::string name;
    api::PatchType type = api::PatchType::StrategicMerge;
    boost::json::object body;

    bool operator==(const Patch&) const = default;
};

/// The controlling object, as the claim rules need it.
struct Owner {
    std::string api_version;  // "apps/v1"
    std::string kind;         // "ReplicaSet"
    std::string name;
    std::string namespace_;
    std::string uid;
    bool deleting = false;  // metadata.deletionTimestamp is set
};

/// The Owner of `object` (its name, namespace, uid and deletionTimestamp).
Owner owner_of(const boost::json::object& object, std::string api_version, std::string kind);

/// metav1.GetControllerOf: the ownerReferences entry with controller: true; nullptr if none.
const boost::json::object* controller_ref_of(const boost::json::object& object);
/// The uid of the controller reference, "" when there is none.
std::string controller_uid_of(const boost::json::object& object);

/// metav1.NewControllerRef: apiVersion, kind, name, uid, controller and blockOwnerDeletion true.
boost::json::object make_controller_ref(const Owner& owner);

/// What ClaimObject decides for one candidate.
enum class Claim {
    Ignore,   // owned by someone else, or an orphan we may not or need not adopt
    Owned,    // ours and matching: keep
    Adopt,    // an orphan that matches: patch in our controller reference, then keep
    Release,  // ours but no longer matching: patch our reference out, then drop
};

/// BaseControllerRefManager.ClaimObject: ours and matching → Owned; ours and not matching →
/// Release (Ignore while the owner is being deleted); an orphan that matches, in the owner's
/// namespace, not being deleted, while the owner is not being deleted → Adopt; else Ignore.
Claim claim(const Owner& owner, const api::LabelSelector& selector,
            const boost::json::object& object);

/// The strategic merge patch that adopts `object`: our controller reference plus its uid as a
/// precondition, {"metadata":{"ownerReferences":[ref],"uid":"<object uid>"}}.
Patch adopt_patch(const Owner& owner, const boost::json::object& object);
/// The strategic merge patch that drops our reference from `object`:
/// {"metadata":{"ownerReferences":[{"$patch":"delete","uid":"<owner uid>"}],"uid":"<uid>"}}.
Patch release_patch(const Owner& owner, const boost::json::object& object);

}  // namespace skiff::controllers
