// LocalOptions: watch and lease tuning shared by the in-process backends (memory, SQLite).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace skiff::store {

struct LocalOptions {
    /// Events queued for one watcher before it is cut off as fallen behind.
    std::size_t watch_queue_limit = 10'000;
    /// Recent events kept in memory so watches from a recent revision replay without I/O.
    std::size_t event_ring = 10'000;
    /// Revisions per history page when a watch replays; bounds a replay's memory.
    std::int64_t replay_page_revisions = 1'000;
    /// Periodic progress notifications to watches that asked for them; zero = never.
    std::chrono::steady_clock::duration progress_interval{};
    /// How often expired leases are looked for.
    std::chrono::steady_clock::duration lease_check_interval = std::chrono::milliseconds(500);
};

}  // namespace skiff::store
