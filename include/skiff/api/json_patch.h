// JSON Patch (RFC 6902) as the apiserver applies application/json-patch+json bodies.
#pragma once

#include <cstddef>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// Upstream's limit on the operations of one JSON patch.
inline constexpr std::size_t kMaxJsonPatchOperations = 10000;

/// Applies `patch` (an array of operations) to `doc` and returns the patched copy; `doc` itself
/// is never modified, so a failure leaves nothing half-applied.
///
/// Follows gopkg.in/evanphx/json-patch.v4, the engine of kube-apiserver 1.32:
/// - ops add, remove, replace, move, copy, test; paths are JSON pointers with ~0/~1 escapes;
///   "-" appends; negative indices count from the end (-1 is the last element, and for add
///   the position after it); leading "+" or zeros in an index are accepted as Go's Atoi does.
/// - "replace" of a missing object member adds it, as upstream does; "replace" and "test" with
///   path "" work on the whole document. A missing "value" counts as null.
/// - "test" compares numbers by value (1 == 1.0), objects regardless of member order, and a
///   missing object member equals null (upstream's quirk, kept).
///
/// Failures and the status codes upstream answers with:
/// - BadRequest (400): `patch` is not an array of objects (upstream cannot decode it);
///   a JSON `null` patch is an empty patch.
/// - RequestEntityTooLarge (413): more than kMaxJsonPatchOperations operations.
/// - Invalid (422): any operation that does not apply, including a failed "test"
///   ("testing value \"/a\" failed"), a missing path ("add operation does not apply: doc is
///   missing path: \"/a/b\""), a bad index or an unknown op. Upstream answers all of these
///   with 422 and the generic message "the server rejected our request due to an error in our
///   request"; our message names the op and the path instead.
///
/// Intentional differences: "copy" from a missing member fails (upstream copies a null), and a
/// path that does not start with "/" is a missing path (upstream reads "a/b" as "/b").
base::Result<boost::json::value> apply_json_patch(const boost::json::value& doc,
                                                  const boost::json::value& patch);

/// Deep JSON equality as the patch engines use it: numbers compare by value whatever their
/// representation (int64, uint64 or double), objects regardless of member order.
bool json_equal(const boost::json::value& a, const boost::json::value& b);

}  // namespace skiff::api
