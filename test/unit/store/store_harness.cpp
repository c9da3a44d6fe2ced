// Harness, backends and helpers of the store conformance suite.
#include "store_harness.h"

#include <stdlib.h>

#include <filesystem>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "skiff/base/run.h"
#include "skiff/store/memory_store.h"
#include "skiff/store/sqlite_store.h"

namespace skiff::store::testing {
namespace asio = boost::asio;

const char* backend_name(Backend backend) {
    switch (backend) {
        case Backend::Memory:
            return "memory";
        case Backend::Sqlite:
            return "sqlite";
    }
    return "?";
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "skiff-store-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::unique_ptr<Store> make_store(Backend backend, Harness& h, LocalOptions options) {
    switch (backend) {
        case Backend::Memory:
            return std::make_unique<MemoryStore>(h.ctx.get_executor(), h.clock, options);
        case Backend::Sqlite: {
            // Normal sync keeps the suite fast; durability has its own SQLite tests.
            auto s = SqliteStore::open(h.ctx.get_executor(), h.clock,
                                       SqliteOptions{.path = h.dir.path() + "/state.db",
                                                     .sync = SqliteOptions::Sync::Normal,
                                                     .local = options});
            REQUIRE(s.ok());
            return std::move(*s);
        }
    }
    return nullptr;
}

Harness::Harness(Backend b, LocalOptions options) : backend(b) {
    store = make_store(b, *this, options);
    store->start();
}

Harness::~Harness() {
    if (store) {
        base::run_to_completion(ctx, store->stop());
    }
}

void Harness::run(asio::awaitable<void> body) {
    base::run_to_completion(ctx, std::move(body), std::chrono::seconds(20));
}

void Harness::run_all(std::vector<asio::awaitable<void>> tasks) {
    testing::run_all(ctx, std::move(tasks));
}

void run_all(asio::io_context& ctx, std::vector<asio::awaitable<void>> tasks) {
    std::size_t done = 0;
    std::exception_ptr error;
    for (auto& t : tasks) {
        asio::co_spawn(ctx, std::move(t), [&](std::exception_ptr e) {
            if (e && !error) {
                error = e;
            }
            ++done;
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (done < tasks.size()) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        if (ctx.run_one_for(std::chrono::milliseconds(50)) == 0 && ctx.stopped()) {
            ctx.restart();
        }
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

asio::awaitable<std::int64_t> put(Store& store, std::string key, std::string value,
                                  std::int64_t lease) {
    PutRequest r_request{.key = std::move(key), .value = std::move(value), .lease = lease};
    auto r = co_await store.put(std::move(r_request));
    INFO(base::to_string(r.status()));
    REQUIRE(r.ok());
    co_return r->revision;
}

asio::awaitable<std::int64_t> del(Store& store, std::string key, std::string range_end) {
    DeleteRangeRequest r_request{.key = std::move(key), .range_end = std::move(range_end)};
    auto r = co_await store.delete_range(std::move(r_request));
    INFO(base::to_string(r.status()));
    REQUIRE(r.ok());
    co_return r->deleted;
}

asio::awaitable<RangeResponse> get_range(Store& store, RangeRequest request) {
    auto r = co_await store.range(std::move(request));
    INFO(base::to_string(r.status()));
    REQUIRE(r.ok());
    co_return std::move(*r);
}

asio::awaitable<std::optional<KeyValue>> get(Store& store, std::string key, std::int64_t revision) {
    RangeRequest r_request{.key = std::move(key), .revision = revision};
    auto r = co_await get_range(store, std::move(r_request));
    if (r.kvs.empty()) {
        co_return std::nullopt;
    }
    co_return r.kvs.front();
}

asio::awaitable<std::vector<Event>> events_until(Watcher& watcher, std::int64_t revision) {
    std::vector<Event> out;
    while (out.empty() || out.back().kv.mod_revision < revision) {
        auto b = co_await watcher.next();
        INFO(base::to_string(b.status()));
        REQUIRE(b.ok());
        for (auto& e : b->events) {
            out.push_back(std::move(e));
        }
    }
    co_return out;
}

asio::awaitable<std::unique_ptr<Watcher>> watch(Store& store, WatchRequest request) {
    auto w = co_await store.watch(std::move(request));
    INFO(base::to_string(w.status()));
    REQUIRE(w.ok());
    co_return std::move(*w);
}

asio::awaitable<void> yield() {
    for (int i = 0; i < 3; ++i) {
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    }
}

std::vector<std::string> keys_of(const std::vector<KeyValue>& kvs) {
    std::vector<std::string> out;
    for (const auto& kv : kvs) {
        out.push_back(kv.key);
    }
    return out;
}

std::vector<std::string> describe(const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        out.push_back(std::string(e.type == Event::Type::Put ? "P " : "D ") + e.kv.key + "@" +
                      std::to_string(e.kv.mod_revision));
    }
    return out;
}

}  // namespace skiff::store::testing
