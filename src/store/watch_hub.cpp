// WatchHub and its watchers. A watcher starts in replay: each next() reads one page of history
// (from the ring, else from the backend) after its next revision; once it has reached the hub's
// revision it goes live and publish() queues matching events for it. Both steps run on the
// executor, so nothing is published between "reached the revision" and "live".
#include "watch_hub.h"

#include "skiff/base/wake_signal.h"

#include <algorithm>

#include "skiff/store/errors.h"

namespace skiff::store {
namespace asio = boost::asio;
using base::Reason;
using base::Result;
using base::Status;

struct WatchState {
    WatchHub* hub = nullptr;  // null once the hub closed
    std::int64_t id = 0;
    KeyInterval keys;
    bool prev_kv = false;
    bool progress_notify = false;
    std::int64_t next_rev = 0;  // the first revision not yet delivered or queued
    bool live = false;
    std::vector<Event> pending;
    bool progress_requested = false;
    std::optional<Status> error;
    std::int64_t compact_rev = 0;
    base::WakeSignal signal;

    void wake() { signal.notify(); }
    void fail(Status status) {
        error = std::move(status);
        pending.clear();
        if (hub) {
            hub->forget(id);
        }
        wake();
    }
};

namespace {

void strip_prev(std::vector<Event>& events, bool keep) {
    if (!keep) {
        for (auto& e : events) {
            e.prev_kv.reset();
        }
    }
}

// One step of replay: a page of history from the ring or the backend. Returns the events to
// deliver (maybe none); sets `s->live` once the watcher has caught up.
asio::awaitable<Result<std::vector<Event>>> replay_step(std::shared_ptr<WatchState> s) {
    WatchHub* hub = s->hub;
    if (s->next_rev < hub->compact_revision()) {
        s->compact_rev = hub->compact_revision();
        co_return compacted_error();
    }
    HistoryPage page;
    if (hub->ring_covers(s->next_rev)) {
        page = hub->ring_page(s->next_rev, s->keys);
    } else {
        auto r = co_await hub->source().history(s->next_rev, s->keys,
                                                hub->options().replay_page_revisions);
        if (!s->hub) {
            co_return Status(Reason::ServiceUnavailable, "store is closed");
        }
        if (!r.ok()) {
            if (is_compacted(r.status())) {
                s->compact_rev = s->hub->compact_revision();
            }
            co_return r.status();
        }
        page = std::move(*r);
    }
    std::erase_if(page.events, [&](const Event& e) { return e.kv.mod_revision < s->next_rev; });
    s->next_rev = std::max(s->next_rev, page.upto + 1);
    if (s->next_rev > s->hub->revision()) {
        s->live = true;
    }
    strip_prev(page.events, s->prev_kv);
    co_return std::move(page.events);
}

asio::awaitable<Result<WatchBatch>> watch_next(std::shared_ptr<WatchState> s) {
    for (;;) {
        if (s->error) {
            co_return *s->error;
        }
        if (!s->hub) {
            co_return Status(Reason::ServiceUnavailable, "store is closed");
        }
        if (!s->live) {
            auto events = co_await replay_step(s);
            if (!events.ok()) {
                s->fail(events.status());
                continue;
            }
            if (!events->empty()) {
                co_return WatchBatch{.revision = s->hub->revision(), .events = std::move(*events)};
            }
            continue;
        }
        if (!s->pending.empty()) {
            WatchBatch batch{.revision = s->hub->revision(), .events = std::move(s->pending)};
            s->pending.clear();
            co_return batch;
        }
        if (s->progress_requested) {
            s->progress_requested = false;
            co_return WatchBatch{.revision = s->hub->revision(), .progress = true};
        }
        co_await s->signal.wait();
    }
}

class HubWatcher final : public Watcher {
public:
    explicit HubWatcher(std::shared_ptr<WatchState> state) : state_(std::move(state)) {}
    ~HubWatcher() override { cancel(); }

    asio::awaitable<Result<WatchBatch>> next() override { return watch_next(state_); }
    void request_progress() override {
        state_->progress_requested = true;
        state_->wake();
    }
    void cancel() override {
        if (!state_->error) {
            state_->fail(
                Status(Reason::Gone, "watch " + std::to_string(state_->id) + " was cancelled"));
        }
    }
    std::int64_t id() const override { return state_->id; }
    std::int64_t compact_revision() const override { return state_->compact_rev; }

private:
    std::shared_ptr<WatchState> state_;
};

}  // namespace

WatchHub::WatchHub(HistorySource& source, LocalOptions options, std::int64_t revision,
                   std::int64_t compact_revision)
    : source_(source),
      options_(options),
      revision_(revision),
      compact_revision_(compact_revision),
      ring_floor_(revision + 1) {}

WatchHub::~WatchHub() {
    close();
}

void WatchHub::publish(std::int64_t revision, std::vector<Event> events) {
    revision_ = revision;
    for (auto& [id, s] : watchers_) {
        (void)id;
        if (!s->live) {
            continue;
        }
        bool added = false;
        for (const auto& e : events) {
            if (e.kv.mod_revision >= s->next_rev && s->keys.contains(e.kv.key)) {
                s->pending.push_back(e);
                if (!s->prev_kv) {
                    s->pending.back().prev_kv.reset();
                }
                added = true;
            }
        }
        s->next_rev = revision + 1;
        if (added) {
            s->wake();
        }
    }
    // Cut off watchers that fell behind; erase outside the loop above.
    std::vector<std::shared_ptr<WatchState>> behind;
    for (auto& [id, s] : watchers_) {
        (void)id;
        if (s->pending.size() > options_.watch_queue_limit) {
            behind.push_back(s);
        }
    }
    for (auto& s : behind) {
        s->fail(Status(Reason::TooManyRequests,
                       "watch " + std::to_string(s->id) + " fell behind: more than " +
                           std::to_string(options_.watch_queue_limit) + " events queued"));
    }
    for (auto& e : events) {
        ring_.push_back(std::move(e));
    }
    while (ring_.size() > options_.event_ring) {
        // Drop whole revisions so the ring stays complete from ring_floor_ on.
        const std::int64_t oldest = ring_.front().kv.mod_revision;
        while (!ring_.empty() && ring_.front().kv.mod_revision == oldest) {
            ring_.pop_front();
        }
        ring_floor_ = oldest + 1;
    }
}

HistoryPage WatchHub::ring_page(std::int64_t from, const KeyInterval& keys) const {
    HistoryPage page;
    page.upto = std::min(revision_, from + options_.replay_page_revisions - 1);
    auto it =
        std::lower_bound(ring_.begin(), ring_.end(), from,
                         [](const Event& e, std::int64_t r) { return e.kv.mod_revision < r; });
    for (; it != ring_.end() && it->kv.mod_revision <= page.upto; ++it) {
        if (keys.contains(it->kv.key)) {
            page.events.push_back(*it);
        }
    }
    return page;
}

Result<std::unique_ptr<Watcher>> WatchHub::watch(const WatchRequest& request) {
    if (request.start_revision < 0) {
        return base::bad_request("watch of key " + request.key + " has a negative start revision");
    }
    if (closed_) {
        return Status(Reason::ServiceUnavailable, "store is closed");
    }
    auto s = std::make_shared<WatchState>();
    s->hub = this;
    s->id = next_id_++;
    s->keys = KeyInterval::of(request.key, request.range_end);
    s->prev_kv = request.prev_kv;
    s->progress_notify = request.progress_notify;
    s->next_rev = request.start_revision == 0 ? revision_ + 1 : request.start_revision;
    // Nothing to replay: live from the start, so its queue fills even before the first next().
    s->live = s->next_rev > revision_;
    watchers_.emplace(s->id, s);
    return std::unique_ptr<Watcher>(std::make_unique<HubWatcher>(std::move(s)));
}

void WatchHub::progress_tick() {
    for (auto& [id, s] : watchers_) {
        (void)id;
        if (s->progress_notify) {
            s->progress_requested = true;
            s->wake();
        }
    }
}

void WatchHub::close() {
    closed_ = true;
    for (auto& [id, s] : watchers_) {
        (void)id;
        s->hub = nullptr;
        s->wake();
    }
    watchers_.clear();
}

asio::awaitable<void> progress_loop(WatchHub& hub, base::Clock& clock,
                                    base::Clock::Duration interval) {
    for (;;) {
        co_await clock.sleep_for(interval);
        hub.progress_tick();
    }
}

}  // namespace skiff::store
