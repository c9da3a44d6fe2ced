// TLS: client certificates, pinning and server name verification between Client and Server.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace skiff;
using namespace skiff::http;
using namespace skiff::http::test;

namespace {

// Answers "<tls> <CN> <O,...>" for the verified client certificate.
net::awaitable<void> whoami(Exchange& ex, int* calls) {
    ++*calls;
    const Request& r = ex.request();
    std::string body = r.tls ? "tls" : "plain";
    if (r.peer) {
        body += " " + r.peer->common_name;
        for (const auto& o : r.peer->organizations) {
            body += " " + o;
        }
        body += r.peer->der.empty() ? " no-der" : " der";
    } else {
        body += " anonymous";
    }
    co_await ex.respond(Response::text(200, body));
}

struct TlsFixture {
    net::io_context ctx;
    int calls = 0;
    TestServer server{ctx,
                      ServerConfig{.tls = ServerTls{testdata("server.crt"), testdata("server.key"),
                                                    testdata("ca.crt")}},
                      [this](Exchange& ex) { return whoami(ex, &calls); }};

    base::Result<Response> get(ClientTls tls, std::string url = {}) {
        Client client = make_client(ctx, ClientConfig{.tls = std::move(tls)});
        return run(
            ctx, client.request(url.empty() ? server.url(true) : url, {.target = "/whoami"}), 5s);
    }
};

ClientTls trusting(std::string cert = {}, std::string key = {}) {
    return ClientTls{.ca_pem = testdata("ca.crt"), .cert_pem = std::move(cert),
                     .key_pem = std::move(key)};
}

TEST_CASE_METHOD(TlsFixture, "a client certificate is verified and exposed", "[http]") {
    auto r = get(trusting(testdata("alice.crt"), testdata("alice.key")));
    REQUIRE(r.ok());
    CHECK(r->body == "tls alice devs der");
}

TEST_CASE_METHOD(TlsFixture, "without a client certificate the peer is empty", "[http]") {
    auto r = get(trusting());
    REQUIRE(r.ok());
    CHECK(r->body == "tls anonymous");
}

TEST_CASE_METHOD(TlsFixture, "an untrusted client certificate is refused", "[http]") {
    auto r = get(trusting(testdata("mallory.crt"), testdata("mallory.key")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == base::Reason::ServiceUnavailable);
    CHECK(calls == 0);
}

TEST_CASE_METHOD(TlsFixture, "a client pinned to another CA refuses the server", "[http]") {
    auto r = get(ClientTls{.ca_pem = testdata("other-ca.crt")});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("TLS handshake") &&
                                         Catch::Contains("certificate verify failed"));
    CHECK(calls == 0);
}

TEST_CASE_METHOD(TlsFixture, "server names are verified against the SANs", "[http]") {
    auto by_name = get(trusting(), "https://localhost:" + std::to_string(server.port()));
    REQUIRE(by_name.ok());
    CHECK(by_name->body == "tls anonymous");
    auto wrong = get(ClientTls{.ca_pem = testdata("ca.crt"), .server_name = "example.com"});
    CHECK_FALSE(wrong.ok());
    auto skip = get(ClientTls{.ca_pem = testdata("other-ca.crt"), .insecure_skip_verify = true,
                              .server_name = "example.com"});
    CHECK(skip.ok());
}

net::awaitable<void> nothing(Exchange&) { co_return; }

TEST_CASE("bad TLS material is a BadRequest", "[http]") {
    net::io_context ctx;
    Server server(ctx.get_executor(),
                  ServerConfig{.tls = ServerTls{"not a pem", testdata("server.key"), ""}},
                  nothing);
    auto port = server.listen();
    REQUIRE_FALSE(port.ok());
    CHECK(port.status().reason() == base::Reason::BadRequest);
    auto mismatched = Client::create(
        ctx.get_executor(),
        ClientConfig{.tls = {.cert_pem = testdata("alice.crt"), .key_pem = testdata("server.key")}});
    CHECK_FALSE(mismatched.ok());
}

}  // namespace
