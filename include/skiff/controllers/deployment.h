// The Deployment controller's pure core: from a Deployment, the ReplicaSets and pods of its
// namespace to the ReplicaSet writes, the revision annotation and the status of one sync.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "skiff/controllers/controller_ref.h"
#include "skiff/controllers/pod_state.h"

namespace skiff::controllers::deployment {

inline constexpr std::string_view kPodTemplateHashLabel = "pod-template-hash";
inline constexpr std::string_view kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr std::string_view kRevisionHistoryAnnotation =
    "deployment.kubernetes.io/revision-history";
inline constexpr std::string_view kDesiredReplicasAnnotation =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr std::string_view kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

/// What one sync does, in order: patches, creates, updates, deletes, deployment_patch, status.
/// Like upstream, a sync takes one step of a rollout (e.g. scale the new ReplicaSet up) and the
/// next event (a ReplicaSet status change) triggers the next step.
struct Actions {
    /// Strategic merge patches of ReplicaSets: adoption of matching orphans, release of owned
    /// ReplicaSets that no longer match the selector.
    std::vector<Patch> patches;
    /// The new ReplicaSet to create (at most one), named "<deployment>-<pod-template-hash>".
    /// AlreadyExists means a stale cache or a hash collision: requeue; the next reconcile sees
    /// the object and bumps status.collisionCount if it is not ours.
    std::vector<boost::json::object> creates;
    /// Whole ReplicaSets to PUT (replicas, annotations, minReadySeconds), with the
    /// resourceVersion they were read at: Conflict means requeue.
    std::vector<boost::json::object> updates;
    /// Names of old ReplicaSets to delete (revisionHistoryLimit).
    std::vector<std::string> deletes;
    /// Merge patch of the Deployment's metadata (the revision annotation). Upstream writes it
    /// with the status update; skiff's status subresource keeps only .status, so it is apart.
    std::optional<boost::json::object> deployment_patch;
    /// The whole status to write through deployments/status; nullopt when unchanged.
    std::optional<boost::json::object> status;
    /// Reconcile again after this long to check progressDeadlineSeconds (0: now, rate
    /// limited). nullopt: no timer needed.
    std::optional<std::chrono::seconds> requeue_after;

    bool empty() const {
        return patches.empty() && creates.empty() && updates.empty() && deletes.empty() &&
               !deployment_patch && !status && !requeue_after;
    }
};

/// Reconciles one Deployment (as the API serves it) against all ReplicaSets and pods of its
/// namespace, following upstream's syncDeployment: an empty selector only records
/// observedGeneration; ReplicaSets are claimed (adopt/release); a Deployment being deleted
/// only syncs revisions and status; paused and scaling events scale proportionally without
/// progressing the rollout; otherwise RollingUpdate or Recreate take their next step.
/// spec.paused also sets Progressing=Unknown (DeploymentPaused/DeploymentResumed).
/// Rollback is not here: kubectl 1.32 `rollout undo` patches spec.template itself, which this
/// sees as a template equal to an old ReplicaSet's, reused with the next revision.
Actions reconcile(const boost::json::object& deployment,
                  std::span<const boost::json::object> replicasets,
                  std::span<const boost::json::object> pods, TimePoint now);

/// The pod-template-hash of a pod template: FNV-32a over its canonical JSON (object keys
/// sorted; null members, empty objects and empty arrays left out, so that templates equal
/// after a Go round trip hash alike), then, when collision_count is set, its 8-byte little-
/// endian value, as upstream appends it; the 32-bit sum's decimal digits are mapped onto
/// "bcdfghjklmnpqrstvwxz2456789" (rand.SafeEncodeString). Stable across runs and builds; not
/// byte-identical to upstream's hash of the Go struct dump.
std::string pod_template_hash(const boost::json::value& template_,
                              std::optional<std::int64_t> collision_count);

/// EqualIgnoreHash: two pod templates are equal once the pod-template-hash label is removed,
/// with null members, empty objects and empty arrays treated as absent.
bool templates_equal_ignoring_hash(const boost::json::value& a, const boost::json::value& b);

/// intstr.GetScaledValueFromIntOrPercent: an integer as is, "N%" of `total` rounded up or
/// down; anything else is 0.
std::int64_t scaled_value(const boost::json::value* int_or_percent, std::int64_t total,
                          bool round_up);

/// Deployment status after a failed create of the new ReplicaSet `rs_name` (upstream's
/// FailedRSCreateReason): Progressing=False ReplicaSetCreateError, when the Deployment has a
/// progress deadline; nullopt otherwise.
std::optional<boost::json::object> failed_create_status(const boost::json::object& deployment,
                                                        std::string_view rs_name,
                                                        std::string_view message, TimePoint now);

}  // namespace skiff::controllers::deployment
