// Strategic merge patch (application/strategic-merge-patch+json), driven by a schema lookup.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// The patch tags of one field (k8s.io/api's patchStrategy and patchMergeKey).
struct PatchMeta {
    /// "", "merge", "replace", "retainKeys", "merge,retainKeys" (tokens in any order).
    std::string strategy;
    /// For lists of objects with strategy merge: the member that identifies an item.
    std::string merge_key;
};

/// The meta of the field at `path`: field names from the object root, list items transparent
/// (e.g. {"spec","template","spec","containers","ports"}). nullopt (or an empty function):
/// no tags, so objects merge and lists are replaced, as for unknown and CRD fields.
using PatchMetaLookup = std::function<std::optional<PatchMeta>(std::span<const std::string> path)>;

/// Applies `patch` to `original` as kube-apiserver does (strategicpatch.StrategicMergeMapPatch)
/// and returns the result; `original` is not modified.
///
/// - null deletes a member; objects merge; lists are replaced unless tagged "merge":
///   lists of objects merge by merge key (matching items merge, new ones are added), lists of
///   scalars become a union.
/// - Directives: "$patch": "replace" | "delete" in an object (replace its content / empty it);
///   in a merged list of objects, an item {"<key>": v, "$patch": "delete"} removes the items
///   with that key and any item with "$patch": "replace" makes the list the patch's other items;
///   "$retainKeys": [...] drops the members it does not list;
///   "$deleteFromPrimitiveList/<field>": [...] removes scalars from a list;
///   "$setElementOrder/<field>": [...] orders a merged list.
/// - Order, as upstream: patch items take their order from "$setElementOrder" (else from the
///   patch list); items only the server has keep their relative order and are interleaved by
///   their position in the live list; without "$setElementOrder", items new to the list come
///   before the server-only items that follow them. Upstream's answers for a list that had
///   items both deleted and added depend on Go slice aliasing; we reproduce them.
///
/// Failures, with the status codes upstream answers with:
/// - BadRequest (400): the patch or the original is not an object; a malformed
///   "$retainKeys", "$deleteFromPrimitiveList/" or "$setElementOrder/" directive (e.g. a patch
///   member missing from "$retainKeys"); an unknown "$" directive (upstream would store it as
///   data; we reject it, except the JSON-schema member names "$ref" and "$schema").
/// - Invalid (422): a list of lists in a merged list.
/// - Unknown reason, 500: everything else upstream reports as a plain error, e.g.
///   "map: {...} does not contain declared merge key: name", "unknown patch type: foo in map:
///   {...}", a "$setElementOrder" list whose order disagrees with the patch list ("... doesn't
///   match $setElementOrder list ..."), list element types that are not identical.
/// Messages are prefixed with the dotted field path ("spec.template.spec.containers: ...").
///
/// Intentional differences: a patch value for a member the original lacks (or holds null) is
/// merged into an empty value, so its directives and nulls are processed rather than stored;
/// "$deleteFromPrimitiveList" on a missing list does nothing (upstream stores the deletion list
/// as the new value); "$patch": "merge" is rejected as upstream does ("unknown patch type" in
/// an object, "merging lists cannot yet be specified in the patch" in a list).
base::Result<boost::json::value> apply_strategic_merge_patch(const boost::json::value& original,
                                                             const boost::json::value& patch,
                                                             const PatchMetaLookup& lookup);

/// The strategic merge patch that turns `original` into `modified` (both objects), as kubectl
/// computes it (strategicpatch.CreateTwoWayMergePatch): changed members, null for removed ones,
/// "$patch": "delete" items for removed items of merged lists of objects,
/// "$deleteFromPrimitiveList/" for removed scalars, "$setElementOrder/" for merged lists whose
/// content or order changed, and "$retainKeys" for objects tagged retainKeys.
/// Failure: BadRequest when either side is not an object; Unknown (500) for a merged list whose
/// items lack the merge key; Invalid (422) for a list of lists.
base::Result<boost::json::value> create_two_way_merge_patch(const boost::json::value& original,
                                                            const boost::json::value& modified,
                                                            const PatchMetaLookup& lookup);

}  // namespace skiff::api
