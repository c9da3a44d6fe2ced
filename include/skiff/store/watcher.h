// Watcher: a stream of changes to a key or range from a revision, batch by batch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"
#include "skiff/store/key_value.h"

namespace skiff::store {

/// `key`/`range_end` as in RangeRequest.
struct WatchRequest {
    std::string key;
    std::string range_end;
    std::int64_t start_revision = 0;  // first revision to report; 0 = changes after now
    bool prev_kv = false;
    bool progress_notify = false;  // also receive the store's periodic progress notifications
};

/// Events in revision order, or (progress = true, no events) a promise that every event up to
/// `revision` has been delivered.
struct WatchBatch {
    std::int64_t revision = 0;  // the store's revision when the batch was made
    std::vector<Event> events;
    bool progress = false;
};

/// Every call on the store's executor. Destroying or cancelling is safe at any time, also
/// while next() waits and after the store is gone.
class Watcher {
public:
    virtual ~Watcher() = default;

    /// The next batch: replayed history first, then live changes, with no gap and no repeat.
    /// Failures end the watch (every later call fails the same way):
    /// - Expired, "mvcc: required revision has been compacted": the start revision (or, during
    ///   replay, the next one) was compacted; compact_revision() says to which revision.
    /// - TooManyRequests: the watcher fell behind (its bounded queue overflowed).
    /// - Gone: cancel() was called. ServiceUnavailable: the store stopped.
    /// Asio cancellation of the waiting coroutine throws operation_aborted and leaves the
    /// watcher usable.
    virtual boost::asio::awaitable<base::Result<WatchBatch>> next() = 0;

    /// Asks for a progress notification once every pending event has been delivered.
    virtual void request_progress() = 0;
    virtual void cancel() = 0;

    /// The store-assigned id, unique while the store runs.
    virtual std::int64_t id() const = 0;
    /// The compact revision that ended the watch with Expired; 0 otherwise.
    virtual std::int64_t compact_revision() const = 0;
};

}  // namespace skiff::store
