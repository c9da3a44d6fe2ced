// One scheduling decision: filter, score and pick a node for a pod, or explain why none fits
// (with upstream's FailedScheduling message) and which pods preemption would evict.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "skiff/scheduler/plugins.h"
#include "skiff/scheduler/snapshot.h"

namespace skiff::scheduler {

inline constexpr std::string_view kDefaultSchedulerName = "default-scheduler";

/// Whether the default scheduler should try to place this pod now: spec.schedulerName is
/// `scheduler_name` (unset counts as default-scheduler), spec.nodeName is unset, it is not being
/// deleted, not terminal (Succeeded/Failed) and has no spec.schedulingGates.
bool is_schedulable(const boost::json::object& pod,
                    std::string_view scheduler_name = kDefaultSchedulerName);

/// The active queue's order (PrioritySort): higher spec.priority first, then the older
/// metadata.creationTimestamp, then namespace/name.
bool schedules_before(const boost::json::object& a, const boost::json::object& b);

/// Accounts a pod the loop just decided to bind to `node`, before the informer reports the
/// binding; the informer's own event for the pod later replaces it. Undo with forget().
void assume(Snapshot& snapshot, const boost::json::object& pod, const std::string& node);
void forget(Snapshot& snapshot, const boost::json::object& pod);

struct PluginScore {
    std::string plugin;
    std::int64_t score = 0;  // normalized, before the weight
    std::int64_t weight = 0;
};

struct NodeScore {
    std::string node;
    std::int64_t total = 0;  // sum of score × weight
    std::vector<PluginScore> plugins;
};

/// A pod to delete so that the preemptor fits.
struct Victim {
    std::string namespace_;
    std::string name;
    std::string uid;
    std::int32_t priority = 0;
};

/// What preemption would do: set the pod's status.nominatedNodeName to `node` and delete the
/// victims.
struct Preemption {
    std::string node;
    std::vector<Victim> victims;  // most important first
    int pdb_violations = 0;
};

struct ScheduleOptions {
    /// Picks among the nodes tied for the best score (given in name order), returning an index
    /// below the count. Unset: the first (lowest name). Upstream picks at random.
    std::function<std::size_t(std::size_t count)> tie_breaker;
    /// Run DefaultPreemption's dry run when no node fits.
    bool preemption = true;
};

struct Decision {
    /// The chosen node; empty when the pod does not fit (or on error).
    std::string node;
    /// Scores of the feasible nodes in name order (empty when only one node was feasible:
    /// upstream skips scoring then).
    std::vector<NodeScore> scores;

    /// Failure: an error in the pod's spec rather than a lack of room (upstream logs it and
    /// retries with backoff; the event reason is still FailedScheduling).
    bool error = false;
    /// The FailedScheduling message, e.g. "0/3 nodes are available: 1 Insufficient cpu, 2
    /// node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3
    /// nodes are available: 3 Preemption is not helpful for scheduling."
    std::string message;
    /// Why each rejected node was rejected (nodes a pre-filter excluded included).
    std::map<std::string, FilterStatus> diagnosis;
    /// Set when evicting lower-priority pods would make room.
    std::optional<Preemption> preemption;

    bool ok() const { return !node.empty(); }
};

/// Schedules `pod` (which should pass is_schedulable) onto `snapshot`. Nominated pods of equal
/// or higher priority count on their nominated nodes.
Decision schedule(const Snapshot& snapshot, const boost::json::object& pod,
                  const ScheduleOptions& options = {});
Decision schedule(const Snapshot& snapshot, const PodInfo& pod,
                  const ScheduleOptions& options = {});

/// FitError.Error(): "0/<all> nodes are available: <pre-filter message | sorted histogram of
/// reasons>. <post-filter message>". Nodes absent from `statuses` count with
/// `absent_reasons`.
std::string fit_error_message(std::size_t all_nodes, std::string_view pre_filter_message,
                              const std::map<std::string, FilterStatus>& statuses,
                              const std::vector<std::string>& absent_reasons,
                              std::string_view post_filter_message);

}  // namespace skiff::scheduler
