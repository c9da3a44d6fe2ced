// The scheduler's view of the cluster: nodes with the pods bound (or assumed) to them, plus the
// few other objects plugins consult (namespaces, services, controllers, disruption budgets).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/scheduler/pod_info.h"
#include "skiff/scheduler/resources.h"

namespace skiff::scheduler {

/// One node and its pods (framework.NodeInfo).
struct NodeInfo {
    std::string name;
    Labels labels;
    std::vector<Taint> taints;
    bool unschedulable = false;  // spec.unschedulable
    Resources allocatable;
    Resources requested;           // sum of the pods' pod_requests()
    Resources non_zero_requested;  // sum of the pods' pod_non_zero_requests() (cpu, memory)
    std::vector<std::shared_ptr<const PodInfo>> pods;
    std::set<HostPort> used_ports;
    int pods_with_affinity = 0;
    int pods_with_required_anti_affinity = 0;

    void add_pod(std::shared_ptr<const PodInfo> pod);
    /// Removes the pod with this namespace/name; false when it is not here.
    bool remove_pod(std::string_view ns, std::string_view name);
    /// HostPortInfo.CheckConflict: 0.0.0.0 on either side conflicts with any address.
    bool port_conflicts(const HostPort& port) const;
};

/// A PodDisruptionBudget as preemption reads it.
struct DisruptionBudget {
    std::string namespace_;
    api::LabelSelector selector;  // null or empty selects nothing
    std::int64_t disruptions_allowed = 0;
    std::set<std::string> disrupted_pods;
};

/// A selector made of equality labels (services, ReplicationControllers) ANDed with a label
/// selector (ReplicaSets, StatefulSets).
struct SpreadSelector {
    Labels labels;
    api::LabelSelector selector;
    bool empty() const { return labels.empty() && selector.empty(); }
};

/// Nodes and bound pods, kept up to date from informer events (set_* on add and update,
/// remove_* on delete) or built at once. Pods enter as upstream's scheduler cache takes them:
/// bound (spec.nodeName set) and not terminal (phase Succeeded or Failed leaves). Unbound pods
/// with status.nominatedNodeName are kept apart as nominated (they reserve room for pods of
/// lower priority). A pod bound to a node not seen yet waits for it.
///
/// Not thread-safe, const methods included; owned by the scheduler's executor. Copies share the
/// (immutable) parsed pods.
class Snapshot {
public:
    Snapshot() = default;
    Snapshot(const std::vector<boost::json::object>& nodes,
             const std::vector<boost::json::object>& pods);

    void set_node(const boost::json::object& node);
    void remove_node(std::string_view name);

    /// Adds, updates or drops the pod according to its spec.nodeName, phase and
    /// status.nominatedNodeName.
    void set_pod(const boost::json::object& pod);
    void remove_pod(std::string_view ns, std::string_view name);
    /// Accounts a pod on `node` ahead of its binding (what assume() uses): updates of the
    /// still unbound pod leave it in place; its bound version or remove_pod() replace it.
    void assume_pod(std::shared_ptr<const PodInfo> pod, const std::string& node);

    /// Namespace labels, for affinity terms' namespaceSelector.
    void set_namespace(const boost::json::object& ns);
    void remove_namespace(std::string_view name);
    /// Services, ReplicaSets, StatefulSets and ReplicationControllers: their selectors make
    /// the default topology spreading of the pods they select (upstream's system defaults:
    /// hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway).
    void set_service(const boost::json::object& service);
    void remove_service(std::string_view ns, std::string_view name);
    void set_controller(const boost::json::object& controller);
    void remove_controller(std::string_view kind, std::string_view ns, std::string_view name);
    void set_disruption_budget(const boost::json::object& pdb);
    void remove_disruption_budget(std::string_view ns, std::string_view name);

    /// Nodes in name order (only those whose Node object is known).
    const std::vector<const NodeInfo*>& nodes() const;
    std::size_t num_nodes() const { return nodes().size(); }
    const NodeInfo* node(std::string_view name) const;
    /// The node a pod is accounted on, if any.
    std::optional<std::string> node_of(std::string_view ns, std::string_view name) const;
    /// Nominated pods waiting for `node`.
    std::vector<std::shared_ptr<const PodInfo>> nominated_pods(std::string_view node) const;

    /// nullptr when the namespace is unknown.
    const Labels* namespace_labels(std::string_view name) const;
    /// helper.DefaultSelector: the services selecting the pod merged with its controller's
    /// selector; empty when nothing selects the pod (no default spreading then).
    SpreadSelector default_spread_selector(const PodInfo& pod) const;
    const std::vector<DisruptionBudget>& disruption_budgets() const { return pdbs_list_; }

private:
    void set_bound_pod(std::shared_ptr<const PodInfo> pod, const std::string& node);
    void drop_pod(const std::string& key);

    std::map<std::string, NodeInfo, std::less<>> nodes_;
    std::map<std::string, std::vector<std::shared_ptr<const PodInfo>>, std::less<>> orphans_;
    std::map<std::string, std::string, std::less<>> pod_node_;  // "ns/name" → node
    std::set<std::string, std::less<>> assumed_;
    std::map<std::string, std::pair<std::string, std::shared_ptr<const PodInfo>>, std::less<>>
        nominated_;  // "ns/name" → (node, pod)
    std::map<std::string, Labels, std::less<>> namespaces_;
    std::map<std::string, Labels, std::less<>> services_;  // "ns/name" → spec.selector
    struct Controller {
        std::optional<Labels> map_selector;            // ReplicationController
        std::optional<api::LabelSelector> selector;    // ReplicaSet, StatefulSet
    };
    std::map<std::string, Controller, std::less<>> controllers_;  // "Kind/ns/name"
    std::map<std::string, DisruptionBudget, std::less<>> pdbs_;
    std::vector<DisruptionBudget> pdbs_list_;
    // nodes() in name order, rebuilt after nodes come and go; a copy starts over because the
    // pointers are into the original's map.
    struct NodeList {
        std::vector<const NodeInfo*> nodes;
        bool valid = false;
        NodeList() = default;
        NodeList(const NodeList&) {}
        NodeList& operator=(const NodeList&) {
            nodes.clear();
            valid = false;
            return *this;
        }
    };
    mutable NodeList node_list_;
};

}  // namespace skiff::scheduler
