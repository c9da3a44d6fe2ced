// Pod state for workload controllers: activity, readiness, availability, deletion ranking.
#include "skiff/controllers/pod_state.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <boost/json.hpp>

#include "skiff/api/table.h"
#include "skiff/base/time_format.h"

namespace skiff::controllers {

namespace json = boost::json;

namespace {

std::string_view str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

const json::object* obj(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string_view phase(const json::object& pod) {
    const auto* status = obj(pod, "status");
    return status ? str(*status, "phase") : std::string_view();
}

std::string_view node_name(const json::object& pod) {
    const auto* spec = obj(pod, "spec");
    return spec ? str(*spec, "nodeName") : std::string_view();
}

std::string_view uid(const json::object& pod) {
    const auto* meta = obj(pod, "metadata");
    return meta ? str(*meta, "uid") : std::string_view();
}

std::optional<TimePoint> creation_time(const json::object& pod) {
    const auto* meta = obj(pod, "metadata");
    return meta ? parse_time(str(*meta, "creationTimestamp")) : std::nullopt;
}

// The Ready condition, if any.
const json::object* ready_condition(const json::object& pod) {
    const auto* status = obj(pod, "status");
    const auto* conds = status ? status->if_contains("conditions") : nullptr;
    if (!conds || !conds->is_array()) {
        return nullptr;
    }
    for (const auto& c : conds->as_array()) {
        if (c.is_object() && str(c.as_object(), "type") == "Ready") {
            return &c.as_object();
        }
    }
    return nullptr;
}

// podPhaseToOrdinal: Pending 0, Unknown 1, Running 2; anything else 0.
int phase_ordinal(const json::object& pod) {
    auto p = phase(pod);
    if (p == "Unknown") {
        return 1;
    }
    if (p == "Running") {
        return 2;
    }
    return 0;
}

// helper.GetDeletionCostFromPodAnnotations: an int32 annotation, 0 when absent or invalid.
std::int64_t deletion_cost(const json::object& pod) {
    const auto* meta = obj(pod, "metadata");
    const auto* ann = meta ? obj(*meta, "annotations") : nullptr;
    if (!ann) {
        return 0;
    }
    auto text = str(*ann, "controller.kubernetes.io/pod-deletion-cost");
    if (text.empty()) {
        return 0;
    }
    std::string s(text);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size() || v < std::numeric_limits<std::int32_t>::min() ||
        v > std::numeric_limits<std::int32_t>::max()) {
        return 0;
    }
    return v;
}

std::int64_t max_restarts(const json::object& pod) {
    const auto* status = obj(pod, "status");
    const auto* cs = status ? status->if_contains("containerStatuses") : nullptr;
    std::int64_t best = 0;
    if (cs && cs->is_array()) {
        for (const auto& c : cs->as_array()) {
            if (!c.is_object()) {
                continue;
            }
            if (const auto* r = c.as_object().if_contains("restartCount"); r && r->is_int64()) {
                best = std::max(best, r->as_int64());
            }
        }
    }
    return best;
}

// afterOrZero: a zero (absent) time sorts first; otherwise the later time first.
bool after_or_zero(const std::optional<TimePoint>& t1, const std::optional<TimePoint>& t2) {
    if (!t1 || !t2) {
        return !t1;
    }
    return *t1 > *t2;
}

// logarithmicRankDiff: floor(log2(now - t)) in nanoseconds, -1 when not positive.
std::int64_t log_rank(TimePoint t, TimePoint now) {
    auto d = std::chrono::duration_cast<std::chrono::nanoseconds>(now - t).count();
    return d > 0 ? static_cast<std::int64_t>(std::log2(static_cast<double>(d))) : -1;
}

// Rules 6 and 8: compare two different times, newer first, in log2 buckets with uid ties.
bool newer_first(const std::optional<TimePoint>& t1, const std::optional<TimePoint>& t2,
                 std::string_view uid1, std::string_view uid2, TimePoint now) {
    if (!t1 || !t2) {
        return after_or_zero(t1, t2);
    }
    auto diff = log_rank(*t1, now) - log_rank(*t2, now);
    if (diff == 0) {
        return uid1 < uid2;
    }
    return diff < 0;
}

}  // namespace

std::string format_time(TimePoint t) {
    return base::format_time(t);
}

std::optional<TimePoint> parse_time(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    auto t = api::parse_timestamp(text);
    if (!t) {
        return std::nullopt;
    }
    return std::chrono::time_point_cast<TimePoint::duration>(*t);
}

bool pod_active(const json::object& pod) {
    auto p = phase(pod);
    if (p == "Succeeded" || p == "Failed") {
        return false;
    }
    const auto* meta = obj(pod, "metadata");
    const auto* del = meta ? meta->if_contains("deletionTimestamp") : nullptr;
    return !del || del->is_null();
}

bool pod_ready(const json::object& pod) {
    const auto* c = ready_condition(pod);
    return c && str(*c, "status") == "True";
}

std::optional<TimePoint> pod_ready_since(const json::object& pod) {
    const auto* c = ready_condition(pod);
    if (!c || str(*c, "status") != "True") {
        return std::nullopt;
    }
    return parse_time(str(*c, "lastTransitionTime"));
}

bool pod_available(const json::object& pod, std::int64_t min_ready_seconds, TimePoint now) {
    if (!pod_ready(pod)) {
        return false;
    }
    if (min_ready_seconds <= 0) {
        return true;
    }
    auto since = pod_ready_since(pod);
    return since && *since + std::chrono::seconds(min_ready_seconds) < now;
}

std::optional<TimePoint> pod_available_at(const json::object& pod, std::int64_t min_ready_seconds) {
    if (min_ready_seconds <= 0) {
        return std::nullopt;
    }
    auto since = pod_ready_since(pod);
    if (!since) {
        return std::nullopt;
    }
    return *since + std::chrono::seconds(min_ready_seconds);
}

bool prefer_for_deletion(const RankedPod& a, const RankedPod& b, TimePoint now) {
    const auto& pa = *a.pod;
    const auto& pb = *b.pod;
    // 1. Unassigned < assigned.
    auto na = node_name(pa);
    auto nb = node_name(pb);
    if (na != nb && (na.empty() || nb.empty())) {
        return na.empty();
    }
    // 2. Pending < Unknown < Running.
    if (phase_ordinal(pa) != phase_ordinal(pb)) {
        return phase_ordinal(pa) < phase_ordinal(pb);
    }
    // 3. Not ready < ready.
    bool ra = pod_ready(pa);
    bool rb = pod_ready(pb);
    if (ra != rb) {
        return !ra;
    }
    // 4. Lower pod-deletion-cost first.
    if (deletion_cost(pa) != deletion_cost(pb)) {
        return deletion_cost(pa) < deletion_cost(pb);
    }
    // 5. Doubled up (more related pods on the node) first.
    if (a.rank != b.rank) {
        return a.rank > b.rank;
    }
    // 6. Ready for less time first.
    if (ra && rb) {
        auto ta = pod_ready_since(pa);
        auto tb = pod_ready_since(pb);
        if (ta != tb) {
            return newer_first(ta, tb, uid(pa), uid(pb), now);
        }
    }
    // 7. More restarts first.
    if (max_restarts(pa) != max_restarts(pb)) {
        return max_restarts(pa) > max_restarts(pb);
    }
    // 8. Newer first.
    auto ca = creation_time(pa);
    auto cb = creation_time(pb);
    if (ca != cb) {
        return newer_first(ca, cb, uid(pa), uid(pb), now);
    }
    return false;
}

}  // namespace skiff::controllers
