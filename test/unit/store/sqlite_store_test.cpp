// SqliteStore only: reopening, group commit, bounded file size under compaction, kill -9.
#include "skiff/store/sqlite_store.h"

#include "../../../src/store/sqlite_db.h"
#include "store_harness.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "skiff/base/run.h"

using namespace skiff::store;
using namespace skiff::store::testing;
using skiff::base::run_to_completion;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<SqliteStore> open_store(asio::io_context& ctx, skiff::base::Clock& clock,
                                        const std::string& path,
                                        SqliteOptions::Sync sync = SqliteOptions::Sync::Full) {
    auto s =
        SqliteStore::open(ctx.get_executor(), clock, SqliteOptions{.path = path, .sync = sync});
    INFO(skiff::base::to_string(s.status()));
    REQUIRE(s.ok());
    (*s)->start();
    return std::move(*s);
}

void close_store(asio::io_context& ctx, std::unique_ptr<SqliteStore> store) {
    run_to_completion(ctx, store->stop());
}

asio::awaitable<void> fill(Store& s, std::int64_t& lease) {
    co_await put(s, "a", "1");
    co_await put(s, "a", "2");
    co_await put(s, "b", "1");
    co_await del(s, "b");
    auto granted = co_await s.lease_grant(10, 0);
    REQUIRE(granted.ok());
    lease = granted->id;
    co_await put(s, "leased", "x", lease);  // revision 6
    auto compaction = co_await s.compact(3);
    REQUIRE(compaction.ok());
}

asio::awaitable<void> check_reopened(Store& s, skiff::base::FakeClock& clock, std::int64_t lease) {
    CHECK(s.current_revision() == 6);
    CHECK(s.compact_revision() == 3);
    auto a = co_await get(s, "a");
    REQUIRE(a);
    CHECK(*a == KeyValue{"a", "2", 2, 3, 2, 0});
    auto old = co_await get(s, "a", 3);
    REQUIRE(old);
    CHECK(old->value == "2");
    auto b = co_await get(s, "b", 4);
    REQUIRE(b);
    CHECK(b->value == "1");
    RangeRequest compacted_request{.key = "a", .revision = 2};
    auto compacted = co_await s.range(std::move(compacted_request));
    CHECK(is_compacted(compacted.status()));
    auto rev = co_await put(s, "a", "3");
    CHECK(rev == 7);

    // The lease survived and still expires, deleting its key.
    auto ttl = co_await s.lease_time_to_live(lease, true);
    REQUIRE(ttl.ok());
    CHECK(ttl->keys == std::vector<std::string>{"leased"});
    WatchRequest w_request{.key = "leased"};
    auto w = co_await watch(s, std::move(w_request));
    clock.advance(11s);
    auto events = co_await events_until(*w, 8);
    CHECK(describe(events) == std::vector<std::string>{"D leased@8"});
}

}  // namespace

TEST_CASE("a reopened sqlite store keeps revisions, history, compaction and leases", "[store]") {
    TempDir dir;
    const auto path = dir.path() + "/state.db";
    asio::io_context ctx;
    skiff::base::FakeClock clock;
    std::int64_t lease = 0;
    {
        auto s = open_store(ctx, clock, path);
        run_to_completion(ctx, fill(*s, lease));
        close_store(ctx, std::move(s));
    }
    auto s = open_store(ctx, clock, path);
    run_to_completion(ctx, check_reopened(*s, clock, lease));
    close_store(ctx, std::move(s));
}

TEST_CASE("a file that is not a skiff store is refused", "[store]") {
    TempDir dir;
    const auto path = dir.path() + "/other.db";
    {
        Db other(path, true);
        other.exec("CREATE TABLE t (x)");
    }
    asio::io_context ctx;
    skiff::base::FakeClock clock;
    auto s = SqliteStore::open(ctx.get_executor(), clock, SqliteOptions{.path = path});
    REQUIRE(!s.ok());
    CHECK(s.status().message().find("not a skiff store") != std::string::npos);
}

TEST_CASE("a store written with schema 1 (values in latest) is migrated on open", "[store]") {
    TempDir dir;
    const auto path = dir.path() + "/v1.db";
    {
        // Schema 1 as skiff 0.1 wrote it: a key at revision 2, changed at 3, another at 4.
        Db v1(path, true);
        v1.exec(R"(
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE history (id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, key BLOB NOT NULL,
    value BLOB NOT NULL, create_rev INTEGER NOT NULL, version INTEGER NOT NULL,
    lease INTEGER NOT NULL, deleted INTEGER NOT NULL, prev_rev INTEGER NOT NULL);
CREATE UNIQUE INDEX history_key ON history (key, rev);
CREATE INDEX history_rev ON history (rev);
CREATE TABLE latest (key BLOB PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL,
    rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL);
CREATE INDEX latest_lease ON latest (lease) WHERE lease != 0;
CREATE TABLE leases (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);
INSERT INTO meta VALUES ('revision', 4), ('compact_revision', 0), ('compact_progress', 0);
INSERT INTO history VALUES (1, 2, CAST('a' AS BLOB), CAST('1' AS BLOB), 2, 1, 0, 0, 0),
    (2, 3, CAST('a' AS BLOB), CAST('2' AS BLOB), 2, 2, 0, 0, 2),
    (3, 4, CAST('b' AS BLOB), CAST('x' AS BLOB), 4, 1, 0, 0, 0);
INSERT INTO latest VALUES (CAST('a' AS BLOB), CAST('2' AS BLOB), 2, 3, 2, 0),
    (CAST('b' AS BLOB), CAST('x' AS BLOB), 4, 4, 1, 0);
PRAGMA user_version = 1;
)");
    }
    asio::io_context ctx;
    skiff::base::FakeClock clock;
    auto store = open_store(ctx, clock, path);
    CHECK(store->current_revision() == 4);
    auto a = run_to_completion(ctx, get(*store, "a"));
    REQUIRE(a);
    CHECK(*a == KeyValue{"a", "2", 2, 3, 2, 0});
    auto old = run_to_completion(ctx, get(*store, "a", 2));
    REQUIRE(old);
    CHECK(old->value == "1");
    auto rev = run_to_completion(ctx, put(*store, "b", "y"));
    CHECK(rev == 5);
    auto b = run_to_completion(ctx, get(*store, "b"));
    REQUIRE(b);
    CHECK(*b == KeyValue{"b", "y", 4, 5, 2, 0});
    close_store(ctx, std::move(store));
    Db after(path, false);
    CHECK(after.scalar("PRAGMA user_version") == 2);
    CHECK(after.scalar("SELECT COUNT(*) FROM pragma_table_info('latest') WHERE name = 'value'") ==
          0);
}

namespace {

asio::awaitable<void> put_one(Store& s, int i) {
    co_await put(s, "k/" + std::to_string(i), std::to_string(i));
}

asio::awaitable<void> create_once(Store& s, int i, int& created) {
    TxnRequest create{.compare = {Compare::mod_revision("leader", Compare::Op::Equal, 0)},
                      .success = {PutRequest{.key = "leader", .value = std::to_string(i)}}};
    auto r = co_await s.txn(std::move(create));
    REQUIRE(r.ok());
    created += r->succeeded ? 1 : 0;
}

// Every txn of a group commit still got its own revision.
asio::awaitable<void> check_distinct_revisions(Store& s) {
    auto all = co_await get_range(s, prefix_range("k/"));
    std::set<std::int64_t> revisions;
    for (const auto& kv : all.kvs) {
        revisions.insert(kv.mod_revision);
    }
    CHECK(revisions.size() == 100);
}

asio::awaitable<void> put_value(Store& s, std::string key, std::string value) {
    co_await put(s, std::move(key), std::move(value));
}

asio::awaitable<void> compact_now(Store& s) {
    auto compaction = co_await s.compact(s.current_revision());
    REQUIRE(compaction.ok());
}

std::int64_t churned_file_size(bool compact) {
    TempDir dir;
    const auto path = dir.path() + "/state.db";
    asio::io_context ctx;
    skiff::base::FakeClock clock;
    auto s = open_store(ctx, clock, path, SqliteOptions::Sync::Normal);
    // 20k updates of 1 KiB values over 100 keys, one concurrent wave per key set; with
    // compaction, compacted to the current revision every 2k updates.
    const std::string value(1024, 'v');
    for (int wave = 0; wave < 200; ++wave) {
        std::vector<asio::awaitable<void>> puts;
        for (int k = 0; k < 100; ++k) {
            puts.push_back(put_value(*s, "churn/" + std::to_string(k), value));
        }
        run_all(ctx, std::move(puts));
        if (compact && wave % 20 == 19) {
            run_to_completion(ctx, compact_now(*s));
        }
    }
    close_store(ctx, std::move(s));
    // Reopening checkpoints the WAL into the file, so the file alone holds everything.
    s = open_store(ctx, clock, path, SqliteOptions::Sync::Normal);
    close_store(ctx, std::move(s));
    return static_cast<std::int64_t>(std::filesystem::file_size(path));
}

}  // namespace

// How many SQLite commits 100 (or 50) queued txns may take. Batching depends on how fast the
// io thread queues compared to one commit; sanitized -O0 builds queue an order slower, so
// there the test asks only that batching happened at all.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::int64_t kMaxCommitsFor100 = 99;
constexpr std::int64_t kMaxCommitsFor50 = 49;
#else
constexpr std::int64_t kMaxCommitsFor100 = 20;
constexpr std::int64_t kMaxCommitsFor50 = 20;
#endif

TEST_CASE("concurrent txns are committed together in few sqlite transactions", "[store]") {
    Harness h(Backend::Sqlite);
    auto& sqlite = static_cast<SqliteStore&>(*h.store);
    const auto before = sqlite.stats();
    std::vector<asio::awaitable<void>> tasks;
    for (int i = 0; i < 100; ++i) {
        tasks.push_back(put_one(*h.store, i));
    }
    h.run_all(std::move(tasks));
    const auto after = sqlite.stats();
    CHECK(after.txns - before.txns == 100);
    CHECK(after.commits - before.commits <= kMaxCommitsFor100);
    CHECK(h.store->current_revision() == 101);
    h.run(check_distinct_revisions(*h.store));

    // Compares see the earlier txns of the same commit: one create wins.
    int created = 0;
    std::vector<asio::awaitable<void>> creates;
    for (int i = 0; i < 50; ++i) {
        creates.push_back(create_once(*h.store, i, created));
    }
    h.run_all(std::move(creates));
    CHECK(created == 1);
    CHECK(h.store->current_revision() == 102);
    CHECK(sqlite.stats().commits - after.commits <= kMaxCommitsFor50);
}

TEST_CASE("compaction keeps the database file bounded under churn", "[store]") {
    const auto grown = churned_file_size(false);
    const auto bounded = churned_file_size(true);
    INFO("without compaction " << grown << " bytes, with " << bounded);
    CHECK(grown > 20'000 * 1024);
    CHECK(bounded < grown / 5);
}

namespace {

/// What the crash child reports for each acknowledged put.
struct Ack {
    int writer;
    int index;
    std::int64_t revision;
};

std::string crash_key(int round, int writer, int index) {
    return "r" + std::to_string(round) + "/w" + std::to_string(writer) + "/" +
           std::to_string(index);
}

// Out of the coroutine: g++ 12 misreads the object size of coroutine frame locals.
[[gnu::noinline]] bool send_ack(int fd, const Ack& ack) {
    return write(fd, &ack, sizeof ack) == sizeof ack;
}

asio::awaitable<void> crash_writer(Store& s, int fd, int round, int writer) {
    for (int i = 0;; ++i) {
        PutRequest request{.key = crash_key(round, writer, i), .value = std::to_string(i)};
        auto r = co_await s.put(std::move(request));
        if (!r.ok()) {
            _exit(3);
        }
        if (!send_ack(fd, Ack{writer, i, r->revision})) {
            _exit(4);
        }
    }
}

/// The child: four concurrent writers reporting every acknowledged put until killed.
[[noreturn]] void crash_child(const std::string& path, int fd, int round) {
    asio::io_context ctx;
    skiff::base::FakeClock clock;
    auto s = SqliteStore::open(ctx.get_executor(), clock, SqliteOptions{.path = path});
    if (!s.ok()) {
        _exit(2);
    }
    for (int w = 0; w < 4; ++w) {
        asio::co_spawn(ctx, crash_writer(**s, fd, round, w), asio::detached);
    }
    ctx.run();
    _exit(0);
}

asio::awaitable<void> check_acked(Store& s, int round, std::vector<Ack> acks) {
    for (const auto& ack : acks) {
        auto kv = co_await get(s, crash_key(round, ack.writer, ack.index));
        INFO("writer " << ack.writer << " put " << ack.index << " at revision " << ack.revision);
        REQUIRE(kv);
        CHECK(kv->value == std::to_string(ack.index));
        CHECK(kv->mod_revision == ack.revision);
    }
}

}  // namespace

TEST_CASE("every acknowledged write survives kill -9 of the writer", "[store]") {
    TempDir dir;
    const auto path = dir.path() + "/state.db";
    for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            crash_child(path, fds[1], round);
        }
        close(fds[1]);
        std::vector<Ack> acks;
        auto read_ack = [&] {
            Ack ack{};
            if (read(fds[0], &ack, sizeof ack) != sizeof ack) {
                return false;
            }
            acks.push_back(ack);
            return true;
        };
        // Kill at a different point each round, mid-load.
        const std::size_t kill_after = 20 + 45 * static_cast<std::size_t>(round);
        while (acks.size() < kill_after && read_ack()) {
        }
        REQUIRE(acks.size() == kill_after);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status));
        while (read_ack()) {  // acks written before the kill
        }
        close(fds[0]);

        asio::io_context ctx;
        skiff::base::FakeClock clock;
        auto s = open_store(ctx, clock, path);
        std::int64_t newest = 0;
        for (const auto& a : acks) {
            newest = std::max(newest, a.revision);
        }
        CHECK(s->current_revision() >= newest);
        run_to_completion(ctx, check_acked(*s, round, acks));
        close_store(ctx, std::move(s));
    }
}
