// LeaseTable and the lease expiry loop.
#include "lease_table.h"

#include "skiff/base/log.h"
#include "skiff/store/errors.h"
#include "skiff/store/store.h"

namespace skiff::store {
namespace asio = boost::asio;
using base::Result;
using base::Status;

LeaseTable::LeaseTable(base::Clock& clock) : clock_(clock), rng_(std::random_device{}()) {}

std::int64_t LeaseTable::unused_id() {
    for (;;) {
        // etcd's ids are positive int64s; keep them below 2^53 so JSON clients read them exactly.
        auto id = static_cast<std::int64_t>(rng_() >> 11);
        if (id > 0 && !leases_.contains(id)) {
            return id;
        }
    }
}

Status LeaseTable::check_grant(std::int64_t ttl, std::int64_t id) const {
    if (ttl < 1) {
        return base::bad_request("lease ttl " + std::to_string(ttl) + " is not positive");
    }
    if (id < 0) {
        return base::bad_request("lease id " + std::to_string(id) + " is negative");
    }
    if (leases_.contains(id)) {
        return lease_exists_error();
    }
    return {};
}

void LeaseTable::grant(std::int64_t id, std::int64_t ttl) {
    leases_[id] = Lease{ttl, clock_.monotonic() + std::chrono::seconds(ttl)};
}

Result<std::int64_t> LeaseTable::keep_alive(std::int64_t id) {
    auto it = leases_.find(id);
    if (it == leases_.end() || it->second.deadline <= clock_.monotonic()) {
        return lease_not_found_error();
    }
    it->second.deadline = clock_.monotonic() + std::chrono::seconds(it->second.ttl);
    return it->second.ttl;
}

Result<LeaseTimeToLive> LeaseTable::time_to_live(std::int64_t id) const {
    auto it = leases_.find(id);
    if (it == leases_.end() || it->second.deadline <= clock_.monotonic()) {
        return lease_not_found_error();
    }
    auto left = it->second.deadline - clock_.monotonic();
    auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
    return LeaseTimeToLive{.id = id, .ttl = seconds, .granted_ttl = it->second.ttl};
}

std::vector<std::int64_t> LeaseTable::expired() const {
    std::vector<std::int64_t> out;
    const auto now = clock_.monotonic();
    for (const auto& [id, lease] : leases_) {
        if (lease.deadline <= now) {
            out.push_back(id);
        }
    }
    return out;
}

asio::awaitable<void> lease_expiry_loop(Store& store, LeaseTable& leases, base::Clock& clock,
                                        base::Clock::Duration interval) {
    for (;;) {
        co_await clock.sleep_for(interval);
        for (auto id : leases.expired()) {
            auto s = co_await store.lease_revoke(id);
            if (!s.ok() && s.reason() != base::Reason::NotFound) {
                // Retried on the next tick: the lease stays expired until revoked.
                base::log::warn("revoking expired lease failed",
                                {{"lease", id}, {"error", s.message()}});
            }
        }
    }
}

}  // namespace skiff::store
