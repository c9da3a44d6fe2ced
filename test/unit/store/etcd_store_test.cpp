// EtcdStore beyond the conformance suite: endpoint parsing, and no acknowledged write lost when
// the member it talks to is killed under load.
#include "store_harness.h"

#include <map>

#include "skiff/etcd/etcd_store.h"

using namespace skiff::store;
using namespace skiff::store::testing;
using skiff::base::Reason;
namespace asio = boost::asio;

TEST_CASE("datastore endpoints are parsed and bad ones named", "[etcd]") {
    auto ok = skiff::etcd::parse_endpoints(
        "http://127.0.0.1:2379, https://etcd-1.example:2379,unix:///run/etcd.sock,http://[::1]:1");
    REQUIRE(ok.ok());
    CHECK(*ok == std::vector<std::string>{"http://127.0.0.1:2379", "https://etcd-1.example:2379",
                                          "unix:///run/etcd.sock", "http://[::1]:1"});
    struct Bad {
        const char* list;
        const char* says;
    };
    for (const auto& bad : {Bad{"", "no datastore endpoint given"},
                            Bad{" , ", "no datastore endpoint given"},
                            Bad{"127.0.0.1:2379", "is not a URL"},
                            Bad{"ftp://h:1", "unsupported scheme"},
                            Bad{"http://h", "needs a host and a port"},
                            Bad{"http://h:1/v3", "has a path"},
                            Bad{"http://a:1,http://b", "\"http://b\" needs a host and a port"}}) {
        INFO(bad.list);
        auto r = skiff::etcd::parse_endpoints(bad.list);
        REQUIRE(!r.ok());
        CHECK(r.status().reason() == Reason::BadRequest);
        CHECK(r.status().message().find(bad.says) != std::string::npos);
    }
    // https needs the CA that signed the members' certificates.
    asio::io_context ctx;
    skiff::etcd::EtcdStoreOptions options{.endpoints = {"https://127.0.0.1:2379"}};
    auto store = skiff::etcd::open_etcd_store(ctx.get_executor(), options);
    REQUIRE(!store.ok());
    CHECK(store.status().message().find("--datastore-cafile") != std::string::npos);
}

TEST_CASE("no acknowledged write is lost when the etcd member in use is killed under load",
          "[etcd]") {
    if (etcd_binary().empty()) {
        WARN("no etcd binary: skipped");
        return;
    }
    // The harness kills member 0 at the store's third call: within the first writes below.
    Harness h(Backend::Etcd);
    constexpr int kWriters = 8;
    constexpr int kPuts = 40;
    std::map<std::string, std::string> acked;
    int failed = 0;
    std::vector<asio::awaitable<void>> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.push_back([](Store& s, int w, std::map<std::string, std::string>& acked,
                             int& failed) -> asio::awaitable<void> {
            for (int i = 0; i < kPuts; ++i) {
                PutRequest request{.key = "/load/" + std::to_string(w) + "/" + std::to_string(i),
                                   .value = "v" + std::to_string(i)};
                const auto key = request.key;
                const auto value = request.value;
                auto r = co_await s.put(std::move(request));
                if (r.ok()) {
                    acked[key] = value;
                } else {
                    ++failed;
                }
            }
        }(*h.store, w, acked, failed));
    }
    h.run_all(std::move(writers));
    CHECK(failed == 0);
    CHECK(acked.size() == kWriters * kPuts);
    h.run([](Store& s, const std::map<std::string, std::string>& acked) -> asio::awaitable<void> {
        auto all = co_await get_range(s, prefix_range("/load/"));
        std::map<std::string, std::string> stored;
        for (const auto& kv : all.kvs) {
            stored[kv.key] = kv.value;
        }
        for (const auto& [key, value] : acked) {
            INFO(key);
            CHECK(stored[key] == value);
        }
    }(*h.store, acked));
}
