// MemoryStore: every version of every key in ordered maps, txns applied on the caller's executor.
#include "skiff/store/memory_store.h"

#include "background.h"
#include "key_interval.h"
#include "lease_table.h"
#include "mvcc.h"
#include "watch_hub.h"

#include <deque>
#include <map>

#include "skiff/base/task_group.h"

namespace skiff::store {
namespace asio = boost::asio;
using base::Result;
using base::Status;

struct MemoryStore::State final : KvState, HistorySource {
    struct Version {
        KeyValue kv;
        bool deleted;
    };

    State(asio::any_io_executor executor, base::Clock& clock, LocalOptions options)
        : clock(clock),
          options(options),
          leases(clock),
          hub(*this, options, 1, 0),
          tasks(std::move(executor)) {}

    base::Clock& clock;
    LocalOptions options;
    std::map<std::string, std::vector<Version>, std::less<>> keys;  // versions, oldest first
    std::deque<Event> log;  // every event from the compact revision on
    LeaseTable leases;
    WatchHub hub;
    base::TaskGroup tasks;

    std::optional<KeyValue> get(const std::string& key) override {
        auto it = keys.find(key);
        if (it == keys.end() || it->second.back().deleted) {
            return std::nullopt;
        }
        return it->second.back().kv;
    }

    RangeResponse range(const RangeRequest& request, std::int64_t current) override {
        const auto interval = KeyInterval::of(request.key, request.range_end);
        const std::int64_t at = request.revision > 0 ? request.revision : current;
        std::vector<KeyValue> matches;
        for (auto it = keys.lower_bound(interval.begin);
             it != keys.end() && interval.contains(it->first); ++it) {
            const auto& versions = it->second;
            auto v = std::upper_bound(
                versions.begin(), versions.end(), at,
                [](std::int64_t r, const Version& ver) { return r < ver.kv.mod_revision; });
            if (v != versions.begin() && !std::prev(v)->deleted) {
                matches.push_back(std::prev(v)->kv);
            }
        }
        return finish_range(request, std::move(matches), current);
    }

    bool lease_exists(std::int64_t lease) override { return leases.contains(lease); }

    std::vector<std::string> keys_with_lease(std::int64_t lease) override {
        std::vector<std::string> out;
        for (const auto& [key, versions] : keys) {
            if (!versions.back().deleted && versions.back().kv.lease == lease) {
                out.push_back(key);
            }
        }
        return out;
    }

    void write(const Event& event) override {
        keys[event.kv.key].push_back(Version{event.kv, event.type == Event::Type::Delete});
        log.push_back(event);
    }

    asio::awaitable<Result<HistoryPage>> history(std::int64_t from, KeyInterval interval,
                                                 std::int64_t max_revisions) override {
        if (from < hub.compact_revision()) {
            co_return compacted_error();
        }
        HistoryPage page;
        page.upto = std::min(hub.revision(), from + max_revisions - 1);
        for (const auto& e : log) {
            if (e.kv.mod_revision >= from && e.kv.mod_revision <= page.upto &&
                interval.contains(e.kv.key)) {
                page.events.push_back(e);
            }
        }
        co_return page;
    }

    void publish(std::vector<Event> events) {
        if (!events.empty()) {
            const auto revision = events.front().kv.mod_revision;
            hub.publish(revision, std::move(events));
        }
    }

    void compact(std::int64_t revision) {
        for (auto it = keys.begin(); it != keys.end();) {
            auto& versions = it->second;
            // Keep the newest version at or below `revision` unless it is a tombstone below it.
            auto keep = std::upper_bound(
                versions.begin(), versions.end(), revision,
                [](std::int64_t r, const Version& ver) { return r < ver.kv.mod_revision; });
            if (keep != versions.begin()) {
                --keep;
                if (keep->deleted && keep->kv.mod_revision < revision) {
                    ++keep;
                }
            }
            versions.erase(versions.begin(), keep);
            it = versions.empty() ? keys.erase(it) : std::next(it);
        }
        while (!log.empty() && log.front().kv.mod_revision < revision) {
            log.pop_front();
        }
        hub.set_compact_revision(revision);
    }
};

MemoryStore::MemoryStore(asio::any_io_executor executor, base::Clock& clock, LocalOptions options)
    : state_(std::make_unique<State>(std::move(executor), clock, options)) {}

MemoryStore::~MemoryStore() = default;

void MemoryStore::start() {
    auto& s = *state_;
    spawn_background(s.tasks, *this, s.leases, s.hub, s.clock, s.options);
}

asio::awaitable<void> MemoryStore::stop() {
    state_->hub.close();
    co_await state_->tasks.stop(std::chrono::seconds(5));
}

asio::awaitable<Result<RangeResponse>> MemoryStore::range(RangeRequest request) {
    auto& s = *state_;
    if (auto st = check_range(request, s.hub.revision(), s.hub.compact_revision()); !st.ok()) {
        co_return st;
    }
    co_return s.range(request, s.hub.revision());
}

asio::awaitable<Result<TxnResponse>> MemoryStore::txn(TxnRequest request) {
    auto& s = *state_;
    if (auto st = validate_txn(request); !st.ok()) {
        co_return st;
    }
    auto out = apply_txn(s, request, s.hub.revision(), s.hub.compact_revision());
    if (!out.ok()) {
        co_return out.status();
    }
    s.publish(std::move(out->events));
    co_return std::move(out->response);
}

asio::awaitable<Result<std::unique_ptr<Watcher>>> MemoryStore::watch(WatchRequest request) {
    co_return state_->hub.watch(request);
}

asio::awaitable<Status> MemoryStore::compact(std::int64_t revision) {
    auto& s = *state_;
    if (auto st = check_compact(revision, s.hub.revision(), s.hub.compact_revision()); !st.ok()) {
        co_return st;
    }
    s.compact(revision);
    co_return Status{};
}

asio::awaitable<Result<LeaseGrant>> MemoryStore::lease_grant(std::int64_t ttl, std::int64_t id) {
    auto& s = *state_;
    if (auto st = s.leases.check_grant(ttl, id); !st.ok()) {
        co_return st;
    }
    if (id == 0) {
        id = s.leases.unused_id();
    }
    s.leases.grant(id, ttl);
    co_return LeaseGrant{id, ttl};
}

asio::awaitable<Status> MemoryStore::lease_revoke(std::int64_t id) {
    auto& s = *state_;
    if (!s.leases.contains(id)) {
        co_return lease_not_found_error();
    }
    auto events = apply_lease_revoke(s, id, s.hub.revision());
    s.leases.erase(id);
    s.publish(std::move(events));
    co_return Status{};
}

asio::awaitable<Result<std::int64_t>> MemoryStore::lease_keep_alive(std::int64_t id) {
    co_return state_->leases.keep_alive(id);
}

asio::awaitable<Result<LeaseTimeToLive>> MemoryStore::lease_time_to_live(std::int64_t id,
                                                                         bool keys) {
    auto r = state_->leases.time_to_live(id);
    if (r.ok() && keys) {
        r->keys = state_->keys_with_lease(id);
    }
    co_return r;
}

std::int64_t MemoryStore::current_revision() const {
    return state_->hub.revision();
}
std::int64_t MemoryStore::compact_revision() const {
    return state_->hub.compact_revision();
}

asio::awaitable<Result<StoreStatus>> MemoryStore::status() {
    auto& s = *state_;
    std::int64_t size = 0;
    for (const auto& [key, versions] : s.keys) {
        for (const auto& v : versions) {
            size += static_cast<std::int64_t>(key.size() + v.kv.value.size());
        }
    }
    co_return StoreStatus{size, s.hub.revision(), s.hub.compact_revision()};
}

}  // namespace skiff::store
