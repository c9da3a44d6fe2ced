// Headers, Request query parameters, Status responses, URL parsing and Router dispatch.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "skiff/base/run.h"
#include "skiff/http/headers.h"
#include "skiff/http/message.h"
#include "skiff/http/router.h"
#include "url.h"

using namespace skiff;
using namespace skiff::http;

namespace {

// An Exchange that records the response; enough for handlers that only respond().
class FakeExchange final : public Exchange {
public:
    explicit FakeExchange(Request request) : request_(std::move(request)) {}
    const Request& request() const override { return request_; }
    Request& request() override { return request_; }
    boost::asio::awaitable<void> respond(Response response) override {
        response_ = std::move(response);
        co_return;
    }
    boost::asio::awaitable<std::unique_ptr<ResponseStream>> start_stream(int, Headers) override {
        throw std::logic_error("not supported by FakeExchange");
    }
    bool is_websocket_upgrade() const override { return false; }
    std::vector<std::string> websocket_protocols() const override { return {}; }
    boost::asio::awaitable<base::Result<std::unique_ptr<WebSocket>>> accept_websocket(
        std::string) override {
        co_return base::bad_request("not supported by FakeExchange");
    }
    bool responded() const override { return response_.has_value(); }
    const std::optional<Response>& response() const { return response_; }

private:
    Request request_;
    std::optional<Response> response_;
};

boost::asio::awaitable<void> answer_text(Exchange& ex, std::string text) {
    co_await ex.respond(Response::text(200, std::move(text)));
}

Handler text_handler(std::string text) {
    return [text](Exchange& ex) { return answer_text(ex, text); };
}

Response dispatch(const Router& router, std::string method, std::string path) {
    FakeExchange ex(Request{.method = std::move(method), .target = path, .path = path});
    base::run_to_completion(router.dispatch(ex));
    REQUIRE(ex.response());
    return *ex.response();
}

}  // namespace

TEST_CASE("headers are case-insensitive, ordered and multi-valued", "[http]") {
    Headers h{{"Content-Type", "text/plain"}};
    h.add("Accept", "a");
    h.add("accept", "b");
    CHECK(h.get("content-type") == "text/plain");
    CHECK(h.get_all("ACCEPT") == std::vector<std::string_view>{"a", "b"});
    h.set("Accept", "c");
    CHECK(h.get_all("accept") == std::vector<std::string_view>{"c"});
    h.remove("CONTENT-TYPE");
    CHECK_FALSE(h.contains("Content-Type"));
    CHECK_FALSE(h.get("missing"));
    CHECK(h.size() == 1);
}

TEST_CASE("query parameters are decoded", "[http]") {
    Request r;
    r.query = "labelSelector=app%3Dweb&watch=1&x=a+b&x=c&flag";
    CHECK(r.query_param("labelSelector") == "app=web");
    CHECK(r.query_param("watch") == "1");
    CHECK(r.query_params("x") == std::vector<std::string>{"a b", "c"});
    CHECK(r.query_param("flag") == "");
    CHECK_FALSE(r.query_param("none"));
    CHECK(percent_decode("/api/v1/name%20x%zz%4") == "/api/v1/name x%zz%4");
}

TEST_CASE("a Status becomes a metav1.Status JSON response", "[http]") {
    Response r = from_status(base::not_found("", "pods", "p"));
    CHECK(r.status == 404);
    CHECK(r.headers.get("Content-Type") == "application/json");
    auto j = boost::json::parse(r.body);
    CHECK(j.at("kind") == "Status");
    CHECK(j.at("reason") == "NotFound");
    CHECK(j.at("code") == 404);
}

TEST_CASE("urls are split into host, port and target", "[http]") {
    auto u = detail::parse_url("https://127.0.0.1:6443/api?x=1");
    REQUIRE(u.ok());
    CHECK(u->tls);
    CHECK(u->host == "127.0.0.1");
    CHECK(u->port == "6443");
    CHECK(u->target == "/api?x=1");
    CHECK(u->origin == "https://127.0.0.1:6443");
    auto v6 = detail::parse_url("http://[::1]:8080");
    REQUIRE(v6.ok());
    CHECK(v6->host == "::1");
    CHECK(v6->host_header == "[::1]:8080");
    CHECK(v6->target.empty());
    auto dflt = detail::parse_url("https://localhost");
    REQUIRE(dflt.ok());
    CHECK(dflt->port == "443");
    CHECK_FALSE(detail::parse_url("ftp://x").ok());
    CHECK_FALSE(detail::parse_url("http://:80").ok());
    CHECK_FALSE(detail::parse_url("http://h:99999").ok());
    CHECK_FALSE(detail::parse_url("http://[::1").ok());
}

TEST_CASE("the router picks exact, then longest prefix; 404 and 405 otherwise", "[http]") {
    Router router;
    router.add("GET", "/healthz", text_handler("healthz"));
    router.add_prefix("", "/api/", text_handler("api"));
    router.add_prefix("GET", "/api/v1/", text_handler("v1"));
    router.add("POST", "/api/v1/special", text_handler("special"));

    CHECK(dispatch(router, "GET", "/healthz").body == "healthz");
    CHECK(dispatch(router, "GET", "/api/v1/pods").body == "v1");
    CHECK(dispatch(router, "PUT", "/api/v1/pods").body == "api");
    CHECK(dispatch(router, "GET", "/api/apps").body == "api");
    CHECK(dispatch(router, "POST", "/api/v1/special").body == "special");
    CHECK(dispatch(router, "GET", "/api/v1/special").body == "v1");

    Response missing = dispatch(router, "GET", "/nope");
    CHECK(missing.status == 404);
    CHECK(boost::json::parse(missing.body).at("message") ==
          "the server could not find the requested resource");
    Response wrong = dispatch(router, "DELETE", "/healthz");
    CHECK(wrong.status == 405);
    CHECK(wrong.headers.get("Allow") == "GET");
    CHECK(boost::json::parse(wrong.body).at("reason") == "MethodNotAllowed");
}
