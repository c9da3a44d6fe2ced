// Conformance: watches from old revisions across the replay → live switch, prev_kv, progress,
// compaction errors, cut-off of slow watchers, cancellation.
#include "store_harness.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

using namespace skiff::store;
using namespace skiff::store::testing;
using skiff::base::Reason;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Small pages and a tiny ring make replays cross ring, backend history and live events.
LocalOptions small_replay() {
    LocalOptions o;
    o.event_ring = 4;
    o.replay_page_revisions = 3;
    return o;
}

}  // namespace

STORE_TEST_WITH("a watch from an old revision replays history then goes live with no gap",
                "[store]", small_replay()) {
    Store& s = *h.store;
    std::vector<std::int64_t> touched;  // revisions that changed a key under w/
    for (int i = 0; i < 10; ++i) {
        touched.push_back(co_await put(s, "w/" + std::to_string(i % 3), std::to_string(i)));
    }
    co_await put(s, "other", "x");  // 12, outside the watched prefix
    co_await del(s, "w/1");         // 13
    touched.push_back(s.current_revision());

    for (std::int64_t start : {2, 5, 9, 13, 14}) {
        INFO("start revision " << start);
        WatchRequest w_request{.key = "w/", .range_end = prefix_end("w/"), .start_revision = start};
        auto w = co_await watch(s, std::move(w_request));
        // Writes while the watcher is still replaying: they must come exactly once.
        touched.push_back(co_await put(s, "w/x", "live"));
        co_await put(s, "other", "y");
        auto first = co_await w->next();
        REQUIRE(first.ok());
        touched.push_back(co_await put(s, "w/y", "live"));
        auto events = first->events;
        for (auto& e : co_await events_until(*w, touched.back())) {
            events.push_back(std::move(e));
        }
        std::vector<std::int64_t> revisions;
        for (const auto& e : events) {
            revisions.push_back(e.kv.mod_revision);
            CHECK(e.kv.key.rfind("w/", 0) == 0);
        }
        std::vector<std::int64_t> expected;
        for (auto r : touched) {
            if (r >= start) {
                expected.push_back(r);
            }
        }
        CHECK(revisions == expected);
    }
}

STORE_TEST("watch events carry versions, tombstones and prev_kv when asked", "[store]") {
    Store& s = *h.store;
    co_await put(s, "before", "x");  // 2: before the watch, not reported
    WatchRequest with_prev_request{.key = "k", .prev_kv = true};
    auto with_prev = co_await watch(s, std::move(with_prev_request));
    WatchRequest without_request{.key = "k"};
    auto without = co_await watch(s, std::move(without_request));
    co_await put(s, "k", "1");  // 3
    co_await put(s, "k", "2");  // 4
    co_await del(s, "k");       // 5
    co_await put(s, "k", "3");  // 6

    auto events = co_await events_until(*with_prev, 6);
    CHECK(describe(events) == std::vector<std::string>{"P k@3", "P k@4", "D k@5", "P k@6"});
    REQUIRE(events.size() == 4);
    CHECK(events[0].kv == KeyValue{"k", "1", 3, 3, 1, 0});
    CHECK(!events[0].prev_kv);
    CHECK(events[1].kv == KeyValue{"k", "2", 3, 4, 2, 0});
    CHECK(events[1].prev_kv == KeyValue{"k", "1", 3, 3, 1, 0});
    CHECK(events[2].kv == KeyValue{.key = "k", .mod_revision = 5});
    CHECK(events[2].prev_kv == KeyValue{"k", "2", 3, 4, 2, 0});
    CHECK(events[3].kv == KeyValue{"k", "3", 6, 6, 1, 0});
    CHECK(!events[3].prev_kv);

    auto plain = co_await events_until(*without, 6);
    REQUIRE(plain.size() == 4);
    for (const auto& e : plain) {
        CHECK(!e.prev_kv);
    }

    WatchRequest replay_request{.key = "k", .start_revision = 3, .prev_kv = true};

    // The same from history.
    auto replay = co_await watch(s, std::move(replay_request));
    auto replayed = co_await events_until(*replay, 6);
    CHECK(replayed == events);
}

STORE_TEST("a watch from a compacted revision fails with Expired and the compact revision",
           "[store]") {
    Store& s = *h.store;
    for (int i = 0; i < 6; ++i) {
        co_await put(s, "k", std::to_string(i));  // 2..7
    }
    auto compaction = co_await s.compact(5);
    REQUIRE(compaction.ok());
    WatchRequest old_request{.key = "k", .start_revision = 3};
    auto old = co_await watch(s, std::move(old_request));
    auto r = co_await old->next();
    REQUIRE(!r.ok());
    CHECK(r.status().reason() == Reason::Expired);
    CHECK(r.status().message() == "mvcc: required revision has been compacted");
    CHECK(old->compact_revision() == 5);
    auto again = co_await old->next();
    CHECK(again.status() == r.status());

    WatchRequest at_request{.key = "k", .start_revision = 5};

    auto at = co_await watch(s, std::move(at_request));
    auto events = co_await events_until(*at, 7);
    CHECK(describe(events) == std::vector<std::string>{"P k@5", "P k@6", "P k@7"});
}

STORE_TEST("progress notifications come on request once pending events are delivered", "[store]") {
    Store& s = *h.store;
    WatchRequest w_request{.key = "k"};
    auto w = co_await watch(s, std::move(w_request));
    co_await put(s, "k", "1");  // 2
    w->request_progress();
    auto first = co_await w->next();
    REQUIRE(first.ok());
    CHECK(describe(first->events) == std::vector<std::string>{"P k@2"});
    auto progress = co_await w->next();
    REQUIRE(progress.ok());
    CHECK(progress->progress);
    CHECK(progress->events.empty());
    CHECK(progress->revision == 2);
    co_await put(s, "other", "x");  // 3, not watched
    w->request_progress();
    auto later = co_await w->next();
    REQUIRE(later.ok());
    CHECK(later->progress);
    CHECK(later->revision == 3);
}

LOCAL_STORE_TEST_WITH("periodic progress notifications follow the injected clock", "[store]",
                LocalOptions{.progress_interval = 5s}) {
    Store& s = *h.store;
    WatchRequest w_request{.key = "k", .progress_notify = true};
    auto w = co_await watch(s, std::move(w_request));
    WatchRequest quiet_request{.key = "k"};
    auto quiet = co_await watch(s, std::move(quiet_request));
    co_await put(s, "x", "1");
    h.clock.advance(5s);
    auto p = co_await w->next();
    REQUIRE(p.ok());
    CHECK(p->progress);
    CHECK(p->revision == 2);
    // The watch without progress_notify got nothing: its next() still waits.
    co_await put(s, "k", "1");
    auto e = co_await quiet->next();
    REQUIRE(e.ok());
    CHECK(!e->progress);
    CHECK(describe(e->events) == std::vector<std::string>{"P k@3"});
}

LOCAL_STORE_TEST_WITH("a watcher that falls behind is cut off without blocking writers", "[store]",
                LocalOptions{.watch_queue_limit = 5}) {
    Store& s = *h.store;
    WatchRequest slow_request{.key = "k"};
    auto slow = co_await watch(s, std::move(slow_request));
    WatchRequest fast_request{.key = "k"};
    auto fast = co_await watch(s, std::move(fast_request));
    for (int i = 0; i < 20; ++i) {
        co_await put(s, "k", std::to_string(i));
        if (i % 2 == 0) {
            auto b = co_await fast->next();
            REQUIRE(b.ok());
        }
    }
    auto r = co_await slow->next();
    REQUIRE(!r.ok());
    CHECK(r.status().reason() == Reason::TooManyRequests);
    CHECK(r.status().message().find("fell behind") != std::string::npos);
    CHECK(s.current_revision() == 21);
    auto rest = co_await events_until(*fast, 21);
    CHECK(rest.back().kv.mod_revision == 21);
}

namespace {

asio::awaitable<void> wait_next(Watcher& w, skiff::base::Status& out, bool& done) {
    // `w` outlives this coroutine only until the test destroys it; next() holds its state.
    auto r = co_await w.next();
    out = r.status();
    done = true;
}

}  // namespace

STORE_TEST("cancelling or destroying a watcher ends a waiting next()", "[store]") {
    Store& s = *h.store;
    WatchRequest w_request{.key = "k"};
    auto w = co_await watch(s, std::move(w_request));
    skiff::base::Status status;
    bool done = false;
    asio::co_spawn(co_await asio::this_coro::executor, wait_next(*w, status, done), asio::detached);
    co_await yield();  // lets the spawned coroutine start waiting
    CHECK(!done);
    w->cancel();
    co_await yield();
    CHECK(done);
    CHECK(status.reason() == Reason::Gone);

    WatchRequest w2_request{.key = "k"};

    auto w2 = co_await watch(s, std::move(w2_request));
    skiff::base::Status status2;
    bool done2 = false;
    asio::co_spawn(co_await asio::this_coro::executor, wait_next(*w2, status2, done2),
                   asio::detached);
    co_await yield();
    w2.reset();
    co_await put(s, "k", "1");  // nothing must reach the destroyed watcher
    co_await yield();
    CHECK(done2);
    CHECK(status2.reason() == Reason::Gone);

    WatchRequest w3_request{.key = "k"};

    auto w3 = co_await watch(s, std::move(w3_request));
    co_await h.store->stop();
    auto closed = co_await w3->next();
    CHECK(closed.status().reason() == Reason::ServiceUnavailable);
}
