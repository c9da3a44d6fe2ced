// Scheduler: the loop around the pure core — informers for nodes and pods, a queue of pods to
// place, binding through pods/binding, and FailedScheduling conditions and events.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/base/clock.h"
#include "skiff/client/client.h"

namespace skiff::scheduler {

/// Places every pod whose spec.schedulerName is default-scheduler (or unset) on a node:
/// schedule() over a Snapshot kept current by informers, then a Binding. A pod that fits
/// nowhere gets PodScheduled=False (reason Unschedulable, upstream's message) and a
/// FailedScheduling event, and is tried again with backoff (1 s doubling to 60 s) and whenever
/// a node is added or changes. Preemption is computed by the core but not carried out yet.
///
/// Threading: on the client's executor. `client` and `clock` outlive the scheduler; call
/// stop() before destroying it.
class Scheduler {
public:
    Scheduler(boost::asio::any_io_executor executor, client::Client& client, base::Clock& clock);
    ~Scheduler();

    void start();
    boost::asio::awaitable<void> stop();

    /// Pods bound so far.
    std::int64_t bound() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace skiff::scheduler
