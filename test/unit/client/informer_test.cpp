// Informer over FakeClient and over an ApiServer whose store the test compacts: the initial
// list, live changes in order, selectors, indexes, resync, re-watch and relist after 410.
#include <catch2/catch.hpp>

#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "skiff/apiserver/apiserver.h"
#include "skiff/base/json.h"
#include "skiff/base/run.h"
#include "skiff/base/wake_signal.h"
#include "skiff/client/client.h"
#include "skiff/client/informer.h"
#include "skiff/store/memory_store.h"

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using namespace skiff;
using client::Informer;
using Events = std::vector<std::string>;

namespace {

void drain(asio::io_context& ctx) {
    for (;;) {
        if (ctx.stopped()) {
            ctx.restart();
        }
        if (ctx.poll() == 0) {
            return;
        }
    }
}

const api::ResourceType& configmaps() {
    static const auto registry = api::Registry::builtin();
    return *registry.find({"", "v1"}, "configmaps");
}

json::object configmap(std::string name, std::string color, std::string app = "web") {
    return json::object{{"apiVersion", "v1"},
                        {"kind", "ConfigMap"},
                        {"metadata", json::object{{"name", name},
                                                  {"labels", json::object{{"app", app}}}}},
                        {"data", json::object{{"color", color}}}};
}

std::string name_of(const json::object& o) {
    return std::string(base::string_at(json::value(o), {"metadata", "name"}));
}
std::string color_of(const json::object& o) {
    return std::string(base::string_at(json::value(o), {"data", "color"}));
}
std::string rv_of(const json::object& o) {
    return std::string(base::string_at(json::value(o), {"metadata", "resourceVersion"}));
}

/// What the handlers were told, one line per call.
struct Recorder {
    Events events;

    Informer::Handlers handlers() {
        return {[this](const json::object& o) {
                    events.push_back("add " + name_of(o) + " " + color_of(o));
                },
                [this](const json::object& old, const json::object& now) {
                    events.push_back("update " + name_of(now) + " " + color_of(old) + "->" +
                                     color_of(now));
                },
                [this](const json::object& o) {
                    events.push_back("delete " + name_of(o) + " " + color_of(o));
                }};
    }
    /// The events since the last call.
    Events take() { return std::exchange(events, {}); }
};

/// A Client in front of another whose watches the test can end, or hold at the door.
class GatedClient final : public client::Client {
public:
    explicit GatedClient(client::Client& inner) : inner_(inner) {}

    asio::awaitable<base::Result<json::object>> get(const api::ResourceType& type, std::string ns,
                                                    std::string name,
                                                    std::string subresource) override {
        return inner_.get(type, std::move(ns), std::move(name), std::move(subresource));
    }
    asio::awaitable<base::Result<json::object>> list(const api::ResourceType& type,
                                                     std::string ns,
                                                     api::ListOptions options) override {
        ++lists;
        return inner_.list(type, std::move(ns), std::move(options));
    }
    asio::awaitable<base::Result<std::unique_ptr<api::EventStream>>> watch(
        const api::ResourceType& type, std::string ns, api::ListOptions options) override {
        ++watches;
        while (closed) {
            co_await gate.wait();
        }
        auto w = co_await inner_.watch(type, std::move(ns), std::move(options));
        if (!w.ok()) {
            co_return w.status();
        }
        co_return std::unique_ptr<api::EventStream>(
            std::make_unique<Stream>(*this, std::move(*w)));
    }
    asio::awaitable<base::Result<json::object>> create(const api::ResourceType& type,
                                                       std::string ns, json::object object,
                                                       api::WriteOptions options) override {
        return inner_.create(type, std::move(ns), std::move(object), std::move(options));
    }
    asio::awaitable<base::Result<json::object>> update(const api::ResourceType& type,
                                                       json::object object,
                                                       std::string subresource,
                                                       api::WriteOptions options) override {
        return inner_.update(type, std::move(object), std::move(subresource), std::move(options));
    }
    asio::awaitable<base::Result<json::object>> patch(const api::ResourceType& type,
                                                      std::string ns, std::string name,
                                                      api::PatchType patch_type,
                                                      std::string patch, std::string subresource,
                                                      api::WriteOptions options) override {
        return inner_.patch(type, std::move(ns), std::move(name), patch_type, std::move(patch),
                            std::move(subresource), std::move(options));
    }
    asio::awaitable<base::Result<json::object>> remove(const api::ResourceType& type,
                                                       std::string ns, std::string name,
                                                       json::object delete_options) override {
        return inner_.remove(type, std::move(ns), std::move(name), std::move(delete_options));
    }

    /// Ends every open watch (as its timeout would).
    void cut() {
        auto open = streams;
        for (auto* s : open) {
            s->cancel();
        }
    }
    void close() { closed = true; }
    void open() {
        closed = false;
        gate.notify();
    }

    int lists = 0;
    int watches = 0;

private:
    class Stream final : public api::EventStream {
    public:
        Stream(GatedClient& owner, std::unique_ptr<api::EventStream> inner)
            : owner_(owner), inner_(std::move(inner)) {
            owner_.streams.insert(this);
        }
        ~Stream() override { owner_.streams.erase(this); }
        asio::awaitable<base::Result<api::WatchEvent>> next() override { return inner_->next(); }
        void cancel() override { inner_->cancel(); }

    private:
        GatedClient& owner_;
        std::unique_ptr<api::EventStream> inner_;
    };

    client::Client& inner_;
    std::set<Stream*> streams;
    bool closed = false;
    base::WakeSignal gate;
};

/// A FakeClient, or an ApiServer over a MemoryStore the test can compact, behind a gate.
struct Cluster {
    explicit Cluster(bool with_store) {
        if (!with_store) {
            fake = client::make_fake_client(ctx.get_executor(), clock);
            client = fake.get();
            return;
        }
        store = std::make_unique<store::MemoryStore>(ctx.get_executor(), clock,
                                                     store::LocalOptions{});
        server = std::make_unique<apiserver::ApiServer>(*store, clock,
                                                        apiserver::ApiServerOptions{});
        auto booted = base::run_to_completion(ctx, server->bootstrap());
        REQUIRE(booted.ok());
        local = client::make_local_client(*server);
        gated = std::make_unique<GatedClient>(*local);
        client = gated.get();
    }

    template <typename T>
    T run(asio::awaitable<T> task) {
        return base::run_to_completion(ctx, std::move(task), 10s);
    }
    json::object create(std::string name, std::string color, std::string app = "web") {
        auto r = run(client->create(configmaps(), "default", configmap(name, color, app)));
        REQUIRE(r.ok());
        return *r;
    }
    json::object merge(std::string name, std::string patch) {
        auto r = run(client->patch(configmaps(), "default", name, api::PatchType::Merge, patch));
        REQUIRE(r.ok());
        return *r;
    }
    void remove(std::string name) {
        auto r = run(client->remove(configmaps(), "default", name));
        REQUIRE(r.ok());
    }
    /// Advances the clock a second at a time until `done` holds (at most a minute).
    template <typename F>
    bool advance_until(F done) {
        for (int i = 0; i < 60 && !done(); ++i) {
            clock.advance(1s);
            drain(ctx);
        }
        return done();
    }

    asio::io_context ctx;
    base::FakeClock clock;
    std::unique_ptr<client::Client> fake;
    std::unique_ptr<store::MemoryStore> store;
    std::unique_ptr<apiserver::ApiServer> server;
    std::unique_ptr<client::Client> local;
    std::unique_ptr<GatedClient> gated;
    client::Client* client = nullptr;
};

client::InformerOptions in_default() {
    client::InformerOptions o;
    o.namespace_ = "default";
    return o;
}

}  // namespace

TEST_CASE("object keys", "[client][informer]") {
    CHECK(client::object_key(configmap("a", "x")) == "a");
    auto namespaced = configmap("a", "x");
    namespaced["metadata"].as_object()["namespace"] = "ns";
    CHECK(client::object_key(namespaced) == "ns/a");
    CHECK(client::split_key("ns/a") == std::pair<std::string, std::string>{"ns", "a"});
    CHECK(client::split_key("node1") == std::pair<std::string, std::string>{"", "node1"});
}

TEST_CASE("an informer sees what exists, then every change in order", "[client][informer]") {
    Cluster h(false);
    h.create("a", "blue");
    h.create("b", "red");
    Informer inf(h.ctx.get_executor(), *h.client, configmaps(), h.clock, in_default());
    Recorder rec;
    inf.add_handlers(rec.handlers());
    Recorder second;  // a shared informer: every handler set hears everything
    inf.add_handlers(second.handlers());
    inf.add_index("color", Informer::index_by_field({"data", "color"}));
    CHECK(!inf.has_synced());
    inf.start();
    CHECK(h.run(inf.wait_synced()));
    CHECK(inf.has_synced());
    CHECK(rec.take() == Events{"add a blue", "add b red"});

    h.create("c", "green");
    h.merge("a", R"({"data":{"color":"green"}})");
    h.merge("b", R"({"data":{"color":"purple"}})");
    h.remove("b");
    drain(h.ctx);
    CHECK(rec.take() == Events{"add c green", "update a blue->green", "update b red->purple",
                               "delete b purple"});
    CHECK(second.events.size() == 6);

    REQUIRE(inf.get("default", "a"));
    CHECK(color_of(*inf.get("default", "a")) == "green");
    CHECK(inf.get("default", "a")->at("kind").as_string() == "ConfigMap");
    CHECK(inf.get("default", "b") == nullptr);
    CHECK(inf.get_by_key("default/c") != nullptr);
    CHECK(inf.keys() == std::vector<std::string>{"default/a", "default/c"});
    CHECK(inf.list().size() == 2);
    CHECK(inf.list("default").size() == 2);
    CHECK(inf.list("kube-system").empty());
    auto green = inf.by_index("color", "green");
    REQUIRE(green.size() == 2);
    CHECK(name_of(*green[0]) == "a");
    CHECK(name_of(*green[1]) == "c");
    CHECK(inf.by_index("color", "blue").empty());
    CHECK(inf.by_index("nothing", "green").empty());
    inf.add_index("name", Informer::index_by_field({"metadata", "name"}));
    CHECK(inf.by_index("name", "c").size() == 1);
    auto latest = h.merge("c", R"({"data":{"color":"blue"}})");
    drain(h.ctx);
    CHECK(inf.resource_version() == rv_of(latest));
    CHECK(inf.by_index("color", "blue").size() == 1);
    CHECK(inf.by_index("color", "green").size() == 1);
    rec.take();

    // A handler added late hears of what is there first.
    Recorder late;
    inf.add_handlers(late.handlers());
    CHECK(late.take() == Events{"add a green", "add c blue"});

    h.run(inf.stop());
    h.create("z", "white");
    drain(h.ctx);
    CHECK(rec.events.empty());
}

TEST_CASE("wait_synced returns false when the informer stops first", "[client][informer]") {
    Cluster h(false);
    Informer inf(h.ctx.get_executor(), *h.client, configmaps(), h.clock, in_default());
    bool done = false;
    bool synced = true;
    asio::co_spawn(h.ctx, inf.wait_synced(), [&](std::exception_ptr, bool s) {
        synced = s;
        done = true;
    });
    drain(h.ctx);
    CHECK(!done);
    h.run(inf.stop());
    drain(h.ctx);
    CHECK(done);
    CHECK(!synced);
}

TEST_CASE("a selector-filtered informer sees objects enter and leave its selection",
          "[client][informer]") {
    Cluster h(false);
    h.create("web1", "blue", "web");
    h.create("db1", "red", "db");
    auto options = in_default();
    options.label_selector = "app=web";
    Informer inf(h.ctx.get_executor(), *h.client, configmaps(), h.clock, options);
    Recorder rec;
    inf.add_handlers(rec.handlers());
    inf.start();
    REQUIRE(h.run(inf.wait_synced()));
    CHECK(rec.take() == Events{"add web1 blue"});
    h.merge("db1", R"({"metadata":{"labels":{"app":"web"}}})");
    h.merge("web1", R"({"metadata":{"labels":{"app":"db"}},"data":{"color":"gray"}})");
    h.create("db2", "x", "db");
    h.remove("db1");
    drain(h.ctx);
    CHECK(rec.take() == Events{"add db1 red", "delete web1 blue", "delete db1 red"});
    CHECK(inf.size() == 0);
    h.run(inf.stop());
}

TEST_CASE("resync hands every cached object to on_update again", "[client][informer]") {
    Cluster h(false);
    h.create("a", "blue");
    h.create("b", "red");
    auto options = in_default();
    options.resync = 30s;
    Informer inf(h.ctx.get_executor(), *h.client, configmaps(), h.clock, options);
    Recorder rec;
    inf.add_handlers(rec.handlers());
    inf.start();
    REQUIRE(h.run(inf.wait_synced()));
    rec.take();
    h.clock.advance(29s);
    drain(h.ctx);
    CHECK(rec.events.empty());
    h.clock.advance(1s);
    drain(h.ctx);
    CHECK(rec.take() == Events{"update a blue->blue", "update b red->red"});
    h.clock.advance(30s);
    drain(h.ctx);
    CHECK(rec.take().size() == 2);
    h.run(inf.stop());
}

TEST_CASE("an informer re-watches from where it was when a watch ends", "[client][informer]") {
    Cluster h(true);
    h.create("a", "blue");
    Informer inf(h.ctx.get_executor(), *h.client, configmaps(), h.clock, in_default());
    Recorder rec;
    inf.add_handlers(rec.handlers());
    inf.start();
    REQUIRE(h.run(inf.wait_synced()));
    h.create("x", "white");
    drain(h.ctx);
    CHECK(h.gated->watches == 1);

    h.gated->close();
    h.gated->cut();  // the watch had events: renewed at once
    drain(h.ctx);
    CHECK(h.gated->watches == 2);
    h.create("y", "black");  // while no watch is open
    h.gated->open();
    drain(h.ctx);
    h.create("z", "gray");
    drain(h.ctx);
    CHECK(rec.take() == Events{"add a blue", "add x white", "add y black", "add z gray"});
    CHECK(h.gated->lists == 1);

    // A watch that ends at once without events is a failure: the next waits for a backoff.
    h.gated->cut();
    drain(h.ctx);
    CHECK(h.gated->watches == 3);
    h.gated->cut();
    drain(h.ctx);
    CHECK(h.gated->watches == 3);
    CHECK(h.advance_until([&] { return h.gated->watches == 4; }));
    h.create("w", "pink");
    drain(h.ctx);
    CHECK(rec.take() == Events{"add w pink"});
    CHECK(h.gated->lists == 1);
    h.run(inf.stop());
}

TEST_CASE("after a 410 an informer relists and delivers the differences",
          "[client][informer]") {
    Cluster h(true);
    h.create("a", "blue");
    h.create("b", "red");
    h.create("c", "green");
    Informer inf(h.ctx.get_executor(), *h.client, configmaps(), h.clock, in_default());
    Recorder rec;
    inf.add_handlers(rec.handlers());
    inf.start();
    REQUIRE(h.run(inf.wait_synced()));
    CHECK(rec.take() == Events{"add a blue", "add b red", "add c green"});
    h.create("x", "white");
    drain(h.ctx);
    CHECK(rec.take() == Events{"add x white"});

    // The watch ends and, before the informer watches again, what it would resume from is
    // compacted away.
    h.gated->close();
    h.gated->cut();
    drain(h.ctx);
    h.merge("a", R"({"data":{"color":"yellow"}})");
    h.remove("b");
    auto d = h.create("d", "white");
    auto compacted = h.run(h.store->compact(std::stoll(rv_of(d))));
    REQUIRE(compacted.ok());
    h.gated->open();
    CHECK(h.advance_until([&] { return inf.lists() == 2; }));
    CHECK(rec.take() == Events{"update a blue->yellow", "add d white", "delete b red"});
    CHECK(inf.keys() == std::vector<std::string>{"default/a", "default/c", "default/d",
                                                 "default/x"});
    CHECK(inf.resource_version() == rv_of(d));

    // And it follows live changes again.
    h.merge("c", R"({"data":{"color":"blue"}})");
    drain(h.ctx);
    CHECK(rec.take() == Events{"update c green->blue"});
    h.run(inf.stop());
}
