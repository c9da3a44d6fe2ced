// The controller manager: the ReplicaSet and Deployment loops (informers → queues → the pure
// cores → Client writes) that run inside `skiff server`.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/base/clock.h"
#include "skiff/client/client.h"

namespace skiff::controllers {

/// Runs the ReplicaSet and Deployment controllers against `client`: one shared informer each
/// for pods, ReplicaSets and Deployments, one work queue per controller, events mapped to
/// owners as upstream maps them, expectations so a lagging cache never creates twice.
///
/// Threading: on the client's executor; `client` and `clock` outlive the manager; call stop()
/// before destroying it.
class Manager {
public:
    Manager(boost::asio::any_io_executor executor, client::Client& client, base::Clock& clock);
    ~Manager();

    void start();
    boost::asio::awaitable<void> stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace skiff::controllers
