// WorkQueue's non-template parts, and its instantiation for string keys.
#include "skiff/client/work_queue.h"

namespace skiff::client {
namespace asio = boost::asio;

namespace detail {

void WaitList::notify_all() {
    for (auto* w : waiters_) {
        w->cancel();
    }
}

asio::awaitable<void> WaitList::wait() {
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             asio::steady_timer::time_point::max());
    waiters_.push_back(&timer);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    std::erase(waiters_, &timer);
    if ((co_await asio::this_coro::cancellation_state).cancelled() !=
        asio::cancellation_type::none) {
        throw boost::system::system_error(asio::error::operation_aborted);
    }
}

}  // namespace detail

template class WorkQueue<std::string>;

}  // namespace skiff::client
