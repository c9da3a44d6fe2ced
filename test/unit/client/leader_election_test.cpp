// LeaderElector over FakeClient with a fake clock: one leader among candidates, take-over
// after the leader stops renewing, release, stepping down, optimistic concurrency.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/base/run.h"
#include "skiff/client/client.h"
#include "skiff/client/leader_election.h"

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using namespace skiff;

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

const api::ResourceType& leases() {
    static const auto registry = api::Registry::builtin();
    return *registry.find({"coordination.k8s.io", "v1"}, "leases");
}

struct Cluster {
    Cluster() : client(client::make_fake_client(ctx.get_executor(), clock)) {}

    template <typename T>
    T run(asio::awaitable<T> task) {
        return base::run_to_completion(ctx, std::move(task), 10s);
    }
    json::object lease() {
        auto r = run(client->get(leases(), "kube-system", "ctrl"));
        REQUIRE(r.ok());
        return *r;
    }
    std::string holder() {
        return std::string(base::string_at(json::value(lease()), {"spec", "holderIdentity"}));
    }
    std::int64_t transitions() {
        return base::int_at(json::value(lease()), {"spec", "leaseTransitions"});
    }
    void tick(base::Clock::Duration by) {
        clock.advance(by);
        drain(ctx);
    }

    asio::io_context ctx;
    base::FakeClock clock;
    std::unique_ptr<client::Client> client;
};

struct Candidate {
    Candidate(Cluster& cluster, std::string identity, bool release_on_stop, std::uint64_t seed) {
        client::LeaderElectionConfig config;
        config.lease_name = "ctrl";
        config.identity = std::move(identity);
        config.release_on_stop = release_on_stop;
        config.seed = seed;
        config.on_started_leading = [this] { ++started; };
        config.on_stopped_leading = [this] { ++stopped; };
        config.on_new_leader = [this](const std::string& who) { leaders.push_back(who); };
        REQUIRE(client::validate(config).ok());
        elector = std::make_unique<client::LeaderElector>(cluster.ctx.get_executor(),
                                                          *cluster.client, cluster.clock, config);
    }

    int started = 0;
    int stopped = 0;
    std::vector<std::string> leaders;
    std::unique_ptr<client::LeaderElector> elector;
};

}  // namespace

TEST_CASE("leader election configs are checked as client-go checks them", "[client][leader]") {
    client::LeaderElectionConfig c;
    c.lease_name = "x";
    c.identity = "me";
    CHECK(client::validate(c).ok());
    auto bad = c;
    bad.renew_deadline = 15s;
    CHECK(client::validate(bad).message() ==
          "leader election: lease duration must be greater than the renew deadline");
    bad = c;
    bad.retry_period = 9s;
    CHECK(!client::validate(bad).ok());
    bad = c;
    bad.identity.clear();
    CHECK(!client::validate(bad).ok());
}

TEST_CASE("one of two candidates leads; the other takes over once it stops renewing",
          "[client][leader]") {
    Cluster h;
    Candidate a(h, "a", false, 1);
    Candidate b(h, "b", true, 2);
    a.elector->start();
    drain(h.ctx);
    CHECK(a.elector->is_leader());
    CHECK(a.started == 1);
    CHECK(h.holder() == "a");
    CHECK(h.transitions() == 0);
    CHECK(base::int_at(json::value(h.lease()), {"spec", "leaseDurationSeconds"}) == 15);
    const auto acquired =
        std::string(base::string_at(json::value(h.lease()), {"spec", "acquireTime"}));
    CHECK(acquired == "2023-11-14T22:13:20.000000Z");

    b.elector->start();
    drain(h.ctx);
    CHECK(!b.elector->is_leader());
    CHECK(b.elector->leader() == "a");
    for (int i = 0; i < 60; ++i) {
        h.tick(1s);
        REQUIRE(a.elector->is_leader());
        REQUIRE(!b.elector->is_leader());
    }
    CHECK(h.holder() == "a");
    CHECK(std::string(base::string_at(json::value(h.lease()), {"spec", "acquireTime"})) ==
          acquired);
    CHECK(std::string(base::string_at(json::value(h.lease()), {"spec", "renewTime"})) !=
          acquired);

    // "a" goes away without releasing the lease, as a crashed process would.
    h.run(a.elector->stop());
    CHECK(!a.elector->is_leader());
    CHECK(a.stopped == 1);
    int waited = 0;
    while (!b.elector->is_leader() && waited < 40) {
        h.tick(1s);
        ++waited;
    }
    CHECK(b.elector->is_leader());
    // Not before lease_duration after the last renewal b saw (a renewed every 2 s), and at
    // most a couple of jittered retry periods later.
    CHECK(waited >= 13);
    CHECK(waited <= 25);
    CHECK(b.started == 1);
    CHECK(h.holder() == "b");
    CHECK(h.transitions() == 1);
    CHECK(b.leaders == std::vector<std::string>{"a", "b"});
    h.run(b.elector->stop());
    CHECK(b.stopped == 1);
}

TEST_CASE("a leader that releases the lease on stop hands over at once", "[client][leader]") {
    Cluster h;
    Candidate a(h, "a", true, 3);
    Candidate b(h, "b", true, 4);
    a.elector->start();
    drain(h.ctx);
    b.elector->start();
    h.tick(3s);
    REQUIRE(a.elector->is_leader());
    h.run(a.elector->stop());
    CHECK(a.stopped == 1);
    CHECK(h.holder().empty());
    int waited = 0;
    while (!b.elector->is_leader() && waited < 40) {
        h.tick(1s);
        ++waited;
    }
    CHECK(b.elector->is_leader());
    CHECK(waited <= 5);  // one jittered retry period, not a lease duration
    CHECK(h.transitions() == 1);
    h.run(b.elector->stop());
}

TEST_CASE("a leader steps down when it cannot renew within the renew deadline",
          "[client][leader]") {
    Cluster h;
    Candidate a(h, "a", true, 5);
    a.elector->start();
    drain(h.ctx);
    REQUIRE(a.elector->is_leader());
    h.tick(1s);
    h.tick(1s);  // a renewed just now

    // Someone else writes the lease as if it held it: a's renewals now fail.
    auto lease = h.lease();
    lease["spec"].as_object()["holderIdentity"] = "intruder";
    lease["spec"].as_object()["renewTime"] = "2023-11-14T22:13:22.000000Z";
    auto taken = h.run(h.client->update(leases(), lease));
    REQUIRE(taken.ok());
    for (int i = 0; i < 10; ++i) {
        h.tick(1s);
    }
    CHECK(a.elector->is_leader());  // still within the renew deadline
    CHECK(a.stopped == 0);
    h.tick(1s);
    h.tick(1s);
    CHECK(!a.elector->is_leader());
    CHECK(a.stopped == 1);
    CHECK(a.elector->leader() == "intruder");

    // The intruder never renews: a contends again and wins after lease_duration.
    int waited = 0;
    while (!a.elector->is_leader() && waited < 40) {
        h.tick(1s);
        ++waited;
    }
    CHECK(a.elector->is_leader());
    CHECK(a.started == 2);
    CHECK(h.holder() == "a");
    CHECK(h.transitions() == 1);
    h.run(a.elector->stop());
    CHECK(a.stopped == 2);
}

TEST_CASE("candidates racing for a lease: exactly one wins each round", "[client][leader]") {
    Cluster h;
    Candidate a(h, "a", true, 6);
    Candidate b(h, "b", true, 7);
    std::vector<bool> won;
    auto attempt = [&](client::LeaderElector& e) {
        asio::co_spawn(h.ctx, e.try_acquire_or_renew(),
                       [&](std::exception_ptr, bool w) { won.push_back(w); });
    };
    // No lease yet: whichever writes second fails (AlreadyExists, or it reads the winner's
    // fresh lease first).
    attempt(*a.elector);
    attempt(*b.elector);
    drain(h.ctx);
    REQUIRE(won.size() == 2);
    CHECK(won[0] != won[1]);
    const std::string first = h.holder();

    // A released lease: the second writer fails (Conflict on a stale resourceVersion, or it
    // reads the winner's fresh record first).
    auto lease = h.lease();
    lease["spec"].as_object()["holderIdentity"] = "";
    REQUIRE(h.run(h.client->update(leases(), lease)).ok());
    won.clear();
    attempt(*a.elector);
    attempt(*b.elector);
    drain(h.ctx);
    REQUIRE(won.size() == 2);
    CHECK(won[0] != won[1]);
    CHECK(!h.holder().empty());
    CHECK(h.transitions() == 1);
}
