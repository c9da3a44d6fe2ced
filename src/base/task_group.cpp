// TaskGroup over asio::co_spawn with one cancellation signal per task.
#include "skiff/base/task_group.h"

#include <list>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "skiff/base/log.h"

namespace skiff::base {
namespace asio = boost::asio;

struct TaskGroup::State {
    struct Task {
        std::string name;
        asio::cancellation_signal signal;
        bool done = false;
    };

    explicit State(asio::any_io_executor ex) : executor(std::move(ex)) {}

    asio::any_io_executor executor;
    std::list<Task> tasks;
    std::vector<asio::steady_timer*> waiters;
    size_t running = 0;
    size_t failures = 0;
    bool cancelled = false;

    void wake_waiters() {
        for (auto* w : waiters) {
            w->cancel();
        }
    }
};

namespace {

/// Completion of one task: records the outcome, then frees its entry later, because the
/// entry's cancellation signal may still be referenced while this handler runs.
struct Completion {
    std::shared_ptr<TaskGroup::State> state;
    std::list<TaskGroup::State::Task>::iterator task;

    void operator()(std::exception_ptr error) const {
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const boost::system::system_error& e) {
                if (e.code() != asio::error::operation_aborted || !state->cancelled) {
                    ++state->failures;
                    log::error("task failed", {{"task", task->name}, {"error", e.what()}});
                }
            } catch (const std::exception& e) {
                ++state->failures;
                log::error("task failed", {{"task", task->name}, {"error", e.what()}});
            } catch (...) {
                ++state->failures;
                log::error("task failed", {{"task", task->name}, {"error", "unknown exception"}});
            }
        }
        task->done = true;
        --state->running;
        asio::post(state->executor, Reap{state, task});
        if (state->running == 0) {
            state->wake_waiters();
        }
    }

    struct Reap {
        std::shared_ptr<TaskGroup::State> state;
        std::list<TaskGroup::State::Task>::iterator task;
        void operator()() const { state->tasks.erase(task); }
    };
};

}  // namespace

TaskGroup::TaskGroup(asio::any_io_executor executor)
    : state_(std::make_shared<State>(std::move(executor))) {}

TaskGroup::~TaskGroup() { cancel(); }

void TaskGroup::spawn(asio::awaitable<void> task, std::string name) {
    auto it = state_->tasks.emplace(state_->tasks.end());
    it->name = std::move(name);
    ++state_->running;
    asio::co_spawn(state_->executor, std::move(task),
                   asio::bind_cancellation_slot(it->signal.slot(), Completion{state_, it}));
}

void TaskGroup::cancel() {
    state_->cancelled = true;
    for (auto& t : state_->tasks) {
        if (!t.done) {
            t.signal.emit(asio::cancellation_type::terminal);
        }
    }
}

asio::awaitable<bool> TaskGroup::wait(std::chrono::steady_clock::duration timeout) {
    // Keeps the state alive even if the group is destroyed while we wait.
    std::shared_ptr<State> state = state_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (state->running > 0 && std::chrono::steady_clock::now() < deadline) {
        asio::steady_timer timer(state->executor, deadline);
        state->waiters.push_back(&timer);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        std::erase(state->waiters, &timer);
        if ((co_await asio::this_coro::cancellation_state).cancelled() !=
            asio::cancellation_type::none) {
            break;  // the waiter itself was cancelled
        }
    }
    co_return state->running == 0;
}

asio::awaitable<bool> TaskGroup::stop(std::chrono::steady_clock::duration grace) {
    cancel();
    co_return co_await wait(grace);
}

size_t TaskGroup::size() const { return state_->running; }
size_t TaskGroup::failures() const { return state_->failures; }

}  // namespace skiff::base
