// TaskGroup: tasks run, cancellation ends them, wait honours its deadline, failures count.
#include "skiff/base/task_group.h"

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "skiff/base/clock.h"
#include "skiff/base/run.h"

using namespace skiff::base;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

asio::awaitable<void> sleep_forever(FakeClock& clock, int& ended) {
    try {
        co_await clock.sleep_for(24h);
    } catch (...) {
        ++ended;
        throw;
    }
}

asio::awaitable<void> finish_soon(int& done) {
    asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
    co_await t.async_wait(asio::use_awaitable);
    ++done;
}

asio::awaitable<void> fail() {
    co_await asio::this_coro::executor;
    throw std::runtime_error("boom");
}

/// Ignores cancellation: the group's stop must give up at its deadline.
asio::awaitable<void> stubborn(asio::steady_timer& release) {
    co_await asio::this_coro::reset_cancellation_state(asio::disable_cancellation());
    co_await release.async_wait(asio::use_awaitable);
}

asio::awaitable<bool> wait_for(TaskGroup& group, std::chrono::milliseconds d) {
    co_return co_await group.wait(d);
}

asio::awaitable<bool> stop(TaskGroup& group, std::chrono::milliseconds d) {
    co_return co_await group.stop(d);
}

}  // namespace

TEST_CASE("task group waits for finishing tasks and counts failures", "[base]") {
    asio::io_context ctx;
    TaskGroup group(ctx.get_executor());
    int done = 0;
    group.spawn(finish_soon(done), "a");
    group.spawn(finish_soon(done), "b");
    group.spawn(fail(), "failing");
    CHECK(group.size() == 3);
    CHECK(run_to_completion(ctx, wait_for(group, 5000ms)));
    CHECK(done == 2);
    CHECK(group.size() == 0);
    CHECK(group.failures() == 1);
}

TEST_CASE("stop cancels sleeping tasks", "[base]") {
    asio::io_context ctx;
    FakeClock clock;
    TaskGroup group(ctx.get_executor());
    int ended = 0;
    for (int i = 0; i < 5; ++i) {
        group.spawn(sleep_forever(clock, ended), "sleeper");
    }
    ctx.poll();
    CHECK(clock.sleepers() == 5);
    CHECK(run_to_completion(ctx, stop(group, 5000ms)));
    CHECK(ended == 5);
    CHECK(group.failures() == 0);
}

TEST_CASE("wait gives up at its deadline when a task ignores cancellation", "[base]") {
    asio::io_context ctx;
    TaskGroup group(ctx.get_executor());
    asio::steady_timer release(ctx, std::chrono::steady_clock::now() + 200ms);
    group.spawn(stubborn(release), "stubborn");
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(run_to_completion(ctx, stop(group, 50ms)));
    CHECK(std::chrono::steady_clock::now() - start < 190ms);
    CHECK(group.size() == 1);
    CHECK(run_to_completion(ctx, wait_for(group, 5000ms)));
}
