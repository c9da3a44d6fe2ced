// LeaderElector: leader election on a coordination.k8s.io/v1 Lease through Client, with
// client-go's leaderelection semantics.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "skiff/base/clock.h"
#include "skiff/base/status.h"
#include "skiff/base/task_group.h"
#include "skiff/client/client.h"

namespace skiff::client {

struct LeaderElectionConfig {
    /// The Lease that is the lock.
    std::string lease_namespace = "kube-system";
    std::string lease_name;
    /// Who we are: unique among the candidates (client-go uses hostname + "_" + a UUID).
    std::string identity;
    /// How long others wait, after they last saw the lease change, before taking it.
    base::Clock::Duration lease_duration = std::chrono::seconds(15);
    /// How long the leader keeps retrying a failing renewal before it gives up leading.
    base::Clock::Duration renew_deadline = std::chrono::seconds(10);
    /// Between attempts to acquire or renew.
    base::Clock::Duration retry_period = std::chrono::seconds(2);
    /// stop() while leading empties the lease's holder, so another candidate takes over at
    /// once instead of after lease_duration.
    bool release_on_stop = true;
    /// Called on the executor when we become leader / stop being leader (renewal failed past
    /// the renew deadline, or stop()). Must not block. After losing, the elector contends
    /// again, so the two may alternate.
    std::function<void()> on_started_leading;
    std::function<void()> on_stopped_leading;
    /// Called when the holder we observe changes (ours included).
    std::function<void(const std::string& identity)> on_new_leader;
    std::uint64_t seed = 0;  // of the retry jitter
};

/// Invalid unless lease_duration > renew_deadline > 1.2 * retry_period > 0, with a lease
/// name and an identity (client-go's checks).
base::Status validate(const LeaderElectionConfig& config);

/// Tries to acquire the lease (create it, or take it when its holder is empty or has not
/// renewed for lease_duration as observed on our own monotonic clock), renews it every
/// retry_period while leading, and steps down when no renewal succeeded within
/// renew_deadline. Every write carries the resourceVersion read before it, so two candidates
/// never both win a round (Conflict for the loser).
///
/// Threading: construct, call and destroy on `executor` (the client's); callbacks run there.
/// `client` and `clock` outlive the elector; call stop() before destroying it.
class LeaderElector {
public:
    /// Precondition: validate(config) is ok.
    LeaderElector(boost::asio::any_io_executor executor, Client& client, base::Clock& clock,
                  LeaderElectionConfig config);
    ~LeaderElector();
    LeaderElector(const LeaderElector&) = delete;
    LeaderElector& operator=(const LeaderElector&) = delete;

    /// Spawns the election loop.
    void start();
    /// Ends the loop; when leading, releases the lease (if configured) and calls
    /// on_stopped_leading.
    boost::asio::awaitable<void> stop();

    bool is_leader() const { return leading_; }
    /// The holder of the lease as last observed ("" when none or not read yet).
    const std::string& leader() const { return observed_holder_; }

    /// One attempt to acquire or renew, as the loop makes it; true when we hold the lease
    /// afterwards. For tests and for callers that run their own loop.
    boost::asio::awaitable<bool> try_acquire_or_renew();

private:
    struct Record {
        std::string holder;
        std::int64_t lease_duration_seconds = 0;
        std::string acquire_time;
        std::string renew_time;
        std::int64_t transitions = 0;
        bool operator==(const Record&) const = default;
    };

    boost::asio::awaitable<void> run();
    /// Keeps renewing until a renewal fails past the deadline.
    boost::asio::awaitable<void> renew_loop();
    boost::asio::awaitable<void> release();
    base::Clock::Duration jittered(base::Clock::Duration d);
    void observe(const Record& record);
    void set_leading(bool leading);
    boost::json::object lease_object(const Record& record) const;
    static Record record_of(const boost::json::object& lease);

    Client& client_;
    base::Clock& clock_;
    LeaderElectionConfig config_;
    std::optional<Record> observed_;
    base::Clock::MonoTime observed_time_{};
    std::string observed_holder_;
    std::string lease_resource_version_;
    std::mt19937_64 rng_;
    base::TaskGroup tasks_;
    bool leading_ = false;
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace skiff::client
