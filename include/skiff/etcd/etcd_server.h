// EtcdServer: serves a Store to etcd clients over etcd's v3 gRPC API (KV, Watch, Lease, Status).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"
#include "skiff/store/store.h"

namespace skiff::etcd {

struct EtcdServerConfig {
    /// "host:port" (port 0 picks one), or a unix socket: "/path" or "unix:///path".
    std::string listen = "127.0.0.1:2379";
    std::uint64_t cluster_id = 0x5c1ff5c1ff5c1ffULL;
    std::uint64_t member_id = 0x5c1ff0000000001ULL;
    /// Reported by Maintenance.Status; kube-apiserver unlocks features from 3.5.13.
    std::string version = "3.5.13";
    /// Calls still running this long after stop() are cancelled.
    std::chrono::milliseconds shutdown_grace{2'000};
};

/// The gRPC listening address for a --datastore-listen value: unix sockets get "unix:".
std::string grpc_address(std::string_view listen);

/// Served with gRPC's callback API: each call's store work runs on `executor` (the store's),
/// which also finishes the call, so the store is only ever called there and no thread waits
/// for a call. The executor must keep running until stop() has returned. Unsupported requests
/// and fields answer UNIMPLEMENTED naming them; store errors map to etcd's codes and messages.
class EtcdServer {
public:
    /// `store` outlives the server.
    EtcdServer(boost::asio::any_io_executor executor, store::Store& store, EtcdServerConfig config);
    ~EtcdServer();
    EtcdServer(const EtcdServer&) = delete;
    EtcdServer& operator=(const EtcdServer&) = delete;

    /// Binds and starts serving; returns the bound address ("127.0.0.1:41234", or the
    /// socket). InternalError when the address cannot be bound. Any thread, once.
    base::Result<std::string> start();

    /// Stops accepting calls, ends watch and keep-alive streams, cancels calls still running
    /// after the grace period, and joins gRPC's threads (on a thread of its own, so the
    /// executor keeps serving the calls that finish meanwhile), then waits for the work the
    /// calls left on the executor (watches being cancelled). On the executor.
    boost::asio::awaitable<void> stop();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace skiff::etcd
