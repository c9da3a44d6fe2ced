// A pod parsed once into what filters and scores read: requests, ports, tolerations, affinity,
// topology spread constraints.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/fwd.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/scheduler/resources.h"

namespace skiff::scheduler {

using Labels = std::map<std::string, std::string>;

/// v1.Taint (timeAdded is irrelevant to scheduling).
struct Taint {
    std::string key;
    std::string value;
    std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute
    bool operator==(const Taint&) const = default;
};

/// v1.Toleration.
struct Toleration {
    std::string key;       // empty with Exists: every key
    std::string op;        // "", Equal or Exists
    std::string value;
    std::string effect;    // empty: every effect
    /// Toleration.ToleratesTaint: effect and key (when set) equal, then Exists, or Equal/""
    /// with equal values; any other operator tolerates nothing.
    bool tolerates(const Taint& taint) const;
};

/// Whether any of `tolerations` tolerates `taint`.
bool tolerated(const std::vector<Toleration>& tolerations, const Taint& taint);

/// A host port a container binds: hostIP defaults to 0.0.0.0 and protocol to TCP.
struct HostPort {
    std::string ip = "0.0.0.0";
    std::string protocol = "TCP";
    std::int32_t port = 0;
    auto operator<=>(const HostPort&) const = default;
};

/// v1.NodeSelectorTerm: matchExpressions (In, NotIn, Exists, DoesNotExist, Gt, Lt) over labels
/// and matchFields (metadata.name, In/NotIn with one value) ANDed. A term with neither, or one
/// that does not parse (an unknown operator, a bad key or value), matches no node.
struct NodeSelectorTerm {
    struct Field {
        std::string key;
        bool equals = true;  // In; false for NotIn
        std::string value;
    };
    std::vector<api::Requirement> expressions;
    std::vector<Field> fields;
    bool has_expressions = false;
    bool has_fields = false;
    bool valid = true;

    static NodeSelectorTerm from_json(const boost::json::object& term);
    bool matches(const std::string& node_name, const Labels& node_labels) const;
};

/// spec.nodeSelector and spec.affinity.nodeAffinity.requiredDuringScheduling... together
/// (nodeaffinity.RequiredNodeAffinity): both must match when present; the terms are ORed.
struct RequiredNodeAffinity {
    std::optional<Labels> node_selector;
    std::optional<std::vector<NodeSelectorTerm>> terms;
    bool matches(const std::string& node_name, const Labels& node_labels) const;
};

struct PreferredSchedulingTerm {
    std::int32_t weight = 0;
    NodeSelectorTerm term;
};

/// A processed v1.PodAffinityTerm (framework.AffinityTerm).
struct AffinityTerm {
    /// spec.namespaces, or the owning pod's namespace when neither namespaces nor
    /// namespaceSelector is set.
    std::set<std::string> namespaces;
    api::LabelSelector selector;            // labelSelector; null matches nothing
    api::LabelSelector namespace_selector;  // namespaceSelector; null matches nothing
    std::string topology_key;

    /// Whether `pod` is in one of the namespaces (or a namespace whose labels the namespace
    /// selector matches) and the label selector matches its labels. `ns_labels` nullptr means
    /// the namespace's labels are unknown: only an empty ({}) namespace selector matches then.
    bool matches(const std::string& pod_namespace, const Labels& pod_labels,
                 const Labels* ns_labels) const;
};

struct WeightedAffinityTerm {
    AffinityTerm term;
    std::int32_t weight = 0;
};

/// A processed v1.TopologySpreadConstraint.
struct SpreadConstraint {
    std::int32_t max_skew = 1;
    std::string topology_key;
    api::LabelSelector selector;
    /// matchLabelKeys resolved against the pod's own labels, ANDed with the selector.
    Labels match_label_values;
    std::int32_t min_domains = 1;
    bool honor_node_affinity = true;   // nodeAffinityPolicy, default Honor
    bool honor_node_taints = false;    // nodeTaintsPolicy, default Ignore
    bool schedule_anyway = false;      // whenUnsatisfiable ScheduleAnyway (else DoNotSchedule)

    bool selects(const Labels& labels) const;
    /// An empty selector counts no pods (countPodsMatchSelector), though it matches the pod.
    bool selector_empty() const;
};

/// metadata.ownerReferences' controller, for the default spreading selector.
struct ControllerRef {
    std::string api_version;
    std::string kind;
    std::string name;
};

/// Everything the plugins read from a v1.Pod.
struct PodInfo {
    std::string namespace_;
    std::string name;
    std::string uid;
    std::string node_name;            // spec.nodeName
    std::string nominated_node_name;  // status.nominatedNodeName
    Labels labels;
    std::int32_t priority = 0;        // spec.priority (0 when unset)
    bool preempt_never = false;       // spec.preemptionPolicy Never
    bool terminating = false;         // metadata.deletionTimestamp set
    /// Being deleted by the scheduler's preemption (DisruptionTarget True,
    /// PreemptionByScheduler).
    bool preempted = false;
    std::string start_time;           // status.startTime (RFC 3339), "" when not started
    std::optional<ControllerRef> controller;

    Resources requests;            // pod_requests()
    Resources non_zero_requests;   // pod_non_zero_requests()
    std::vector<HostPort> host_ports;  // containers' ports with hostPort > 0
    std::vector<Toleration> tolerations;

    RequiredNodeAffinity required_node_affinity;
    bool has_required_node_affinity = false;  // nodeSelector or required terms present
    std::vector<PreferredSchedulingTerm> preferred_node_affinity;
    /// Raw required nodeSelectorTerms' matchFields metadata.name In values per term, for the
    /// NodeAffinity pre-filter (nullopt for a term without such a field).
    std::vector<std::optional<std::set<std::string>>> node_name_terms;

    std::vector<AffinityTerm> required_affinity;
    std::vector<AffinityTerm> required_anti_affinity;
    std::vector<WeightedAffinityTerm> preferred_affinity;
    std::vector<WeightedAffinityTerm> preferred_anti_affinity;
    bool has_pod_affinity = false;       // spec.affinity.podAffinity set
    bool has_pod_anti_affinity = false;  // spec.affinity.podAntiAffinity set

    std::vector<SpreadConstraint> spread_constraints;  // both kinds, in spec order
    bool has_spread_constraints = false;

    /// Parse failures that make scheduling this pod an error (upstream's PreFilter/PreScore
    /// errors): bad affinity or spread label selectors, bad preferred node affinity terms.
    std::vector<std::string> errors;

    /// Never fails: what does not parse is recorded in `errors` or makes a term match nothing.
    static PodInfo from_json(const boost::json::object& pod);

    std::string key() const { return namespace_ + "/" + name; }
    bool has_affinity() const { return has_pod_affinity || has_pod_anti_affinity; }
};

}  // namespace skiff::scheduler
