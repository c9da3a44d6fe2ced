// WorkQueue: the de-duplicating, delaying, rate-limited queue of keys controllers work from
// (client-go's workqueue), and run_workers to drain it with N reconcile loops.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include "skiff/base/clock.h"
#include "skiff/base/log.h"
#include "skiff/base/status.h"
#include "skiff/base/task_group.h"

namespace skiff::client {

namespace detail {

/// Coroutines waiting on one executor until code on that executor wakes them all; each
/// re-checks its condition after waking (like base::WakeSignal, for many waiters).
class WaitList {
public:
    WaitList() = default;
    WaitList(const WaitList&) = delete;
    WaitList& operator=(const WaitList&) = delete;

    void notify_all();
    /// Suspends until notify_all(); throws operation_aborted when the waiter is cancelled.
    boost::asio::awaitable<void> wait();
    size_t size() const { return waiters_.size(); }

private:
    std::vector<boost::asio::steady_timer*> waiters_;
};

}  // namespace detail

struct WorkQueueOptions {
    /// add_rate_limited: the first delay of a key, doubled at each further failure, capped
    /// (client-go's default controller rate limiter: 5 ms to 1000 s).
    base::Clock::Duration rate_limit_base = std::chrono::milliseconds(5);
    base::Clock::Duration rate_limit_max = std::chrono::seconds(1000);
};

/// A key is queued at most once however often it is added while it waits; a key being
/// processed (returned by get(), not yet done()) that is added again is queued once more at
/// its done(), so no two workers ever hold the same key.
///
/// Threading: every call on the executor given at construction. `clock` outlives the queue.
/// Delayed adds are coroutines the queue owns; shutdown() (or destruction) cancels them.
template <typename Key = std::string>
class WorkQueue {
public:
    using Duration = base::Clock::Duration;

    WorkQueue(boost::asio::any_io_executor executor, base::Clock& clock,
              WorkQueueOptions options = {})
        : state_(std::make_shared<State>(clock, options)), timers_(std::move(executor)) {}
    ~WorkQueue() { shutdown(); }
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    /// Queues `key` unless it already waits; ignored after shutdown().
    void add(const Key& key) { state_->add(key); }

    /// add(key) once `delay` has passed on the clock (at once when not positive). A key with
    /// several delayed adds pending is added at the earliest of them.
    void add_after(const Key& key, Duration delay) {
        State& s = *state_;
        if (s.shutting_down) {
            return;
        }
        if (delay <= Duration::zero()) {
            s.add(key);
            return;
        }
        const auto at = s.clock.monotonic() + delay;
        auto it = s.waiting.find(key);
        if (it != s.waiting.end() && it->second <= at) {
            return;
        }
        s.waiting[key] = at;
        timers_.spawn(add_at(state_, key, at), "work queue delayed add");
    }

    /// add_after with the key's next backoff delay: base, 2*base, 4*base, ... up to the max.
    void add_rate_limited(const Key& key) { add_after(key, state_->next_delay(key)); }
    /// Forgets the key's failures: its next add_rate_limited waits the base delay again.
    void forget(const Key& key) { state_->failures.erase(key); }
    /// How many times the key was add_rate_limited since it was last forgotten.
    int num_requeues(const Key& key) const {
        auto it = state_->failures.find(key);
        return it == state_->failures.end() ? 0 : it->second;
    }

    /// The next key, waiting for one if none is queued; nullopt once the queue is shut down
    /// (keys still queued then are dropped). Pair every key with done(key). Throws
    /// operation_aborted when the calling coroutine is cancelled.
    boost::asio::awaitable<std::optional<Key>> get() {
        std::shared_ptr<State> s = state_;  // the queue may be shut down and destroyed meanwhile
        while (s->queue.empty() && !s->shutting_down) {
            co_await s->waiters.wait();
        }
        if (s->shutting_down) {
            co_return std::nullopt;
        }
        Key key = std::move(s->queue.front());
        s->queue.pop_front();
        s->dirty.erase(key);
        s->processing.insert(key);
        co_return key;
    }

    /// Ends the processing of a key from get(); re-queues it when it was added meanwhile.
    void done(const Key& key) {
        State& s = *state_;
        s.processing.erase(key);
        if (s.dirty.contains(key) && !s.shutting_down) {
            s.queue.push_back(key);
            s.waiters.notify_all();
        }
    }

    /// Wakes every get() with nullopt, drops queued and delayed keys, ignores later adds.
    void shutdown() {
        State& s = *state_;
        if (s.shutting_down) {
            return;
        }
        s.shutting_down = true;
        s.queue.clear();
        s.dirty.clear();
        s.waiting.clear();
        timers_.cancel();
        s.waiters.notify_all();
    }
    bool shutting_down() const { return state_->shutting_down; }

    /// Keys queued now (not those being processed or delayed).
    size_t len() const { return state_->queue.size(); }
    /// Keys between get() and done().
    size_t processing() const { return state_->processing.size(); }
    /// Keys whose delayed add is pending.
    size_t delayed() const { return state_->waiting.size(); }

private:
    struct State {
        State(base::Clock& c, WorkQueueOptions o) : clock(c), options(o) {}

        void add(const Key& key) {
            if (shutting_down || dirty.contains(key)) {
                return;
            }
            dirty.insert(key);
            if (processing.contains(key)) {
                return;  // queued again at done()
            }
            queue.push_back(key);
            waiters.notify_all();
        }

        Duration next_delay(const Key& key) {
            const int n = failures[key]++;
            Duration delay = options.rate_limit_base;
            for (int i = 0; i < n && delay < options.rate_limit_max; ++i) {
                delay *= 2;
            }
            return std::min(delay, options.rate_limit_max);
        }

        base::Clock& clock;
        WorkQueueOptions options;
        std::deque<Key> queue;
        std::set<Key> dirty;       // queued, or added again while processing
        std::set<Key> processing;  // between get() and done()
        std::map<Key, base::Clock::MonoTime> waiting;  // earliest pending delayed add
        std::map<Key, int> failures;
        detail::WaitList waiters;
        bool shutting_down = false;
    };

    /// Sleeps until `at`, then adds the key unless an earlier delayed add took it meanwhile.
    static boost::asio::awaitable<void> add_at(std::shared_ptr<State> s, Key key,
                                               base::Clock::MonoTime at) {
        co_await s->clock.sleep_until(at);
        auto it = s->waiting.find(key);
        if (it == s->waiting.end() || it->second != at) {
            co_return;
        }
        s->waiting.erase(it);
        s->add(key);
    }

    std::shared_ptr<State> state_;
    base::TaskGroup timers_;
};

extern template class WorkQueue<std::string>;

namespace detail {

template <typename Key>
void log_reconcile_failure(const Key& key, const base::Status& status, int requeues) {
    if constexpr (std::is_convertible_v<const Key&, std::string_view>) {
        base::log::warn("reconcile failed, requeued with backoff",
                        {{"key", std::string_view(key)},
                         {"error", base::to_string(status)},
                         {"requeues", requeues}});
    } else {
        base::log::warn("reconcile failed, requeued with backoff",
                        {{"error", base::to_string(status)}, {"requeues", requeues}});
    }
}

/// One worker of run_workers; `queue` outlives it (run_workers waits for its workers).
template <typename Key>
boost::asio::awaitable<void> work_loop(
    WorkQueue<Key>& queue, std::function<boost::asio::awaitable<base::Status>(Key)> reconcile) {
    for (;;) {
        std::optional<Key> key = co_await queue.get();
        if (!key) {
            co_return;
        }
        base::Status status;
        bool cancelled = false;
        try {
            status = co_await reconcile(*key);
        } catch (const boost::system::system_error& e) {
            if (e.code() != boost::asio::error::operation_aborted) {
                status = base::internal_error(std::string("reconcile threw: ") + e.what());
            } else {
                cancelled = true;
            }
        } catch (const std::exception& e) {
            status = base::internal_error(std::string("reconcile threw: ") + e.what());
        }
        if (cancelled) {
            queue.done(*key);
            throw boost::system::system_error(boost::asio::error::operation_aborted);
        }
        if (status.ok()) {
            queue.forget(*key);
        } else {
            queue.add_rate_limited(*key);
            log_reconcile_failure(*key, status, queue.num_requeues(*key));
        }
        queue.done(*key);
    }
}

}  // namespace detail

/// Runs `workers` loops of get → reconcile → done until the queue shuts down, then returns
/// once every loop has ended. A failed reconcile (a Status that is not ok, or an exception)
/// re-queues the key rate-limited; a success forgets its failures. Cancelling this coroutine
/// cancels the loops and waits for them. `queue` outlives the call; run on its executor.
template <typename Key>
boost::asio::awaitable<void> run_workers(
    WorkQueue<Key>& queue, int workers,
    std::type_identity_t<std::function<boost::asio::awaitable<base::Status>(Key)>> reconcile) {
    base::TaskGroup group(co_await boost::asio::this_coro::executor);
    for (int i = 0; i < workers; ++i) {
        group.spawn(detail::work_loop<Key>(queue, reconcile),
                    "worker " + std::to_string(i));
    }
    const auto forever = std::chrono::hours(24 * 365);
    co_await group.wait(forever);
    if (group.size() > 0) {
        // We were cancelled: end the loops before the queue and reconcile may go away.
        group.cancel();
        co_await boost::asio::this_coro::reset_cancellation_state();
        co_await group.wait(forever);
        throw boost::system::system_error(boost::asio::error::operation_aborted);
    }
}

}  // namespace skiff::client
