// HollowNode over FakeClient: registration, lease renewal on the clock, pods started.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/base/run.h"
#include "skiff/client/client.h"
#include "skiff/hollow/hollow_node.h"

namespace asio = boost::asio;
namespace json = boost::json;
using namespace skiff;
using namespace std::chrono_literals;

namespace {

const api::ResourceType& type_of(std::string_view group, std::string_view resource) {
    static const auto r = api::Registry::builtin();
    return *r.find({std::string(group), "v1"}, resource);
}

/// Lets the node's coroutines run until `done` holds (or fails the test after a while).
template <typename Pred>
void run_until(asio::io_context& ctx, Pred done) {
    for (int i = 0; i < 2000 && !done(); ++i) {
        ctx.run_for(std::chrono::milliseconds(5));
        if (ctx.stopped()) {
            ctx.restart();
        }
    }
    REQUIRE(done());
}

}  // namespace

TEST_CASE("a hollow node registers, renews its lease and starts the pods bound to it",
          "[hollow]") {
    asio::io_context ctx;
    base::FakeClock clock;
    auto c = client::make_fake_client(ctx.get_executor(), clock);
    hollow::HollowNode node(ctx.get_executor(), *c, clock,
                            hollow::HollowNodeOptions{.name = "h0", .cpu = "2", .memory = "4Gi"});
    bool ended = false;
    asio::co_spawn(ctx, node.run(), [&](std::exception_ptr, base::Status st) {
        CHECK(st.ok());
        ended = true;
    });

    auto get = [&](const api::ResourceType& t, std::string ns, std::string name) {
        return base::run_to_completion(ctx, c->get(t, std::move(ns), std::move(name)));
    };
    run_until(ctx, [&] { return get(type_of("", "nodes"), "", "h0").ok(); });
    auto n = get(type_of("", "nodes"), "", "h0");
    const json::value nv(*n);
    CHECK(base::string_at(nv, {"status", "capacity", "cpu"}) == "2");
    CHECK(base::string_at(nv, {"status", "allocatable", "memory"}) == "4Gi");
    CHECK(base::string_at(nv, {"metadata", "labels", "kubernetes.io/hostname"}) == "h0");

    run_until(ctx, [&] { return get(type_of("coordination.k8s.io", "leases"), "kube-node-lease", "h0").ok(); });
    const auto first_renew = std::string(base::string_at(
        json::value(*get(type_of("coordination.k8s.io", "leases"), "kube-node-lease", "h0")),
        {"spec", "renewTime"}));
    clock.advance(10s);
    run_until(ctx, [&] {
        auto l = get(type_of("coordination.k8s.io", "leases"), "kube-node-lease", "h0");
        return l.ok() && base::string_at(json::value(*l), {"spec", "renewTime"}) != first_renew;
    });

    auto pod = base::parse_json(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
        "spec":{"nodeName":"h0","containers":[{"name":"c","image":"busybox:1"}]}})");
    REQUIRE(pod.ok());
    auto created = base::run_to_completion(ctx, c->create(type_of("", "pods"), "default",
                                                          pod->as_object()));
    REQUIRE(created.ok());
    run_until(ctx, [&] {
        auto p = get(type_of("", "pods"), "default", "p");
        return p.ok() && base::string_at(json::value(*p), {"status", "phase"}) == "Running";
    });
    auto p = get(type_of("", "pods"), "default", "p");
    const json::value pv(*p);
    CHECK(base::find(pv, {"status", "containerStatuses"})->as_array().size() == 1);
    CHECK(node.pods_started() == 1);

    node.stop();
    run_until(ctx, [&] { return ended; });
}
