// SystemClock and FakeClock.
#include "skiff/base/clock.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace skiff::base {
namespace asio = boost::asio;

asio::awaitable<void> Clock::sleep_for(Duration duration) {
    co_await sleep_until(monotonic() + duration);
}

SystemClock& SystemClock::instance() {
    static SystemClock clock;
    return clock;
}

Clock::WallTime SystemClock::now() const { return std::chrono::system_clock::now(); }
Clock::MonoTime SystemClock::monotonic() const { return std::chrono::steady_clock::now(); }

asio::awaitable<void> SystemClock::sleep_until(MonoTime deadline) {
    asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
    co_await timer.async_wait(asio::use_awaitable);
}

struct FakeClock::Sleeper {
    MonoTime deadline;
    asio::steady_timer* timer;
};

FakeClock::FakeClock(WallTime start) : wall_(start), mono_(std::chrono::hours(24)) {}

Clock::WallTime FakeClock::now() const {
    std::lock_guard lock(mutex_);
    return wall_;
}

Clock::MonoTime FakeClock::monotonic() const {
    std::lock_guard lock(mutex_);
    return mono_;
}

asio::awaitable<void> FakeClock::sleep_until(MonoTime deadline) {
    if (monotonic() >= deadline) {
        co_return;
    }
    // The timer never fires by itself: advance() cancels it once the deadline has come, and an
    // asio cancellation of this coroutine cancels it too. The deadline tells the two apart.
    asio::steady_timer timer(co_await asio::this_coro::executor, MonoTime::max());
    Sleeper sleeper{deadline, &timer};
    {
        std::lock_guard lock(mutex_);
        sleepers_.push_back(&sleeper);
    }
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    bool due;
    {
        std::lock_guard lock(mutex_);
        sleepers_.erase(std::find(sleepers_.begin(), sleepers_.end(), &sleeper));
        due = mono_ >= deadline;
    }
    if (!due) {
        throw boost::system::system_error(asio::error::operation_aborted);
    }
}

void FakeClock::advance(Duration by) {
    std::vector<asio::steady_timer*> due;
    {
        std::lock_guard lock(mutex_);
        mono_ += by;
        wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
        for (auto* s : sleepers_) {
            if (s->deadline <= mono_) {
                due.push_back(s->timer);
            }
        }
    }
    for (auto* t : due) {
        t->cancel();
    }
}

void FakeClock::set_wall_time(WallTime t) {
    std::lock_guard lock(mutex_);
    wall_ = t;
}

size_t FakeClock::sleepers() const {
    std::lock_guard lock(mutex_);
    return sleepers_.size();
}

}  // namespace skiff::base
