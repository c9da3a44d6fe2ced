// WorkQueue: de-duplication, re-queue after done, delays on a fake clock, per-key backoff,
// shutdown, and run_workers.
#include <catch2/catch.hpp>

#include <map>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "skiff/base/run.h"
#include "skiff/client/work_queue.h"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace skiff;
using client::WorkQueue;

namespace {

/// Runs every handler that is ready, until none is.
void drain(asio::io_context& ctx) {
    for (;;) {
        if (ctx.stopped()) {
            ctx.restart();
        }
        if (ctx.poll() == 0) {
            return;
        }
    }
}

/// A get() left running in the background, to see when it returns.
struct PendingGet {
    bool done = false;
    std::optional<std::string> key;
};

std::shared_ptr<PendingGet> spawn_get(asio::io_context& ctx, WorkQueue<>& q) {
    auto p = std::make_shared<PendingGet>();
    asio::co_spawn(ctx, q.get(), [p](std::exception_ptr, std::optional<std::string> key) {
        p->key = std::move(key);
        p->done = true;
    });
    return p;
}

std::string get_now(asio::io_context& ctx, WorkQueue<>& q) {
    auto key = base::run_to_completion(ctx, q.get(), 5s);
    REQUIRE(key);
    return *key;
}

}  // namespace

TEST_CASE("a key waits once and is never handed out twice at a time", "[client][workqueue]") {
    asio::io_context ctx;
    base::FakeClock clock;
    WorkQueue<> q(ctx.get_executor(), clock);
    q.add("a");
    q.add("b");
    q.add("a");
    CHECK(q.len() == 2);
    CHECK(get_now(ctx, q) == "a");
    CHECK(q.processing() == 1);
    q.add("a");  // while processing: waits for done()
    q.add("a");
    CHECK(q.len() == 1);
    CHECK(get_now(ctx, q) == "b");
    CHECK(q.len() == 0);
    q.done("a");
    CHECK(q.len() == 1);
    CHECK(get_now(ctx, q) == "a");
    q.done("a");
    q.done("b");
    CHECK(q.len() == 0);
    CHECK(q.processing() == 0);
}

TEST_CASE("get waits for an add and returns nothing after shutdown", "[client][workqueue]") {
    asio::io_context ctx;
    base::FakeClock clock;
    WorkQueue<> q(ctx.get_executor(), clock);
    auto first = spawn_get(ctx, q);
    drain(ctx);
    CHECK(!first->done);
    q.add("x");
    drain(ctx);
    REQUIRE(first->done);
    CHECK(first->key == "x");

    auto second = spawn_get(ctx, q);
    auto third = spawn_get(ctx, q);
    q.add_after("later", 1s);
    drain(ctx);
    CHECK(!second->done);
    CHECK(!third->done);
    q.shutdown();
    drain(ctx);
    CHECK(second->done);
    CHECK(third->done);
    CHECK(!second->key);
    CHECK(!third->key);
    CHECK(q.delayed() == 0);
    q.add("y");
    CHECK(q.len() == 0);
    clock.advance(2s);
    drain(ctx);
    CHECK(q.len() == 0);
}

TEST_CASE("add_after waits on the clock and the earliest delay wins", "[client][workqueue]") {
    asio::io_context ctx;
    base::FakeClock clock;
    WorkQueue<> q(ctx.get_executor(), clock);
    q.add_after("x", 10s);
    drain(ctx);
    CHECK(q.len() == 0);
    CHECK(q.delayed() == 1);
    clock.advance(9s);
    drain(ctx);
    CHECK(q.len() == 0);
    q.add_after("x", 20s);  // later than the pending one: no effect
    q.add_after("x", 500ms);  // earlier: replaces it
    drain(ctx);
    clock.advance(500ms);
    drain(ctx);
    CHECK(q.len() == 1);
    CHECK(q.delayed() == 0);
    CHECK(get_now(ctx, q) == "x");
    q.done("x");
    clock.advance(30s);  // the superseded sleepers wake and add nothing
    drain(ctx);
    CHECK(q.len() == 0);
    q.add_after("now", 0s);
    CHECK(q.len() == 1);
}

TEST_CASE("rate-limited adds back off per key and forget starts over", "[client][workqueue]") {
    asio::io_context ctx;
    base::FakeClock clock;
    WorkQueue<> q(ctx.get_executor(), clock,
                  client::WorkQueueOptions{.rate_limit_base = 5ms, .rate_limit_max = 40ms});
    int requeues = 0;
    for (auto delay : {5ms, 10ms, 20ms, 40ms, 40ms}) {
        INFO("delay " << delay.count() << "ms");
        q.add_rate_limited("x");
        CHECK(q.num_requeues("x") == ++requeues);
        drain(ctx);
        clock.advance(delay - 1ms);
        drain(ctx);
        CHECK(q.len() == 0);
        clock.advance(1ms);
        drain(ctx);
        CHECK(q.len() == 1);
        CHECK(get_now(ctx, q) == "x");
        q.done("x");
    }
    CHECK(q.num_requeues("other") == 0);
    q.forget("x");
    CHECK(q.num_requeues("x") == 0);
    q.add_rate_limited("x");
    drain(ctx);
    clock.advance(5ms);
    drain(ctx);
    CHECK(q.len() == 1);
}

TEST_CASE("client-go's default backoff goes from 5 ms to 1000 s", "[client][workqueue]") {
    asio::io_context ctx;
    base::FakeClock clock;
    WorkQueue<> q(ctx.get_executor(), clock);
    base::Clock::Duration expected = 5ms;
    for (int i = 0; i < 20; ++i) {
        INFO("failure " << i);
        q.add_rate_limited("x");
        drain(ctx);
        clock.advance(expected - 1ms);
        drain(ctx);
        CHECK(q.len() == 0);
        clock.advance(1ms);
        drain(ctx);
        REQUIRE(q.len() == 1);
        CHECK(get_now(ctx, q) == "x");
        q.done("x");
        expected = std::min<base::Clock::Duration>(expected * 2, 1000s);
    }
    CHECK(expected == 1000s);
}

namespace {

struct Calls {
    std::map<std::string, int> attempts;
    int in_flight = 0;
    int most_in_flight = 0;
    std::map<std::string, int> running;
    bool overlapped = false;  // the same key reconciled twice at once
};

/// Fails a key's first two attempts; each attempt takes 10 ms of the fake clock.
asio::awaitable<base::Status> flaky(base::Clock& clock, Calls& calls, std::string key) {
    if (calls.running[key]++ > 0) {
        calls.overlapped = true;
    }
    calls.most_in_flight = std::max(calls.most_in_flight, ++calls.in_flight);
    co_await clock.sleep_for(10ms);
    --calls.in_flight;
    --calls.running[key];
    if (++calls.attempts[key] < 3) {
        co_return base::internal_error("not yet: " + key);
    }
    co_return base::Status::success();
}

}  // namespace

TEST_CASE("run_workers retries failures with backoff and forgets successes",
          "[client][workqueue]") {
    asio::io_context ctx;
    base::FakeClock clock;
    WorkQueue<> q(ctx.get_executor(), clock);
    Calls calls;
    bool finished = false;
    asio::co_spawn(ctx,
                   client::run_workers<std::string>(
                       q, 2, [&](std::string key) { return flaky(clock, calls, std::move(key)); }),
                   [&](std::exception_ptr) { finished = true; });
    q.add("a");
    q.add("b");
    drain(ctx);
    CHECK(calls.in_flight == 2);
    q.add("a");  // while "a" is reconciled: not handed to the idle worker
    drain(ctx);
    CHECK(calls.in_flight == 2);

    clock.advance(10ms);  // both fail; "a" was added meanwhile, so it runs again at once
    drain(ctx);
    CHECK(calls.attempts == std::map<std::string, int>{{"a", 1}, {"b", 1}});
    CHECK(q.num_requeues("a") == 1);
    CHECK(calls.in_flight == 1);
    clock.advance(10ms);  // "a" fails again (requeue 2); "b"'s 5 ms backoff has passed
    drain(ctx);
    CHECK(calls.attempts["a"] == 2);
    CHECK(q.num_requeues("a") == 2);
    for (int i = 0; i < 10; ++i) {
        clock.advance(10ms);
        drain(ctx);
    }
    // "a" once more: a backoff add from a failure was still pending when it succeeded (as in
    // client-go, forget() does not cancel delayed adds); that extra pass succeeds too.
    CHECK(calls.attempts == std::map<std::string, int>{{"a", 4}, {"b", 3}});
    CHECK(q.num_requeues("a") == 0);
    CHECK(q.num_requeues("b") == 0);
    CHECK(!calls.overlapped);
    CHECK(calls.most_in_flight == 2);
    CHECK(!finished);
    q.shutdown();
    drain(ctx);
    CHECK(finished);
}
