// LocalClient and FakeClient: Client over an in-process ApiServer.
#include <boost/json.hpp>

#include "skiff/apiserver/apiserver.h"
#include "skiff/client/client.h"
#include "skiff/store/memory_store.h"

namespace skiff::client {
namespace asio = boost::asio;
namespace json = boost::json;
using base::Result;

namespace {

class LocalClient final : public Client {
public:
    explicit LocalClient(apiserver::ApiServer& server) : server_(server) {}

    asio::awaitable<Result<json::object>> get(const api::ResourceType& type, std::string ns,
                                              std::string name, std::string subresource) override {
        return server_.get(type, std::move(ns), std::move(name), std::move(subresource));
    }
    asio::awaitable<Result<json::object>> list(const api::ResourceType& type, std::string ns,
                                               api::ListOptions options) override {
        return server_.list(type, std::move(ns), std::move(options));
    }
    asio::awaitable<Result<std::unique_ptr<api::EventStream>>> watch(
        const api::ResourceType& type, std::string ns, api::ListOptions options) override {
        return server_.watch(type, std::move(ns), std::move(options));
    }
    asio::awaitable<Result<json::object>> create(const api::ResourceType& type, std::string ns,
                                                 json::object object,
                                                 api::WriteOptions options) override {
        return server_.create(type, std::move(ns), std::move(object), std::move(options));
    }
    asio::awaitable<Result<json::object>> update(const api::ResourceType& type,
                                                 json::object object, std::string subresource,
                                                 api::WriteOptions options) override {
        return server_.update(type, std::move(object), std::move(subresource), std::move(options));
    }
    asio::awaitable<Result<json::object>> patch(const api::ResourceType& type, std::string ns,
                                                std::string name, api::PatchType patch_type,
                                                std::string patch, std::string subresource,
                                                api::WriteOptions options) override {
        return server_.patch(type, std::move(ns), std::move(name), patch_type, std::move(patch),
                             std::move(subresource), std::move(options));
    }
    asio::awaitable<Result<json::object>> remove(const api::ResourceType& type, std::string ns,
                                                 std::string name,
                                                 json::object delete_options) override {
        return server_.remove(type, std::move(ns), std::move(name), std::move(delete_options));
    }

private:
    apiserver::ApiServer& server_;
};

/// Owns its store and server; forwards to a LocalClient over them.
class FakeClient final : public Client {
public:
    FakeClient(asio::any_io_executor executor, base::Clock& clock)
        : store_(executor, clock, store::LocalOptions{}),
          server_(store_, clock, apiserver::ApiServerOptions{}),
          local_(server_) {}  // no store_.start(): no lease expiry or progress timers to stop
    ~FakeClient() override = default;

    asio::awaitable<Result<json::object>> get(const api::ResourceType& type, std::string ns,
                                              std::string name, std::string subresource) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.get(type, std::move(ns), std::move(name), std::move(subresource));
    }
    asio::awaitable<Result<json::object>> list(const api::ResourceType& type, std::string ns,
                                               api::ListOptions options) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.list(type, std::move(ns), std::move(options));
    }
    asio::awaitable<Result<std::unique_ptr<api::EventStream>>> watch(
        const api::ResourceType& type, std::string ns, api::ListOptions options) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.watch(type, std::move(ns), std::move(options));
    }
    asio::awaitable<Result<json::object>> create(const api::ResourceType& type, std::string ns,
                                                 json::object object,
                                                 api::WriteOptions options) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.create(type, std::move(ns), std::move(object), std::move(options));
    }
    asio::awaitable<Result<json::object>> update(const api::ResourceType& type,
                                                 json::object object, std::string subresource,
                                                 api::WriteOptions options) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.update(type, std::move(object), std::move(subresource),
                                         std::move(options));
    }
    asio::awaitable<Result<json::object>> patch(const api::ResourceType& type, std::string ns,
                                                std::string name, api::PatchType patch_type,
                                                std::string patch, std::string subresource,
                                                api::WriteOptions options) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.patch(type, std::move(ns), std::move(name), patch_type,
                                        std::move(patch), std::move(subresource),
                                        std::move(options));
    }
    asio::awaitable<Result<json::object>> remove(const api::ResourceType& type, std::string ns,
                                                 std::string name,
                                                 json::object delete_options) override {
        co_await ensure_bootstrapped();
        co_return co_await local_.remove(type, std::move(ns), std::move(name),
                                         std::move(delete_options));
    }

private:
    /// The system namespaces exist before the first call, as in a real cluster.
    asio::awaitable<void> ensure_bootstrapped() {
        if (!bootstrapped_) {
            bootstrapped_ = true;
            (void)co_await server_.bootstrap();
        }
    }

    store::MemoryStore store_;
    apiserver::ApiServer server_;
    LocalClient local_;
    bool bootstrapped_ = false;
};

}  // namespace

std::unique_ptr<Client> make_local_client(apiserver::ApiServer& server) {
    return std::make_unique<LocalClient>(server);
}

std::unique_ptr<Client> make_fake_client(asio::any_io_executor executor, base::Clock& clock) {
    return std::make_unique<FakeClient>(std::move(executor), clock);
}

}  // namespace skiff::client
