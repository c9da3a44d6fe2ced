// Server and Client over plain TCP: bodies, keep-alive, chunked streams, WebSockets, stop.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>

#include "skiff/http/router.h"
#include "test_support.h"

using namespace skiff;
using namespace skiff::http;
using namespace skiff::http::test;

namespace {

// Echoes the request: method, path, a query parameter, a header and the body.
net::awaitable<void> echo(Exchange& ex) {
    const Request& r = ex.request();
    Response res = Response::text(201, r.method + " " + r.path + " q=" +
                                           r.query_param("q").value_or("") + " h=" +
                                           std::string(r.headers.get("X-Test").value_or("")) +
                                           " body=" + r.body);
    res.headers.set("X-Remote", r.remote_address);
    co_await ex.respond(std::move(res));
}

net::awaitable<void> no_answer(Exchange&) { co_return; }

// Writes "one", waits for `release`, writes "two", finishes.
net::awaitable<void> two_chunks(Exchange& ex, Event* release) {
    Headers headers;
    headers.set("Content-Type", "application/json");
    auto stream = co_await ex.start_stream(200, std::move(headers));
    base::Status s = co_await stream->write(std::string("one"));
    CHECK(s.ok());
    co_await release->wait();
    s = co_await stream->write(std::string("two"));
    CHECK(s.ok());
    s = co_await stream->finish();
    CHECK(s.ok());
}

// Accepts v4.channel.k8s.io or v5.channel.k8s.io and echoes messages until the peer closes.
net::awaitable<void> ws_echo(Exchange& ex) {
    std::string chosen;
    for (const auto& p : ex.websocket_protocols()) {
        if (p == "v5.channel.k8s.io" || p == "v4.channel.k8s.io") {
            chosen = p;
            break;
        }
    }
    if (chosen.empty()) {
        co_await ex.respond(from_status(base::bad_request("no supported subprotocol")));
        co_return;
    }
    auto ws = co_await ex.accept_websocket(chosen);
    REQUIRE(ws.ok());
    for (;;) {
        auto message = co_await (*ws)->read();
        if (!message.ok()) {
            CHECK(message.status().reason() == base::Reason::Gone);
            CHECK((*ws)->close_code() == 1000);
            break;
        }
        base::Status wrote = co_await (*ws)->write(message->kind, std::move(message->data));
        CHECK(wrote.ok());
    }
}

TEST_CASE("the client sends GET and POST with bodies and reads the responses", "[http]") {
    net::io_context ctx;
    TestServer server(ctx, {}, echo);
    Client client = make_client(ctx);
    auto send = [&](Request r) { return run(ctx, client.request(server.url(), std::move(r))); };
    auto get = send({.method = "GET", .target = "/a%20b?q=x%2By"});
    REQUIRE(get.ok());
    CHECK(get->status == 201);
    CHECK(get->body == "GET /a b q=x+y h= body=");
    CHECK(get->headers.get("content-type") == "text/plain; charset=utf-8");
    Request post{.method = "POST", .target = "/p", .headers = {{"X-Test", "yes"}},
                 .body = std::string(100000, 'z')};
    auto posted = send(std::move(post));
    REQUIRE(posted.ok());
    CHECK(posted->body == "POST /p q= h=yes body=" + std::string(100000, 'z'));

    SECTION("keep-alive: both requests used one connection") {
        CHECK(client.connections_opened() == 1);
        CHECK(get->headers.get("X-Remote") == posted->headers.get("X-Remote"));
    }
    SECTION("a URL path is used when the request has no target") {
        auto r = run(ctx, client.request(server.url() + "/from-url?q=1", {}));
        REQUIRE(r.ok());
        CHECK(r->body == "GET /from-url q=1 h= body=");
    }
}

TEST_CASE("transport errors are a Status naming the URL", "[http]") {
    net::io_context ctx;
    std::uint16_t port = 0;
    {
        TestServer server(ctx, {}, echo);  // a port that was just free
        port = server.port();
    }
    Client client = make_client(ctx);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    auto r = run(ctx, client.request(url, {.target = "/x"}), 5s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == base::Reason::ServiceUnavailable);
    CHECK_THAT(r.status().message(), Catch::Contains(url + "/x") && Catch::Contains("connect"));
    CHECK_FALSE(run(ctx, client.request("nonsense", {})).ok());
}

TEST_CASE("a handler that does not answer gets a 500 Status", "[http]") {
    net::io_context ctx;
    TestServer server(ctx, {}, no_answer);
    Client client = make_client(ctx);
    auto r = run(ctx, client.request(server.url(), {}), 5s);
    REQUIRE(r.ok());
    CHECK(r->status == 500);
    CHECK(boost::json::parse(r->body).at("reason") == "InternalError");
}

TEST_CASE("the router answers 404 and 405 over the wire", "[http]") {
    net::io_context ctx;
    Router router;
    router.add("GET", "/hello", echo);
    TestServer server(ctx, {}, router.handler());
    Client client = make_client(ctx);
    auto ok = run(ctx, client.request(server.url(), {.target = "/hello"}));
    REQUIRE(ok.ok());
    CHECK(ok->status == 201);
    auto missing = run(ctx, client.request(server.url(), {.target = "/x"}));
    REQUIRE(missing.ok());
    CHECK(missing->status == 404);
    CHECK(missing->headers.get("Content-Type") == "application/json");
    CHECK(boost::json::parse(missing->body).at("message") ==
          "the server could not find the requested resource");
    auto wrong = run(
        ctx, client.request(server.url(), {.method = "PUT", .target = "/hello"}));
    REQUIRE(wrong.ok());
    CHECK(wrong->status == 405);
    CHECK(boost::json::parse(wrong->body).at("code") == 405);
}

net::awaitable<void> read_two_chunks(Client* client, std::string url, Event* release) {
    auto reader = co_await client->stream(url, Request::make("GET", "/watch"));
    REQUIRE(reader.ok());
    CHECK((*reader)->response().status == 200);
    CHECK((*reader)->response().headers.get("Transfer-Encoding") == "chunked");
    // The server waits for `release` before the second chunk: the first must arrive alone.
    auto first = co_await (*reader)->read();
    REQUIRE(first.ok());
    CHECK(*first == "one");
    release->set();
    auto second = co_await (*reader)->read();
    REQUIRE(second.ok());
    CHECK(*second == "two");
    auto end = co_await (*reader)->read();
    REQUIRE(end.ok());
    CHECK(end->empty());
}

TEST_CASE("chunked streams are flushed per chunk", "[http]") {
    net::io_context ctx;
    Event release(ctx);
    TestServer server(ctx, {}, [&release](Exchange& ex) { return two_chunks(ex, &release); });
    Client client = make_client(ctx);
    base::run_to_completion(ctx, read_two_chunks(&client, server.url(), &release), 5s);
}

net::awaitable<void> ws_round_trip(Client* client, std::string url) {
    // (g++ 12 miscompiles braced lists of string literals in coroutines: build them first.)
    std::vector<std::string> offered{std::string("bogus"), std::string("v4.channel.k8s.io")};
    auto ws = co_await client->websocket(url, "/exec", offered);
    REQUIRE(ws.ok());
    CHECK((*ws)->subprotocol() == "v4.channel.k8s.io");  // echoed in the 101
    using Kind = WebSocketMessage::Kind;
    std::string binary("\x01\x00\xffstdin", 8);
    base::Status wrote = co_await (*ws)->write(Kind::Binary, binary);
    REQUIRE(wrote.ok());
    auto echoed = co_await (*ws)->read();
    REQUIRE(echoed.ok());
    CHECK(echoed->kind == Kind::Binary);
    CHECK(echoed->data == binary);
    wrote = co_await (*ws)->write(Kind::Text, std::string("hello"));
    REQUIRE(wrote.ok());
    auto text = co_await (*ws)->read();
    REQUIRE(text.ok());
    CHECK(text->kind == Kind::Text);
    CHECK(text->data == "hello");
    base::Status pinged = co_await (*ws)->ping(std::string("p"));
    CHECK(pinged.ok());
    base::Status closed = co_await (*ws)->close(1000, std::string("done"));
    CHECK(closed.ok());

    offered.pop_back();
    auto refused = co_await client->websocket(url, "/exec", offered);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().reason() == base::Reason::BadRequest);
    CHECK(refused.status().message() == "no supported subprotocol");
}

TEST_CASE("websocket echo with a negotiated subprotocol", "[http]") {
    net::io_context ctx;
    TestServer server(ctx, {}, ws_echo);
    Client client = make_client(ctx);
    base::run_to_completion(ctx, ws_round_trip(&client, server.url()), 5s);
}

// "/slow" answers after 100 ms; "/stream" sends a chunk and then waits (for a minute).
net::awaitable<void> slow_or_stream(Exchange& ex, Event* slow_entered) {
    auto timer = net::steady_timer(co_await net::this_coro::executor);
    if (ex.request().path == "/slow") {
        slow_entered->set();
        timer.expires_after(100ms);
        co_await timer.async_wait(net::use_awaitable);
        co_await ex.respond(Response::text(200, "done"));
        co_return;
    }
    auto stream = co_await ex.start_stream(200, {});
    co_await stream->write(std::string("first"));
    timer.expires_after(60s);
    co_await timer.async_wait(net::use_awaitable);  // cancelled by the stop
}

// Stores the response to a GET of `url` in `out`, which outlives this coroutine.
net::awaitable<void> fetch(Client* client, std::string url,
                           std::optional<base::Result<Response>>* out) {
    *out = co_await client->request(std::move(url), Request::make("GET", "/"));
}

net::awaitable<void> stop_during_requests(Client* client, TestServer* server, Event* slow_entered) {
    auto reader = co_await client->stream(server->url(), Request::make("GET", "/stream"));
    REQUIRE(reader.ok());
    auto first = co_await (*reader)->read();
    REQUIRE(first.ok());
    CHECK(*first == "first");

    std::optional<base::Result<Response>> slow;
    net::co_spawn(co_await net::this_coro::executor, fetch(client, server->url() + "/slow", &slow),
                  net::detached);
    co_await slow_entered->wait();
    CHECK(server->server().connection_count() == 2);

    const auto start = std::chrono::steady_clock::now();
    co_await server->stop(300ms);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 300ms);
    CHECK(took < 1s);
    CHECK(server->server().connection_count() == 0);

    REQUIRE(slow.has_value());  // finished within the grace period
    REQUIRE(slow->ok());
    CHECK((*slow)->status == 200);
    CHECK((*slow)->body == "done");
    auto after = co_await (*reader)->read();
    CHECK_FALSE(after.ok());  // the stream was cut at the deadline
}

TEST_CASE("stop lets requests in flight finish and closes streams at the deadline", "[http]") {
    net::io_context ctx;
    Event slow_entered(ctx);
    TestServer server(ctx, {}, [&slow_entered](Exchange& ex) {
        return slow_or_stream(ex, &slow_entered);
    });
    Client client = make_client(ctx);
    base::run_to_completion(ctx, stop_during_requests(&client, &server, &slow_entered), 5s);
}

}  // namespace
