// The ReplicaSet controller's pure core: from a ReplicaSet and the pods of its namespace to the
// pod creations, deletions, adoptions and the status that make them agree.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "skiff/controllers/controller_ref.h"
#include "skiff/controllers/pod_state.h"

namespace skiff::controllers::replicaset {

/// upstream's burstReplicas: at most this many pods are created or deleted per reconcile.
inline constexpr int kBurstReplicas = 500;

struct Options {
    /// False while the loop still waits to observe creations or deletions it made
    /// (upstream's expectations): claims and status only, no creates or deletes.
    bool expectations_satisfied = true;
    /// Other ReplicaSets in the namespace; those with the same controller (Deployment) as this
    /// one relate their pods for the doubled-up-on-a-node deletion rank. Empty: only this
    /// ReplicaSet's pods count (a ReplicaSet without a controller ranks nothing, as upstream).
    std::span<const boost::json::object> related_replicasets = {};
    int burst_replicas = kBurstReplicas;
};

/// What to do, in order: patches (adopt/release), then creates or deletes, then the status.
struct Actions {
    /// Strategic merge patches of pods: adoptions of matching orphans and releases of owned
    /// pods that no longer match, in pod name order.
    std::vector<Patch> patches;
    /// Pods to create (POST /api/v1/namespaces/<ns>/pods): generateName "<rs>-", the
    /// template's labels, annotations, finalizers and spec, and our controller reference.
    /// All missing pods are listed (at most burst_replicas); the loop creates them in
    /// slow_start_batches() and stops at the first failing batch, as upstream.
    std::vector<boost::json::object> creates;
    /// Names of pods to delete, the preferred victims first (upstream's ranking).
    std::vector<std::string> deletes;
    /// The whole status to write through replicasets/status; nullopt when it is unchanged.
    std::optional<boost::json::object> status;
    /// Reconcile again after this long: the earliest moment a ready pod becomes available
    /// (minReadySeconds), so availableReplicas is recounted. nullopt: no timer needed.
    std::optional<std::chrono::seconds> requeue_after;

    bool empty() const {
        return patches.empty() && creates.empty() && deletes.empty() && !status && !requeue_after;
    }
};

/// Reconciles one ReplicaSet (as the API serves it) against all pods of its namespace.
/// Pods being deleted or finished (Succeeded/Failed) are ignored, as upstream. An invalid
/// selector yields no actions. A ReplicaSet being deleted still claims its pods and writes
/// status but neither adopts, creates nor deletes.
Actions reconcile(const boost::json::object& rs, std::span<const boost::json::object> pods,
                  TimePoint now, const Options& options = {});

/// The pod the ReplicaSet creates from its template (controller.GetPodFromTemplate).
boost::json::object pod_from_template(const boost::json::object& rs);

/// upstream's slowStartBatch sizes for `count` creations: 1, 2, 4, … (the last one clipped).
std::vector<std::size_t> slow_start_batches(std::size_t count);

/// Records that applying `actions` failed with `message` (upstream's manageReplicasErr): sets
/// the ReplicaFailure condition (True, reason FailedCreate when pods were to be created,
/// FailedDelete when deleted) in actions.status, keeping an existing ReplicaFailure condition
/// of `rs` untouched as upstream does. Call before writing the status.
void record_failure(Actions& actions, const boost::json::object& rs, std::string_view message,
                    TimePoint now);

}  // namespace skiff::controllers::replicaset
