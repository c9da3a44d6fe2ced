// SqliteStore: executor-side state (hub, leases) plus the committer thread and the reader pool.
//
// Commit path: txn() queues a Write and waits on its base::WakeSignal. The committer takes every
// queued Write (up to max_batch), runs them in order inside one BEGIN IMMEDIATE transaction —
// each write txn its own revision, compares seeing the earlier txns of the batch — commits
// (one fsync), then posts one handler to the executor that publishes the events in revision
// order and wakes the waiters. A revision is therefore current, and visible to watchers,
// before the txn that made it returns.
// Compaction runs on the committer between batches, a bounded slice per SQLite transaction,
// then checkpoints the WAL and vacuums the freed pages.
#include "skiff/store/sqlite_store.h"

#include "background.h"
#include "lease_table.h"
#include "sqlite_db.h"
#include "sqlite_kv.h"
#include "skiff/base/wake_signal.h"
#include "watch_hub.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <variant>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <sqlite3.h>

#include "skiff/base/log.h"
#include "skiff/base/task_group.h"

namespace skiff::store {
namespace asio = boost::asio;
using base::Reason;
using base::Result;
using base::Status;

namespace {

struct GrantOp {
    std::int64_t id;
    std::int64_t ttl;
};
struct RevokeOp {
    std::int64_t id;
};
struct CompactOp {
    std::int64_t revision;
};
struct StopOp {};

/// One request to the committer and, once done, its outcome.
struct Write {
    explicit Write(std::variant<TxnRequest, GrantOp, RevokeOp, CompactOp, StopOp> o)
        : op(std::move(o)) {}
    std::variant<TxnRequest, GrantOp, RevokeOp, CompactOp, StopOp> op;
    Status status;
    TxnOutcome outcome;
    bool done = false;  // executor side
    base::WakeSignal signal;
};
using WritePtr = std::shared_ptr<Write>;

template <typename T>
struct ReadJob {
    std::optional<T> result;
    bool done = false;
    base::WakeSignal signal;
};

Status closed_error() {
    return Status(Reason::ServiceUnavailable, "store is closed");
}

const char* sync_pragma(SqliteOptions::Sync sync) {
    return sync == SqliteOptions::Sync::Full ? "PRAGMA synchronous = FULL"
                                             : "PRAGMA synchronous = NORMAL";
}

}  // namespace

struct SqliteStore::State final : HistorySource {
    State(asio::any_io_executor ex, base::Clock& clk, SqliteOptions opts, sql::Meta meta,
          std::unique_ptr<Db> writer_db)
        : executor(std::move(ex)),
          clock(clk),
          options(std::move(opts)),
          leases(clk),
          hub(*this, options.local, meta.revision, meta.compact_revision),
          tasks(executor),
          pool(static_cast<std::size_t>(std::max(1, options.readers))),
          writer(std::move(writer_db)),
          revision(meta.revision),
          compact_revision(meta.compact_revision) {
        if (meta.compact_progress < sql::compaction_end(*writer, meta.compact_revision)) {
            compaction = Compaction{meta.compact_revision, meta.compact_progress, -1, {}};
        }
        committer = std::thread([this] { run_committer(); });
    }

    ~State() override {
        *alive = false;
        enqueue(std::make_shared<Write>(StopOp{}));
        committer.join();
        pool.join();
    }

    // --- executor side ---------------------------------------------------------------------
    asio::any_io_executor executor;
    base::Clock& clock;
    SqliteOptions options;
    LeaseTable leases;
    WatchHub hub;
    base::TaskGroup tasks;
    bool stopped = false;
    std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);

    /// Queues `w` for the committer and waits until the executor has applied its outcome.
    asio::awaitable<void> commit(WritePtr w) {
        enqueue(w);
        while (!w->done) {
            co_await w->signal.wait();
        }
    }

    /// Applies a committed Write's effects on the executor, in commit order.
    void finish(Write& w) {
        if (w.status.ok()) {
            if (!w.outcome.events.empty()) {
                const auto rev = w.outcome.events.front().kv.mod_revision;
                hub.publish(rev, std::move(w.outcome.events));
            }
            if (const auto* g = std::get_if<GrantOp>(&w.op)) {
                leases.grant(g->id, g->ttl);
            } else if (const auto* r = std::get_if<RevokeOp>(&w.op)) {
                leases.erase(r->id);
            }
        }
        w.done = true;
        w.signal.notify();
    }

    /// Runs `fn(reader connection, meta)` in a read transaction on the pool.
    template <typename T, typename Fn>
    asio::awaitable<T> read(Fn fn) {
        auto job = std::make_shared<ReadJob<T>>();
        asio::post(pool, [this, job, fn = std::move(fn)]() mutable {
            T result = with_reader<T>(fn);
            asio::post(executor, [job, r = std::move(result)]() mutable {
                job->result.emplace(std::move(r));
                job->done = true;
                job->signal.notify();
            });
        });
        while (!job->done) {
            co_await job->signal.wait();
        }
        co_return std::move(*job->result);
    }

    asio::awaitable<Result<HistoryPage>> history(std::int64_t from, KeyInterval keys,
                                                 std::int64_t max_revisions) override {
        // Named, not a temporary in the co_await expression (see README: g++ 12).
        auto job = [from, keys = std::move(keys), max_revisions](
                       Db& db, const sql::Meta& meta) -> Result<HistoryPage> {
            if (from < meta.compact_revision) {
                return compacted_error();
            }
            HistoryPage page;
            page.upto = std::min(meta.revision, from + max_revisions - 1);
            page.events = sql::history(db, from, page.upto, keys);
            return page;
        };
        co_return co_await read<Result<HistoryPage>>(std::move(job));
    }

    // --- reader pool -----------------------------------------------------------------------
    asio::thread_pool pool;
    std::mutex readers_mutex;
    std::vector<std::unique_ptr<Db>> idle_readers;

    template <typename T, typename Fn>
    T with_reader(Fn& fn) {
        std::unique_ptr<Db> db;
        {
            std::lock_guard lock(readers_mutex);
            if (!idle_readers.empty()) {
                db = std::move(idle_readers.back());
                idle_readers.pop_back();
            }
        }
        try {
            if (!db) {
                db = std::make_unique<Db>(options.path, false);
                db->exec("PRAGMA busy_timeout = 5000; PRAGMA query_only = 1");
            }
            db->exec("BEGIN");
            T result = [&]() -> T {
                try {
                    return fn(*db, sql::load_meta(*db));
                } catch (...) {
                    db->exec("ROLLBACK");
                    throw;
                }
            }();
            db->exec("COMMIT");
            std::lock_guard lock(readers_mutex);
            idle_readers.push_back(std::move(db));
            return result;
        } catch (const std::exception& e) {
            return base::internal_error("reading " + options.path + ": " + e.what());
        }
    }

    // --- committer thread ------------------------------------------------------------------
    struct Compaction {
        std::int64_t target;
        std::int64_t progress;
        std::int64_t end;  // -1 until computed
        std::vector<WritePtr> waiters;
    };

    std::unique_ptr<Db> writer;
    std::int64_t revision;          // committer thread
    std::int64_t compact_revision;  // committer thread
    std::optional<Compaction> compaction;
    std::mutex queue_mutex;
    std::condition_variable queue_cv;
    std::deque<WritePtr> queue;
    std::atomic<std::int64_t> commits{0};
    std::atomic<std::int64_t> txns{0};
    std::atomic<std::int64_t> compaction_batches{0};
    std::thread committer;

    void enqueue(WritePtr w) {
        {
            std::lock_guard lock(queue_mutex);
            queue.push_back(std::move(w));
        }
        queue_cv.notify_one();
    }

    void run_committer() {
        for (;;) {
            std::vector<WritePtr> batch;
            {
                std::unique_lock lock(queue_mutex);
                queue_cv.wait(lock, [&] { return !queue.empty() || compaction.has_value(); });
                while (!queue.empty() && batch.size() < options.max_batch) {
                    batch.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
            }
            const bool stop = !batch.empty() && std::holds_alternative<StopOp>(batch.back()->op);
            if (!batch.empty()) {
                commit_batch(batch);
            }
            if (stop) {
                break;
            }
            if (compaction) {
                compact_step();
            }
        }
        if (compaction) {
            for (auto& w : compaction->waiters) {
                w->status = closed_error();
            }
            post_finished(std::move(compaction->waiters));
        }
    }

    void post_finished(std::vector<WritePtr> batch) {
        if (batch.empty()) {
            return;
        }
        asio::post(executor, [this, alive = alive, batch = std::move(batch)] {
            if (!*alive) {
                return;
            }
            for (auto& w : batch) {
                finish(*w);
            }
        });
    }

    void apply(sql::SqlKvState& kv, Write& w, std::int64_t& rev) {
        if (auto* t = std::get_if<TxnRequest>(&w.op)) {
            auto out = apply_txn(kv, *t, rev, compact_revision);
            if (!out.ok()) {
                w.status = out.status();
                return;
            }
            w.outcome = std::move(*out);
        } else if (const auto* g = std::get_if<GrantOp>(&w.op)) {
            auto q = writer->query("INSERT OR IGNORE INTO leases (id, ttl) VALUES (?1, ?2)");
            q.bind(1, g->id).bind(2, g->ttl).run();
            if (writer->changes() == 0) {
                w.status = lease_exists_error();
            }
            return;
        } else if (const auto* r = std::get_if<RevokeOp>(&w.op)) {
            if (!kv.lease_exists(r->id)) {
                w.status = lease_not_found_error();
                return;
            }
            w.outcome.events = apply_lease_revoke(kv, r->id, rev);
            auto q = writer->query("DELETE FROM leases WHERE id = ?1");
            q.bind(1, r->id).run();
        } else if (const auto* c = std::get_if<CompactOp>(&w.op)) {
            compact_revision = std::max(compact_revision, c->revision);
            sql::save_meta(*writer, "compact_revision", compact_revision);
            sql::save_meta(*writer, "compact_progress", 0);
            return;
        } else {
            return;
        }
        if (!w.outcome.events.empty()) {
            ++rev;
        }
    }

    void commit_batch(std::vector<WritePtr>& batch) {
        std::int64_t rev = revision;
        const std::int64_t compact_before = compact_revision;
        try {
            writer->exec("BEGIN IMMEDIATE");
            sql::SqlKvState kv(*writer);
            try {
                for (auto& w : batch) {
                    apply(kv, *w, rev);
                }
                if (rev != revision) {
                    sql::save_meta(*writer, "revision", rev);
                }
                writer->exec("COMMIT");
            } catch (...) {
                writer->exec("ROLLBACK");
                throw;
            }
        } catch (const std::exception& e) {
            base::log::error("store commit failed", {{"path", options.path}, {"error", e.what()}});
            compact_revision = compact_before;
            for (auto& w : batch) {
                w->status = base::internal_error("committing to " + options.path + ": " + e.what());
                w->outcome = {};
            }
            post_finished(std::move(batch));
            return;
        }
        revision = rev;
        ++commits;
        txns += static_cast<std::int64_t>(batch.size());
        // A compaction completes only once its space is reclaimed; the others now.
        std::vector<WritePtr> finished;
        for (auto& w : batch) {
            if (std::holds_alternative<CompactOp>(w->op) && w->status.ok()) {
                if (!compaction || compaction->target != compact_revision) {
                    auto waiters =
                        compaction ? std::move(compaction->waiters) : std::vector<WritePtr>{};
                    compaction = Compaction{compact_revision, 0, -1, std::move(waiters)};
                }
                compaction->waiters.push_back(w);
            } else {
                finished.push_back(w);
            }
        }
        post_finished(std::move(finished));
    }

    void compact_step() {
        auto& c = *compaction;
        try {
            writer->exec("BEGIN IMMEDIATE");
            try {
                if (c.end < 0) {
                    c.end = sql::compaction_end(*writer, c.target);
                }
                const auto deadline =
                    std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
                c.progress = sql::compact_some(*writer, c.target, c.progress, c.end,
                                               options.compact_batch, deadline);
                sql::save_meta(*writer, "compact_progress", c.progress);
                writer->exec("COMMIT");
            } catch (...) {
                writer->exec("ROLLBACK");
                throw;
            }
            ++compaction_batches;
            if (c.progress >= c.end) {
                // Give the freed pages back to the file system and keep the WAL short.
                writer->exec("PRAGMA incremental_vacuum");
                writer->exec("PRAGMA wal_checkpoint(TRUNCATE)");
                post_finished(std::move(c.waiters));
                compaction.reset();
            }
        } catch (const std::exception& e) {
            // Compaction always retries; a failed slice is rolled back and runs again.
            base::log::error("store compaction failed",
                             {{"path", options.path}, {"error", e.what()}});
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(asio::any_io_executor executor,
                                                       base::Clock& clock, SqliteOptions options) {
    try {
        auto writer = std::make_unique<Db>(options.path, true);
        writer->exec("PRAGMA busy_timeout = 5000");
        // auto_vacuum only takes effect before the first table exists: in a new file.
        writer->exec("PRAGMA auto_vacuum = INCREMENTAL");
        writer->exec("PRAGMA journal_mode = WAL");
        writer->exec(sync_pragma(options.sync));
        writer->exec("PRAGMA journal_size_limit = 67108864");
        sql::prepare_schema(*writer, options.path);
        writer->exec("PRAGMA wal_checkpoint(TRUNCATE)");
        const auto meta = sql::load_meta(*writer);
        const auto leases = sql::load_leases(*writer);
        auto state = std::make_unique<State>(std::move(executor), clock, std::move(options), meta,
                                             std::move(writer));
        for (const auto& [id, ttl] : leases) {
            state->leases.grant(id, ttl);
        }
        return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(state)));
    } catch (const std::exception& e) {
        return base::internal_error(std::string("opening store: ") + e.what());
    }
}

SqliteStore::SqliteStore(std::unique_ptr<State> state) : state_(std::move(state)) {}
SqliteStore::~SqliteStore() = default;

void SqliteStore::start() {
    auto& s = *state_;
    spawn_background(s.tasks, *this, s.leases, s.hub, s.clock, s.options.local);
}

asio::awaitable<void> SqliteStore::stop() {
    auto& s = *state_;
    if (s.stopped) {
        co_return;
    }
    s.stopped = true;
    s.hub.close();
    co_await s.tasks.stop(std::chrono::seconds(5));
    // Everything queued before is committed and applied before the stop marker completes.
    auto marker = std::make_shared<Write>(StopOp{});
    co_await s.commit(std::move(marker));
}

asio::awaitable<Result<RangeResponse>> SqliteStore::range(RangeRequest request) {
    auto& s = *state_;
    if (auto st = check_range(request, s.hub.revision(), s.hub.compact_revision()); !st.ok()) {
        co_return st;
    }
    auto job = [request = std::move(request)](Db& db,
                                              const sql::Meta& meta) -> Result<RangeResponse> {
        if (request.revision > 0 && request.revision < meta.compact_revision) {
            return compacted_error();
        }
        return sql::range(db, request, meta.revision);
    };
    co_return co_await s.read<Result<RangeResponse>>(std::move(job));
}

asio::awaitable<Result<TxnResponse>> SqliteStore::txn(TxnRequest request) {
    auto& s = *state_;
    if (s.stopped) {
        co_return closed_error();
    }
    if (auto st = validate_txn(request); !st.ok()) {
        co_return st;
    }
    auto w = std::make_shared<Write>(std::move(request));
    co_await s.commit(w);
    if (!w->status.ok()) {
        co_return w->status;
    }
    co_return std::move(w->outcome.response);
}

asio::awaitable<Result<std::unique_ptr<Watcher>>> SqliteStore::watch(WatchRequest request) {
    co_return state_->hub.watch(request);
}

asio::awaitable<Status> SqliteStore::compact(std::int64_t revision) {
    auto& s = *state_;
    if (s.stopped) {
        co_return closed_error();
    }
    if (auto st = check_compact(revision, s.hub.revision(), s.hub.compact_revision()); !st.ok()) {
        co_return st;
    }
    // Reads below `revision` fail from now on, as in etcd; the rows go in the background.
    s.hub.set_compact_revision(revision);
    auto w = std::make_shared<Write>(CompactOp{revision});
    co_await s.commit(w);
    co_return w->status;
}

asio::awaitable<Result<LeaseGrant>> SqliteStore::lease_grant(std::int64_t ttl, std::int64_t id) {
    auto& s = *state_;
    if (s.stopped) {
        co_return closed_error();
    }
    if (auto st = s.leases.check_grant(ttl, id); !st.ok()) {
        co_return st;
    }
    if (id == 0) {
        id = s.leases.unused_id();
    }
    auto w = std::make_shared<Write>(GrantOp{id, ttl});
    co_await s.commit(w);
    if (!w->status.ok()) {
        co_return w->status;
    }
    co_return LeaseGrant{id, ttl};
}

asio::awaitable<Status> SqliteStore::lease_revoke(std::int64_t id) {
    auto& s = *state_;
    if (s.stopped) {
        co_return closed_error();
    }
    if (!s.leases.contains(id)) {
        co_return lease_not_found_error();
    }
    auto w = std::make_shared<Write>(RevokeOp{id});
    co_await s.commit(w);
    co_return w->status;
}

asio::awaitable<Result<std::int64_t>> SqliteStore::lease_keep_alive(std::int64_t id) {
    co_return state_->leases.keep_alive(id);
}

asio::awaitable<Result<LeaseTimeToLive>> SqliteStore::lease_time_to_live(std::int64_t id,
                                                                         bool keys) {
    auto& s = *state_;
    auto r = s.leases.time_to_live(id);
    if (!r.ok() || !keys) {
        co_return r;
    }
    auto job = [id](Db& db, const sql::Meta&) -> Result<std::vector<std::string>> {
        return sql::keys_with_lease(db, id);
    };
    auto attached = co_await s.read<Result<std::vector<std::string>>>(std::move(job));
    if (!attached.ok()) {
        co_return attached.status();
    }
    r->keys = std::move(*attached);
    co_return r;
}

std::int64_t SqliteStore::current_revision() const {
    return state_->hub.revision();
}
std::int64_t SqliteStore::compact_revision() const {
    return state_->hub.compact_revision();
}

asio::awaitable<Result<StoreStatus>> SqliteStore::status() {
    auto& s = *state_;
    std::int64_t size = 0;
    for (const char* suffix : {"", "-wal"}) {
        std::error_code ec;
        auto n = std::filesystem::file_size(s.options.path + suffix, ec);
        if (!ec) {
            size += static_cast<std::int64_t>(n);
        }
    }
    co_return StoreStatus{size, s.hub.revision(), s.hub.compact_revision()};
}

SqliteStore::Stats SqliteStore::stats() const {
    const auto& s = *state_;
    return Stats{s.commits.load(), s.txns.load(), s.compaction_batches.load()};
}

}  // namespace skiff::store
