// LeaderElector: acquire, renew and release a coordination.k8s.io/v1 Lease; see
// leader_election.h.
#include "skiff/client/leader_election.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <boost/json.hpp>

#include "skiff/base/check.h"
#include "skiff/base/json.h"
#include "skiff/base/log.h"
#include "skiff/base/time_format.h"

namespace skiff::client {
namespace asio = boost::asio;
namespace json = boost::json;
using base::Reason;
using base::Status;

namespace {

constexpr auto kStopGrace = std::chrono::seconds(5);
/// client-go's JitterFactor for acquire retries: waits of retry_period * [1, 2.2).
constexpr double kJitterFactor = 1.2;

const api::ResourceType& leases() {
    static const auto registry = api::Registry::builtin();
    static const auto* type = registry.find(api::GroupVersion{"coordination.k8s.io", "v1"},
                                            "leases");
    SKIFF_CHECK(type != nullptr);
    return *type;
}

std::int64_t whole_seconds(base::Clock::Duration d) {
    return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

Status validate(const LeaderElectionConfig& config) {
    if (config.lease_name.empty()) {
        return base::bad_request("leader election: lease name is required");
    }
    if (config.identity.empty()) {
        return base::bad_request("leader election: identity is required");
    }
    if (config.retry_period <= base::Clock::Duration::zero()) {
        return base::bad_request("leader election: retry period must be greater than zero");
    }
    if (config.lease_duration <= config.renew_deadline) {
        return base::bad_request(
            "leader election: lease duration must be greater than the renew deadline");
    }
    if (config.renew_deadline <= config.retry_period * kJitterFactor) {
        return base::bad_request(
            "leader election: renew deadline must be greater than retry period * 1.2");
    }
    if (whole_seconds(config.lease_duration) < 1) {
        return base::bad_request("leader election: lease duration must be at least a second");
    }
    return Status::success();
}

LeaderElector::LeaderElector(asio::any_io_executor executor, Client& client, base::Clock& clock,
                             LeaderElectionConfig config)
    : client_(client),
      clock_(clock),
      config_(std::move(config)),
      rng_(config_.seed),
      tasks_(std::move(executor)) {
    SKIFF_CHECK(validate(config_).ok());
}

LeaderElector::~LeaderElector() = default;

void LeaderElector::start() {
    if (started_ || stopped_) {
        return;
    }
    started_ = true;
    tasks_.spawn(run(), "leader election " + config_.lease_namespace + "/" + config_.lease_name);
}

asio::awaitable<void> LeaderElector::stop() {
    if (stopped_) {
        co_return;
    }
    stopped_ = true;
    co_await tasks_.stop(kStopGrace);
    if (leading_) {
        if (config_.release_on_stop) {
            co_await release();
        }
        set_leading(false);
    }
}

base::Clock::Duration LeaderElector::jittered(base::Clock::Duration d) {
    std::uniform_real_distribution<double> extra(0.0, kJitterFactor);
    return d + std::chrono::duration_cast<base::Clock::Duration>(d * extra(rng_));
}

asio::awaitable<void> LeaderElector::run() {
    for (;;) {
        for (;;) {
            const bool acquired = co_await try_acquire_or_renew();
            if (acquired) {
                break;
            }
            const auto wait = jittered(config_.retry_period);
            co_await clock_.sleep_for(wait);
        }
        base::log::info("became leader", {{"lease", config_.lease_name},
                                          {"identity", config_.identity}});
        set_leading(true);
        co_await renew_loop();
        base::log::warn("lost leadership", {{"lease", config_.lease_name},
                                            {"identity", config_.identity}});
        set_leading(false);
        const auto wait = jittered(config_.retry_period);
        co_await clock_.sleep_for(wait);
    }
}

// As client-go: every retry period, try to renew; a failed try is retried every retry period
// until renew_deadline has passed since the first try of the round, then we step down.
asio::awaitable<void> LeaderElector::renew_loop() {
    for (;;) {
        co_await clock_.sleep_for(config_.retry_period);
        const auto deadline = clock_.monotonic() + config_.renew_deadline;
        for (;;) {
            const bool renewed = co_await try_acquire_or_renew();
            if (renewed) {
                break;
            }
            const auto now = clock_.monotonic();
            if (now >= deadline) {
                co_return;
            }
            const auto wake = std::min(now + config_.retry_period, deadline);
            co_await clock_.sleep_until(wake);
            if (clock_.monotonic() >= deadline) {
                co_return;
            }
        }
    }
}

asio::awaitable<bool> LeaderElector::try_acquire_or_renew() {
    const auto now = clock_.monotonic();
    const std::string now_text = base::format_micro_time(clock_.now());
    auto current = co_await client_.get(leases(), config_.lease_namespace, config_.lease_name);
    if (!current.ok()) {
        if (current.status().reason() != Reason::NotFound) {
            base::log::warn("leader election: reading the lease failed",
                            {{"lease", config_.lease_name},
                             {"error", base::to_string(current.status())}});
            co_return false;
        }
        Record fresh{.holder = config_.identity,
                     .lease_duration_seconds = whole_seconds(config_.lease_duration),
                     .acquire_time = now_text,
                     .renew_time = now_text,
                     .transitions = 0};
        json::object lease = lease_object(fresh);
        auto created = co_await client_.create(leases(), config_.lease_namespace, lease);
        if (!created.ok()) {
            co_return false;  // AlreadyExists: someone else was quicker
        }
        observe(fresh);
        observed_time_ = now;
        co_return true;
    }

    const Record old = record_of(*current);
    if (!observed_ || *observed_ != old) {
        observe(old);
        observed_time_ = now;
    }
    const bool held_by_other = !old.holder.empty() && old.holder != config_.identity;
    // The holder's own word on how long its lease lasts, as newer client-go reads it.
    const auto duration = old.lease_duration_seconds > 0
                              ? base::Clock::Duration(std::chrono::seconds(old.lease_duration_seconds))
                              : config_.lease_duration;
    if (held_by_other && observed_time_ + duration > now) {
        co_return false;  // its holder is alive, as far as we can tell
    }

    Record next{.holder = config_.identity,
                .lease_duration_seconds = whole_seconds(config_.lease_duration),
                .acquire_time = now_text,
                .renew_time = now_text,
                .transitions = old.transitions};
    if (old.holder == config_.identity) {
        next.acquire_time = old.acquire_time;
    } else {
        ++next.transitions;
    }
    json::object lease = std::move(*current);
    lease["spec"] = lease_object(next).at("spec");
    auto updated = co_await client_.update(leases(), lease);
    if (!updated.ok()) {
        // Conflict: the lease changed since we read it (another candidate won this round).
        co_return false;
    }
    observe(next);
    observed_time_ = now;
    co_return true;
}

asio::awaitable<void> LeaderElector::release() {
    auto current = co_await client_.get(leases(), config_.lease_namespace, config_.lease_name);
    if (!current.ok()) {
        co_return;
    }
    const Record old = record_of(*current);
    if (old.holder != config_.identity) {
        co_return;
    }
    const std::string now_text = base::format_micro_time(clock_.now());
    Record released{.holder = "",
                    .lease_duration_seconds = 1,
                    .acquire_time = now_text,
                    .renew_time = now_text,
                    .transitions = old.transitions};
    json::object lease = std::move(*current);
    lease["spec"] = lease_object(released).at("spec");
    auto updated = co_await client_.update(leases(), lease);
    if (!updated.ok()) {
        base::log::warn("leader election: releasing the lease failed",
                        {{"lease", config_.lease_name},
                         {"error", base::to_string(updated.status())}});
        co_return;
    }
    observe(released);
}

void LeaderElector::observe(const Record& record) {
    observed_ = record;
    if (record.holder != observed_holder_) {
        observed_holder_ = record.holder;
        if (!record.holder.empty() && config_.on_new_leader) {
            config_.on_new_leader(record.holder);
        }
    }
}

void LeaderElector::set_leading(bool leading) {
    if (leading_ == leading) {
        return;
    }
    leading_ = leading;
    const auto& callback = leading ? config_.on_started_leading : config_.on_stopped_leading;
    if (callback) {
        callback();
    }
}

json::object LeaderElector::lease_object(const Record& record) const {
    json::object spec{{"holderIdentity", record.holder},
                      {"leaseDurationSeconds", record.lease_duration_seconds},
                      {"leaseTransitions", record.transitions}};
    if (!record.acquire_time.empty()) {
        spec["acquireTime"] = record.acquire_time;
    }
    if (!record.renew_time.empty()) {
        spec["renewTime"] = record.renew_time;
    }
    return json::object{
        {"apiVersion", "coordination.k8s.io/v1"},
        {"kind", "Lease"},
        {"metadata",
         json::object{{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}},
        {"spec", std::move(spec)}};
}

LeaderElector::Record LeaderElector::record_of(const json::object& lease) {
    const json::value whole(lease);
    Record r;
    r.holder = std::string(base::string_at(whole, {"spec", "holderIdentity"}));
    r.lease_duration_seconds = base::int_at(whole, {"spec", "leaseDurationSeconds"});
    r.acquire_time = std::string(base::string_at(whole, {"spec", "acquireTime"}));
    r.renew_time = std::string(base::string_at(whole, {"spec", "renewTime"}));
    r.transitions = base::int_at(whole, {"spec", "leaseTransitions"});
    return r;
}

}  // namespace skiff::client
