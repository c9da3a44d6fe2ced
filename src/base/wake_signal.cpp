// WakeSignal over a steady_timer that never expires: notify() cancels it.
#include "skiff/base/wake_signal.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace skiff::base {
namespace asio = boost::asio;

asio::awaitable<void> WakeSignal::wait() {
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             asio::steady_timer::time_point::max());
    waiter_ = &timer;
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    waiter_ = nullptr;
    if ((co_await asio::this_coro::cancellation_state).cancelled() !=
        asio::cancellation_type::none) {
        throw boost::system::system_error(asio::error::operation_aborted);
    }
}

}  // namespace skiff::base
