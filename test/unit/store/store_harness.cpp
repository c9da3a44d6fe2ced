// Harness, backends and helpers of the store conformance suite.
#include "store_harness.h"

#include <stdlib.h>

#include <filesystem>
#include <functional>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "skiff/base/run.h"
#include "skiff/etcd/etcd_store.h"
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
        case Backend::Etcd:
            return "etcd";
    }
    return "?";
}

std::vector<Backend> local_backends() {
    return {Backend::Memory, Backend::Sqlite};
}

std::vector<Backend> all_backends() {
    auto backends = local_backends();
    static const bool have_etcd = [] {
        if (etcd_binary().empty()) {
            WARN("no etcd binary (install etcd-server or set SKIFF_ETCD_BIN): "
                 "the etcd backend is not tested");
            return false;
        }
        return true;
    }();
    if (have_etcd) {
        backends.push_back(Backend::Etcd);
    }
    return backends;
}

namespace {

/// Forwards every call to `inner`, and before its `kill_at`-th call runs `kill`.
class KillingStore final : public Store {
public:
    KillingStore(std::unique_ptr<Store> inner, int kill_at, std::function<void()> kill)
        : inner_(std::move(inner)), kill_at_(kill_at), kill_(std::move(kill)) {}

    void start() override { inner_->start(); }
    asio::awaitable<void> stop() override { return inner_->stop(); }
    asio::awaitable<base::Result<RangeResponse>> range(RangeRequest request) override {
        count();
        return inner_->range(std::move(request));
    }
    asio::awaitable<base::Result<TxnResponse>> txn(TxnRequest request) override {
        count();
        return inner_->txn(std::move(request));
    }
    asio::awaitable<base::Result<std::unique_ptr<Watcher>>> watch(WatchRequest request) override {
        count();
        return inner_->watch(std::move(request));
    }
    asio::awaitable<base::Status> compact(std::int64_t revision) override {
        count();
        return inner_->compact(revision);
    }
    asio::awaitable<base::Result<LeaseGrant>> lease_grant(std::int64_t ttl,
                                                          std::int64_t id) override {
        count();
        return inner_->lease_grant(ttl, id);
    }
    asio::awaitable<base::Status> lease_revoke(std::int64_t id) override {
        count();
        return inner_->lease_revoke(id);
    }
    asio::awaitable<base::Result<std::int64_t>> lease_keep_alive(std::int64_t id) override {
        count();
        return inner_->lease_keep_alive(id);
    }
    asio::awaitable<base::Result<LeaseTimeToLive>> lease_time_to_live(std::int64_t id,
                                                                     bool keys) override {
        count();
        return inner_->lease_time_to_live(id, keys);
    }
    std::int64_t current_revision() const override { return inner_->current_revision(); }
    std::int64_t compact_revision() const override { return inner_->compact_revision(); }
    asio::awaitable<base::Result<StoreStatus>> status() override {
        count();
        return inner_->status();
    }

private:
    void count() {
        if (++calls_ == kill_at_) {
            kill_();
        }
    }

    std::unique_ptr<Store> inner_;
    int kill_at_;
    std::function<void()> kill_;
    int calls_ = 0;
};

}  // namespace

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
        case Backend::Etcd: {
            h.etcd = std::make_unique<EtcdCluster>(h.dir.path());
            etcd::EtcdStoreOptions etcd_options{.endpoints = h.etcd->endpoints()};
            auto s = etcd::open_etcd_store(h.ctx.get_executor(), std::move(etcd_options));
            REQUIRE(s.ok());
            // Waits until the cluster answers (calls retry while it elects its first leader).
            // On a loaded machine the first election can outlast one call's retry budget.
            auto up = base::run_to_completion(h.ctx, (*s)->status(), std::chrono::seconds(30));
            for (int again = 0; again < 2 && !up.ok(); ++again) {
                up = base::run_to_completion(h.ctx, (*s)->status(), std::chrono::seconds(30));
            }
            REQUIRE(up.ok());
            return std::make_unique<KillingStore>(std::move(*s), 3, [&h] { h.etcd->kill(0); });
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
