// Clock: wall and monotonic time plus cancellable sleeps, injectable so tests advance time.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace skiff::base {

class Clock {
public:
    using WallTime = std::chrono::system_clock::time_point;
    using MonoTime = std::chrono::steady_clock::time_point;
    using Duration = std::chrono::steady_clock::duration;

    virtual ~Clock() = default;

    /// Wall-clock time, for timestamps written into objects.
    virtual WallTime now() const = 0;
    /// Monotonic time, for deadlines and intervals.
    virtual MonoTime monotonic() const = 0;
    /// Suspends the calling coroutine until monotonic() >= deadline. Honours asio
    /// cancellation: a cancelled sleep throws boost::system::system_error (operation_aborted).
    virtual boost::asio::awaitable<void> sleep_until(MonoTime deadline) = 0;

    boost::asio::awaitable<void> sleep_for(Duration duration);
};

/// The real clocks; sleeps use a steady_timer on the caller's executor.
class SystemClock final : public Clock {
public:
    static SystemClock& instance();
    WallTime now() const override;
    MonoTime monotonic() const override;
    boost::asio::awaitable<void> sleep_until(MonoTime deadline) override;
};

/// A clock that moves only when told. Sleepers wake when advance() passes their deadline.
/// advance() and set_wall_time() must run on the executor the sleepers wait on.
class FakeClock final : public Clock {
public:
    explicit FakeClock(WallTime start = WallTime(std::chrono::seconds(1'700'000'000)));

    WallTime now() const override;
    MonoTime monotonic() const override;
    boost::asio::awaitable<void> sleep_until(MonoTime deadline) override;

    /// Moves both clocks forward and wakes every sleeper whose deadline has come.
    void advance(Duration by);
    /// Sets the wall clock only (a jump, as NTP may do); monotonic time is unchanged.
    void set_wall_time(WallTime t);
    /// How many coroutines are sleeping now.
    size_t sleepers() const;

private:
    struct Sleeper;
    mutable std::mutex mutex_;
    WallTime wall_;
    MonoTime mono_;
    std::vector<Sleeper*> sleepers_;
};

}  // namespace skiff::base
