// WatchHub: fans committed events out to watchers, keeps a ring of recent events for replay, and
// switches each watcher from history replay to live events without gaps or repeats.
#pragma once

#include "key_interval.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "skiff/base/clock.h"
#include "skiff/base/status.h"
#include "skiff/store/local_options.h"
#include "skiff/store/watcher.h"

namespace skiff::store {

struct HistoryPage {
    std::vector<Event> events;  // revision order, with prev_kv where it still exists
    std::int64_t upto = 0;      // every event with revision in [from, upto] is in `events`
};

/// Where a replay reads history that is no longer in the hub's ring.
class HistorySource {
public:
    virtual ~HistorySource() = default;
    /// Events in revisions [from, from + max_revisions) touching `keys`, up to the newest
    /// committed revision. Fails with compacted_error() when `from` is compacted.
    virtual boost::asio::awaitable<base::Result<HistoryPage>> history(
        std::int64_t from, KeyInterval keys, std::int64_t max_revisions) = 0;
};

struct WatchState;

/// Lives on the store's executor, as do its watchers. Holds the executor-side revision and
/// compact revision: a revision counts as current once its events were published here.
class WatchHub {
public:
    WatchHub(HistorySource& source, LocalOptions options, std::int64_t revision,
             std::int64_t compact_revision);
    ~WatchHub();
    WatchHub(const WatchHub&) = delete;
    WatchHub& operator=(const WatchHub&) = delete;

    std::int64_t revision() const { return revision_; }
    std::int64_t compact_revision() const { return compact_revision_; }
    void set_compact_revision(std::int64_t revision) { compact_revision_ = revision; }

    /// Records `revision` as current and hands its events (with prev_kv) to live watchers.
    void publish(std::int64_t revision, std::vector<Event> events);

    base::Result<std::unique_ptr<Watcher>> watch(const WatchRequest& request);
    /// Queues a progress notification for every watcher that asked for periodic ones.
    void progress_tick();
    /// Ends every watcher with ServiceUnavailable; later watch() calls fail the same way.
    void close();

    // For watchers.
    bool ring_covers(std::int64_t from) const { return from >= ring_floor_; }
    HistoryPage ring_page(std::int64_t from, const KeyInterval& keys) const;
    HistorySource& source() { return source_; }
    const LocalOptions& options() const { return options_; }
    void forget(std::int64_t id) { watchers_.erase(id); }

private:
    HistorySource& source_;
    LocalOptions options_;
    std::int64_t revision_;
    std::int64_t compact_revision_;
    std::deque<Event> ring_;
    std::int64_t ring_floor_;  // every event from this revision on is in ring_
    std::int64_t next_id_ = 1;
    bool closed_ = false;
    std::map<std::int64_t, std::shared_ptr<WatchState>> watchers_;
};

/// Sends periodic progress notifications until cancelled.
boost::asio::awaitable<void> progress_loop(WatchHub& hub, base::Clock& clock,
                                           base::Clock::Duration interval);

}  // namespace skiff::store
