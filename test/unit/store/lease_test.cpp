// Conformance: lease grant, keep-alive, time-to-live, revoke, and expiry (on the injected clock
// for the in-process backends, on etcd's own for etcd).
#include "store_harness.h"

using namespace skiff::store;
using namespace skiff::store::testing;
using skiff::base::Reason;
namespace asio = boost::asio;
using namespace std::chrono_literals;

STORE_TEST("leases are granted, kept alive, inspected and revoked", "[store]") {
    Store& s = *h.store;
    auto chosen = co_await s.lease_grant(30, 0);
    REQUIRE(chosen.ok());
    CHECK(chosen->id > 0);
    CHECK(chosen->ttl == 30);
    auto given = co_await s.lease_grant(60, 7);
    REQUIRE(given.ok());
    CHECK(given->id == 7);
    auto taken = co_await s.lease_grant(60, 7);
    CHECK(taken.status().reason() == Reason::AlreadyExists);
    auto granted = co_await s.lease_grant(0, 0);
    CHECK(granted.status().reason() == Reason::BadRequest);

    co_await put(s, "a", "1", 7);
    co_await put(s, "b", "1", 7);
    co_await put(s, "c", "1", chosen->id);
    co_await put(s, "d", "1");
    auto a = co_await get(s, "a");
    REQUIRE(a);
    CHECK(a->lease == 7);

    auto ttl = co_await s.lease_time_to_live(7, true);
    REQUIRE(ttl.ok());
    CHECK(ttl->granted_ttl == 60);
    CHECK(ttl->ttl >= 50);  // etcd's clock runs on while we ask, and while a member fails over
    CHECK(ttl->ttl <= 60);
    CHECK(ttl->keys == std::vector<std::string>{"a", "b"});
    auto no_keys = co_await s.lease_time_to_live(7, false);
    REQUIRE(no_keys.ok());
    CHECK(no_keys->keys.empty());

    auto kept = co_await s.lease_keep_alive(7);
    REQUIRE(kept.ok());
    CHECK(*kept == 60);
    auto ttl_left = co_await s.lease_time_to_live(7, false);
    CHECK(ttl_left->ttl >= 50);
    CHECK(ttl_left->ttl <= 60);

    // A key put again without the lease leaves it.
    co_await put(s, "b", "2");
    const auto before = s.current_revision();
    WatchRequest w_request{.key = "a", .range_end = "z"};
    auto w = co_await watch(s, std::move(w_request));
    auto revoked = co_await s.lease_revoke(7);
    REQUIRE(revoked.ok());
    CHECK(s.current_revision() == before + 1);  // one revision for all its keys
    auto events = co_await events_until(*w, before + 1);
    CHECK(describe(events) == std::vector<std::string>{"D a@" + std::to_string(before + 1)});
    auto kv = co_await get(s, "a");
    CHECK(!kv);
    auto kv2 = co_await get(s, "b");
    CHECK(kv2);

    // Unknown leases, everywhere, with etcd's message.
    std::vector<skiff::base::Status> unknown;
    unknown.push_back(co_await s.lease_revoke(7));
    unknown.push_back((co_await s.lease_keep_alive(7)).status());
    unknown.push_back((co_await s.lease_time_to_live(7, true)).status());
    for (const auto& st : unknown) {
        CHECK(st.reason() == Reason::NotFound);
        CHECK(st.message() == "etcdserver: requested lease not found");
    }
    // Revoking a lease without keys makes no revision.
    auto empty = co_await s.lease_grant(10, 0);
    REQUIRE(empty.ok());
    const auto rev = s.current_revision();
    auto revoked2 = co_await s.lease_revoke(empty->id);
    REQUIRE(revoked2.ok());
    CHECK(s.current_revision() == rev);
}

LOCAL_STORE_TEST_WITH("an expired lease deletes its keys when the clock passes its ttl", "[store]",
                      LocalOptions{}) {
    Store& s = *h.store;
    auto lease = co_await s.lease_grant(10, 0);
    REQUIRE(lease.ok());
    co_await put(s, "/registry/events/e1", "x", lease->id);
    co_await put(s, "/registry/events/e2", "y", lease->id);
    co_await put(s, "/registry/pods/p", "z");
    WatchRequest w_request{.key = "/registry/", .range_end = prefix_end("/registry/")};
    auto w = co_await watch(s, std::move(w_request));

    h.clock.advance(9s);
    auto ttl_left2 = co_await s.lease_time_to_live(lease->id, false);
    CHECK(ttl_left2->ttl == 1);
    co_await yield();
    auto kv3 = co_await get(s, "/registry/events/e1");
    CHECK(kv3);

    h.clock.advance(2s);
    // Expired but not yet revoked: keep-alive no longer revives it.
    auto kept_alive = co_await s.lease_keep_alive(lease->id);
    CHECK(kept_alive.status().reason() == Reason::NotFound);
    auto events = co_await events_until(*w, 5);
    CHECK(describe(events) ==
          std::vector<std::string>{"D /registry/events/e1@5", "D /registry/events/e2@5"});
    auto kv4 = co_await get(s, "/registry/events/e2");
    CHECK(!kv4);
    auto kv5 = co_await get(s, "/registry/pods/p");
    CHECK(kv5);
    auto ttl_left3 = co_await s.lease_time_to_live(lease->id, false);
    CHECK(ttl_left3.status().reason() == Reason::NotFound);
}

TEST_CASE("an expired etcd lease deletes its keys on etcd's clock", "[store][etcd]") {
    if (etcd_binary().empty()) {
        WARN("no etcd binary: skipped");
        return;
    }
    Harness h(Backend::Etcd);
    h.run([](Harness& h) -> asio::awaitable<void> {
        Store& s = *h.store;
        auto lease = co_await s.lease_grant(2, 0);
        REQUIRE(lease.ok());
        co_await put(s, "/registry/events/e1", "x", lease->id);
        co_await put(s, "/registry/events/e2", "y", lease->id);  // member 0 dies first
        auto kv = co_await get(s, "/registry/events/e1");
        CHECK(kv);
        WatchRequest w_request{.key = "/registry/", .range_end = prefix_end("/registry/")};
        auto w = co_await watch(s, std::move(w_request));
        auto events = co_await events_until(*w, 4);  // etcd expires it within a few seconds
        CHECK(describe(events) ==
              std::vector<std::string>{"D /registry/events/e1@4", "D /registry/events/e2@4"});
        auto ttl = co_await s.lease_time_to_live(lease->id, false);
        CHECK(ttl.status().reason() == Reason::NotFound);
    }(h));
}
