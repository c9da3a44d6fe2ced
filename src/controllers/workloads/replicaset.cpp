// The ReplicaSet controller's pure core (upstream pkg/controller/replicaset: syncReplicaSet,
// claimPods, manageReplicas, calculateStatus).
#include "skiff/controllers/replicaset.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <boost/json.hpp>

#include "skiff/api/label_selector.h"

namespace skiff::controllers::replicaset {

namespace json = boost::json;

namespace {

const json::object* obj(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string_view str(const json::object* o, std::string_view key) {
    if (!o) {
        return {};
    }
    const auto* v = o->if_contains(key);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::int64_t int_or(const json::object* o, std::string_view key, std::int64_t fallback) {
    if (!o) {
        return fallback;
    }
    const auto* v = o->if_contains(key);
    if (v && v->is_int64()) {
        return v->as_int64();
    }
    if (v && v->is_uint64()) {
        return static_cast<std::int64_t>(v->as_uint64());
    }
    return fallback;
}

std::string_view name_of(const json::object& o) {
    return str(obj(o, "metadata"), "name");
}

std::string_view node_of(const json::object& pod) {
    return str(obj(pod, "spec"), "nodeName");
}

// Sets a counter the way Go's omitempty writes it: absent when zero.
void set_count(json::object& status, std::string_view key, std::int64_t value) {
    if (value == 0) {
        status.erase(key);
    } else {
        status[key] = value;
    }
}

// The condition array without conditions of `type`; "conditions" is dropped when empty.
void remove_condition(json::object& status, std::string_view type) {
    auto* conds = status.if_contains("conditions");
    if (!conds || !conds->is_array()) {
        return;
    }
    auto& arr = conds->as_array();
    for (auto it = arr.begin(); it != arr.end();) {
        if (it->is_object() && str(&it->as_object(), "type") == type) {
            it = arr.erase(it);
        } else {
            ++it;
        }
    }
    if (arr.empty()) {
        status.erase("conditions");
    }
}

const json::object* find_condition(const json::object* status, std::string_view type) {
    if (!status) {
        return nullptr;
    }
    const auto* conds = status->if_contains("conditions");
    if (!conds || !conds->is_array()) {
        return nullptr;
    }
    for (const auto& c : conds->as_array()) {
        if (c.is_object() && str(&c.as_object(), "type") == type) {
            return &c.as_object();
        }
    }
    return nullptr;
}

// Pods whose controller is the same as this ReplicaSet's (getIndirectlyRelatedPods): the pods
// selected by every ReplicaSet sharing the controller, each pod once. Empty without a controller.
std::vector<const json::object*> related_pods(const json::object& rs,
                                              std::span<const json::object> pods,
                                              std::span<const json::object> others) {
    std::vector<const json::object*> out;
    auto controller = controller_uid_of(rs);
    if (controller.empty()) {
        return out;
    }
    std::vector<const json::object*> sets{&rs};
    auto rs_uid = str(obj(rs, "metadata"), "uid");
    for (const auto& o : others) {
        if (controller_uid_of(o) == controller && str(obj(o, "metadata"), "uid") != rs_uid) {
            sets.push_back(&o);
        }
    }
    std::unordered_set<const json::object*> seen;
    for (const auto* set : sets) {
        const auto* spec = obj(*set, "spec");
        const auto* sel_json = spec ? spec->if_contains("selector") : nullptr;
        auto sel = api::LabelSelector::from_json(sel_json);
        if (!sel.ok()) {
            continue;
        }
        for (const auto& pod : pods) {
            const auto* meta = obj(pod, "metadata");
            const auto* labels = meta ? obj(*meta, "labels") : nullptr;
            if (sel->matches(labels) && seen.insert(&pod).second) {
                out.push_back(&pod);
            }
        }
    }
    return out;
}

// getPodsToDelete: rank the claimed pods and take the first `count`.
std::vector<std::string> pods_to_delete(const json::object& rs,
                                        const std::vector<const json::object*>& claimed,
                                        std::span<const json::object> pods, std::size_t count,
                                        TimePoint now, const Options& options) {
    std::unordered_map<std::string_view, int> on_node;
    for (const auto* p : related_pods(rs, pods, options.related_replicasets)) {
        if (pod_active(*p)) {
            ++on_node[node_of(*p)];
        }
    }
    std::vector<RankedPod> ranked;
    ranked.reserve(claimed.size());
    for (const auto* p : claimed) {
        auto it = on_node.find(node_of(*p));
        ranked.push_back({p, it == on_node.end() ? 0 : it->second});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [&](const RankedPod& a, const RankedPod& b) {
        return prefer_for_deletion(a, b, now);
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count && i < ranked.size(); ++i) {
        out.emplace_back(name_of(*ranked[i].pod));
    }
    return out;
}

// calculateStatus, before the failure condition: counts over the claimed pods.
json::object calculate_status(const json::object& rs,
                              const std::vector<const json::object*>& claimed, TimePoint now) {
    const auto* spec = obj(rs, "spec");
    const auto* tmpl = spec ? obj(*spec, "template") : nullptr;
    const auto* tmpl_meta = tmpl ? obj(*tmpl, "metadata") : nullptr;
    std::map<std::string, std::string> tmpl_labels;
    if (const auto* l = tmpl_meta ? obj(*tmpl_meta, "labels") : nullptr) {
        for (const auto& [k, v] : *l) {
            if (v.is_string()) {
                tmpl_labels.emplace(std::string(k), std::string(v.as_string()));
            }
        }
    }
    auto fully = api::LabelSelector::from_set(tmpl_labels);
    auto min_ready = int_or(spec, "minReadySeconds", 0);

    std::int64_t labeled = 0, ready = 0, available = 0;
    for (const auto* p : claimed) {
        const auto* meta = obj(*p, "metadata");
        if (fully.matches(meta ? obj(*meta, "labels") : nullptr)) {
            ++labeled;
        }
        if (pod_ready(*p)) {
            ++ready;
            if (pod_available(*p, min_ready, now)) {
                ++available;
            }
        }
    }

    json::object status;
    if (const auto* old = obj(rs, "status")) {
        status = *old;
    }
    status["replicas"] = static_cast<std::int64_t>(claimed.size());
    set_count(status, "fullyLabeledReplicas", labeled);
    set_count(status, "readyReplicas", ready);
    set_count(status, "availableReplicas", available);
    set_count(status, "observedGeneration", int_or(obj(rs, "metadata"), "generation", 0));
    // A sync whose creates and deletes succeed clears ReplicaFailure; record_failure puts it
    // back when they fail.
    remove_condition(status, "ReplicaFailure");
    return status;
}

}  // namespace

json::object pod_from_template(const json::object& rs) {
    const auto* meta = obj(rs, "metadata");
    const auto* spec = obj(rs, "spec");
    const auto* tmpl = spec ? obj(*spec, "template") : nullptr;
    const auto* tmpl_meta = tmpl ? obj(*tmpl, "metadata") : nullptr;

    json::object pod_meta;
    pod_meta["generateName"] = std::string(str(meta, "name")) + "-";
    pod_meta["namespace"] = str(meta, "namespace");
    for (std::string_view key : {"labels", "annotations", "finalizers"}) {
        if (const auto* v = tmpl_meta ? tmpl_meta->if_contains(key) : nullptr; v && !v->is_null()) {
            pod_meta[key] = *v;
        }
    }
    pod_meta["ownerReferences"] =
        json::array{make_controller_ref(owner_of(rs, "apps/v1", "ReplicaSet"))};

    json::object pod{{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", std::move(pod_meta)}};
    if (const auto* s = tmpl ? tmpl->if_contains("spec") : nullptr; s && s->is_object()) {
        pod["spec"] = *s;
    } else {
        pod["spec"] = json::object{};
    }
    return pod;
}

std::vector<std::size_t> slow_start_batches(std::size_t count) {
    std::vector<std::size_t> out;
    std::size_t remaining = count;
    for (std::size_t batch = std::min<std::size_t>(remaining, 1); batch > 0;
         batch = std::min(2 * batch, remaining)) {
        out.push_back(batch);
        remaining -= batch;
    }
    return out;
}

Actions reconcile(const json::object& rs, std::span<const json::object> pods, TimePoint now,
                  const Options& options) {
    Actions out;
    const auto* spec = obj(rs, "spec");
    const auto* sel_json = spec ? spec->if_contains("selector") : nullptr;
    auto selector = api::LabelSelector::from_json(sel_json);
    if (!selector.ok()) {
        // Upstream logs and drops the key: nothing can be done until the spec changes.
        return out;
    }
    auto owner = owner_of(rs, "apps/v1", "ReplicaSet");

    // FilterActivePods, then claimPods. Name order keeps the output deterministic.
    std::vector<const json::object*> active;
    for (const auto& p : pods) {
        if (pod_active(p)) {
            active.push_back(&p);
        }
    }
    std::stable_sort(active.begin(), active.end(),
                     [](const auto* a, const auto* b) { return name_of(*a) < name_of(*b); });
    std::vector<const json::object*> claimed;
    for (const auto* p : active) {
        switch (claim(owner, *selector, *p)) {
            case Claim::Owned:
                claimed.push_back(p);
                break;
            case Claim::Adopt:
                out.patches.push_back(adopt_patch(owner, *p));
                claimed.push_back(p);
                break;
            case Claim::Release:
                out.patches.push_back(release_patch(owner, *p));
                break;
            case Claim::Ignore:
                break;
        }
    }

    // manageReplicas.
    const auto replicas = int_or(spec, "replicas", 1);
    const auto have = static_cast<std::int64_t>(claimed.size());
    const auto burst = static_cast<std::int64_t>(std::max(options.burst_replicas, 0));
    if (options.expectations_satisfied && !owner.deleting) {
        if (have < replicas) {
            auto n = std::min(replicas - have, burst);
            auto pod = pod_from_template(rs);
            for (std::int64_t i = 0; i < n; ++i) {
                out.creates.push_back(pod);
            }
        } else if (have > replicas) {
            auto n = static_cast<std::size_t>(std::min(have - replicas, burst));
            out.deletes = pods_to_delete(rs, claimed, pods, n, now, options);
        }
    }

    auto status = calculate_status(rs, claimed, now);
    const auto* old = obj(rs, "status");
    if (!old || *old != status) {
        out.status = std::move(status);
    }

    // Ready pods still inside minReadySeconds become available later: come back then. The
    // extra second is because availability needs readySince + minReadySeconds < now.
    const auto min_ready = int_or(spec, "minReadySeconds", 0);
    std::optional<TimePoint> next;
    for (const auto* p : claimed) {
        if (!pod_ready(*p) || pod_available(*p, min_ready, now)) {
            continue;
        }
        if (auto at = pod_available_at(*p, min_ready); at && (!next || *at < *next)) {
            next = at;
        }
    }
    if (next) {
        auto wait = std::chrono::floor<std::chrono::seconds>(*next - now) + std::chrono::seconds(1);
        out.requeue_after = std::max(wait, std::chrono::seconds(1));
    }
    return out;
}

void record_failure(Actions& actions, const json::object& rs, std::string_view message,
                    TimePoint now) {
    const auto* old_status = obj(rs, "status");
    json::object status =
        actions.status ? *actions.status : (old_status ? *old_status : json::object{});
    // Upstream sets the condition only when there is none: an existing one is kept as is.
    json::object cond;
    if (const auto* existing = find_condition(old_status, "ReplicaFailure")) {
        cond = *existing;
    } else {
        std::string_view reason = !actions.creates.empty()   ? "FailedCreate"
                                  : !actions.deletes.empty() ? "FailedDelete"
                                                             : "";
        cond = json::object{
            {"type", "ReplicaFailure"},
            {"status", "True"},
            {"lastTransitionTime", format_time(now)},
            {"reason", reason},
            {"message", message},
        };
    }
    remove_condition(status, "ReplicaFailure");
    auto& conds = status["conditions"];
    if (!conds.is_array()) {
        conds.emplace_array();
    }
    conds.as_array().push_back(std::move(cond));
    if (old_status && *old_status == status) {
        actions.status.reset();
    } else {
        actions.status = std::move(status);
    }
}

}  // namespace skiff::controllers::replicaset
