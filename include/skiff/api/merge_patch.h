// JSON Merge Patch (RFC 7386): applying application/merge-patch+json bodies and diffing two docs.
#pragma once

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// Applies a merge patch to `doc` and returns the result (`doc` is not modified).
///
/// As evanphx/json-patch v4's MergePatch, which kube-apiserver uses: a null member deletes,
/// objects merge recursively, anything else replaces; a value that replaces (or lands where the
/// document had no object) is stored with its nulls removed, null array elements included. A
/// non-object document (null, scalar, array) is replaced by the pruned patch object; an array
/// patch replaces the whole document.
/// Failure: BadRequest (400) "invalid JSON patch" when `patch` is null or a scalar (upstream's
/// ErrBadJSONPatch, which the apiserver answers with 400).
/// Member order: existing members keep their place, new ones are appended in patch order.
base::Result<boost::json::value> apply_merge_patch(const boost::json::value& doc,
                                                   const boost::json::value& patch);

/// The merge patch that turns `original` into `modified` (both must be objects): members added
/// or changed in `modified` (objects diffed recursively, arrays and scalars whole, numbers by
/// value), and null for members `modified` lacks. Identical documents give {}.
/// Failure: BadRequest "invalid JSON document" when either side is not an object.
base::Result<boost::json::value> create_merge_patch(const boost::json::value& original,
                                                    const boost::json::value& modified);

}  // namespace skiff::api
