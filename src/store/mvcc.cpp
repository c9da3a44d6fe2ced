// apply_txn: compare evaluation as etcd's applyCompare, then the branch's operations in order.
#include "mvcc.h"

#include "key_interval.h"

#include <limits>
#include <set>

#include "skiff/store/errors.h"

namespace skiff::store {
using base::Result;
using base::Status;

namespace {

int compare_numbers(std::int64_t a, std::int64_t b) {
    return a < b ? -1 : (a > b ? 1 : 0);
}

bool compare_kv(const Compare& c, const KeyValue& kv) {
    int r = 0;
    switch (c.target) {
        case Compare::Target::Value:
            r = kv.value.compare(c.value);
            break;
        case Compare::Target::Version:
            r = compare_numbers(kv.version, c.number);
            break;
        case Compare::Target::Create:
            r = compare_numbers(kv.create_revision, c.number);
            break;
        case Compare::Target::Mod:
            r = compare_numbers(kv.mod_revision, c.number);
            break;
        case Compare::Target::Lease:
            r = compare_numbers(kv.lease, c.number);
            break;
    }
    switch (c.op) {
        case Compare::Op::Equal:
            return r == 0;
        case Compare::Op::NotEqual:
            return r != 0;
        case Compare::Op::Less:
            return r < 0;
        case Compare::Op::Greater:
            return r > 0;
    }
    return false;
}

bool holds(KvState& state, const Compare& c, std::int64_t current) {
    std::vector<KeyValue> kvs;
    if (c.range_end.empty()) {
        if (auto kv = state.get(c.key)) {
            kvs.push_back(std::move(*kv));
        }
    } else {
        kvs = state.range(RangeRequest{.key = c.key, .range_end = c.range_end}, current).kvs;
    }
    if (kvs.empty()) {
        // etcd compares a missing key as an empty KeyValue, except that no value matches.
        return c.target != Compare::Target::Value && compare_kv(c, KeyValue{});
    }
    for (const auto& kv : kvs) {
        if (!compare_kv(c, kv)) {
            return false;
        }
    }
    return true;
}

// Applies the branch's writes and reads; `revision` is the one the writes get.
struct BranchRunner {
    KvState& state;
    std::int64_t revision;
    TxnOutcome& out;

    std::int64_t current() const { return out.events.empty() ? revision - 1 : revision; }

    ResponseOp operator()(const RangeRequest& r) { return state.range(r, current()); }

    ResponseOp operator()(const PutRequest& p) {
        PutResponse resp;
        std::optional<KeyValue> prev = state.get(p.key);
        Event e{.type = Event::Type::Put,
                .kv = KeyValue{.key = p.key,
                               .value = p.value,
                               .create_revision = prev ? prev->create_revision : revision,
                               .mod_revision = revision,
                               .version = prev ? prev->version + 1 : 1,
                               .lease = p.lease},
                .prev_kv = prev};
        if (p.prev_kv) {
            resp.prev_kv = prev;
        }
        state.write(e);
        out.events.push_back(std::move(e));
        return resp;
    }

    ResponseOp operator()(const DeleteRangeRequest& d) {
        DeleteRangeResponse resp;
        auto live = state.range(RangeRequest{.key = d.key, .range_end = d.range_end}, current());
        for (auto& kv : live.kvs) {
            Event e{.type = Event::Type::Delete,
                    .kv = KeyValue{.key = kv.key, .mod_revision = revision},
                    .prev_kv = kv};
            state.write(e);
            out.events.push_back(std::move(e));
            if (d.prev_kv) {
                resp.prev_kvs.push_back(std::move(kv));
            }
            ++resp.deleted;
        }
        return resp;
    }
};

Status validate_branch(const std::vector<RequestOp>& ops) {
    std::set<std::string> puts;
    std::vector<KeyInterval> deletes;
    for (const auto& op : ops) {
        if (const auto* p = std::get_if<PutRequest>(&op)) {
            if (p->lease < 0) {
                return base::bad_request("lease of key " + p->key + " is negative");
            }
            if (!puts.insert(p->key).second) {
                return duplicate_key_error();
            }
        } else if (const auto* d = std::get_if<DeleteRangeRequest>(&op)) {
            deletes.push_back(KeyInterval::of(d->key, d->range_end));
        } else if (const auto* r = std::get_if<RangeRequest>(&op)) {
            // Only the request's own sanity here; its revision is checked when applied.
            if (auto s = check_range(*r, std::numeric_limits<std::int64_t>::max(), 0); !s.ok()) {
                return s;
            }
        }
    }
    for (const auto& key : puts) {
        for (const auto& d : deletes) {
            if (d.contains(key)) {
                return duplicate_key_error();
            }
        }
    }
    return {};
}

}  // namespace

Status validate_txn(const TxnRequest& request) {
    if (auto s = validate_branch(request.success); !s.ok()) {
        return s;
    }
    return validate_branch(request.failure);
}

Status check_revision(std::int64_t revision, std::int64_t current, std::int64_t compact) {
    if (revision > current) {
        return future_revision_error();
    }
    if (revision > 0 && revision < compact) {
        return compacted_error();
    }
    return {};
}

Status check_range(const RangeRequest& request, std::int64_t current, std::int64_t compact) {
    if (request.revision < 0 || request.limit < 0) {
        return base::bad_request("range of key " + request.key +
                                 " has a negative revision or limit");
    }
    return check_revision(request.revision, current, compact);
}

Status check_compact(std::int64_t revision, std::int64_t current, std::int64_t compact) {
    if (revision <= compact) {
        return compacted_error();
    }
    if (revision > current) {
        return future_revision_error();
    }
    return {};
}

Result<TxnOutcome> apply_txn(KvState& state, const TxnRequest& request, std::int64_t current,
                             std::int64_t compact) {
    bool ok = true;
    for (const auto& c : request.compare) {
        if (!holds(state, c, current)) {
            ok = false;
            break;
        }
    }
    const auto& ops = ok ? request.success : request.failure;
    // Everything that can fail is checked before the first write, so a failed txn changes
    // nothing.
    for (const auto& op : ops) {
        if (const auto* p = std::get_if<PutRequest>(&op); p && p->lease != 0) {
            if (!state.lease_exists(p->lease)) {
                return lease_not_found_error();
            }
        } else if (const auto* r = std::get_if<RangeRequest>(&op)) {
            if (auto s = check_revision(r->revision, current, compact); !s.ok()) {
                return s;
            }
        }
    }
    TxnOutcome out;
    out.response.succeeded = ok;
    BranchRunner runner{state, current + 1, out};
    for (const auto& op : ops) {
        out.response.responses.push_back(std::visit(runner, op));
    }
    out.response.revision = runner.current();
    for (auto& r : out.response.responses) {
        std::visit([&](auto& resp) { resp.revision = out.response.revision; }, r);
    }
    return out;
}

std::vector<Event> apply_lease_revoke(KvState& state, std::int64_t lease, std::int64_t current) {
    std::vector<Event> events;
    for (const auto& key : state.keys_with_lease(lease)) {
        auto kv = state.get(key);
        if (!kv) {
            continue;
        }
        Event e{.type = Event::Type::Delete,
                .kv = KeyValue{.key = key, .mod_revision = current + 1},
                .prev_kv = std::move(kv)};
        state.write(e);
        events.push_back(std::move(e));
    }
    return events;
}

RangeResponse finish_range(const RangeRequest& request, std::vector<KeyValue> matches,
                           std::int64_t revision) {
    RangeResponse resp;
    resp.revision = revision;
    resp.count = static_cast<std::int64_t>(matches.size());
    if (request.count_only) {
        return resp;
    }
    if (request.limit > 0 && resp.count > request.limit) {
        matches.resize(static_cast<std::size_t>(request.limit));
        resp.more = true;
    }
    if (request.keys_only) {
        for (auto& kv : matches) {
            kv.value.clear();
        }
    }
    resp.kvs = std::move(matches);
    return resp;
}

}  // namespace skiff::store
