// ApiServer: the Kubernetes REST API over a Store — create, get, list, watch, update, patch,
// delete of every kind in the registry, with Kubernetes' object metadata and errors.
#pragma once

#include <memory>

#include <boost/json/object.hpp>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/api/registry.h"
#include "skiff/api/rest.h"
#include "skiff/base/clock.h"
#include "skiff/base/status.h"
#include "skiff/http/router.h"
#include "skiff/store/store.h"

namespace skiff::apiserver {

struct ApiServerOptions {
    /// "host:port" clients reach the API at, for /api's serverAddressByClientCIDRs.
    std::string server_address = "127.0.0.1:6443";
    /// Where Service ClusterIPs come from (IPv4); its first address is kubernetes.default's.
    std::string service_cidr = "10.43.0.0/16";
};

/// Objects are stored as JSON under `/registry/[<group>/]<resource>/[<namespace>/]<name>`,
/// without metadata.resourceVersion: that is the key's mod revision, set on every read.
///
/// Until the authorization issue lands, every authenticated request (a client certificate
/// signed by the cluster's client CA) may do anything; others get 401.
///
/// Threading: all on the store's executor.
class ApiServer {
public:
    ApiServer(store::Store& store, base::Clock& clock, ApiServerOptions options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    /// Serves the CRDs already stored, and creates what every cluster has when missing: the
    /// namespaces default, kube-system, kube-public and kube-node-lease, and the service
    /// default/kubernetes on the first address of the service CIDR. BadRequest for a bad
    /// service CIDR.
    boost::asio::awaitable<base::Status> bootstrap();

    /// Routes /api, /apis and /openapi (and everything below them) to this server.
    void add_routes(http::Router& router);

    const api::Registry& registry() const;

    // The in-process API that LocalClient calls: the same rules and answers as over HTTP,
    // objects passed as values. No defaulted arguments (see client.h on g++ 12). `subresource` "" is the object itself; "status" and "scale"
    // where the type has them.
    boost::asio::awaitable<base::Result<boost::json::object>> get(const api::ResourceType& type,
                                                                  std::string ns,
                                                                  std::string name,
                                                                  std::string subresource);
    /// The <Kind>List of a collection (`ns` "" for every namespace).
    boost::asio::awaitable<base::Result<boost::json::object>> list(const api::ResourceType& type,
                                                                   std::string ns,
                                                                   api::ListOptions options);
    boost::asio::awaitable<base::Result<std::unique_ptr<api::EventStream>>> watch(
        const api::ResourceType& type, std::string ns, api::ListOptions options);
    boost::asio::awaitable<base::Result<boost::json::object>> create(
        const api::ResourceType& type, std::string ns, boost::json::object object,
        api::WriteOptions options);
    /// Namespace and name come from the object's metadata.
    boost::asio::awaitable<base::Result<boost::json::object>> update(
        const api::ResourceType& type, boost::json::object object, std::string subresource,
        api::WriteOptions options);
    boost::asio::awaitable<base::Result<boost::json::object>> patch(
        const api::ResourceType& type, std::string ns, std::string name, api::PatchType patch_type,
        std::string patch, std::string subresource, api::WriteOptions options);
    /// `delete_options` is a metav1.DeleteOptions object (propagationPolicy, preconditions,
    /// dryRun). Returns the object while finalizers hold it, else a Success Status.
    boost::asio::awaitable<base::Result<boost::json::object>> remove(
        const api::ResourceType& type, std::string ns, std::string name,
        boost::json::object delete_options);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace skiff::apiserver
