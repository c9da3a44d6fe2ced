// The ReplicaSet and Deployment loops; see manager.h.
#include "skiff/controllers/manager.h"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/base/json.h"
#include "skiff/base/log.h"
#include "skiff/base/task_group.h"
#include "skiff/client/informer.h"
#include "skiff/client/work_queue.h"
#include "skiff/controllers/controller_ref.h"
#include "skiff/controllers/deployment.h"
#include "skiff/controllers/replicaset.h"

namespace skiff::controllers {
namespace asio = boost::asio;
namespace json = boost::json;
namespace log = base::log;
using base::Reason;
using base::Status;

namespace {

constexpr int kWorkers = 2;
constexpr auto kExpectationsTtl = std::chrono::minutes(5);

std::string ns_of(const json::object& o) {
    return std::string(base::string_at(json::value(o), {"metadata", "namespace"}));
}

/// "namespace/name" of the controller of kind `kind` in the object's ownerReferences.
std::optional<std::string> controller_key(const json::object& o, std::string_view kind) {
    const json::value v(o);
    if (const auto* refs = base::find(v, {"metadata", "ownerReferences"}); refs && refs->is_array()) {
        for (const auto& r : refs->as_array()) {
            const auto* c = base::find(r, {"controller"});
            if (c && c->is_bool() && c->as_bool() && base::string_at(r, {"kind"}) == kind) {
                return ns_of(o) + "/" + std::string(base::string_at(r, {"name"}));
            }
        }
    }
    return std::nullopt;
}

/// The objects of `informer` in `ns`, as values for the pure cores.
std::vector<json::object> in_namespace(const client::Informer& informer, std::string_view ns) {
    std::vector<json::object> out;
    for (const auto& p : informer.list(ns)) {
        out.push_back(*p);
    }
    return out;
}

/// Creations and deletions a ReplicaSet made that the pod informer has not shown yet.
struct Expectations {
    std::int64_t adds = 0;
    std::set<std::string> deletes;
    base::Clock::MonoTime since{};
};

}  // namespace

struct Manager::State {
    State(asio::any_io_executor ex, client::Client& c, base::Clock& k)
        : client(c),
          clock(k),
          pods(ex, c, api::Registry::builtin_type("", "pods"), k, client::InformerOptions{}),
          replicasets(ex, c, api::Registry::builtin_type("apps", "replicasets"), k, client::InformerOptions{}),
          deployments(ex, c, api::Registry::builtin_type("apps", "deployments"), k, client::InformerOptions{}),
          rs_queue(ex, k),
          deploy_queue(ex, k),
          gc_queue(ex, k),
          tasks(ex) {}

    client::Client& client;
    base::Clock& clock;
    client::Informer pods;
    client::Informer replicasets;
    client::Informer deployments;
    client::WorkQueue<std::string> rs_queue;
    client::WorkQueue<std::string> deploy_queue;
    /// Owners whose dependents need collecting: "<kind>/<namespace>/<name>/<uid>".
    client::WorkQueue<std::string> gc_queue;
    base::TaskGroup tasks;
    std::map<std::string, Expectations> expectations;  // by ReplicaSet key

    // ---- events to keys ----

    /// A pod's ReplicaSet (orphans: every ReplicaSet selecting it), and its Deployment.
    void pod_event(const json::object& pod, bool deleted) {
        if (auto rs = controller_key(pod, "ReplicaSet")) {
            observe(*rs, pod, deleted);
            rs_queue.add(*rs);
            if (auto owner = replicasets.get_by_key(*rs)) {
                if (auto d = controller_key(*owner, "Deployment")) {
                    deploy_queue.add(*d);
                }
            }
            return;
        }
        const json::value v(pod);
        const auto* labels = base::find(v, {"metadata", "labels"});
        for (const auto& rs : replicasets.list(ns_of(pod))) {
            const json::value rs_value(*rs);
            auto selector = api::LabelSelector::from_json(base::find(rs_value, {"spec", "selector"}));
            if (selector.ok() && !selector->empty() &&
                selector->matches(labels && labels->is_object() ? &labels->as_object() : nullptr)) {
                rs_queue.add(client::object_key(*rs));
            }
        }
    }

    void rs_event(const json::object& rs) {
        rs_queue.add(client::object_key(rs));
        if (auto d = controller_key(rs, "Deployment")) {
            deploy_queue.add(*d);
        }
    }

    void observe(const std::string& rs, const json::object& pod, bool deleted) {
        auto it = expectations.find(rs);
        if (it == expectations.end()) {
            return;
        }
        if (deleted) {
            it->second.deletes.erase(std::string(base::string_at(json::value(pod), {"metadata", "name"})));
        } else if (it->second.adds > 0) {
            --it->second.adds;
        }
    }

    bool satisfied(const std::string& rs) {
        auto it = expectations.find(rs);
        if (it == expectations.end()) {
            return true;
        }
        if ((it->second.adds <= 0 && it->second.deletes.empty()) ||
            clock.monotonic() - it->second.since > kExpectationsTtl) {
            expectations.erase(it);
            return true;
        }
        return false;
    }

    void watch() {
        pods.add_handlers({[this](const json::object& p) { pod_event(p, false); },
                           [this](const json::object&, const json::object& p) { pod_event(p, false); },
                           [this](const json::object& p) { pod_event(p, true); }});
        replicasets.add_handlers({[this](const json::object& r) { rs_event(r); },
                                  [this](const json::object&, const json::object& r) {
                                      rs_event(r);
                                      collect_if_deleting(r, "ReplicaSet");
                                  },
                                  [this](const json::object& r) {
                                      rs_event(r);
                                      collect(r, "ReplicaSet");
                                  }});
        deployments.add_handlers(
            {[this](const json::object& d) { deploy_queue.add(client::object_key(d)); },
             [this](const json::object&, const json::object& d) {
                 deploy_queue.add(client::object_key(d));
                 collect_if_deleting(d, "Deployment");
             },
             [this](const json::object& d) {
                 deploy_queue.add(client::object_key(d));
                 collect(d, "Deployment");
             }});
    }

    // ---- garbage collection of the workloads' dependents ----

    void collect(const json::object& owner, std::string_view kind) {
        const json::value v(owner);
        gc_queue.add(std::string(kind) + "/" + ns_of(owner) + "/" +
                     std::string(base::string_at(v, {"metadata", "name"})) + "/" +
                     std::string(base::string_at(v, {"metadata", "uid"})));
    }

    /// An owner being deleted with the foregroundDeletion or orphan finalizer waits for us.
    void collect_if_deleting(const json::object& owner, std::string_view kind) {
        if (!base::string_at(json::value(owner), {"metadata", "deletionTimestamp"}).empty()) {
            collect(owner, kind);
        }
    }

    /// Deletes (or, for the orphan finalizer, releases) the dependents of a deleted or
    /// deleting Deployment (its ReplicaSets) or ReplicaSet (its pods), then removes the
    /// owner's foregroundDeletion/orphan finalizer once none are left. Background deletion
    /// deletes dependents after the owner is gone, as upstream's garbage collector does.
    asio::awaitable<Status> collect_dependents(std::string key) {
        const auto first = key.find('/');
        const auto second = key.find('/', first + 1);
        const auto third = key.rfind('/');
        const std::string kind = key.substr(0, first);
        const std::string ns = key.substr(first + 1, second - first - 1);
        const std::string name = key.substr(second + 1, third - second - 1);
        const std::string uid = key.substr(third + 1);
        const bool is_deployment = kind == "Deployment";
        auto& dependents_informer = is_deployment ? replicasets : pods;
        const auto& dependent_type = is_deployment ? api::Registry::builtin_type("apps", "replicasets") : api::Registry::builtin_type("", "pods");
        const auto& owner_type = is_deployment ? api::Registry::builtin_type("apps", "deployments") : api::Registry::builtin_type("apps", "replicasets");
        const auto owner = (is_deployment ? deployments : replicasets).get(ns, name);
        const bool owner_alive = owner && base::string_at(json::value(*owner), {"metadata", "uid"}) == uid;
        std::vector<std::string> finalizers;
        if (owner_alive) {
            const json::value owner_value(*owner);  // named: find() points into it
            if (const auto* f = base::find(owner_value, {"metadata", "finalizers"}); f && f->is_array()) {
                for (const auto& x : f->as_array()) {
                    if (x.is_string()) {
                        finalizers.emplace_back(x.as_string());
                    }
                }
            }
        }
        const bool orphan = std::find(finalizers.begin(), finalizers.end(), "orphan") != finalizers.end();
        const bool foreground =
            std::find(finalizers.begin(), finalizers.end(), "foregroundDeletion") != finalizers.end();
        if (owner_alive && !orphan && !foreground) {
            co_return Status{};  // not ours to collect (yet)
        }
        Owner o{.api_version = "apps/v1", .kind = kind, .name = name, .namespace_ = ns, .uid = uid};
        int remaining = 0;
        for (const auto& dep : dependents_informer.list(ns)) {
            bool owned = false;
            const json::value dep_value(*dep);  // named: find() points into it
            if (const auto* refs = base::find(dep_value, {"metadata", "ownerReferences"});
                refs && refs->is_array()) {
                for (const auto& r : refs->as_array()) {
                    owned = owned || base::string_at(r, {"uid"}) == uid;
                }
            }
            if (!owned) {
                continue;
            }
            ++remaining;
            std::string dep_ns = ns;
            std::string dep_name(base::string_at(dep_value, {"metadata", "name"}));
            if (orphan) {
                auto patch = release_patch(o, *dep);
                std::string body = json::serialize(patch.body);
                auto r = co_await client.patch(dependent_type, std::move(dep_ns), std::move(dep_name),
                                               patch.type, std::move(body));
                if (!r.ok() && r.status().reason() != Reason::NotFound) {
                    co_return r.status();
                }
            } else {
                json::object options{{"propagationPolicy", foreground ? "Foreground" : "Background"}};
                auto r = co_await client.remove(dependent_type, std::move(dep_ns), std::move(dep_name),
                                                std::move(options));
                if (!r.ok() && r.status().reason() != Reason::NotFound) {
                    co_return r.status();
                }
            }
        }
        if (owner_alive && (orphan || remaining == 0)) {
            // Done with it: the owner's finalizer goes, and with it the owner.
            json::array kept;
            for (const auto& f : finalizers) {
                if (f != "orphan" && f != "foregroundDeletion") {
                    kept.emplace_back(f);
                }
            }
            json::object patch{{"metadata", json::object{{"finalizers", std::move(kept)}}}};
            std::string owner_ns = ns;
            std::string owner_name = name;
            std::string body = json::serialize(patch);
            auto r = co_await client.patch(owner_type, std::move(owner_ns), std::move(owner_name),
                                           api::PatchType::Merge, std::move(body));
            if (!r.ok() && r.status().reason() != Reason::NotFound) {
                co_return r.status();
            }
        } else if (owner_alive) {
            gc_queue.add_after(key, std::chrono::milliseconds(500));  // dependents still going
        }
        co_return Status{};
    }

    // ---- writes ----

    asio::awaitable<Status> apply_patches(const api::ResourceType& type, const std::string& ns,
                                          const std::vector<Patch>& patches) {
        for (const auto& p : patches) {
            std::string ns_copy = ns;
            std::string name = p.name;
            std::string body = json::serialize(p.body);
            auto r = co_await client.patch(type, std::move(ns_copy), std::move(name), p.type,
                                           std::move(body));
            if (!r.ok() && r.status().reason() != Reason::NotFound &&
                r.status().reason() != Reason::Invalid) {
                co_return r.status();
            }
        }
        co_return Status{};
    }

    asio::awaitable<Status> write_status(const api::ResourceType& type, const json::object& obj,
                                         const json::object& status) {
        json::object next = obj;
        next["status"] = status;
        std::string subresource = "status";
        api::WriteOptions options;
        auto r = co_await client.update(type, std::move(next), std::move(subresource), options);
        co_return r.status();
    }

    // ---- ReplicaSet ----

    asio::awaitable<Status> sync_replicaset(std::string key) {
        const auto rs = replicasets.get_by_key(key);
        if (!rs) {
            expectations.erase(key);
            co_return Status{};
        }
        const auto ns = ns_of(*rs);
        const auto pod_list = in_namespace(pods, ns);
        const auto siblings = in_namespace(replicasets, ns);
        replicaset::Options options;
        options.expectations_satisfied = satisfied(key);
        options.related_replicasets = siblings;
        auto actions = replicaset::reconcile(*rs, pod_list, clock.now(), options);
        if (auto st = co_await apply_patches(api::Registry::builtin_type("", "pods"), ns, actions.patches); !st.ok()) {
            co_return st;
        }
        Status failure;
        if (!actions.creates.empty()) {
            auto& e = expectations[key];
            e.since = clock.monotonic();
            std::size_t next = 0;
            for (const auto batch : replicaset::slow_start_batches(actions.creates.size())) {
                e.adds += static_cast<std::int64_t>(batch);
                std::size_t created = 0;
                for (std::size_t i = 0; i < batch; ++i, ++next) {
                    std::string pod_ns = ns;
                    auto r = co_await client.create(api::Registry::builtin_type("", "pods"), std::move(pod_ns),
                                                    actions.creates[next]);
                    if (r.ok()) {
                        ++created;
                    } else if (failure.ok()) {
                        failure = r.status();
                    }
                }
                e.adds -= static_cast<std::int64_t>(batch - created);  // never coming
                if (!failure.ok()) {
                    break;
                }
            }
        }
        if (!actions.deletes.empty()) {
            auto& e = expectations[key];
            e.since = clock.monotonic();
            for (const auto& name : actions.deletes) {
                e.deletes.insert(name);
                std::string pod_ns = ns;
                std::string pod_name = name;
                auto r = co_await client.remove(api::Registry::builtin_type("", "pods"), std::move(pod_ns),
                                                std::move(pod_name));
                if (!r.ok() && r.status().reason() != Reason::NotFound) {
                    e.deletes.erase(name);
                    if (failure.ok()) {
                        failure = r.status();
                    }
                }
            }
        }
        if (!failure.ok()) {
            replicaset::record_failure(actions, *rs, failure.message(), clock.now());
        }
        if (actions.status) {
            if (auto st = co_await write_status(api::Registry::builtin_type("apps", "replicasets"), *rs, *actions.status);
                !st.ok() && failure.ok()) {
                failure = st;
            }
        }
        if (actions.requeue_after) {
            rs_queue.add_after(key, *actions.requeue_after);
        }
        co_return failure;
    }

    // ---- Deployment ----

    asio::awaitable<Status> sync_deployment(std::string key) {
        const auto d = deployments.get_by_key(key);
        if (!d) {
            co_return Status{};
        }
        const auto ns = ns_of(*d);
        const auto rs_list = in_namespace(replicasets, ns);
        const auto pod_list = in_namespace(pods, ns);
        auto actions = deployment::reconcile(*d, rs_list, pod_list, clock.now());
        const auto& rs_type = api::Registry::builtin_type("apps", "replicasets");
        if (auto st = co_await apply_patches(rs_type, ns, actions.patches); !st.ok()) {
            co_return st;
        }
        for (auto& rs : actions.creates) {
            std::string rs_ns = ns;
            auto r = co_await client.create(rs_type, std::move(rs_ns), rs);
            if (!r.ok()) {
                if (r.status().reason() != Reason::AlreadyExists) {
                    const std::string rs_name(base::string_at(json::value(rs), {"metadata", "name"}));
                    if (auto status = deployment::failed_create_status(
                            *d, rs_name, r.status().message(), clock.now())) {
                        co_await write_status(api::Registry::builtin_type("apps", "deployments"), *d, *status);
                    }
                }
                co_return r.status();
            }
        }
        for (auto& rs : actions.updates) {
            std::string subresource;
            api::WriteOptions options;
            auto r = co_await client.update(rs_type, rs, std::move(subresource), options);
            if (!r.ok()) {
                co_return r.status();
            }
        }
        for (const auto& name : actions.deletes) {
            std::string rs_ns = ns;
            std::string rs_name = name;
            auto r = co_await client.remove(rs_type, std::move(rs_ns), std::move(rs_name));
            if (!r.ok() && r.status().reason() != Reason::NotFound) {
                co_return r.status();
            }
        }
        if (actions.deployment_patch) {
            std::string d_ns = ns;
            std::string d_name(base::string_at(json::value(*d), {"metadata", "name"}));
            std::string body = json::serialize(*actions.deployment_patch);
            auto r = co_await client.patch(api::Registry::builtin_type("apps", "deployments"), std::move(d_ns),
                                           std::move(d_name), api::PatchType::Merge,
                                           std::move(body));
            if (!r.ok()) {
                co_return r.status();
            }
        }
        if (actions.status) {
            // The patch above changed the resourceVersion: write status over the newest copy.
            base::Result<json::object> fresh = *d;
            if (actions.deployment_patch) {
                std::string d_ns = ns;
                std::string d_name(base::string_at(json::value(*d), {"metadata", "name"}));
                fresh = co_await client.get(api::Registry::builtin_type("apps", "deployments"), std::move(d_ns),
                                            std::move(d_name));
            }
            if (fresh.ok()) {
                if (auto st = co_await write_status(api::Registry::builtin_type("apps", "deployments"), *fresh,
                                                    *actions.status);
                    !st.ok()) {
                    co_return st;
                }
            }
        }
        if (actions.requeue_after) {
            deploy_queue.add_after(key, *actions.requeue_after);
        }
        co_return Status{};
    }
};

Manager::Manager(asio::any_io_executor executor, client::Client& client, base::Clock& clock)
    : state_(std::make_shared<State>(executor, client, clock)) {
    state_->watch();
}

Manager::~Manager() = default;

void Manager::start() {
    auto* s = state_.get();
    s->pods.start();
    s->replicasets.start();
    s->deployments.start();
    s->tasks.spawn(
        [](State* s) -> asio::awaitable<void> {
            const bool pods_synced = co_await s->pods.wait_synced();
            const bool rs_synced = co_await s->replicasets.wait_synced();
            if (!pods_synced || !rs_synced) {
                co_return;
            }
            co_await client::run_workers<std::string>(
                s->rs_queue, kWorkers,
                [s](std::string key) { return s->sync_replicaset(std::move(key)); });
        }(s),
        "replicaset workers");
    s->tasks.spawn(
        [](State* s) -> asio::awaitable<void> {
            const bool synced = co_await s->deployments.wait_synced();
            if (!synced) {
                co_return;
            }
            co_await client::run_workers<std::string>(
                s->deploy_queue, kWorkers,
                [s](std::string key) { return s->sync_deployment(std::move(key)); });
        }(s),
        "deployment workers");
    s->tasks.spawn(
        [](State* s) -> asio::awaitable<void> {
            const bool synced = co_await s->pods.wait_synced();
            if (!synced) {
                co_return;
            }
            co_await client::run_workers<std::string>(
                s->gc_queue, 1,
                [s](std::string key) { return s->collect_dependents(std::move(key)); });
        }(s),
        "garbage collector workers");
    log::info("controllers started",
              {{"controllers", "replicaset,deployment,garbage-collector (workloads)"}});
}

asio::awaitable<void> Manager::stop() {
    auto state = state_;
    state->rs_queue.shutdown();
    state->deploy_queue.shutdown();
    state->gc_queue.shutdown();
    co_await state->tasks.stop(std::chrono::seconds(2));
    co_await state->deployments.stop();
    co_await state->replicasets.stop();
    co_await state->pods.stop();
}

}  // namespace skiff::controllers
