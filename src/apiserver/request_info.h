// RequestInfo: what an API path and method ask for (group, version, namespace, resource, name,
// subresource, verb), parsed as kube-apiserver's RequestInfoFactory does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "skiff/api/registry.h"

namespace skiff::apiserver {

struct RequestInfo {
    api::GroupVersion gv;
    std::string namespace_;  // "" for cluster scope and all-namespaces lists
    std::string resource;    // "" for /api/v1 itself (discovery)
    std::string name;
    std::string subresource;
    /// get, list, watch, create, update, patch, delete, deletecollection.
    std::string verb;
};

/// Parses a resource path under /api/v1 or /apis/<group>/<version>; nullopt for anything else
/// (discovery roots, /version, ...). `watch` is the ?watch= query flag.
std::optional<RequestInfo> parse_request_info(std::string_view method, std::string_view path,
                                              bool watch);

}  // namespace skiff::apiserver
