// FakeClock: sleepers wake only when time is advanced past their deadline; cancellation.
#include "skiff/base/clock.h"

#include <catch2/catch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

using namespace skiff::base;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
asio::awaitable<void> sleep_then_mark(FakeClock& clock, Clock::Duration d, int& marks) {
    co_await clock.sleep_for(d);
    ++marks;
}
}  // namespace

TEST_CASE("fake clock wakes sleepers in deadline order as time advances", "[base]") {
    asio::io_context ctx;
    FakeClock clock;
    int short_marks = 0;
    int long_marks = 0;
    asio::co_spawn(ctx, sleep_then_mark(clock, 5s, short_marks), asio::detached);
    asio::co_spawn(ctx, sleep_then_mark(clock, 60s, long_marks), asio::detached);
    ctx.poll();
    CHECK(clock.sleepers() == 2);
    clock.advance(4s);
    ctx.poll();
    CHECK(short_marks == 0);
    clock.advance(1s);
    ctx.poll();
    CHECK(short_marks == 1);
    CHECK(long_marks == 0);
    clock.advance(1h);
    ctx.poll();
    CHECK(long_marks == 1);
    CHECK(clock.sleepers() == 0);
}

TEST_CASE("fake clock moves wall time with monotonic time", "[base]") {
    FakeClock clock;
    auto wall = clock.now();
    auto mono = clock.monotonic();
    clock.advance(90s);
    CHECK(clock.now() - wall == 90s);
    CHECK(clock.monotonic() - mono == 90s);
    clock.set_wall_time(wall);
    CHECK(clock.now() == wall);
    CHECK(clock.monotonic() - mono == 90s);
}

TEST_CASE("a cancelled fake sleep throws operation_aborted", "[base]") {
    asio::io_context ctx;
    FakeClock clock;
    int marks = 0;
    asio::cancellation_signal signal;
    std::exception_ptr error;
    asio::co_spawn(ctx, sleep_then_mark(clock, 10s, marks),
                   asio::bind_cancellation_slot(signal.slot(),
                                                [&](std::exception_ptr e) { error = e; }));
    ctx.poll();
    signal.emit(asio::cancellation_type::terminal);
    ctx.poll();
    CHECK(marks == 0);
    REQUIRE(error);
    CHECK_THROWS_AS(std::rethrow_exception(error), boost::system::system_error);
    CHECK(clock.sleepers() == 0);
}
