// The store's errors that etcd clients see, worded exactly as etcd words them.
#pragma once

#include "skiff/base/status.h"

namespace skiff::store {

/// Expired, "mvcc: required revision has been compacted".
base::Status compacted_error();
/// BadRequest, "mvcc: required revision is a future revision".
base::Status future_revision_error();
/// NotFound, "etcdserver: requested lease not found".
base::Status lease_not_found_error();
/// AlreadyExists, "etcdserver: lease already exists".
base::Status lease_exists_error();
/// BadRequest, "etcdserver: duplicate key given in txn request".
base::Status duplicate_key_error();

/// True when `status` is compacted_error().
bool is_compacted(const base::Status& status);

}  // namespace skiff::store
