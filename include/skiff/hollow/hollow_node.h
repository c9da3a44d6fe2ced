// HollowNode: a kubelet stand-in over the Client interface, for tests and benchmarks.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/base/clock.h"
#include "skiff/base/status.h"
#include "skiff/client/client.h"

namespace skiff::hollow {

struct HollowNodeOptions {
    std::string name;
    std::string cpu = "4";
    std::string memory = "16Gi";
    std::string pods = "110";
    std::string address = "127.0.0.1";
    /// How often the node's Lease in kube-node-lease is renewed (the kubelet's default).
    std::chrono::seconds lease_interval{10};
    std::int64_t lease_duration_seconds = 40;
};

/// Registers a Node with capacity, allocatable, addresses, node info and a Ready condition;
/// renews its Lease; and marks every pod bound to it Running and Ready at once (its containers
/// "started"). A pod that is being deleted is deleted for good, as a kubelet confirms it.
/// Runs on the client's executor until stop().
class HollowNode {
public:
    /// `executor` is the client's; `client` and `clock` outlive the node.
    HollowNode(boost::asio::any_io_executor executor, client::Client& client, base::Clock& clock,
               HollowNodeOptions options);
    ~HollowNode();

    /// Registers the node, then serves until stop(); fails when registration fails.
    boost::asio::awaitable<base::Status> run();
    void stop();

    /// Pods this node has started so far.
    std::int64_t pods_started() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace skiff::hollow
