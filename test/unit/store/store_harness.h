// The conformance harness: one io_context, FakeClock and temp dir per test, a Store from every
// backend, and small coroutine helpers that fail the test on unexpected errors.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "skiff/base/clock.h"
#include "skiff/store/local_options.h"
#include "skiff/store/store.h"

#include "etcd_cluster.h"

namespace skiff::store::testing {

/// Every backend the conformance suite runs against. A new backend adds a value here and a
/// case in make_store().
///
/// Etcd is an EtcdStore over a three-member etcd cluster started for the test, whose member 0
/// (the one the store talks to first) is SIGKILLed mid-test, at the store's third call.
enum class Backend { Memory, Sqlite, Etcd };
const char* backend_name(Backend backend);

/// Every backend: Etcd only when an etcd binary exists (a warning says so once otherwise).
std::vector<Backend> all_backends();
/// The in-process backends, for tests of the injected clock and of LocalOptions.
std::vector<Backend> local_backends();

/// A directory removed with everything in it when the object ends.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct Harness {
    explicit Harness(Backend backend, LocalOptions options = {});
    ~Harness();

    /// Runs `body` to completion on `ctx` (failing the test after 20 s).
    void run(boost::asio::awaitable<void> body);
    /// Runs every task concurrently on `ctx` until all have finished.
    void run_all(std::vector<boost::asio::awaitable<void>> tasks);

    Backend backend;
    boost::asio::io_context ctx;
    base::FakeClock clock;
    TempDir dir;
    std::unique_ptr<EtcdCluster> etcd;  // Backend::Etcd only
    std::unique_ptr<Store> store;
};

/// Runs every task concurrently on `ctx` until all have finished; rethrows the first failure.
void run_all(boost::asio::io_context& ctx, std::vector<boost::asio::awaitable<void>> tasks);

std::unique_ptr<Store> make_store(Backend backend, Harness& h, LocalOptions options);

// Helpers that REQUIRE success.
boost::asio::awaitable<std::int64_t> put(Store& store, std::string key, std::string value,
                                         std::int64_t lease = 0);
boost::asio::awaitable<std::int64_t> del(Store& store, std::string key, std::string range_end = {});
boost::asio::awaitable<RangeResponse> get_range(Store& store, RangeRequest request);
boost::asio::awaitable<std::optional<KeyValue>> get(Store& store, std::string key,
                                                    std::int64_t revision = 0);
/// Events from `watcher` until one at `revision` or later arrived (progress skipped).
boost::asio::awaitable<std::vector<Event>> events_until(Watcher& watcher, std::int64_t revision);
boost::asio::awaitable<std::unique_ptr<Watcher>> watch(Store& store, WatchRequest request);

/// Lets every other ready handler on the executor run once.
boost::asio::awaitable<void> yield();

std::vector<std::string> keys_of(const std::vector<KeyValue>& kvs);
/// "P key@rev" / "D key@rev" per event, for compact expectations.
std::vector<std::string> describe(const std::vector<Event>& events);

}  // namespace skiff::store::testing

#define SKIFF_STORE_CAT2(a, b) a##b
#define SKIFF_STORE_CAT(a, b) SKIFF_STORE_CAT2(a, b)
#define SKIFF_STORE_TEST_IMPL(name, tags, body, options, backends)                 \
    static boost::asio::awaitable<void> body(::skiff::store::testing::Harness& h); \
    TEST_CASE(name, tags) {                                                        \
        const auto backend = GENERATE(Catch::Generators::from_range(backends));    \
        INFO("backend " << ::skiff::store::testing::backend_name(backend));        \
        ::skiff::store::testing::Harness harness(backend, options);                \
        harness.run(body(harness));                                                \
    }                                                                              \
    static boost::asio::awaitable<void> body(::skiff::store::testing::Harness& h)

/// A conformance test: runs its coroutine body once per backend, with `h` the Harness.
#define STORE_TEST(name, tags)                                                     \
    SKIFF_STORE_TEST_IMPL(name, tags, SKIFF_STORE_CAT(store_test_body_, __LINE__), \
                          ::skiff::store::LocalOptions{},                          \
                          ::skiff::store::testing::all_backends())
/// As STORE_TEST with the backends built from `options` (a LocalOptions expression).
#define STORE_TEST_WITH(name, tags, options)                                       \
    SKIFF_STORE_TEST_IMPL(name, tags, SKIFF_STORE_CAT(store_test_body_, __LINE__), options, \
                          ::skiff::store::testing::all_backends())
/// A test of what only the in-process backends have: the injected clock, LocalOptions.
#define LOCAL_STORE_TEST_WITH(name, tags, options)                                 \
    SKIFF_STORE_TEST_IMPL(name, tags, SKIFF_STORE_CAT(store_test_body_, __LINE__), options, \
                          ::skiff::store::testing::local_backends())
