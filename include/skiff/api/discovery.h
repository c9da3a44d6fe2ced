// API discovery documents (/api, /apis, /api/v1, /apis/<g>/<v>), legacy and aggregated, built
// from the type registry, with the Accept negotiation and the ETag hash that go with them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "skiff/api/registry.h"

namespace skiff::api {

/// Which body answers a discovery request for /api or /apis.
enum class DiscoveryFormat {
    Legacy,             // APIVersions / APIGroupList, application/json
    AggregatedV2,       // APIGroupDiscoveryList, apidiscovery.k8s.io/v2
    AggregatedV2Beta1,  // the same shape as apidiscovery.k8s.io/v2beta1 (kube 1.32 serves both)
};

inline constexpr std::string_view kDiscoveryJsonContentType = "application/json";
inline constexpr std::string_view kAggregatedV2ContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
inline constexpr std::string_view kAggregatedV2Beta1ContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

struct DiscoveryNegotiation {
    DiscoveryFormat format = DiscoveryFormat::Legacy;
    /// The exact Content-Type to answer with; client-go tells aggregated from legacy by it alone.
    std::string content_type;
};

/// Picks the body for an Accept header: the most preferred (q, then order) media range we can
/// serve among the aggregated v2/v2beta1 types (`application/json` with g=apidiscovery.k8s.io,
/// as=APIGroupDiscoveryList), `application/json`, `application/*` and `*/*`. Anything else,
/// an empty header or garbage yields Legacy: discovery never answers 406.
DiscoveryNegotiation negotiate_discovery(std::string_view accept);

/// GET /api, legacy: APIVersions with the core versions and one CIDR entry 0.0.0.0/0 pointing
/// at `server_address` ("host:port" as clients should reach the apiserver).
boost::json::value api_versions(const Registry& registry, std::string_view server_address);

/// GET /apis, legacy: APIGroupList of every named group; a group's versions keep registry
/// order and its first version is the preferred one.
boost::json::value api_group_list(const Registry& registry);

/// GET /api/v1 or /apis/<group>/<version>: APIResourceList with each resource followed by its
/// subresources ("pods/log"), which carry group and version when their response kind lives in
/// another group version ("deployments/scale": autoscaling/v1 Scale). nullopt when the
/// registry has no type in `gv` (answer 404).
std::optional<boost::json::value> api_resource_list(const Registry& registry,
                                                    const GroupVersion& gv);

/// GET /api, aggregated: APIGroupDiscoveryList with one item for the core group (its
/// metadata has no name, as upstream omits the empty one). `format` must be aggregated; it
/// sets the list's apiVersion.
boost::json::value aggregated_core(const Registry& registry,
                                   DiscoveryFormat format = DiscoveryFormat::AggregatedV2);

/// GET /apis, aggregated: one item per named group in registry order, versions in registry
/// order (the first one is preferred), every version "Current".
boost::json::value aggregated_groups(const Registry& registry,
                                     DiscoveryFormat format = DiscoveryFormat::AggregatedV2);

/// A stable hash of a document's compact JSON text: 16 lower-case hex digits of FNV-1a 64.
/// Equal documents built the same way hash equally (object members keep insertion order).
std::string document_hash(const boost::json::value& document);
std::string document_hash(std::string_view text);

/// The ETag header value for a hash: the hash in double quotes, as upstream sends it.
std::string quoted_etag(std::string_view hash);

}  // namespace skiff::api
