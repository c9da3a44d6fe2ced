// WakeSignal: lets one coroutine wait until code on the same executor wakes it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace skiff::base {

/// Edge-triggered and unsynchronized: notify() and wait() run on one executor, and the waiter
/// re-checks its condition after waking (a notify() with nobody waiting is lost).
class WakeSignal {
public:
    void notify() {
        if (waiter_) {
            waiter_->cancel();
        }
    }
    /// Suspends until notify(); throws operation_aborted when the waiting coroutine is cancelled.
    boost::asio::awaitable<void> wait();

private:
    boost::asio::steady_timer* waiter_ = nullptr;
};

}  // namespace skiff::base
