// LeaseTable: the executor-side view of granted leases — TTLs, deadlines on the injected clock,
// and the loop that revokes expired ones through the store.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "skiff/base/clock.h"
#include "skiff/base/status.h"
#include "skiff/store/lease.h"

namespace skiff::store {

class Store;

class LeaseTable {
public:
    explicit LeaseTable(base::Clock& clock);

    bool contains(std::int64_t id) const { return leases_.contains(id); }
    /// A positive id no lease has.
    std::int64_t unused_id();
    /// Validates a grant request: ttl >= 1, id >= 0 and not taken.
    base::Status check_grant(std::int64_t ttl, std::int64_t id) const;
    /// Starts (or, for a reopened store, restarts) the lease's full TTL.
    void grant(std::int64_t id, std::int64_t ttl);
    void erase(std::int64_t id) { leases_.erase(id); }
    /// Restarts the TTL; NotFound when the lease is unknown or already expired.
    base::Result<std::int64_t> keep_alive(std::int64_t id);
    /// Without keys; NotFound as keep_alive.
    base::Result<LeaseTimeToLive> time_to_live(std::int64_t id) const;
    /// Leases whose deadline has passed.
    std::vector<std::int64_t> expired() const;

private:
    struct Lease {
        std::int64_t ttl;
        base::Clock::MonoTime deadline;
    };
    base::Clock& clock_;
    std::map<std::int64_t, Lease> leases_;
    std::mt19937_64 rng_;
};

/// Every `interval`, revokes the expired leases of `leases` through `store`, until cancelled.
boost::asio::awaitable<void> lease_expiry_loop(Store& store, LeaseTable& leases, base::Clock& clock,
                                               base::Clock::Duration interval);

}  // namespace skiff::store
