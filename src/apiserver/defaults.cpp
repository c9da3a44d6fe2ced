// Computed defaults and allocation helpers; see defaults.h.
#include "defaults.h"

#include <arpa/inet.h>

#include <charconv>

#include "skiff/base/json.h"

namespace skiff::apiserver {
namespace json = boost::json;

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    in_addr addr{};
    if (inet_pton(AF_INET, std::string(text).c_str(), &addr) != 1) {
        return std::nullopt;
    }
    return ntohl(addr.s_addr);
}

std::string format_ipv4(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
           std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

base::Result<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto bad = base::bad_request("invalid CIDR \"" + std::string(text) +
                                       "\": want an IPv4 network such as 10.43.0.0/16");
    if (slash == std::string_view::npos) {
        return bad;
    }
    auto ip = parse_ipv4(text.substr(0, slash));
    int prefix = -1;
    auto rest = text.substr(slash + 1);
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), prefix);
    if (!ip || ec != std::errc() || p != rest.data() + rest.size() || prefix < 8 || prefix > 30) {
        return bad;
    }
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return Ipv4Cidr{*ip & mask, prefix};
}

bool Ipv4Cidr::contains(std::uint32_t ip) const {
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - prefix);
    return (ip & mask) == network;
}

std::uint32_t Ipv4Cidr::last() const {
    return network + ((std::uint32_t{1} << (32 - prefix)) - 2);
}

std::string cluster_ip_key(std::string_view ip) {
    return "/registry/skiff/clusterips/" + std::string(ip);
}

std::string node_port_key(int port) {
    return "/registry/skiff/nodeports/" + std::to_string(port);
}

namespace {

void default_pull_policy(json::value* containers) {
    if (!containers || !containers->is_array()) {
        return;
    }
    for (auto& c : containers->as_array()) {
        if (!c.is_object() || c.as_object().contains("imagePullPolicy")) {
            continue;
        }
        const auto image = base::string_at(c, {"image"});
        // The tag follows the last ':' after the last '/' (a registry port is not a tag).
        const auto slash = image.rfind('/');
        const auto colon = image.rfind(':');
        const bool tagged = colon != std::string_view::npos &&
                            (slash == std::string_view::npos || colon > slash);
        const bool digest = image.find('@') != std::string_view::npos;
        const bool latest = !digest && (!tagged || image.substr(colon + 1) == "latest");
        c.as_object()["imagePullPolicy"] = latest ? "Always" : "IfNotPresent";
    }
}

void default_pod_spec(json::value* spec) {
    if (!spec || !spec->is_object()) {
        return;
    }
    for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
        default_pull_policy(spec->as_object().if_contains(list));
    }
}

void default_service(json::object& object) {
    auto& spec_v = object["spec"];
    if (!spec_v.is_object()) {
        spec_v = json::object{};
    }
    auto& spec = spec_v.as_object();
    if (!spec.contains("type")) {
        spec["type"] = "ClusterIP";
    }
    if (!spec.contains("sessionAffinity")) {
        spec["sessionAffinity"] = "None";
    }
    if (spec.at("type") != "ExternalName") {
        if (!spec.contains("ipFamilies")) {
            spec["ipFamilies"] = json::array{"IPv4"};
        }
        if (!spec.contains("ipFamilyPolicy")) {
            spec["ipFamilyPolicy"] = "SingleStack";
        }
        if (!spec.contains("internalTrafficPolicy")) {
            spec["internalTrafficPolicy"] = "Cluster";
        }
    }
    if (auto* ports = spec.if_contains("ports"); ports && ports->is_array()) {
        for (auto& p : ports->as_array()) {
            if (!p.is_object()) {
                continue;
            }
            auto& port = p.as_object();
            if (!port.contains("protocol")) {
                port["protocol"] = "TCP";
            }
            if (!port.contains("targetPort") && port.contains("port")) {
                port["targetPort"] = port.at("port");
            }
        }
    }
}

}  // namespace

void apply_computed_defaults(const api::ResourceType& type, json::object& object) {
    if (type.custom) {
        return;
    }
    if (type.kind == "Service") {
        default_service(object);
        return;
    }
    json::value whole(std::move(object));
    if (type.kind == "Pod") {
        default_pod_spec(base::find(whole, {"spec"}));
    } else if (type.kind == "CronJob") {
        default_pod_spec(base::find(whole, {"spec", "jobTemplate", "spec", "template", "spec"}));
    } else {
        default_pod_spec(base::find(whole, {"spec", "template", "spec"}));
    }
    object = std::move(whole.as_object());
}

}  // namespace skiff::apiserver
