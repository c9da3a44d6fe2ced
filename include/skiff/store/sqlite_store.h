// SqliteStore: the embedded default Store — one SQLite file in WAL mode with group commit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "skiff/base/clock.h"
#include "skiff/store/local_options.h"
#include "skiff/store/store.h"

namespace skiff::store {

struct SqliteOptions {
    /// full: every group commit is durable across power loss. normal: durable across a
    /// process crash (kill -9) only, with fewer fsyncs (SD cards).
    enum class Sync { Full, Normal };

    std::string path;
    Sync sync = Sync::Full;
    LocalOptions local;
    /// Reader connections (and threads) for ranges and watch replay.
    int readers = 2;
    /// Most txns committed together in one SQLite transaction.
    std::size_t max_batch = 1'000;
    /// History rows examined per compaction transaction (each also stops after ~100 ms).
    std::int64_t compact_batch = 1'000;
};

/// A committer thread owns the only write connection: txns queue to it and are committed in
/// groups (one SQLite transaction and one fsync for all txns waiting), each still its own
/// revision. Ranges run on reader connections in a small pool. Events fan out to watchers in
/// memory at commit; older history is replayed with SQL. Leases persist; a lease's full TTL
/// restarts when the store is reopened (as etcd does at a leader change).
class SqliteStore final : public Store {
public:
    /// Opens or creates the database; a file left by a killed process opens cleanly. Blocks
    /// (file I/O, WAL recovery): call it at startup, before the executor serves requests.
    /// Fails with InternalError when the file cannot be opened or is not a skiff store.
    static base::Result<std::unique_ptr<SqliteStore>> open(boost::asio::any_io_executor executor,
                                                           base::Clock& clock,
                                                           SqliteOptions options);
    ~SqliteStore() override;

    void start() override;
    boost::asio::awaitable<void> stop() override;
    boost::asio::awaitable<base::Result<RangeResponse>> range(RangeRequest request) override;
    boost::asio::awaitable<base::Result<TxnResponse>> txn(TxnRequest request) override;
    boost::asio::awaitable<base::Result<std::unique_ptr<Watcher>>> watch(
        WatchRequest request) override;
    boost::asio::awaitable<base::Status> compact(std::int64_t revision) override;
    boost::asio::awaitable<base::Result<LeaseGrant>> lease_grant(std::int64_t ttl,
                                                                 std::int64_t id) override;
    boost::asio::awaitable<base::Status> lease_revoke(std::int64_t id) override;
    boost::asio::awaitable<base::Result<std::int64_t>> lease_keep_alive(std::int64_t id) override;
    boost::asio::awaitable<base::Result<LeaseTimeToLive>> lease_time_to_live(std::int64_t id,
                                                                             bool keys) override;
    std::int64_t current_revision() const override;
    std::int64_t compact_revision() const override;
    boost::asio::awaitable<base::Result<StoreStatus>> status() override;

    struct Stats {
        std::int64_t commits = 0;             // SQLite write transactions for txns and leases
        std::int64_t txns = 0;                // requests those transactions carried
        std::int64_t compaction_batches = 0;  // SQLite transactions spent compacting
    };
    /// Counters of the committer; any thread.
    Stats stats() const;

    struct State;  // implementation detail

private:
    explicit SqliteStore(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace skiff::store
