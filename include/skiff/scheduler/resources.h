// Compute resources as the scheduler counts them: a pod's effective requests, a node's allocatable.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

namespace skiff::scheduler {

/// What a container that requests no cpu (memory) counts as when scoring (upstream's
/// DefaultMilliCPURequest and DefaultMemoryRequest); fit checks count it as zero.
inline constexpr std::int64_t kDefaultMilliCpuRequest = 100;
inline constexpr std::int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

/// framework.Resource: cpu in milli-units, everything else in whole units (rounded up).
struct Resources {
    std::int64_t milli_cpu = 0;
    std::int64_t memory = 0;
    std::int64_t ephemeral_storage = 0;
    /// The allowed pod number of a node's allocatable; unused for pods.
    std::int64_t pods = 0;
    /// Extended resources ("example.com/gpu"), hugepages-*, attachable-volumes-* and
    /// kubernetes.io/-prefixed native resources.
    std::map<std::string, std::int64_t, std::less<>> scalar;

    void add(const Resources& other);
    void subtract(const Resources& other);
    /// True when nothing at all is requested (the pods count aside).
    bool empty() const;

    bool operator==(const Resources&) const = default;
};

/// Whether upstream tracks `name` as a scalar resource (IsScalarResourceName).
bool is_scalar_resource(std::string_view name);

/// A v1.ResourceList (`{"cpu": "2", "memory": "1Gi"}`); unparsable quantities count as zero and
/// names that are neither the four first-class resources nor scalar ones are dropped.
Resources resources_from_list(const boost::json::object* list);

/// node.status.allocatable.
Resources node_allocatable(const boost::json::object& node);

/// The pod's effective requests (resourcehelper.PodRequests): the sum over containers and
/// sidecars (init containers with restartPolicy Always) or, per resource, the largest init
/// container plus the sidecars started before it, whichever is larger; then pod-level requests
/// (spec.resources.requests: cpu, memory, hugepages-*) replace the aggregate, and
/// spec.overhead is added. This is what NodeResourcesFit compares with free allocatable.
Resources pod_requests(const boost::json::object& pod);

/// The same, except that a container without a cpu (memory) request counts as
/// kDefaultMilliCpuRequest (kDefaultMemoryRequest), unless pod-level requests set it: what
/// LeastAllocated scoring and a node's non-zero requested use.
Resources pod_non_zero_requests(const boost::json::object& pod);

}  // namespace skiff::scheduler
