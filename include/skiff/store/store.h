// Store: the etcd v3 data model over bytes — revisions, ranges, txns, watches, compaction, leases.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"
#include "skiff/store/errors.h"
#include "skiff/store/key_value.h"
#include "skiff/store/lease.h"
#include "skiff/store/range.h"
#include "skiff/store/txn.h"
#include "skiff/store/watcher.h"

namespace skiff::store {

struct StoreStatus {
    std::int64_t db_size = 0;  // bytes the backend occupies (file size, or an estimate)
    std::int64_t revision = 0;
    std::int64_t compact_revision = 0;
};

/// The store knows bytes and revisions, not Kubernetes (ARCHITECTURE principle 3).
///
/// Threading: every call is made from the one executor the store was constructed with (one
/// io_context thread) and results resume there. Backends that block (SQLite) do so on threads
/// of their own, never on that executor. The store must outlive the calls in flight; watchers
/// may outlive it.
///
/// Pass requests as named objects: g++ 12 corrupts a braced temporary passed to a coroutine
/// inside a co_await expression (see src/store/README.md).
///
/// Revisions start at 1 for an empty store, as in etcd; every write txn adds exactly one.
/// Unexpected backend failures come back as InternalError.
class Store {
public:
    virtual ~Store() = default;

    /// Spawns background work (lease expiry, periodic watch progress). Call once.
    virtual void start() = 0;
    /// Ends background work and every watcher (their next() fails with ServiceUnavailable).
    virtual boost::asio::awaitable<void> stop() = 0;

    /// Fails with compacted_error() below the compact revision and future_revision_error()
    /// above the current one.
    virtual boost::asio::awaitable<base::Result<RangeResponse>> range(RangeRequest request) = 0;
    /// Fails (and writes nothing) when a put names an unknown lease (lease_not_found_error()),
    /// a key is given twice (duplicate_key_error()), or a range fails as range() does.
    virtual boost::asio::awaitable<base::Result<TxnResponse>> txn(TxnRequest request) = 0;
    boost::asio::awaitable<base::Result<PutResponse>> put(PutRequest request);
    boost::asio::awaitable<base::Result<DeleteRangeResponse>> delete_range(
        DeleteRangeRequest request);

    /// Fails with BadRequest for a negative start revision; compaction is reported by next().
    virtual boost::asio::awaitable<base::Result<std::unique_ptr<Watcher>>> watch(
        WatchRequest request) = 0;

    /// Forgets every version superseded at `revision` (and tombstones below it); ranges and
    /// watches below `revision` fail afterwards. Returns when the space has been reclaimed.
    /// Fails with compacted_error() at or below the compact revision and
    /// future_revision_error() above the current revision.
    virtual boost::asio::awaitable<base::Status> compact(std::int64_t revision) = 0;

    /// `id` 0 lets the store choose. `ttl` in seconds, >= 1.
    virtual boost::asio::awaitable<base::Result<LeaseGrant>> lease_grant(std::int64_t ttl,
                                                                         std::int64_t id) = 0;
    /// Deletes the lease's keys in one revision. NotFound: lease_not_found_error().
    virtual boost::asio::awaitable<base::Status> lease_revoke(std::int64_t id) = 0;
    /// Restarts the lease's TTL and returns it. NotFound: lease_not_found_error().
    virtual boost::asio::awaitable<base::Result<std::int64_t>> lease_keep_alive(
        std::int64_t id) = 0;
    /// NotFound: lease_not_found_error().
    virtual boost::asio::awaitable<base::Result<LeaseTimeToLive>> lease_time_to_live(
        std::int64_t id, bool keys) = 0;

    virtual std::int64_t current_revision() const = 0;
    virtual std::int64_t compact_revision() const = 0;
    virtual boost::asio::awaitable<base::Result<StoreStatus>> status() = 0;
};

}  // namespace skiff::store
