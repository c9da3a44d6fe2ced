// Conformance: revisions, versions, create/mod revisions, tombstones, ranges and their errors.
#include "store_harness.h"

using namespace skiff::store;
using namespace skiff::store::testing;
using skiff::base::Reason;
namespace asio = boost::asio;

STORE_TEST("revisions, versions and create revisions follow etcd", "[store]") {
    Store& s = *h.store;
    CHECK(s.current_revision() == 1);  // an empty etcd is at revision 1

    struct Step {
        const char* op;  // "put" or "del"
        const char* key;
        const char* value;
        std::int64_t revision;  // the store's revision afterwards
        // Expected key afterwards: create, mod, version (0 = absent).
        std::int64_t create, mod, version;
    };
    const Step steps[] =
        {
            {"put", "a", "1", 2, 2, 2, 1}, {"put", "a", "2", 3, 2, 3, 2},
            {"put", "b", "x", 4, 4, 4, 1}, {"del", "a", "", 5, 0, 0, 0},
            {"del", "a", "", 5, 0, 0, 0},   // deleting nothing makes no revision
            {"put", "a", "3", 6, 6, 6, 1},  // re-created: a new incarnation
            {"put", "a", "4", 7, 6, 7, 2},
        };
    for (const auto& step : steps) {
        INFO(step.op << " " << step.key << " → revision " << step.revision);
        if (std::string(step.op) == "put") {
            auto rev = co_await put(s, step.key, step.value);
            CHECK(rev == step.revision);
        } else {
            co_await del(s, step.key);
        }
        CHECK(s.current_revision() == step.revision);
        auto kv = co_await get(s, step.key);
        if (step.version == 0) {
            CHECK(!kv);
        } else {
            REQUIRE(kv);
            CHECK(kv->value == step.value);
            CHECK(kv->create_revision == step.create);
            CHECK(kv->mod_revision == step.mod);
            CHECK(kv->version == step.version);
        }
    }

    // Ranges at old revisions see the store as it was, tombstones included.
    struct At {
        std::int64_t revision;
        std::vector<std::string> values;  // of a and b, in key order
    };
    const At ats[] = {{1, {}},    {2, {"1"}},      {3, {"2"}},      {4, {"2", "x"}},
                      {5, {"x"}}, {6, {"3", "x"}}, {7, {"4", "x"}}, {0, {"4", "x"}}};
    for (const auto& at : ats) {
        INFO("at revision " << at.revision);
        RangeRequest r_request{.key = "a", .range_end = "c", .revision = at.revision};
        auto r = co_await get_range(s, std::move(r_request));
        std::vector<std::string> values;
        for (const auto& kv : r.kvs) {
            values.push_back(kv.value);
        }
        CHECK(values == at.values);
        CHECK(r.revision == 7);  // the header is the current revision
    }
    auto old = co_await get(s, "a", 3);
    REQUIRE(old);
    CHECK(*old == KeyValue{"a", "2", 2, 3, 2, 0});
}

STORE_TEST("ranges follow etcd's key, range_end, limit, count and keys_only conventions",
           "[store]") {
    Store& s = *h.store;
    for (const char* k : {"a", "ab", "abc", "b", "c"}) {
        co_await put(s, k, std::string("v-") + k);
    }
    co_await put(s, "\xff", "high");
    const std::string nul("\0", 1);

    struct Case {
        const char* name;
        RangeRequest request;
        std::vector<std::string> keys;
        bool more;
        std::int64_t count;
    };
    const Case cases[] = {
        {"single key", {.key = "ab"}, {"ab"}, false, 1},
        {"missing key", {.key = "zz"}, {}, false, 0},
        {"prefix", prefix_range("a"), {"a", "ab", "abc"}, false, 3},
        {"interval", {.key = "ab", .range_end = "b"}, {"ab", "abc"}, false, 2},
        {"from key", {.key = "abc", .range_end = nul}, {"abc", "b", "c", "\xff"}, false, 4},
        {"everything",
         {.key = nul, .range_end = nul},
         {"a", "ab", "abc", "b", "c", "\xff"},
         false,
         6},
        {"prefix of 0xff", prefix_range("\xff"), {"\xff"}, false, 1},
        {"end before key", {.key = "b", .range_end = "a"}, {}, false, 0},
        {"limit below count",
         {.key = "a", .range_end = prefix_end("a"), .limit = 2},
         {"a", "ab"},
         true,
         3},
        {"limit at count",
         {.key = "a", .range_end = prefix_end("a"), .limit = 3},
         {"a", "ab", "abc"},
         false,
         3},
        {"limit above count",
         {.key = "a", .range_end = prefix_end("a"), .limit = 10},
         {"a", "ab", "abc"},
         false,
         3},
        {"count only",
         {.key = "a", .range_end = prefix_end("a"), .count_only = true},
         {},
         false,
         3},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto r = co_await get_range(s, c.request);
        CHECK(keys_of(r.kvs) == c.keys);
        CHECK(r.more == c.more);
        CHECK(r.count == c.count);
    }

    RangeRequest keys_only_request{.key = "a", .range_end = prefix_end("a"), .keys_only = true};

    auto keys_only = co_await get_range(s, std::move(keys_only_request));
    REQUIRE(keys_only.kvs.size() == 3);
    for (const auto& kv : keys_only.kvs) {
        CHECK(kv.value.empty());
        CHECK(kv.version == 1);
        CHECK(kv.mod_revision > 0);
    }
    auto full = co_await get(s, "ab");
    REQUIRE(full);
    CHECK(full->value == "v-ab");
}

TEST_CASE("prefix_end increments the last byte below 0xff", "[store]") {
    CHECK(prefix_end("a") == "b");
    CHECK(prefix_end("/registry/pods/") == "/registry/pods0");
    CHECK(prefix_end("a\xff") == "b");
    CHECK(prefix_end("\xff\xff") == std::string("\0", 1));
    CHECK(prefix_end("") == std::string("\0", 1));
}

STORE_TEST("ranges at compacted and future revisions fail with etcd's errors", "[store]") {
    Store& s = *h.store;
    for (int i = 0; i < 5; ++i) {
        co_await put(s, "k", std::to_string(i));  // revisions 2..6
    }
    RangeRequest future_request{.key = "k", .revision = 7};
    auto future = co_await s.range(std::move(future_request));
    REQUIRE(!future.ok());
    CHECK(future.status().reason() == Reason::BadRequest);
    CHECK(future.status().message() == "mvcc: required revision is a future revision");

    auto compaction = co_await s.compact(4);
    REQUIRE(compaction.ok());
    CHECK(s.compact_revision() == 4);
    RangeRequest compacted_request{.key = "k", .revision = 3};
    auto compacted = co_await s.range(std::move(compacted_request));
    REQUIRE(!compacted.ok());
    CHECK(compacted.status().reason() == Reason::Expired);
    CHECK(compacted.status().message() == "mvcc: required revision has been compacted");
    CHECK(is_compacted(compacted.status()));

    // The compact revision itself still reads as it was.
    auto at = co_await get(s, "k", 4);
    REQUIRE(at);
    CHECK(at->value == "2");
    auto at5 = co_await get(s, "k", 5);
    REQUIRE(at5);
    CHECK(at5->value == "3");
}

STORE_TEST("compaction keeps the latest version of each key and forgets tombstones", "[store]") {
    Store& s = *h.store;
    co_await put(s, "a", "1");  // 2
    co_await put(s, "a", "2");  // 3
    co_await put(s, "b", "1");  // 4
    co_await del(s, "b");       // 5
    co_await put(s, "c", "1");  // 6
    co_await put(s, "a", "3");  // 7

    auto future = co_await s.compact(8);
    CHECK(future.message() == "mvcc: required revision is a future revision");

    auto compaction2 = co_await s.compact(6);
    REQUIRE(compaction2.ok());
    auto compaction3 = co_await s.compact(6);
    CHECK(is_compacted(compaction3));
    auto compaction4 = co_await s.compact(5);
    CHECK(is_compacted(compaction4));

    RangeRequest at6_request{.key = "a", .range_end = "z", .revision = 6};

    auto at6 = co_await get_range(s, std::move(at6_request));
    CHECK(keys_of(at6.kvs) == std::vector<std::string>{"a", "c"});
    CHECK(at6.kvs[0].value == "2");
    CHECK(at6.kvs[0].version == 2);
    CHECK(at6.kvs[0].create_revision == 2);
    RangeRequest now_request{.key = "a", .range_end = "z"};
    auto now = co_await get_range(s, std::move(now_request));
    CHECK(keys_of(now.kvs) == std::vector<std::string>{"a", "c"});
    CHECK(now.kvs[0].version == 3);

    // Versions keep counting after compaction.
    co_await put(s, "a", "4");
    auto a = co_await get(s, "a");
    REQUIRE(a);
    CHECK(a->version == 4);
    CHECK(a->create_revision == 2);

    auto status = co_await s.status();
    REQUIRE(status.ok());
    CHECK(status->revision == 8);
    CHECK(status->compact_revision == 6);
    CHECK(status->db_size > 0);
}
