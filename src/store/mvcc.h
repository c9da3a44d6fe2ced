// The etcd txn semantics (compares, versions, tombstones, one revision per write txn) over an
// abstract KvState, so every in-process backend applies txns the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "skiff/base/status.h"
#include "skiff/store/key_value.h"
#include "skiff/store/range.h"
#include "skiff/store/txn.h"

namespace skiff::store {

/// The state a write txn reads and changes: the backend's current state including the writes
/// made so far by the txns of the same commit. Backend failures throw.
class KvState {
public:
    virtual ~KvState() = default;
    /// The live version of `key`.
    virtual std::optional<KeyValue> get(const std::string& key) = 0;
    /// As Store::range, where the current revision is `current`; the caller has checked the
    /// request's revision against the compact revision and `current`.
    virtual RangeResponse range(const RangeRequest& request, std::int64_t current) = 0;
    virtual bool lease_exists(std::int64_t lease) = 0;
    /// The live keys attached to `lease`, sorted.
    virtual std::vector<std::string> keys_with_lease(std::int64_t lease) = 0;
    /// Records one change: a put, or a tombstone (type Delete, kv with key and mod_revision).
    /// `event.prev_kv` is the live version it replaces.
    virtual void write(const Event& event) = 0;
};

struct TxnOutcome {
    TxnResponse response;
    std::vector<Event> events;  // with prev_kv, in operation order; empty when nothing changed
};

/// Rejects what etcd rejects before looking at the state: a key put twice or both put and
/// deleted in a branch, negative revisions or limits.
base::Status validate_txn(const TxnRequest& request);

/// Checks a range's revision: compacted below `compact`, future above `current`.
base::Status check_revision(std::int64_t revision, std::int64_t current, std::int64_t compact);
/// check_revision plus the request's own sanity (no negative revision or limit).
base::Status check_range(const RangeRequest& request, std::int64_t current, std::int64_t compact);
/// Compaction's rules: at or below `compact` is compacted, above `current` is the future.
base::Status check_compact(std::int64_t revision, std::int64_t current, std::int64_t compact);

/// Applies `request` to `state`, whose revision is `current`; writes get revision current + 1.
/// Fails, having changed nothing, when a put names an unknown lease or a range is out of range.
base::Result<TxnOutcome> apply_txn(KvState& state, const TxnRequest& request, std::int64_t current,
                                   std::int64_t compact);

/// Deletes every key attached to `lease` at revision current + 1 (none: no new revision).
std::vector<Event> apply_lease_revoke(KvState& state, std::int64_t lease, std::int64_t current);

/// Applies limit, count_only and keys_only to the sorted matches of a range.
RangeResponse finish_range(const RangeRequest& request, std::vector<KeyValue> matches,
                           std::int64_t revision);

}  // namespace skiff::store
