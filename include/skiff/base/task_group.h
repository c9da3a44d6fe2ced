// TaskGroup: the coroutines a component owns; spawn, cancel, and wait for them with a deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace skiff::base {

/// Every call must be made on the group's executor (a strand or a one-thread io_context).
/// A task that throws is logged with its name and counted; cancellation is not an error.
/// Destroying the group cancels what is still running; the tasks end on their own afterwards,
/// so whatever they reference must outlive them — call stop() first.
class TaskGroup {
public:
    explicit TaskGroup(boost::asio::any_io_executor executor);
    ~TaskGroup();
    TaskGroup(const TaskGroup&) = delete;
    TaskGroup& operator=(const TaskGroup&) = delete;

    void spawn(boost::asio::awaitable<void> task, std::string name);

    /// Requests terminal cancellation of every running task.
    void cancel();
    /// Waits until no task runs or `timeout` passes; true when all have finished.
    boost::asio::awaitable<bool> wait(std::chrono::steady_clock::duration timeout);
    /// cancel() then wait(grace): true when every task ended within the grace period.
    boost::asio::awaitable<bool> stop(std::chrono::steady_clock::duration grace);

    size_t size() const;
    /// How many tasks ended with an exception other than cancellation.
    size_t failures() const;

    struct State;  // implementation detail, shared with running tasks' completion handlers

private:
    std::shared_ptr<State> state_;
};

}  // namespace skiff::base
