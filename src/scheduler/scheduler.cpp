// The scheduling loop; see scheduler.h.
#include "skiff/scheduler/scheduler.h"

#include <ctime>
#include <map>

#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/base/log.h"
#include "skiff/base/time_format.h"
#include "skiff/base/task_group.h"
#include "skiff/client/informer.h"
#include "skiff/client/work_queue.h"
#include "skiff/scheduler/schedule.h"
#include "skiff/scheduler/snapshot.h"

namespace skiff::scheduler {
namespace asio = boost::asio;
namespace json = boost::json;
namespace log = base::log;
using base::Status;

namespace {

constexpr int kWorkers = 1;  // one decision at a time keeps the snapshot's assumptions simple
constexpr auto kInitialBackoff = std::chrono::seconds(1);
constexpr auto kMaxBackoff = std::chrono::seconds(60);

std::string hex_time(base::Clock::WallTime t) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx",
                  static_cast<unsigned long long>(
                      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
                          .count()));
    return buf;
}

}  // namespace

struct Scheduler::State {
    State(asio::any_io_executor ex, client::Client& c, base::Clock& k)
        : executor(ex),
          client(c),
          clock(k),
          nodes(ex, c, api::Registry::builtin_type("", "nodes"), k, client::InformerOptions{}),
          pods(ex, c, api::Registry::builtin_type("", "pods"), k, client::InformerOptions{}),
          queue(ex, k),
          tasks(ex) {}

    asio::any_io_executor executor;
    client::Client& client;
    base::Clock& clock;
    client::Informer nodes;
    client::Informer pods;
    client::WorkQueue<std::string> queue;
    base::TaskGroup tasks;
    Snapshot snapshot;
    std::map<std::string, int> attempts;  // pod key → failed attempts, for the backoff
    std::int64_t bound = 0;

    void watch() {
        nodes.add_handlers({[this](const json::object& n) { node_changed(n); },
                            [this](const json::object&, const json::object& n) { node_changed(n); },
                            [this](const json::object& n) {
                                snapshot.remove_node(
                                    base::string_at(json::value(n), {"metadata", "name"}));
                            }});
        pods.add_handlers({[this](const json::object& p) { pod_changed(p); },
                           [this](const json::object&, const json::object& p) { pod_changed(p); },
                           [this](const json::object& p) {
                               const json::value v(p);
                               snapshot.remove_pod(base::string_at(v, {"metadata", "namespace"}),
                                                   base::string_at(v, {"metadata", "name"}));
                               attempts.erase(client::object_key(p));
                           }});
    }

    void node_changed(const json::object& node) {
        snapshot.set_node(node);
        // Room may have appeared: try the waiting pods again now.
        for (const auto& p : pods.list()) {
            if (is_schedulable(*p)) {
                queue.add(client::object_key(*p));
            }
        }
    }

    void pod_changed(const json::object& pod) {
        if (!base::string_at(json::value(pod), {"spec", "nodeName"}).empty()) {
            snapshot.set_pod(pod);
        } else if (is_schedulable(pod)) {
            queue.add(client::object_key(pod));
        }
    }

    asio::awaitable<void> event(const json::object& pod, std::string reason, std::string message,
                                std::string type) {
        const json::value v(pod);
        const auto now = base::format_time(clock.now());
        json::object e{
            {"apiVersion", "v1"},
            {"kind", "Event"},
            // Named as upstream's recorder names events: <object>.<time in hex>.
            {"metadata", json::object{{"name", std::string(base::string_at(v, {"metadata", "name"})) +
                                                   "." + hex_time(clock.now())}}},
            {"involvedObject",
             json::object{{"apiVersion", "v1"},
                          {"kind", "Pod"},
                          {"namespace", base::string_at(v, {"metadata", "namespace"})},
                          {"name", base::string_at(v, {"metadata", "name"})},
                          {"uid", base::string_at(v, {"metadata", "uid"})}}},
            {"reason", reason},
            {"message", message},
            {"type", type},
            {"source", json::object{{"component", "default-scheduler"}}},
            {"reportingComponent", "default-scheduler"},
            {"firstTimestamp", now},
            {"lastTimestamp", now},
            {"count", 1}};
        std::string ns(base::string_at(v, {"metadata", "namespace"}));
        auto created = co_await client.create(api::Registry::builtin_type("", "events"), std::move(ns), std::move(e));
        if (!created.ok()) {
            log::debug(1, "scheduler event not recorded", {{"error", created.status().message()}});
        }
    }

    static bool already_unschedulable(const json::value& pod, const std::string& message) {
        const auto* conditions = base::find(pod, {"status", "conditions"});
        if (!conditions || !conditions->is_array()) {
            return false;
        }
        for (const auto& c : conditions->as_array()) {
            if (base::string_at(c, {"type"}) == "PodScheduled") {
                return base::string_at(c, {"status"}) == "False" &&
                       base::string_at(c, {"message"}) == message;
            }
        }
        return false;
    }

    /// PodScheduled=False with the reason the pod fits nowhere.
    asio::awaitable<void> mark_unschedulable(const json::object& pod, const std::string& message) {
        const json::value v(pod);
        json::object patch{
            {"status",
             json::object{{"conditions",
                           json::array{json::object{{"type", "PodScheduled"},
                                                    {"status", "False"},
                                                    {"lastProbeTime", nullptr},
                                                    {"lastTransitionTime", base::format_time(clock.now())},
                                                    {"reason", "Unschedulable"},
                                                    {"message", message}}}}}}};
        std::string ns(base::string_at(v, {"metadata", "namespace"}));
        std::string name(base::string_at(v, {"metadata", "name"}));
        std::string body = json::serialize(patch);
        std::string subresource = "status";
        auto patched = co_await client.patch_with(api::Registry::builtin_type("", "pods"), std::move(ns),
                                                  std::move(name), api::PatchType::Merge,
                                                  std::move(body), std::move(subresource));
        (void)patched;  // a pod deleted meanwhile needs nothing
    }

    asio::awaitable<Status> schedule_one(std::string key) {
        const auto pod = pods.get_by_key(key);
        if (!pod || !is_schedulable(*pod)) {
            attempts.erase(key);
            co_return Status{};
        }
        const auto decision = schedule(snapshot, *pod);
        const json::value v(*pod);
        std::string ns(base::string_at(v, {"metadata", "namespace"}));
        std::string name(base::string_at(v, {"metadata", "name"}));
        if (!decision.ok()) {
            const int n = attempts[key]++;
            auto delay = kInitialBackoff * (1 << std::min(n, 6));
            queue.add_after(key, std::min<base::Clock::Duration>(delay, kMaxBackoff));
            // Only news is written: the same reason again changes neither the pod nor events.
            if (!already_unschedulable(v, decision.message)) {
                co_await mark_unschedulable(*pod, decision.message);
                co_await event(*pod, "FailedScheduling", decision.message, "Warning");
            }
            co_return Status{};
        }
        assume(snapshot, *pod, decision.node);
        json::object binding{{"apiVersion", "v1"},
                             {"kind", "Binding"},
                             {"metadata", json::object{{"name", name}, {"namespace", ns}}},
                             {"target", json::object{{"apiVersion", "v1"},
                                                     {"kind", "Node"},
                                                     {"name", decision.node}}}};
        std::string binding_ns = ns;
        auto bound_result =
            co_await client.create(api::Registry::builtin_type("", "bindings"), std::move(binding_ns), std::move(binding));
        if (!bound_result.ok()) {
            forget(snapshot, *pod);
            co_return bound_result.status();  // retried with the queue's backoff
        }
        attempts.erase(key);
        ++bound;
        co_await event(*pod, "Scheduled",
                       "Successfully assigned " + ns + "/" + name + " to " + decision.node,
                       "Normal");
        co_return Status{};
    }
};

Scheduler::Scheduler(asio::any_io_executor executor, client::Client& client, base::Clock& clock)
    : state_(std::make_shared<State>(executor, client, clock)) {
    state_->watch();
}

Scheduler::~Scheduler() = default;

void Scheduler::start() {
    auto* s = state_.get();
    s->nodes.start();
    s->pods.start();
    s->tasks.spawn(
        [](State* s) -> asio::awaitable<void> {
            (void)co_await s->nodes.wait_synced();
            (void)co_await s->pods.wait_synced();
            co_await client::run_workers<std::string>(
                s->queue, kWorkers,
                [s](std::string key) { return s->schedule_one(std::move(key)); });
        }(s),
        "scheduler workers");
    log::info("scheduler started");
}

asio::awaitable<void> Scheduler::stop() {
    auto state = state_;
    state->queue.shutdown();
    co_await state->tasks.stop(std::chrono::seconds(2));
    co_await state->pods.stop();
    co_await state->nodes.stop();
}

std::int64_t Scheduler::bound() const {
    return state_->bound;
}

}  // namespace skiff::scheduler
