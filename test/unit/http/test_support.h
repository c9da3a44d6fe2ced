// Helpers for the http tests: fixtures, a test server, events and raw-socket exchanges.
#pragma once

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "skiff/base/run.h"
#include "skiff/http/client.h"
#include "skiff/http/server.h"

namespace skiff::http::test {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
inline constexpr auto kTuple = net::as_tuple(net::use_awaitable);

/// The contents of a file in testdata/.
inline std::string testdata(const std::string& name) {
    std::ifstream in(std::string(HTTP_TESTDATA) + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A one-shot event coroutines can wait for.
class Event {
public:
    explicit Event(net::io_context& ctx) : timer_(ctx) {}
    void set() {
        set_ = true;
        timer_.cancel();
    }
    bool is_set() const { return set_; }
    net::awaitable<void> wait() {
        while (!set_) {
            timer_.expires_at(net::steady_timer::time_point::max());
            co_await timer_.async_wait(kTuple);
        }
    }

private:
    net::steady_timer timer_;
    bool set_ = false;
};

/// base::run_to_completion with a short limit, so a hung test fails fast.
template <typename T>
T run(net::io_context& ctx, net::awaitable<T> task,
      std::chrono::steady_clock::duration limit = 5s) {
    return base::run_to_completion(ctx, std::move(task), limit);
}

/// A listening, started server on 127.0.0.1:0, stopped (grace 0) when destroyed.
class TestServer {
public:
    TestServer(net::io_context& ctx, ServerConfig config, Handler handler)
        : ctx_(ctx), server_(ctx.get_executor(), std::move(config), std::move(handler)) {
        auto port = server_.listen();
        if (!port.ok()) {
            throw std::runtime_error(base::to_string(port.status()));
        }
        server_.start();
    }
    ~TestServer() {
        if (!stopped_) {
            base::run_to_completion(ctx_, server_.stop(0ms), 5s);
        }
    }
    Server& server() { return server_; }
    std::uint16_t port() const { return server_.port(); }
    std::string url(bool tls = false) const {
        return (tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port());
    }
    net::awaitable<void> stop(std::chrono::milliseconds grace) {
        stopped_ = true;
        return server_.stop(grace);
    }

private:
    net::io_context& ctx_;
    Server server_;
    bool stopped_ = false;
};

inline Client make_client(net::io_context& ctx, ClientConfig config = {}) {
    auto client = Client::create(ctx.get_executor(), std::move(config));
    if (!client.ok()) {
        throw std::runtime_error(base::to_string(client.status()));
    }
    return std::move(*client);
}

/// Connects to 127.0.0.1:`port`.
inline net::awaitable<tcp::socket> connect_raw(std::uint16_t port) {
    tcp::socket socket(co_await net::this_coro::executor);
    co_await socket.async_connect({net::ip::make_address("127.0.0.1"), port},
                                  net::use_awaitable);
    co_return socket;
}

/// Everything the peer sends until it closes.
inline net::awaitable<std::string> read_to_end(tcp::socket& socket) {
    std::string out;
    char buf[4096];
    for (;;) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(buf), kTuple);
        if (ec) {
            co_return out;
        }
        out.append(buf, n);
    }
}

/// Sends `data` on a new connection and returns all the server answers until it closes.
inline net::awaitable<std::string> raw_exchange(std::uint16_t port, std::string data) {
    tcp::socket socket = co_await connect_raw(port);
    co_await net::async_write(socket, net::buffer(data), kTuple);
    co_return co_await read_to_end(socket);
}

/// A coroutine that waits `d` on a timer.
inline net::awaitable<void> sleep_for(std::chrono::steady_clock::duration d) {
    net::steady_timer timer(co_await net::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(kTuple);
}

}  // namespace skiff::http::test
