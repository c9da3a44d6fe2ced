// Client: the one interface every component but the apiserver talks to the API through
// (ARCHITECTURE principle 1), with its three implementations.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "skiff/api/registry.h"
#include "skiff/api/rest.h"
#include "skiff/base/clock.h"
#include "skiff/base/status.h"
#include "skiff/http/client.h"

namespace skiff::apiserver {
class ApiServer;
}

namespace skiff::client {

/// Failures are the apiserver's Status (NotFound, Conflict, Invalid, ...), whichever
/// implementation carried the call. Calls run on the executor the client was made for.
///
/// The virtual calls take every argument: g++ 12 corrupts defaulted (braced) arguments of a
/// call inside a co_await expression, so the shorter forms are plain inline functions below.
class Client {
public:
    virtual ~Client() = default;

    // Shorter forms: no subresource, no list or write options.
    boost::asio::awaitable<base::Result<boost::json::object>> get(const api::ResourceType& type,
                                                                  std::string ns,
                                                                  std::string name) {
        return get(type, std::move(ns), std::move(name), std::string());
    }
    boost::asio::awaitable<base::Result<boost::json::object>> list(const api::ResourceType& type,
                                                                   std::string ns) {
        return list(type, std::move(ns), api::ListOptions());
    }
    boost::asio::awaitable<base::Result<boost::json::object>> create(
        const api::ResourceType& type, std::string ns, boost::json::object object) {
        return create(type, std::move(ns), std::move(object), api::WriteOptions());
    }
    boost::asio::awaitable<base::Result<boost::json::object>> update(const api::ResourceType& type,
                                                                     boost::json::object object) {
        return update(type, std::move(object), std::string(), api::WriteOptions());
    }
    boost::asio::awaitable<base::Result<boost::json::object>> patch(const api::ResourceType& type,
                                                                    std::string ns,
                                                                    std::string name,
                                                                    api::PatchType patch_type,
                                                                    std::string patch) {
        return patch_with(type, std::move(ns), std::move(name), patch_type, std::move(patch),
                          std::string());
    }
    boost::asio::awaitable<base::Result<boost::json::object>> patch_with(
        const api::ResourceType& type, std::string ns, std::string name, api::PatchType patch_type,
        std::string patch, std::string subresource) {
        return this->patch(type, std::move(ns), std::move(name), patch_type, std::move(patch),
                           std::move(subresource), api::WriteOptions());
    }
    boost::asio::awaitable<base::Result<boost::json::object>> remove(const api::ResourceType& type,
                                                                     std::string ns,
                                                                     std::string name) {
        return remove(type, std::move(ns), std::move(name), boost::json::object());
    }

    /// `subresource` "": the object; "status" or "scale" where the type has them.
    virtual boost::asio::awaitable<base::Result<boost::json::object>> get(
        const api::ResourceType& type, std::string ns, std::string name,
        std::string subresource) = 0;
    /// The <Kind>List (items, metadata.resourceVersion and continue). `ns` "" lists every
    /// namespace.
    virtual boost::asio::awaitable<base::Result<boost::json::object>> list(
        const api::ResourceType& type, std::string ns, api::ListOptions options) = 0;
    virtual boost::asio::awaitable<base::Result<std::unique_ptr<api::EventStream>>> watch(
        const api::ResourceType& type, std::string ns, api::ListOptions options) = 0;
    virtual boost::asio::awaitable<base::Result<boost::json::object>> create(
        const api::ResourceType& type, std::string ns, boost::json::object object,
        api::WriteOptions options) = 0;
    /// Namespace and name from the object's metadata; its resourceVersion, when set, must be
    /// current (Conflict otherwise).
    virtual boost::asio::awaitable<base::Result<boost::json::object>> update(
        const api::ResourceType& type, boost::json::object object, std::string subresource,
        api::WriteOptions options) = 0;
    virtual boost::asio::awaitable<base::Result<boost::json::object>> patch(
        const api::ResourceType& type, std::string ns, std::string name, api::PatchType patch_type,
        std::string patch, std::string subresource, api::WriteOptions options) = 0;
    /// `delete_options`: a metav1.DeleteOptions object. Returns the object while finalizers
    /// hold it, else a Success Status object.
    virtual boost::asio::awaitable<base::Result<boost::json::object>> remove(
        const api::ResourceType& type, std::string ns, std::string name,
        boost::json::object delete_options) = 0;
};

/// In-process: calls the ApiServer directly, no HTTP and no JSON text; watches come straight
/// from the server. `server` outlives the client.
std::unique_ptr<Client> make_local_client(apiserver::ApiServer& server);

struct HttpClientConfig {
    /// "https://host:port" of the apiserver.
    std::string server;
    /// TLS: the cluster CA and a client certificate (or, later, a bearer token).
    http::ClientConfig http;
};

/// Remote, over HTTPS: what agents use. Watch streams are read line by line; cancel() takes
/// effect at the stream's next event or its timeout.
base::Result<std::unique_ptr<Client>> make_http_client(boost::asio::any_io_executor executor,
                                                       HttpClientConfig config);

/// For tests: a whole apiserver of its own over an in-memory store, reached in-process. It
/// behaves exactly as a real server would (same code), with `clock` for timestamps.
std::unique_ptr<Client> make_fake_client(boost::asio::any_io_executor executor, base::Clock& clock);

}  // namespace skiff::client
