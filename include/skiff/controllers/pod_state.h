// Pod state as workload controllers read it: active, ready, available, and deletion preference.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace skiff::controllers {

using TimePoint = std::chrono::system_clock::time_point;

/// metav1.Time as the API writes it: RFC 3339 in UTC with second precision.
std::string format_time(TimePoint t);
/// An RFC 3339 timestamp; nullopt when absent or unparsable.
std::optional<TimePoint> parse_time(std::string_view text);

/// controller.IsPodActive: phase neither Succeeded nor Failed, and no deletionTimestamp.
bool pod_active(const boost::json::object& pod);
/// podutil.IsPodReady: a Ready condition with status "True".
bool pod_ready(const boost::json::object& pod);
/// The lastTransitionTime of the Ready=True condition; nullopt when not ready or unset.
std::optional<TimePoint> pod_ready_since(const boost::json::object& pod);
/// podutil.IsPodAvailable: ready, and ready for longer than min_ready_seconds at `now`
/// (strictly: readySince + minReadySeconds < now). min_ready_seconds == 0 means ready.
bool pod_available(const boost::json::object& pod, std::int64_t min_ready_seconds, TimePoint now);
/// When a ready pod becomes available (readySince + minReadySeconds); nullopt when it is not
/// ready, has no ready time, or min_ready_seconds is 0.
std::optional<TimePoint> pod_available_at(const boost::json::object& pod,
                                          std::int64_t min_ready_seconds);

/// One pod to rank for deletion with upstream's ActivePodsWithRanks; `rank` is the number of
/// active related pods on the pod's node (doubled-up pods go first).
struct RankedPod {
    const boost::json::object* pod = nullptr;
    int rank = 0;
};

/// ActivePodsWithRanks.Less (PodDeletionCost and LogarithmicScaleDown on, as in 1.32): true
/// when `a` should be deleted before `b`. In order: unassigned < assigned; Pending < Unknown <
/// Running; not ready < ready; lower controller.kubernetes.io/pod-deletion-cost; higher rank;
/// ready for less time (log2 buckets of now - readySince, ties by uid); more container
/// restarts; newer (log2 buckets of age, ties by uid). Not a strict weak ordering in every
/// case (as upstream), so sort with std::stable_sort.
bool prefer_for_deletion(const RankedPod& a, const RankedPod& b, TimePoint now);

}  // namespace skiff::controllers
