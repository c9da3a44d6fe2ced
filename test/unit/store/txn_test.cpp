// Conformance: txn compares, branches, one revision per write txn, prev_kv, the apiserver's
// create/update/delete patterns, and what a txn rejects.
#include "store_harness.h"

using namespace skiff::store;
using namespace skiff::store::testing;
using skiff::base::Reason;
namespace asio = boost::asio;
using Op = Compare::Op;

namespace {

// A txn that answers whether `compare` holds: success puts nothing, so it reads only.
asio::awaitable<bool> holds(Store& s, Compare compare) {
    TxnRequest r_txn{.compare = {std::move(compare)}};
    auto r = co_await s.txn(std::move(r_txn));
    INFO(skiff::base::to_string(r.status()));
    REQUIRE(r.ok());
    co_return r->succeeded;
}

TxnRequest put_if(Compare compare, std::string key, std::string value) {
    return TxnRequest{.compare = {std::move(compare)},
                      .success = {PutRequest{.key = key, .value = std::move(value)}},
                      .failure = {RangeRequest{.key = key}}};
}

}  // namespace

STORE_TEST("compares evaluate targets and operators as etcd does", "[store]") {
    Store& s = *h.store;
    co_await put(s, "k", "m");      // 2
    co_await put(s, "k", "m");      // 3: version 2, create 2, mod 3
    co_await put(s, "other", "x");  // 4
    auto lease = co_await s.lease_grant(100, 0);
    REQUIRE(lease.ok());
    co_await put(s, "leased", "y", lease->id);  // 5

    struct Case {
        Compare compare;
        bool expected;
    };
    const Case cases[] = {
        {Compare::version("k", Op::Equal, 2), true},
        {Compare::version("k", Op::Greater, 1), true},
        {Compare::version("k", Op::Less, 2), false},
        {Compare::version("k", Op::NotEqual, 2), false},
        {Compare::create_revision("k", Op::Equal, 2), true},
        {Compare::create_revision("k", Op::Less, 3), true},
        {Compare::mod_revision("k", Op::Equal, 3), true},
        {Compare::mod_revision("k", Op::Greater, 3), false},
        {Compare::mod_revision("k", Op::NotEqual, 2), true},
        {Compare::value_of("k", Op::Equal, "m"), true},
        {Compare::value_of("k", Op::Less, "n"), true},
        {Compare::value_of("k", Op::Greater, "m"), false},
        {Compare::value_of("k", Op::NotEqual, "m"), false},
        {Compare::lease("k", Op::Equal, 0), true},
        {Compare::lease("leased", Op::Equal, lease->id), true},
        {Compare::lease("leased", Op::Equal, 0), false},
        // A missing key compares as zero everything, and never matches a value.
        {Compare::mod_revision("missing", Op::Equal, 0), true},
        {Compare::version("missing", Op::Equal, 0), true},
        {Compare::create_revision("missing", Op::Less, 1), true},
        {Compare::value_of("missing", Op::Equal, ""), false},
        {Compare::value_of("missing", Op::NotEqual, "x"), false},
    };
    int i = 0;
    for (const auto& c : cases) {
        INFO("case " << i++);
        auto held = co_await holds(s, c.compare);
        CHECK(held == c.expected);
    }

    // Over a range every key must hold.
    auto all = Compare::mod_revision("k", Op::Greater, 1);
    all.range_end = "p";  // k, leased, other
    auto held2 = co_await holds(s, all);
    CHECK(held2);
    auto some = Compare::mod_revision("k", Op::Greater, 3);
    some.range_end = "p";
    auto held3 = co_await holds(s, some);
    CHECK(!held3);
    auto empty = Compare::version("x", Op::Equal, 0);
    empty.range_end = "y";
    auto held4 = co_await holds(s, empty);
    CHECK(held4);
    CHECK(s.current_revision() == 5);  // no compare made a revision
}

STORE_TEST("the apiserver's create, update and delete txns behave as etcd", "[store]") {
    Store& s = *h.store;
    using std::get;
    // Create: If(ModRevision(k)==0) Then(Put) — fails when the key exists.
    TxnRequest create_txn{.compare = {Compare::mod_revision("/registry/pods/ns/p", Op::Equal, 0)},
                          .success = {PutRequest{.key = "/registry/pods/ns/p", .value = "v1"}}};
    auto create = co_await s.txn(std::move(create_txn));
    REQUIRE(create.ok());
    CHECK(create->succeeded);
    CHECK(create->revision == 2);
    TxnRequest again_txn{.compare = {Compare::mod_revision("/registry/pods/ns/p", Op::Equal, 0)},
                         .success = {PutRequest{.key = "/registry/pods/ns/p", .value = "v1"}}};
    auto again = co_await s.txn(std::move(again_txn));
    REQUIRE(again.ok());
    CHECK(!again->succeeded);
    CHECK(again->responses.empty());
    CHECK(again->revision == 2);

    // GuaranteedUpdate: If(ModRevision==rev) Then(Put) Else(Range) — a stale rev gets the
    // current object back.
    auto update = co_await s.txn(put_if(Compare::mod_revision("/registry/pods/ns/p", Op::Equal, 2),
                                        "/registry/pods/ns/p", "v2"));
    REQUIRE(update.ok());
    CHECK(update->succeeded);
    CHECK(update->revision == 3);
    CHECK(get<PutResponse>(update->responses.at(0)).revision == 3);
    auto stale = co_await s.txn(put_if(Compare::mod_revision("/registry/pods/ns/p", Op::Equal, 2),
                                       "/registry/pods/ns/p", "v3"));
    REQUIRE(stale.ok());
    CHECK(!stale->succeeded);
    const auto& current = get<RangeResponse>(stale->responses.at(0));
    REQUIRE(current.kvs.size() == 1);
    CHECK(current.kvs[0].value == "v2");
    CHECK(current.kvs[0].mod_revision == 3);
    CHECK(current.kvs[0].version == 2);

    // conditionalDelete: If(ModRevision==rev) Then(DeleteRange) Else(Range).
    TxnRequest remove{
        .compare = {Compare::mod_revision("/registry/pods/ns/p", Op::Equal, 3)},
        .success = {DeleteRangeRequest{.key = "/registry/pods/ns/p", .prev_kv = true}},
        .failure = {RangeRequest{.key = "/registry/pods/ns/p"}}};
    auto removed = co_await s.txn(remove);
    REQUIRE(removed.ok());
    CHECK(removed->succeeded);
    const auto& d = get<DeleteRangeResponse>(removed->responses.at(0));
    CHECK(d.deleted == 1);
    REQUIRE(d.prev_kvs.size() == 1);
    CHECK(d.prev_kvs[0].value == "v2");
    CHECK(removed->revision == 4);
    auto gone = co_await s.txn(remove);
    REQUIRE(gone.ok());
    CHECK(!gone->succeeded);
    CHECK(get<RangeResponse>(gone->responses.at(0)).kvs.empty());

    // The compactor's CAS on the version of compact_rev_key.
    auto cas = co_await s.txn(
        put_if(Compare::version("compact_rev_key", Op::Equal, 0), "compact_rev_key", "4"));
    REQUIRE(cas.ok());
    CHECK(cas->succeeded);
    auto cas2 = co_await s.txn(
        put_if(Compare::version("compact_rev_key", Op::Equal, 0), "compact_rev_key", "5"));
    REQUIRE(cas2.ok());
    CHECK(!cas2->succeeded);
    CHECK(get<RangeResponse>(cas2->responses.at(0)).kvs.at(0).version == 1);

    // kine's older delete form: no compare, Success=[Range, DeleteRange].
    co_await put(s, "old", "x");
    TxnRequest old_txn{.success = {RangeRequest{.key = "old"}, DeleteRangeRequest{.key = "old"}}};
    auto old = co_await s.txn(std::move(old_txn));
    REQUIRE(old.ok());
    CHECK(old->succeeded);
    CHECK(get<RangeResponse>(old->responses.at(0)).kvs.at(0).value == "x");
    CHECK(get<DeleteRangeResponse>(old->responses.at(1)).deleted == 1);
}

STORE_TEST("a txn makes one revision for all its writes and none without writes", "[store]") {
    Store& s = *h.store;
    TxnRequest r_txn{.success = {
                         PutRequest{.key = "a", .value = "1"},
                         RangeRequest{.key = "a"},  // sees the put before it
                         PutRequest{.key = "b", .value = "2"},
                         DeleteRangeRequest{.key = "c"},  // nothing to delete
                     }};
    auto r = co_await s.txn(std::move(r_txn));
    REQUIRE(r.ok());
    CHECK(r->revision == 2);
    CHECK(std::get<RangeResponse>(r->responses.at(1)).kvs.at(0).value == "1");
    auto a = co_await get(s, "a");
    auto b = co_await get(s, "b");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->mod_revision == 2);
    CHECK(b->mod_revision == 2);

    TxnRequest read_only_txn{.success = {RangeRequest{.key = "a"}}};

    auto read_only = co_await s.txn(std::move(read_only_txn));
    REQUIRE(read_only.ok());
    CHECK(read_only->revision == 2);
    CHECK(s.current_revision() == 2);

    // A delete of several keys is one revision too.
    co_await put(s, "p/1", "x");  // 3
    co_await put(s, "p/2", "y");  // 4
    DeleteRangeRequest d_request{.key = "p/", .range_end = prefix_end("p/"), .prev_kv = true};
    auto d = co_await s.delete_range(std::move(d_request));
    REQUIRE(d.ok());
    CHECK(d->deleted == 2);
    CHECK(d->revision == 5);
    CHECK(keys_of(d->prev_kvs) == std::vector<std::string>{"p/1", "p/2"});
}

STORE_TEST("put returns prev_kv when asked", "[store]") {
    Store& s = *h.store;
    PutRequest first_request{.key = "k", .value = "1", .prev_kv = true};
    auto first = co_await s.put(std::move(first_request));
    REQUIRE(first.ok());
    CHECK(!first->prev_kv);
    PutRequest second_request{.key = "k", .value = "2", .prev_kv = true};
    auto second = co_await s.put(std::move(second_request));
    REQUIRE(second.ok());
    REQUIRE(second->prev_kv);
    CHECK(*second->prev_kv == KeyValue{"k", "1", 2, 2, 1, 0});
    PutRequest third_request{.key = "k", .value = "3"};
    auto third = co_await s.put(std::move(third_request));
    REQUIRE(third.ok());
    CHECK(!third->prev_kv);
}

STORE_TEST("a txn with duplicate keys or an unknown lease fails and writes nothing", "[store]") {
    Store& s = *h.store;
    co_await put(s, "a", "0");
    TxnRequest dup_txn{
        .success = {PutRequest{.key = "a", .value = "1"}, PutRequest{.key = "a", .value = "2"}}};
    auto dup = co_await s.txn(std::move(dup_txn));
    REQUIRE(!dup.ok());
    CHECK(dup.status().message() == "etcdserver: duplicate key given in txn request");
    TxnRequest overlap_txn{
        .failure = {PutRequest{.key = "a/1", .value = "1"},
                    DeleteRangeRequest{.key = "a/", .range_end = prefix_end("a/")}}};
    auto overlap = co_await s.txn(std::move(overlap_txn));
    REQUIRE(!overlap.ok());
    CHECK(overlap.status().reason() == Reason::BadRequest);

    TxnRequest no_lease_txn{.success = {PutRequest{.key = "b", .value = "1"},
                                        PutRequest{.key = "c", .value = "1", .lease = 12345}}};

    auto no_lease = co_await s.txn(std::move(no_lease_txn));
    REQUIRE(!no_lease.ok());
    CHECK(no_lease.status().reason() == Reason::NotFound);
    CHECK(no_lease.status().message() == "etcdserver: requested lease not found");
    auto kv = co_await get(s, "b");
    CHECK(!kv);
    CHECK(s.current_revision() == 2);

    TxnRequest future_txn{
        .success = {PutRequest{.key = "b", .value = "1"}, RangeRequest{.key = "a", .revision = 9}}};

    auto future = co_await s.txn(std::move(future_txn));
    REQUIRE(!future.ok());
    CHECK(future.status().message() == "mvcc: required revision is a future revision");
    CHECK(s.current_revision() == 2);

    // Later txns of the same commit still go through.
    auto rev = co_await put(s, "b", "1");
    CHECK(rev == 3);
}
