// EtcdStore: the Store interface over an external etcd v3 cluster, with failover between members.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "skiff/base/status.h"
#include "skiff/store/store.h"

namespace skiff::etcd {

struct EtcdStoreOptions {
    /// Client URLs of the cluster's members: `http://host:port`, `https://host:port` (needs
    /// `ca_file`) or `unix:///path`. Calls go to one member; when it fails they move on to the
    /// next.
    std::vector<std::string> endpoints;
    /// PEM files for https endpoints: the CA that signed the members' certificates, and an
    /// optional client certificate and key.
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    /// One attempt of one call; a member that does not answer within it is given up on (a
    /// write sent to a follower whose leader just died hangs until etcd's own, longer timeout).
    std::chrono::milliseconds attempt_timeout{3'000};
    /// How long a call keeps retrying on other members (or waiting out a leader election)
    /// before it fails with ServiceUnavailable.
    std::chrono::milliseconds retry_budget{15'000};
};

/// Splits `--datastore-endpoint`'s comma-separated list; fails with BadRequest naming an
/// endpoint that is not an http(s) or unix URL with a host and port.
base::Result<std::vector<std::string>> parse_endpoints(std::string_view list);

/// An EtcdStore on `executor`. Fails only on bad options (unreadable TLS files, bad endpoints);
/// an unreachable cluster shows as ServiceUnavailable from the calls.
///
/// Semantics are etcd's own, so they match the other backends, with these differences:
/// lease expiry follows etcd's clock (not an injected one); current_revision() is the highest
/// revision any response has shown and compact_revision() the highest compaction this store
/// made or was told of; a slow watcher is not cut off (gRPC flow control holds etcd back).
/// Calls are retried on another member when one fails (UNAVAILABLE) or does not answer in time.
/// Either can also happen after the cluster applied a write: a retried put may then make one
/// extra revision, and a retried conditional txn may report its compare as failed — a conflict
/// the apiserver answers as it answers any other (409), never a lost or doubled object.
/// A watch whose member fails is re-created on another one from the next revision, so its
/// caller sees no gap and no repeat.
base::Result<std::unique_ptr<store::Store>> open_etcd_store(boost::asio::any_io_executor executor,
                                                            EtcdStoreOptions options);

}  // namespace skiff::etcd
