// The scheduler's pure core above the plugins: the snapshot of nodes and pods, one scheduling
// decision (pre-filter, filter, score, pick), upstream's FailedScheduling message and
// DefaultPreemption's dry run.
#include "skiff/scheduler/schedule.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/scheduler/plugins.h"
#include "skiff/scheduler/pod_info.h"
#include "skiff/scheduler/resources.h"
#include "skiff/scheduler/snapshot.h"

namespace skiff::scheduler {

namespace json = boost::json;

namespace {

const json::object* object_at(const json::object* o, std::string_view key) {
    if (!o) {
        return nullptr;
    }
    const auto* v = o->if_contains(key);
    return v ? v->if_object() : nullptr;
}

std::string string_at(const json::object* o, std::string_view key) {
    if (!o) {
        return {};
    }
    const auto* v = o->if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Labels labels_of(const json::object* o) {
    Labels out;
    if (o) {
        for (const auto& [k, v] : *o) {
            if (v.is_string()) {
                out.emplace(std::string(k), std::string(v.get_string()));
            }
        }
    }
    return out;
}

std::string join_key(std::string_view a, std::string_view b) {
    std::string k(a);
    k += '/';
    k += b;
    return k;
}

bool terminal_phase(const json::object& pod) {
    auto phase = string_at(object_at(&pod, "status"), "phase");
    return phase == "Succeeded" || phase == "Failed";
}

// GetPodStartTime: a pod not started yet counts as starting now, after every started one.
std::string start_time_key(const PodInfo& p) {
    return p.start_time.empty() ? std::string("~") : p.start_time;
}

// MoreImportantPod: higher priority, then the earlier start.
bool more_important(const PodInfo& a, const PodInfo& b) {
    if (a.priority != b.priority) {
        return a.priority > b.priority;
    }
    return start_time_key(a) < start_time_key(b);
}

using Code = FilterStatus::Code;

// RunFilterPluginsWithNominatedPods: nominated pods of at least the pod's priority count on
// their node; a node must pass both with and without them.
FilterStatus filter_with_nominated(const Snapshot& snapshot, const PodInfo& pod,
                                   const CycleState& state, const NodeInfo& node) {
    std::optional<NodeInfo> with_nominated;
    std::optional<CycleState> state_with_nominated;
    for (const auto& p : snapshot.nominated_pods(node.name)) {
        if (p->priority < pod.priority || p->key() == pod.key()) {
            continue;
        }
        if (!with_nominated) {
            with_nominated = node;
            state_with_nominated = state;
        }
        with_nominated->add_pod(p);
        state_with_nominated->update(snapshot, pod, *p, *with_nominated, 1);
    }
    if (!with_nominated) {
        return run_filters(pod, state, node);
    }
    if (auto s = run_filters(pod, *state_with_nominated, *with_nominated); !s.ok()) {
        return s;
    }
    return run_filters(pod, state, node);
}

// ---- DefaultPreemption -----------------------------------------------------------------------

constexpr std::string_view kPreemptionNotHelpful = "Preemption is not helpful for scheduling";

struct Candidate {
    std::string node;
    std::vector<std::shared_ptr<const PodInfo>> victims;  // most important first
    int pdb_violations = 0;
};

// filterPodsWithPDBViolation, keeping the input order within each group.
void split_by_pdb(const std::vector<std::shared_ptr<const PodInfo>>& pods,
                  const std::vector<DisruptionBudget>& pdbs,
                  std::vector<std::shared_ptr<const PodInfo>>& violating,
                  std::vector<std::shared_ptr<const PodInfo>>& non_violating) {
    std::vector<std::int64_t> allowed;
    for (const auto& pdb : pdbs) {
        allowed.push_back(pdb.disruptions_allowed);
    }
    for (const auto& p : pods) {
        bool violated = false;
        if (!p->labels.empty()) {
            for (std::size_t i = 0; i < pdbs.size(); ++i) {
                const auto& pdb = pdbs[i];
                if (pdb.namespace_ != p->namespace_ || pdb.selector.empty() ||
                    !pdb.selector.matches(p->labels) || pdb.disrupted_pods.contains(p->name)) {
                    continue;
                }
                if (--allowed[i] < 0) {
                    violated = true;
                }
            }
        }
        (violated ? violating : non_violating).push_back(p);
    }
}

// SelectVictimsOnNode: remove every lower-priority pod; if the pod then fits, put back as many
// as possible, PDB-protected ones and more important ones first.
std::optional<Candidate> select_victims(const Snapshot& snapshot, const PodInfo& pod,
                                        const CycleState& state, const NodeInfo& node,
                                        FilterStatus& failure) {
    NodeInfo sim = node;
    CycleState sim_state = state;
    std::vector<std::shared_ptr<const PodInfo>> potential;
    for (const auto& p : node.pods) {
        if (p->priority < pod.priority) {
            potential.push_back(p);
            sim.remove_pod(p->namespace_, p->name);
            sim_state.update(snapshot, pod, *p, sim, -1);
        }
    }
    if (potential.empty()) {
        failure = FilterStatus::fail(Code::UnschedulableAndUnresolvable, "DefaultPreemption",
                                     {"No preemption victims found for incoming pod"});
        return std::nullopt;
    }
    if (auto s = filter_with_nominated(snapshot, pod, sim_state, sim); !s.ok()) {
        failure = s;
        return std::nullopt;
    }
    std::stable_sort(potential.begin(), potential.end(),
                     [](const auto& a, const auto& b) { return more_important(*a, *b); });
    std::vector<std::shared_ptr<const PodInfo>> violating;
    std::vector<std::shared_ptr<const PodInfo>> non_violating;
    split_by_pdb(potential, snapshot.disruption_budgets(), violating, non_violating);
    Candidate c{node.name, {}, 0};
    auto reprieve = [&](const std::shared_ptr<const PodInfo>& p) {
        sim.add_pod(p);
        sim_state.update(snapshot, pod, *p, sim, 1);
        if (filter_with_nominated(snapshot, pod, sim_state, sim).ok()) {
            return true;
        }
        sim.remove_pod(p->namespace_, p->name);
        sim_state.update(snapshot, pod, *p, sim, -1);
        c.victims.push_back(p);
        return false;
    };
    for (const auto& p : violating) {
        if (!reprieve(p)) {
            ++c.pdb_violations;
        }
    }
    for (const auto& p : non_violating) {
        reprieve(p);
    }
    if (!violating.empty() && !non_violating.empty()) {
        std::stable_sort(c.victims.begin(), c.victims.end(),
                         [](const auto& a, const auto& b) { return more_important(*a, *b); });
    }
    if (c.victims.empty()) {
        failure = FilterStatus::fail(Code::Unschedulable, "DefaultPreemption",
                                     {"expected at least one victim pod on node \"" + node.name +
                                      "\""});
        return std::nullopt;
    }
    return c;
}

// pickOneNodeForPreemption: fewest PDB violations, lowest highest victim priority, lowest sum of
// priorities, fewest victims, latest start of the highest-priority victims, then the first.
const Candidate& pick_candidate(const std::vector<Candidate>& candidates) {
    auto earliest_top_start = [](const Candidate& c) {
        std::int32_t top = c.victims.front()->priority;
        std::string earliest = start_time_key(*c.victims.front());
        for (const auto& v : c.victims) {
            if (v->priority == top) {
                earliest = std::min(earliest, start_time_key(*v));
            } else if (v->priority > top) {
                top = v->priority;
                earliest = start_time_key(*v);
            }
        }
        return earliest;
    };
    std::vector<const Candidate*> pool;
    for (const auto& c : candidates) {
        pool.push_back(&c);
    }
    auto keep_best = [&](auto score) {
        if (pool.size() <= 1) {
            return;
        }
        auto best = score(*pool.front());
        for (const auto* c : pool) {
            best = std::max(best, score(*c));
        }
        std::erase_if(pool, [&](const Candidate* c) { return score(*c) != best; });
    };
    keep_best([](const Candidate& c) { return -static_cast<std::int64_t>(c.pdb_violations); });
    keep_best([](const Candidate& c) {
        return -static_cast<std::int64_t>(c.victims.front()->priority);
    });
    keep_best([](const Candidate& c) {
        std::int64_t sum = 0;
        for (const auto& v : c.victims) {
            sum += static_cast<std::int64_t>(v->priority) +
                   static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max()) + 1;
        }
        return -sum;
    });
    keep_best([](const Candidate& c) { return -static_cast<std::int64_t>(c.victims.size()); });
    keep_best(earliest_top_start);
    return *pool.front();
}

// DefaultPreemption.PostFilter: returns the post-filter message ("" when a candidate was
// found, which then lands in decision.preemption).
std::string preempt(const Snapshot& snapshot, const PodInfo& pod, const CycleState& state,
                    Decision& decision) {
    if (pod.preempt_never) {
        return "preemption: not eligible due to preemptionPolicy=Never.";
    }
    if (!pod.nominated_node_name.empty()) {
        auto it = decision.diagnosis.find(pod.nominated_node_name);
        bool unresolvable =
            it == decision.diagnosis.end() || it->second.code == Code::UnschedulableAndUnresolvable;
        const NodeInfo* nominated = snapshot.node(pod.nominated_node_name);
        if (!unresolvable && nominated) {
            for (const auto& p : nominated->pods) {
                if (p->priority < pod.priority && p->terminating && p->preempted) {
                    return "preemption: not eligible due to a terminating pod on the nominated "
                           "node.";
                }
            }
        }
    }
    const std::vector<std::string> not_helpful = {std::string(kPreemptionNotHelpful)};
    std::map<std::string, FilterStatus> statuses;
    std::vector<Candidate> candidates;
    for (const NodeInfo* node : snapshot.nodes()) {
        auto it = decision.diagnosis.find(node->name);
        if (it == decision.diagnosis.end() || it->second.code != Code::Unschedulable) {
            continue;
        }
        FilterStatus failure;
        if (auto c = select_victims(snapshot, pod, state, *node, failure)) {
            candidates.push_back(std::move(*c));
        } else {
            statuses.emplace(node->name, std::move(failure));
        }
    }
    if (candidates.empty()) {
        return "preemption: " +
               fit_error_message(snapshot.num_nodes(), "", statuses, not_helpful, "");
    }
    const Candidate& best = pick_candidate(candidates);
    Preemption p;
    p.node = best.node;
    p.pdb_violations = best.pdb_violations;
    for (const auto& v : best.victims) {
        p.victims.push_back({v->namespace_, v->name, v->uid, v->priority});
    }
    decision.preemption = std::move(p);
    return "";
}

struct ScorePlugin {
    std::string_view name;
    std::int64_t weight;
};

}  // namespace

// ---- NodeInfo --------------------------------------------------------------------------------

void NodeInfo::add_pod(std::shared_ptr<const PodInfo> pod) {
    requested.add(pod->requests);
    non_zero_requested.milli_cpu += pod->non_zero_requests.milli_cpu;
    non_zero_requested.memory += pod->non_zero_requests.memory;
    used_ports.insert(pod->host_ports.begin(), pod->host_ports.end());
    if (pod->has_affinity()) {
        ++pods_with_affinity;
    }
    if (!pod->required_anti_affinity.empty()) {
        ++pods_with_required_anti_affinity;
    }
    pods.push_back(std::move(pod));
}

bool NodeInfo::remove_pod(std::string_view ns, std::string_view name) {
    auto it = std::find_if(pods.begin(), pods.end(), [&](const auto& p) {
        return p->namespace_ == ns && p->name == name;
    });
    if (it == pods.end()) {
        return false;
    }
    const PodInfo& pod = **it;
    requested.subtract(pod.requests);
    non_zero_requested.milli_cpu -= pod.non_zero_requests.milli_cpu;
    non_zero_requested.memory -= pod.non_zero_requests.memory;
    if (pod.has_affinity()) {
        --pods_with_affinity;
    }
    if (!pod.required_anti_affinity.empty()) {
        --pods_with_required_anti_affinity;
    }
    pods.erase(it);
    used_ports.clear();
    for (const auto& p : pods) {
        used_ports.insert(p->host_ports.begin(), p->host_ports.end());
    }
    return true;
}

bool NodeInfo::port_conflicts(const HostPort& port) const {
    if (port.port <= 0) {
        return false;
    }
    for (const auto& used : used_ports) {
        if (used.port != port.port || used.protocol != port.protocol) {
            continue;
        }
        if (port.ip == "0.0.0.0" || used.ip == "0.0.0.0" || used.ip == port.ip) {
            return true;
        }
    }
    return false;
}

// ---- Snapshot --------------------------------------------------------------------------------

Snapshot::Snapshot(const std::vector<json::object>& nodes, const std::vector<json::object>& pods) {
    for (const auto& n : nodes) {
        set_node(n);
    }
    for (const auto& p : pods) {
        set_pod(p);
    }
}

void Snapshot::set_node(const json::object& node) {
    const auto* meta = object_at(&node, "metadata");
    const auto* spec = object_at(&node, "spec");
    std::string name = string_at(meta, "name");
    if (name.empty()) {
        return;
    }
    auto [it, inserted] = nodes_.try_emplace(name);
    NodeInfo& info = it->second;
    info.name = name;
    info.labels = labels_of(object_at(meta, "labels"));
    info.taints.clear();
    if (const auto* taints = spec ? spec->if_contains("taints") : nullptr;
        taints && taints->is_array()) {
        for (const auto& t : taints->get_array()) {
            const auto* o = t.if_object();
            info.taints.push_back(
                {string_at(o, "key"), string_at(o, "value"), string_at(o, "effect")});
        }
    }
    const auto* unschedulable = spec ? spec->if_contains("unschedulable") : nullptr;
    info.unschedulable = unschedulable && unschedulable->is_bool() && unschedulable->get_bool();
    info.allocatable = node_allocatable(node);
    if (inserted) {
        if (auto o = orphans_.find(name); o != orphans_.end()) {
            for (auto& p : o->second) {
                info.add_pod(std::move(p));
            }
            orphans_.erase(o);
        }
        node_list_.valid = false;
    }
}

void Snapshot::remove_node(std::string_view name) {
    auto it = nodes_.find(name);
    if (it == nodes_.end()) {
        return;
    }
    // Its pods stay accounted until they are deleted, as upstream's cache keeps them.
    if (!it->second.pods.empty()) {
        auto& waiting = orphans_[std::string(name)];
        for (auto& p : it->second.pods) {
            waiting.push_back(std::move(p));
        }
    }
    nodes_.erase(it);
    node_list_.valid = false;
}

void Snapshot::drop_pod(const std::string& key) {
    if (auto it = pod_node_.find(key); it != pod_node_.end()) {
        auto slash = key.find('/');
        std::string_view ns(key.data(), slash);
        std::string_view name(key.data() + slash + 1, key.size() - slash - 1);
        if (auto n = nodes_.find(it->second); n != nodes_.end()) {
            n->second.remove_pod(ns, name);
        } else if (auto o = orphans_.find(it->second); o != orphans_.end()) {
            std::erase_if(o->second, [&](const auto& p) {
                return p->namespace_ == ns && p->name == name;
            });
            if (o->second.empty()) {
                orphans_.erase(o);
            }
        }
        pod_node_.erase(it);
    }
    nominated_.erase(key);
    assumed_.erase(key);
}

void Snapshot::set_bound_pod(std::shared_ptr<const PodInfo> pod, const std::string& node) {
    std::string key = pod->key();
    drop_pod(key);
    pod_node_[key] = node;
    if (auto n = nodes_.find(node); n != nodes_.end()) {
        n->second.add_pod(std::move(pod));
    } else {
        orphans_[node].push_back(std::move(pod));
    }
}

void Snapshot::set_pod(const json::object& pod) {
    auto info = std::make_shared<PodInfo>(PodInfo::from_json(pod));
    std::string key = info->key();
    if (terminal_phase(pod)) {
        drop_pod(key);
        return;
    }
    if (!info->node_name.empty()) {
        std::string node = info->node_name;
        set_bound_pod(std::move(info), node);
        return;
    }
    if (assumed_.contains(key) && !info->terminating) {
        return;  // an update of the pod we assumed, before its binding shows up
    }
    drop_pod(key);
    if (!info->nominated_node_name.empty() && !info->terminating) {
        std::string node = info->nominated_node_name;
        nominated_[key] = {node, std::move(info)};
    }
}

void Snapshot::remove_pod(std::string_view ns, std::string_view name) {
    drop_pod(join_key(ns, name));
}

void Snapshot::assume_pod(std::shared_ptr<const PodInfo> pod, const std::string& node) {
    std::string key = pod->key();
    set_bound_pod(std::move(pod), node);
    assumed_.insert(key);
}

void Snapshot::set_namespace(const json::object& ns) {
    const auto* meta = object_at(&ns, "metadata");
    namespaces_[string_at(meta, "name")] = labels_of(object_at(meta, "labels"));
}

void Snapshot::remove_namespace(std::string_view name) {
    if (auto it = namespaces_.find(name); it != namespaces_.end()) {
        namespaces_.erase(it);
    }
}

void Snapshot::set_service(const json::object& service) {
    const auto* meta = object_at(&service, "metadata");
    std::string key = join_key(string_at(meta, "namespace"), string_at(meta, "name"));
    const auto* selector = object_at(object_at(&service, "spec"), "selector");
    if (!selector) {
        services_.erase(key);  // a nil selector selects nothing
        return;
    }
    services_[key] = labels_of(selector);
}

void Snapshot::remove_service(std::string_view ns, std::string_view name) {
    if (auto it = services_.find(join_key(ns, name)); it != services_.end()) {
        services_.erase(it);
    }
}

void Snapshot::set_controller(const json::object& controller) {
    const auto* meta = object_at(&controller, "metadata");
    std::string kind = string_at(&controller, "kind");
    std::string key =
        kind + "/" + join_key(string_at(meta, "namespace"), string_at(meta, "name"));
    const auto* spec = object_at(&controller, "spec");
    Controller c;
    if (kind == "ReplicationController") {
        if (const auto* selector = object_at(spec, "selector")) {
            c.map_selector = labels_of(selector);
        }
    } else {
        const json::value* selector = spec ? spec->if_contains("selector") : nullptr;
        auto parsed = api::LabelSelector::from_json(selector);
        if (parsed.ok()) {
            c.selector = std::move(*parsed);
        }
    }
    controllers_[key] = std::move(c);
}

void Snapshot::remove_controller(std::string_view kind, std::string_view ns,
                                 std::string_view name) {
    std::string key(kind);
    key += '/';
    key += join_key(ns, name);
    controllers_.erase(key);
}

void Snapshot::set_disruption_budget(const json::object& pdb) {
    const auto* meta = object_at(&pdb, "metadata");
    const auto* spec = object_at(&pdb, "spec");
    const auto* status = object_at(&pdb, "status");
    DisruptionBudget b;
    b.namespace_ = string_at(meta, "namespace");
    auto selector = api::LabelSelector::from_json(spec ? spec->if_contains("selector") : nullptr);
    b.selector = selector.ok() ? std::move(*selector) : api::LabelSelector::nothing();
    if (const auto* allowed = status ? status->if_contains("disruptionsAllowed") : nullptr;
        allowed && allowed->is_int64()) {
        b.disruptions_allowed = allowed->get_int64();
    }
    if (const auto* disrupted = object_at(status, "disruptedPods")) {
        for (const auto& [name, when] : *disrupted) {
            b.disrupted_pods.insert(std::string(name));
        }
    }
    pdbs_[join_key(b.namespace_, string_at(meta, "name"))] = std::move(b);
    pdbs_list_.clear();
    for (const auto& [k, v] : pdbs_) {
        pdbs_list_.push_back(v);
    }
}

void Snapshot::remove_disruption_budget(std::string_view ns, std::string_view name) {
    if (auto it = pdbs_.find(join_key(ns, name)); it != pdbs_.end()) {
        pdbs_.erase(it);
        pdbs_list_.clear();
        for (const auto& [k, v] : pdbs_) {
            pdbs_list_.push_back(v);
        }
    }
}

const std::vector<const NodeInfo*>& Snapshot::nodes() const {
    if (!node_list_.valid) {
        node_list_.nodes.clear();
        for (const auto& [name, info] : nodes_) {
            node_list_.nodes.push_back(&info);
        }
        node_list_.valid = true;
    }
    return node_list_.nodes;
}

const NodeInfo* Snapshot::node(std::string_view name) const {
    auto it = nodes_.find(name);
    return it == nodes_.end() ? nullptr : &it->second;
}

std::optional<std::string> Snapshot::node_of(std::string_view ns, std::string_view name) const {
    auto it = pod_node_.find(join_key(ns, name));
    if (it == pod_node_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::vector<std::shared_ptr<const PodInfo>> Snapshot::nominated_pods(std::string_view node) const {
    std::vector<std::shared_ptr<const PodInfo>> out;
    for (const auto& [key, entry] : nominated_) {
        if (entry.first == node) {
            out.push_back(entry.second);
        }
    }
    return out;
}

const Labels* Snapshot::namespace_labels(std::string_view name) const {
    auto it = namespaces_.find(name);
    return it == namespaces_.end() ? nullptr : &it->second;
}

SpreadSelector Snapshot::default_spread_selector(const PodInfo& pod) const {
    SpreadSelector out;
    std::string prefix = pod.namespace_ + "/";
    for (auto it = services_.lower_bound(prefix);
         it != services_.end() && it->first.starts_with(prefix); ++it) {
        const Labels& selector = it->second;
        bool selects = std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
            auto l = pod.labels.find(kv.first);
            return l != pod.labels.end() && l->second == kv.second;
        });
        if (selects) {
            out.labels.insert(selector.begin(), selector.end());
        }
    }
    if (!pod.controller) {
        return out;
    }
    const auto& ref = *pod.controller;
    std::string key = ref.kind + "/" + join_key(pod.namespace_, ref.name);
    auto it = controllers_.find(key);
    if (it == controllers_.end()) {
        return out;
    }
    if (ref.kind == "ReplicationController" && ref.api_version == "v1" && it->second.map_selector) {
        out.labels.insert(it->second.map_selector->begin(), it->second.map_selector->end());
    } else if ((ref.kind == "ReplicaSet" || ref.kind == "StatefulSet") &&
               ref.api_version == "apps/v1" && it->second.selector &&
               !it->second.selector->matches_nothing()) {
        out.selector = *it->second.selector;
    }
    return out;
}

// ---- helpers for the loop --------------------------------------------------------------------

bool is_schedulable(const json::object& pod, std::string_view scheduler_name) {
    const auto* meta = object_at(&pod, "metadata");
    const auto* spec = object_at(&pod, "spec");
    auto name = string_at(spec, "schedulerName");
    if ((name.empty() ? std::string(kDefaultSchedulerName) : name) != scheduler_name) {
        return false;
    }
    if (!string_at(spec, "nodeName").empty() || terminal_phase(pod)) {
        return false;
    }
    if (const auto* deletion = meta ? meta->if_contains("deletionTimestamp") : nullptr;
        deletion && !deletion->is_null()) {
        return false;
    }
    const auto* gates = spec ? spec->if_contains("schedulingGates") : nullptr;
    return !(gates && gates->is_array() && !gates->get_array().empty());
}

bool schedules_before(const json::object& a, const json::object& b) {
    auto priority = [](const json::object& pod) -> std::int64_t {
        const auto* spec = object_at(&pod, "spec");
        const auto* p = spec ? spec->if_contains("priority") : nullptr;
        return p && p->is_int64() ? p->get_int64() : 0;
    };
    auto pa = priority(a);
    auto pb = priority(b);
    if (pa != pb) {
        return pa > pb;
    }
    const auto* ma = object_at(&a, "metadata");
    const auto* mb = object_at(&b, "metadata");
    auto ta = string_at(ma, "creationTimestamp");
    auto tb = string_at(mb, "creationTimestamp");
    if (ta != tb) {
        return ta < tb;
    }
    return join_key(string_at(ma, "namespace"), string_at(ma, "name")) <
           join_key(string_at(mb, "namespace"), string_at(mb, "name"));
}

void assume(Snapshot& snapshot, const json::object& pod, const std::string& node) {
    auto info = PodInfo::from_json(pod);
    info.node_name = node;
    info.nominated_node_name.clear();
    snapshot.assume_pod(std::make_shared<const PodInfo>(std::move(info)), node);
}

void forget(Snapshot& snapshot, const json::object& pod) {
    const auto* meta = object_at(&pod, "metadata");
    snapshot.remove_pod(string_at(meta, "namespace"), string_at(meta, "name"));
}

std::string fit_error_message(std::size_t all_nodes, std::string_view pre_filter_message,
                              const std::map<std::string, FilterStatus>& statuses,
                              const std::vector<std::string>& absent_reasons,
                              std::string_view post_filter_message) {
    std::string msg = "0/" + std::to_string(all_nodes) + " nodes are available:";
    if (!pre_filter_message.empty()) {
        msg += " ";
        msg += pre_filter_message;
        msg += ".";
    } else {
        std::map<std::string, std::size_t> histogram;
        for (const auto& [node, status] : statuses) {
            for (const auto& r : status.reasons) {
                ++histogram[r];
            }
        }
        if (statuses.size() < all_nodes) {
            for (const auto& r : absent_reasons) {
                histogram[r] += all_nodes - statuses.size();
            }
        }
        // Upstream sorts the formatted "<count> <reason>" strings, so "10 x" sorts before "2 y".
        std::vector<std::string> entries;
        for (const auto& [reason, count] : histogram) {
            entries.push_back(std::to_string(count) + " " + reason);
        }
        std::sort(entries.begin(), entries.end());
        std::string joined;
        for (const auto& e : entries) {
            if (!joined.empty()) {
                joined += ", ";
            }
            joined += e;
        }
        if (!joined.empty()) {
            msg += " " + joined + ".";
        }
    }
    if (!post_filter_message.empty()) {
        msg += " ";
        msg += post_filter_message;
    }
    return msg;
}

// ---- schedule --------------------------------------------------------------------------------

Decision schedule(const Snapshot& snapshot, const json::object& pod,
                  const ScheduleOptions& options) {
    return schedule(snapshot, PodInfo::from_json(pod), options);
}

Decision schedule(const Snapshot& snapshot, const PodInfo& pod, const ScheduleOptions& options) {
    Decision d;
    if (!pod.errors.empty()) {
        d.error = true;
        for (const auto& e : pod.errors) {
            d.message += d.message.empty() ? e : "; " + e;
        }
        return d;
    }
    const auto& all = snapshot.nodes();
    if (all.empty()) {
        d.message = "no nodes available to schedule pods";
        return d;
    }

    // Pre-filter: NodeAffinity may pin the pod to named nodes; the rest count as rejected.
    auto names = node_affinity_node_names(pod);
    CycleState state = CycleState::compute(snapshot, pod);
    if (names && names->empty()) {
        auto rejected = FilterStatus::fail(Code::UnschedulableAndUnresolvable, kNodeAffinity,
                                           {std::string(kReasonNodeAffinityConflict)});
        for (const NodeInfo* node : all) {
            d.diagnosis.emplace(node->name, rejected);
        }
        std::string post = options.preemption ? preempt(snapshot, pod, state, d) : "";
        d.message = fit_error_message(all.size(), kReasonNodeAffinityConflict, {}, {}, post);
        return d;
    }
    std::vector<const NodeInfo*> feasible;
    std::map<std::string, FilterStatus> filtered;  // statuses of nodes that ran the filters
    for (const NodeInfo* node : all) {
        if (names && !names->contains(node->name)) {
            d.diagnosis.emplace(
                node->name,
                FilterStatus::fail(Code::UnschedulableAndUnresolvable, kNodeAffinity,
                                   {"node(s) didn't satisfy plugin(s) [" +
                                    std::string(kNodeAffinity) + "]"}));
            continue;
        }
        auto status = filter_with_nominated(snapshot, pod, state, *node);
        if (status.ok()) {
            feasible.push_back(node);
        } else {
            d.diagnosis.emplace(node->name, status);
        }
    }
    if (feasible.empty()) {
        std::string post = options.preemption ? preempt(snapshot, pod, state, d) : "";
        d.message = fit_error_message(all.size(), "", d.diagnosis, {}, post);
        return d;
    }
    if (feasible.size() == 1) {
        d.node = feasible.front()->name;
        return d;
    }

    // Score with upstream's default weights; ImageLocality (weight 1) is not implemented.
    const ScorePlugin plugins[] = {
        {kTaintToleration, 3},   {kNodeAffinity, 2},      {kNodeResourcesFit, 1},
        {kPodTopologySpread, 2}, {kInterPodAffinity, 2},  {kBalancedAllocation, 1},
    };
    std::vector<std::vector<std::int64_t>> results = {
        score_taint_toleration(pod, feasible),
        score_node_affinity(pod, feasible),
        score_least_allocated(pod, feasible),
        score_pod_topology_spread(snapshot, pod, feasible),
        score_inter_pod_affinity(snapshot, pod, feasible),
        score_balanced_allocation(pod, feasible),
    };
    d.scores.reserve(feasible.size());
    for (std::size_t n = 0; n < feasible.size(); ++n) {
        NodeScore ns;
        ns.node = feasible[n]->name;
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (results[i].empty()) {
                continue;  // skipped for this pod
            }
            ns.plugins.push_back({std::string(plugins[i].name), results[i][n], plugins[i].weight});
            ns.total += results[i][n] * plugins[i].weight;
        }
        d.scores.push_back(std::move(ns));
    }
    std::int64_t best = std::numeric_limits<std::int64_t>::min();
    for (const auto& s : d.scores) {
        best = std::max(best, s.total);
    }
    std::vector<const NodeScore*> tied;
    for (const auto& s : d.scores) {
        if (s.total == best) {
            tied.push_back(&s);
        }
    }
    std::size_t pick = options.tie_breaker ? options.tie_breaker(tied.size()) : 0;
    d.node = tied[pick < tied.size() ? pick : 0]->node;
    return d;
}

}  // namespace skiff::scheduler
