// Runs a coroutine to completion on an io_context: for tests and for one-shot CLI commands.
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace skiff::base {

namespace detail {
/// Awaits `task` into `out`; `out` outlives the coroutine (run_to_completion waits for it).
template <typename T>
boost::asio::awaitable<void> await_into(boost::asio::awaitable<T> task, std::optional<T>& out) {
    out.emplace(co_await std::move(task));
}
}  // namespace detail

/// Spawns `task` on `ctx` and runs `ctx` until the task finishes; other work spawned on `ctx`
/// (servers, background tasks) keeps its state for the next call. Rethrows the task's
/// exception. Throws std::runtime_error when the task has not finished within `limit`, so a
/// test that would hang fails instead.
template <typename T>
T run_to_completion(boost::asio::io_context& ctx, boost::asio::awaitable<T> task,
                    std::chrono::steady_clock::duration limit = std::chrono::seconds(60)) {
    bool done = false;
    std::exception_ptr error;
    auto on_done = [&](std::exception_ptr e) {
        error = e;
        done = true;
    };
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
    if constexpr (std::is_void_v<T>) {
        boost::asio::co_spawn(ctx, std::move(task), on_done);
    } else {
        boost::asio::co_spawn(ctx, detail::await_into(std::move(task), result), on_done);
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    if (ctx.stopped()) {
        ctx.restart();
    }
    while (!done) {
        if (std::chrono::steady_clock::now() >= deadline) {
            throw std::runtime_error("run_to_completion: the coroutine did not finish in time");
        }
        if (ctx.run_one_for(std::chrono::milliseconds(50)) == 0 && ctx.stopped()) {
            ctx.restart();
        }
    }
    if (ctx.stopped()) {
        ctx.restart();  // ready for the next run(), as if this call had not happened
    }
    if (error) {
        std::rethrow_exception(error);
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(*result);
    }
}

/// As above on a fresh io_context of its own.
template <typename T>
T run_to_completion(boost::asio::awaitable<T> task,
                    std::chrono::steady_clock::duration limit = std::chrono::seconds(60)) {
    boost::asio::io_context ctx;
    return run_to_completion(ctx, std::move(task), limit);
}

}  // namespace skiff::base
