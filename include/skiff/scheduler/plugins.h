// The default filter and score plugins, as pure functions over a parsed pod and the snapshot.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "skiff/scheduler/pod_info.h"
#include "skiff/scheduler/snapshot.h"

namespace skiff::scheduler {

inline constexpr std::int64_t kMaxNodeScore = 100;

// Plugin names as upstream registers them.
inline constexpr std::string_view kNodeUnschedulable = "NodeUnschedulable";
inline constexpr std::string_view kNodeName = "NodeName";
inline constexpr std::string_view kTaintToleration = "TaintToleration";
inline constexpr std::string_view kNodeAffinity = "NodeAffinity";
inline constexpr std::string_view kNodePorts = "NodePorts";
inline constexpr std::string_view kNodeResourcesFit = "NodeResourcesFit";
inline constexpr std::string_view kPodTopologySpread = "PodTopologySpread";
inline constexpr std::string_view kInterPodAffinity = "InterPodAffinity";
inline constexpr std::string_view kBalancedAllocation = "NodeResourcesBalancedAllocation";

// Upstream's filter reasons.
inline constexpr std::string_view kReasonNodeName = "node(s) didn't match the requested node name";
inline constexpr std::string_view kReasonUnschedulable = "node(s) were unschedulable";
inline constexpr std::string_view kReasonNodeAffinity =
    "node(s) didn't match Pod's node affinity/selector";
inline constexpr std::string_view kReasonNodeAffinityConflict = "pod affinity terms conflict";
inline constexpr std::string_view kReasonNodePorts =
    "node(s) didn't have free ports for the requested pod ports";
inline constexpr std::string_view kReasonTooManyPods = "Too many pods";
inline constexpr std::string_view kReasonSpread =
    "node(s) didn't match pod topology spread constraints";
inline constexpr std::string_view kReasonSpreadMissingLabel =
    "node(s) didn't match pod topology spread constraints (missing required label)";
inline constexpr std::string_view kReasonPodAffinity = "node(s) didn't match pod affinity rules";
inline constexpr std::string_view kReasonPodAntiAffinity =
    "node(s) didn't match pod anti-affinity rules";
inline constexpr std::string_view kReasonExistingAntiAffinity =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// A filter plugin's verdict on one node (framework.Status restricted to filters).
struct FilterStatus {
    enum class Code { Success, Unschedulable, UnschedulableAndUnresolvable };
    Code code = Code::Success;
    std::vector<std::string> reasons;
    std::string plugin;

    static FilterStatus success() { return {}; }
    static FilterStatus fail(Code code, std::string_view plugin, std::vector<std::string> reasons);
    bool ok() const { return code == Code::Success; }
    /// The reasons joined by ", " (Status.Message()).
    std::string message() const;
    bool operator==(const FilterStatus&) const = default;
};

// Filters without pre-computed state.

/// Fails when spec.unschedulable is set, unless the pod tolerates the
/// node.kubernetes.io/unschedulable:NoSchedule taint.
FilterStatus filter_node_unschedulable(const PodInfo& pod, const NodeInfo& node);
/// Fails when spec.nodeName is set to another node.
FilterStatus filter_node_name(const PodInfo& pod, const NodeInfo& node);
/// Fails on the first NoSchedule/NoExecute taint no toleration tolerates:
/// "node(s) had untolerated taint {key: value}".
FilterStatus filter_taint_toleration(const PodInfo& pod, const NodeInfo& node);
/// nodeSelector and required node affinity.
FilterStatus filter_node_affinity(const PodInfo& pod, const NodeInfo& node);
FilterStatus filter_node_ports(const PodInfo& pod, const NodeInfo& node);
/// "Too many pods", "Insufficient cpu", "Insufficient memory",
/// "Insufficient ephemeral-storage", "Insufficient <scalar>" (all that apply, in that order);
/// unresolvable when the request alone exceeds the node's allocatable.
FilterStatus filter_node_resources_fit(const PodInfo& pod, const NodeInfo& node);

/// NodeAffinity's pre-filter: the node names the required terms pin the pod to through
/// matchFields metadata.name In (nullopt: every node). An empty set means the terms conflict.
std::optional<std::set<std::string>> node_affinity_node_names(const PodInfo& pod);

/// PodTopologySpread's pre-filter state: matching pods per topology domain for each
/// DoNotSchedule constraint, over the nodes the constraint's inclusion policies admit.
struct SpreadState {
    std::vector<SpreadConstraint> constraints;
    std::map<std::pair<std::string, std::string>, int> pair_counts;  // (key, value) → pods
    std::map<std::string, int> domains;                              // key → domains

    static SpreadState compute(const Snapshot& snapshot, const PodInfo& pod);
    /// PreFilterExtensions AddPod/RemovePod: account `other` on `node` (delta ±1).
    void update(const PodInfo& pod, const PodInfo& other, const NodeInfo& node, int delta);
    /// The global minimum for `key`, 0 when fewer than `min_domains` domains exist.
    int min_match(const std::string& key, std::int32_t min_domains) const;
};
FilterStatus filter_pod_topology_spread(const PodInfo& pod, const SpreadState& state,
                                        const NodeInfo& node);

/// InterPodAffinity's pre-filter state: matching pods per topology pair for the incoming pod's
/// required affinity and anti-affinity terms, and existing pods' anti-affinity terms the
/// incoming pod matches.
struct InterPodAffinityState {
    using Counts = std::map<std::pair<std::string, std::string>, std::int64_t>;
    Counts existing_anti_affinity;
    Counts affinity;
    Counts anti_affinity;

    static InterPodAffinityState compute(const Snapshot& snapshot, const PodInfo& pod);
    void update(const Snapshot& snapshot, const PodInfo& pod, const PodInfo& other,
                const NodeInfo& node, int delta);
};
FilterStatus filter_inter_pod_affinity(const PodInfo& pod, const InterPodAffinityState& state,
                                       const NodeInfo& node);

/// The pre-computed state all filters share for one pod (upstream's CycleState).
struct CycleState {
    SpreadState spread;
    InterPodAffinityState affinity;

    static CycleState compute(const Snapshot& snapshot, const PodInfo& pod);
    /// Accounts `other` added to (delta 1) or removed from (delta -1) `node`.
    void update(const Snapshot& snapshot, const PodInfo& pod, const PodInfo& other,
                const NodeInfo& node, int delta);
};

/// The filters in upstream's order, stopping at the first failure.
FilterStatus run_filters(const PodInfo& pod, const CycleState& state, const NodeInfo& node);

// Score plugins. Each returns normalized scores (0..kMaxNodeScore) parallel to `nodes`, or an
// empty vector when upstream skips the plugin for this pod (it then adds nothing).

/// NodeResourcesFit with LeastAllocated over cpu and memory (weight 1 each), counting
/// non-zero requests.
std::vector<std::int64_t> score_least_allocated(const PodInfo& pod,
                                                const std::vector<const NodeInfo*>& nodes);
/// NodeResourcesBalancedAllocation over cpu and memory, counting real requests; skipped for
/// pods that request neither.
std::vector<std::int64_t> score_balanced_allocation(const PodInfo& pod,
                                                    const std::vector<const NodeInfo*>& nodes);
/// Fewer untolerated PreferNoSchedule taints score higher.
std::vector<std::int64_t> score_taint_toleration(const PodInfo& pod,
                                                 const std::vector<const NodeInfo*>& nodes);
/// Sum of matching preferred node affinity weights, normalized to the best node.
std::vector<std::int64_t> score_node_affinity(const PodInfo& pod,
                                              const std::vector<const NodeInfo*>& nodes);
/// ScheduleAnyway constraints (or the system default spreading when the pod has none).
std::vector<std::int64_t> score_pod_topology_spread(const Snapshot& snapshot, const PodInfo& pod,
                                                    const std::vector<const NodeInfo*>& nodes);
/// Preferred (anti-)affinity of the pod and of existing pods, and existing pods' required
/// affinity (hard weight 1).
std::vector<std::int64_t> score_inter_pod_affinity(const Snapshot& snapshot, const PodInfo& pod,
                                                   const std::vector<const NodeInfo*>& nodes);

}  // namespace skiff::scheduler
