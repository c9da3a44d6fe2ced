// Hostile and broken clients over raw sockets: the server answers or closes, never hangs.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "test_support.h"

using namespace skiff;
using namespace skiff::http;
using namespace skiff::http::test;

namespace {

net::awaitable<void> ok_handler(Exchange& ex) { co_await ex.respond(Response::text(200, "ok")); }

ServerConfig small_limits() {
    ServerConfig config;
    config.limits.max_header_bytes = 4096;
    config.limits.max_body_bytes = 1024;
    config.limits.header_timeout = 300ms;
    config.limits.idle_timeout = 300ms;
    return config;
}

std::string exchange(net::io_context& ctx, std::uint16_t port, std::string data) {
    return base::run_to_completion(ctx, raw_exchange(port, std::move(data)), 5s);
}

TEST_CASE("bad requests get a Status and the connection is closed", "[http]") {
    net::io_context ctx;
    TestServer server(ctx, small_limits(), ok_handler);
    const auto port = server.port();

    SECTION("a well-formed request for comparison") {
        auto r = exchange(ctx, port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 200"));
    }
    SECTION("Expect: 100-continue gets an interim response") {
        auto r = exchange(ctx, port,
                          "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n"
                          "Connection: close\r\n\r\nhi");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200"));
    }
    SECTION("malformed request line: 400") {
        auto r = exchange(ctx, port, "NOT A REQUEST\r\n\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 400") && Catch::Contains("\"kind\":\"Status\"") &&
                          Catch::Contains("BadRequest"));
    }
    SECTION("bad header line: 400") {
        auto r = exchange(ctx, port, "GET / HTTP/1.1\r\nno colon here\r\n\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 400"));
    }
    SECTION("oversized header: 431") {
        auto r = exchange(ctx, port,
                          "GET / HTTP/1.1\r\nX-Big: " + std::string(8192, 'a') + "\r\n\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 431") && Catch::Contains("\"code\":431"));
    }
    SECTION("oversized body by Content-Length: 413 before the body is sent") {
        auto r = exchange(ctx, port, "POST / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 413") &&
                          Catch::Contains("RequestEntityTooLarge"));
    }
    SECTION("oversized chunked body: 413") {
        std::string body;
        for (int i = 0; i < 8; ++i) {
            body += "200\r\n" + std::string(512, 'b') + "\r\n";
        }
        auto r = exchange(ctx, port,
                          "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body +
                              "0\r\n\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 413"));
    }
    SECTION("bad chunk framing: 400") {
        auto r = exchange(ctx, port,
                          "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 400"));
    }
    SECTION("a partial request: closed at the header timeout without an answer") {
        CHECK(exchange(ctx, port, "GET / HT").empty());
    }
}

// Sends a request line, then one header byte every 50 ms until the server closes.
net::awaitable<void> trickle(tcp::socket* socket) {
    co_await net::async_write(*socket, net::buffer(std::string("GET / HTTP/1.1\r\n")), kTuple);
    for (;;) {
        auto [ec, n] = co_await net::async_write(*socket, net::buffer("X", 1), kTuple);
        if (ec) {
            co_return;
        }
        co_await sleep_for(50ms);
    }
}

net::awaitable<std::chrono::steady_clock::duration> time_until_closed(std::uint16_t port,
                                                                      bool send_slowly,
                                                                      std::string* answer) {
    const auto start = std::chrono::steady_clock::now();
    tcp::socket socket = co_await connect_raw(port);
    if (send_slowly) {
        net::co_spawn(co_await net::this_coro::executor, trickle(&socket), net::detached);
    }
    *answer = co_await read_to_end(socket);
    const auto took = std::chrono::steady_clock::now() - start;
    boost::system::error_code ignored;
    socket.close(ignored);  // ends the trickle
    co_await sleep_for(60ms);
    co_return took;
}

TEST_CASE("slow and silent clients are cut off at the header timeout", "[http]") {
    net::io_context ctx;
    TestServer server(ctx, small_limits(), ok_handler);
    std::string answer;
    SECTION("slowloris: bytes trickle in but the header never completes") {
        auto took = base::run_to_completion(ctx, time_until_closed(server.port(), true, &answer));
        CHECK(took >= 250ms);
        CHECK(took < 900ms);
        CHECK((answer.empty() || answer.starts_with("HTTP/1.1 408")));
    }
    SECTION("a client that sends nothing") {
        auto took = base::run_to_completion(ctx, time_until_closed(server.port(), false, &answer));
        CHECK(took < 900ms);
        CHECK(answer.empty());
    }
}

net::awaitable<void> open_and_drop(std::uint16_t port, int count) {
    std::vector<tcp::socket> sockets;
    for (int i = 0; i < count; ++i) {
        sockets.push_back(co_await connect_raw(port));
        if (i % 3 == 1) {
            co_await net::async_write(sockets.back(), net::buffer(std::string("GET /")), kTuple);
        }
    }
    for (auto& s : sockets) {
        boost::system::error_code ignored;
        s.close(ignored);
    }
}

TEST_CASE("hundreds of connections opened and dropped leave the server serving", "[http]") {
    net::io_context ctx;
    TestServer server(ctx, {}, ok_handler);
    base::run_to_completion(ctx, open_and_drop(server.port(), 300), 10s);
    auto r = exchange(ctx, server.port(), "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 200"));
}

TEST_CASE("connections past the limit are closed at once", "[http]") {
    net::io_context ctx;
    ServerConfig config;
    config.limits.max_connections = 0;
    TestServer server(ctx, config, ok_handler);
    CHECK(exchange(ctx, server.port(), "GET / HTTP/1.1\r\n\r\n").empty());
}

TEST_CASE("garbage to the TLS port is closed", "[http]") {
    net::io_context ctx;
    ServerConfig config = small_limits();
    config.tls = ServerTls{testdata("server.crt"), testdata("server.key"), testdata("ca.crt")};
    TestServer server(ctx, config, ok_handler);
    CHECK(exchange(ctx, server.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n").find("200 OK") ==
          std::string::npos);
    CHECK(exchange(ctx, server.port(), std::string(5000, '\x16')).find("HTTP") ==
          std::string::npos);
}

}  // namespace
