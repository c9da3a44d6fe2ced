// Computed defaults and allocations the schema cannot express: Service ClusterIPs and node
// ports, target ports, image pull policy by tag.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "skiff/api/registry.h"
#include "skiff/base/status.h"

namespace skiff::apiserver {

/// An IPv4 CIDR such as 10.43.0.0/16.
struct Ipv4Cidr {
    std::uint32_t network = 0;
    int prefix = 0;

    static base::Result<Ipv4Cidr> parse(std::string_view text);
    bool contains(std::uint32_t ip) const;
    /// Addresses services may get: the range without its network and broadcast addresses.
    std::uint32_t first() const { return network + 1; }
    std::uint32_t last() const;
};
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(std::uint32_t ip);

inline constexpr int kNodePortMin = 30000;
inline constexpr int kNodePortMax = 32767;

/// Store keys recording an allocated ClusterIP / node port (their value: the service's key).
std::string cluster_ip_key(std::string_view ip);
std::string node_port_key(int port);

/// Upstream's defaults that depend on other fields, for objects of `type` on create:
/// Service type/sessionAffinity/ports (protocol, targetPort = port), ipFamilies and policy;
/// imagePullPolicy by image tag (Always for :latest or no tag, else IfNotPresent) in every
/// pod spec the kind carries.
void apply_computed_defaults(const api::ResourceType& type, boost::json::object& object);

}  // namespace skiff::apiserver
