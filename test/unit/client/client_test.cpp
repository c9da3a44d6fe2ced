// The Client contract: one suite over LocalClient, HttpClient (over a real TLS server) and
// FakeClient, so the three answer alike.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "skiff/apiserver/apiserver.h"
#include "skiff/base/json.h"
#include "skiff/base/run.h"
#include "skiff/client/client.h"
#include "skiff/http/server.h"
#include "skiff/pki/authority.h"
#include "skiff/pki/key.h"
#include "skiff/store/memory_store.h"

namespace asio = boost::asio;
namespace json = boost::json;
using skiff::base::Reason;
using namespace skiff;

namespace {

enum class Kind { Local, Http, Fake };

const char* name_of(Kind k) {
    switch (k) {
        case Kind::Local:
            return "local";
        case Kind::Http:
            return "http";
        case Kind::Fake:
            return "fake";
    }
    return "?";
}

/// A client of `kind` with everything it needs, torn down in order.
struct Harness {
    explicit Harness(Kind kind) {
        if (kind == Kind::Fake) {
            client = client::make_fake_client(ctx.get_executor(), clock);
            return;
        }
        store = std::make_unique<store::MemoryStore>(ctx.get_executor(), clock,
                                                     store::LocalOptions{});
        server = std::make_unique<apiserver::ApiServer>(*store, clock,
                                                        apiserver::ApiServerOptions{});
        auto booted = base::run_to_completion(ctx, server->bootstrap());
        REQUIRE(booted.ok());
        if (kind == Kind::Local) {
            client = client::make_local_client(*server);
            return;
        }
        const auto now = std::chrono::system_clock::now();
        auto ca = pki::generate_ca("test-ca", now);
        REQUIRE(ca.ok());
        auto server_key = pki::PrivateKey::generate();
        auto client_key = pki::PrivateKey::generate();
        REQUIRE(server_key.ok());
        REQUIRE(client_key.ok());
        auto serving = pki::issue_serving_cert(*ca, server_key->public_key(), "apiserver",
                                               {"localhost"}, {"127.0.0.1"}, now);
        auto admin = pki::issue_client_cert(*ca, client_key->public_key(), "admin",
                                            {"system:masters"}, now);
        REQUIRE(serving.ok());
        REQUIRE(admin.ok());
        server->add_routes(router);
        http::ServerConfig config{.tls = http::ServerTls{.cert_chain_pem = serving->to_pem(),
                                                         .key_pem = server_key->to_pem(),
                                                         .client_ca_pem = ca->cert.to_pem()}};
        http_server = std::make_unique<http::Server>(ctx.get_executor(), config, router.handler());
        auto port = http_server->listen();
        REQUIRE(port.ok());
        http_server->start();
        client::HttpClientConfig cc{
            .server = "https://127.0.0.1:" + std::to_string(*port),
            .http = http::ClientConfig{.tls = http::ClientTls{.ca_pem = ca->cert.to_pem(),
                                                              .cert_pem = admin->to_pem(),
                                                              .key_pem = client_key->to_pem()}}};
        auto c = client::make_http_client(ctx.get_executor(), cc);
        REQUIRE(c.ok());
        client = std::move(*c);
    }
    ~Harness() {
        client.reset();
        if (http_server) {
            base::run_to_completion(ctx, http_server->stop(std::chrono::milliseconds(0)));
        }
    }

    void run(asio::awaitable<void> body) {
        base::run_to_completion(ctx, std::move(body), std::chrono::seconds(20));
    }

    asio::io_context ctx;
    base::FakeClock clock;
    std::unique_ptr<store::MemoryStore> store;
    std::unique_ptr<apiserver::ApiServer> server;
    http::Router router;
    std::unique_ptr<http::Server> http_server;
    std::unique_ptr<client::Client> client;
};

const api::Registry& registry() {
    static const auto r = api::Registry::builtin();
    return r;
}

const api::ResourceType& configmaps() {
    return *registry().find({"", "v1"}, "configmaps");
}

const api::ResourceType& deployments() {
    return *registry().find({"apps", "v1"}, "deployments");
}

json::object configmap(std::string name, std::string color, std::string app = "web") {
    return json::object{{"apiVersion", "v1"},
                        {"kind", "ConfigMap"},
                        {"metadata", json::object{{"name", name},
                                                  {"labels", json::object{{"app", app}}}}},
                        {"data", json::object{{"color", color}}}};
}

std::string rv_of(const json::object& o) {
    return std::string(base::string_at(json::value(o), {"metadata", "resourceVersion"}));
}

#define CLIENT_TEST(name)                                                      \
    static asio::awaitable<void> SKIFF_CAT(client_body_, __LINE__)(Harness&); \
    TEST_CASE(name, "[client]") {                                              \
        const auto kind = GENERATE(Kind::Local, Kind::Http, Kind::Fake);       \
        INFO("client " << name_of(kind));                                      \
        Harness h(kind);                                                       \
        h.run(SKIFF_CAT(client_body_, __LINE__)(h));                           \
    }                                                                          \
    static asio::awaitable<void> SKIFF_CAT(client_body_, __LINE__)(Harness & h)
#define SKIFF_CAT2(a, b) a##b
#define SKIFF_CAT(a, b) SKIFF_CAT2(a, b)

}  // namespace

CLIENT_TEST("create, get, update and delete with Kubernetes' errors") {
    auto& c = *h.client;
    auto created = co_await c.create(configmaps(), "default", configmap("a", "blue"));
    REQUIRE(created.ok());
    CHECK(base::string_at(json::value(*created), {"metadata", "namespace"}) == "default");
    CHECK(!base::string_at(json::value(*created), {"metadata", "uid"}).empty());
    auto again = co_await c.create(configmaps(), "default", configmap("a", "blue"));
    CHECK(again.status().reason() == Reason::AlreadyExists);
    CHECK(again.status().message() == "configmaps \"a\" already exists");
    auto nowhere = co_await c.create(configmaps(), "nowhere", configmap("a", "blue"));
    CHECK(nowhere.status().reason() == Reason::NotFound);
    CHECK(nowhere.status().message() == "namespaces \"nowhere\" not found");
    auto bad = co_await c.create(configmaps(), "default", configmap("Bad_Name", "x"));
    CHECK(bad.status().reason() == Reason::Invalid);
    CHECK(bad.status().code() == 422);

    auto got = co_await c.get(configmaps(), "default", "a");
    REQUIRE(got.ok());
    CHECK(*got == *created);
    auto stale = *got;
    auto changed = *got;
    changed["data"].as_object()["color"] = "green";
    auto updated = co_await c.update(configmaps(), changed);
    REQUIRE(updated.ok());
    CHECK(rv_of(*updated) != rv_of(*created));
    stale["data"].as_object()["color"] = "red";
    auto conflict = co_await c.update(configmaps(), stale);
    CHECK(conflict.status().reason() == Reason::Conflict);

    auto removed = co_await c.remove(configmaps(), "default", "a");
    REQUIRE(removed.ok());
    CHECK(base::string_at(json::value(*removed), {"status"}) == "Success");
    auto gone = co_await c.get(configmaps(), "default", "a");
    CHECK(gone.status().reason() == Reason::NotFound);
    CHECK(gone.status().message() == "configmaps \"a\" not found");
    auto gone2 = co_await c.remove(configmaps(), "default", "a");
    CHECK(gone2.status().reason() == Reason::NotFound);
}

CLIENT_TEST("lists select by label and field and page with continue") {
    auto& c = *h.client;
    for (int i = 0; i < 5; ++i) {
        auto r = co_await c.create(configmaps(), "default",
                                   configmap("cm" + std::to_string(i), "c", i % 2 ? "odd" : "even"));
        REQUIRE(r.ok());
    }
    api::ListOptions even{.label_selector = "app=even"};
    auto evens = co_await c.list(configmaps(), "default", even);
    REQUIRE(evens.ok());
    CHECK(evens->at("items").as_array().size() == 3);
    CHECK(evens->at("kind").as_string() == "ConfigMapList");
    api::ListOptions by_name{.field_selector = "metadata.name=cm3"};
    auto one = co_await c.list(configmaps(), "", by_name);
    REQUIRE(one.ok());
    REQUIRE(one->at("items").as_array().size() == 1);
    api::ListOptions bad_field{.field_selector = "spec.nothing=1"};
    auto bad = co_await c.list(configmaps(), "", bad_field);
    CHECK(bad.status().reason() == Reason::BadRequest);
    CHECK(bad.status().message() == "field label not supported: spec.nothing");

    std::vector<std::string> names;
    api::ListOptions page{.limit = 2};
    for (int pages = 0; pages < 10; ++pages) {
        auto r = co_await c.list(configmaps(), "default", page);
        REQUIRE(r.ok());
        for (const auto& item : r->at("items").as_array()) {
            names.emplace_back(base::string_at(item, {"metadata", "name"}));
        }
        page.continue_token = std::string(base::string_at(json::value(*r), {"metadata", "continue"}));
        if (page.continue_token.empty()) {
            break;
        }
    }
    CHECK(names == std::vector<std::string>{"cm0", "cm1", "cm2", "cm3", "cm4"});
}

CLIENT_TEST("patches of every type, status and scale subresources") {
    auto& c = *h.client;
    auto d = base::parse_json(R"({"apiVersion":"apps/v1","kind":"Deployment",
        "metadata":{"name":"web"},
        "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
            "spec":{"containers":[{"name":"a","image":"busybox"},{"name":"b","image":"nginx"}]}}}})");
    REQUIRE(d.ok());
    auto created = co_await c.create(deployments(), "default", d->as_object());
    REQUIRE(created.ok());
    // Strategic merge: containers merge by name.
    auto smp = co_await c.patch(
        deployments(), "default", "web", api::PatchType::StrategicMerge,
        R"({"spec":{"template":{"spec":{"containers":[{"name":"b","image":"nginx:2"}]}}}})");
    REQUIRE(smp.ok());
    const json::value smp_value(*smp);
    const auto& containers =
        base::find(smp_value, {"spec", "template", "spec", "containers"})->as_array();
    REQUIRE(containers.size() == 2);
    CHECK(base::string_at(containers[1], {"image"}) == "nginx:2");
    auto merge = co_await c.patch(deployments(), "default", "web", api::PatchType::Merge,
                                  R"({"metadata":{"labels":{"tier":"front"}}})");
    REQUIRE(merge.ok());
    CHECK(base::string_at(json::value(*merge), {"metadata", "labels", "tier"}) == "front");
    auto jp = co_await c.patch(deployments(), "default", "web", api::PatchType::Json,
                               R"([{"op":"replace","path":"/spec/replicas","value":2}])");
    REQUIRE(jp.ok());
    CHECK(base::int_at(json::value(*jp), {"spec", "replicas"}) == 2);
    CHECK(base::int_at(json::value(*jp), {"metadata", "generation"}) == 3);
    auto failed = co_await c.patch(deployments(), "default", "web", api::PatchType::Json,
                                   R"([{"op":"remove","path":"/spec/nothing"}])");
    CHECK(!failed.ok());

    auto status = co_await c.patch_with(deployments(), "default", "web", api::PatchType::Merge,
                                        R"({"status":{"replicas":2},"spec":{"replicas":5}})",
                                        "status");
    REQUIRE(status.ok());
    CHECK(base::int_at(json::value(*status), {"status", "replicas"}) == 2);
    CHECK(base::int_at(json::value(*status), {"spec", "replicas"}) == 2);

    auto scale = co_await c.get(deployments(), "default", "web", "scale");
    REQUIRE(scale.ok());
    CHECK(base::string_at(json::value(*scale), {"kind"}) == "Scale");
    CHECK(base::string_at(json::value(*scale), {"status", "selector"}) == "app=web");
    auto scaled = co_await c.patch_with(deployments(), "default", "web", api::PatchType::Merge,
                                        R"({"spec":{"replicas":4}})", "scale");
    REQUIRE(scaled.ok());
    auto after = co_await c.get(deployments(), "default", "web");
    REQUIRE(after.ok());
    CHECK(base::int_at(json::value(*after), {"spec", "replicas"}) == 4);

    // Server-side apply creates what is missing.
    auto applied = co_await c.patch(configmaps(), "default", "applied", api::PatchType::Apply,
                                    json::serialize(configmap("applied", "x")));
    REQUIRE(applied.ok());
    api::WriteOptions dry_run;
    dry_run.dry_run = true;
    auto dry = co_await c.create(configmaps(), "default", configmap("dry", "x"), dry_run);
    REQUIRE(dry.ok());
    auto not_there = co_await c.get(configmaps(), "default", "dry");
    CHECK(not_there.status().reason() == Reason::NotFound);
}

CLIENT_TEST("watches replay, follow changes and honour selectors") {
    auto& c = *h.client;
    auto first = co_await c.create(configmaps(), "default", configmap("a", "blue"));
    REQUIRE(first.ok());
    api::ListOptions all;
    auto w = co_await c.watch(configmaps(), "default", all);
    REQUIRE(w.ok());
    api::ListOptions selected_options{.label_selector = "app=web",
                                      .resource_version = rv_of(*first)};
    auto selected = co_await c.watch(configmaps(), "default", selected_options);
    REQUIRE(selected.ok());

    auto e1 = co_await (*w)->next();
    REQUIRE(e1.ok());
    CHECK(e1->type == "ADDED");
    auto b = co_await c.create(configmaps(), "default", configmap("b", "red", "db"));
    REQUIRE(b.ok());
    auto relabel = co_await c.patch(configmaps(), "default", "a", api::PatchType::Merge,
                                    R"({"metadata":{"labels":{"app":"db"}}})");
    REQUIRE(relabel.ok());
    auto removed = co_await c.remove(configmaps(), "default", "b");
    REQUIRE(removed.ok());

    std::vector<std::string> seen;
    for (int i = 0; i < 3; ++i) {
        auto e = co_await (*w)->next();
        REQUIRE(e.ok());
        seen.push_back(e->type + " " +
                       std::string(base::string_at(json::value(e->object), {"metadata", "name"})));
    }
    CHECK(seen == std::vector<std::string>{"ADDED b", "MODIFIED a", "DELETED b"});
    // The app=web watch saw "a" leave its selection, as a DELETED.
    auto left = co_await (*selected)->next();
    REQUIRE(left.ok());
    CHECK(left->type == "DELETED");
    CHECK(base::string_at(json::value(left->object), {"metadata", "name"}) == "a");
}
