// Txn: etcd's compare-then-act transaction with put, delete-range and range operations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "skiff/store/key_value.h"
#include "skiff/store/range.h"

namespace skiff::store {

struct PutRequest {
    std::string key;
    std::string value;
    std::int64_t lease = 0;  // must name a live lease; 0 = none
    bool prev_kv = false;
};

struct PutResponse {
    std::int64_t revision = 0;
    std::optional<KeyValue> prev_kv;
    bool operator==(const PutResponse&) const = default;
};

/// `range_end` as in RangeRequest.
struct DeleteRangeRequest {
    std::string key;
    std::string range_end;
    bool prev_kv = false;
};

struct DeleteRangeResponse {
    std::int64_t revision = 0;
    std::int64_t deleted = 0;
    std::vector<KeyValue> prev_kvs;
    bool operator==(const DeleteRangeResponse&) const = default;
};

/// One condition of a txn. Over a range (range_end as in RangeRequest) every key must satisfy
/// it. A missing key compares as zero revisions/version/lease, and never equals a value.
struct Compare {
    enum class Target { Version, Create, Mod, Value, Lease };
    enum class Op { Equal, NotEqual, Less, Greater };

    Target target = Target::Mod;
    Op op = Op::Equal;
    std::string key;
    std::string range_end;
    std::int64_t number = 0;  // for Version, Create, Mod, Lease
    std::string value;        // for Value

    static Compare version(std::string key, Op op, std::int64_t n);
    static Compare create_revision(std::string key, Op op, std::int64_t n);
    static Compare mod_revision(std::string key, Op op, std::int64_t n);
    static Compare lease(std::string key, Op op, std::int64_t n);
    static Compare value_of(std::string key, Op op, std::string value);
};

using RequestOp = std::variant<RangeRequest, PutRequest, DeleteRangeRequest>;
using ResponseOp = std::variant<RangeResponse, PutResponse, DeleteRangeResponse>;

/// All compares true → `success` runs, else `failure`. Operations run in order, and a range
/// sees the writes before it. Writes make one new revision; a txn without writes makes none.
/// A key may be put at most once and not both put and deleted in one branch.
struct TxnRequest {
    std::vector<Compare> compare;
    std::vector<RequestOp> success;
    std::vector<RequestOp> failure;
};

struct TxnResponse {
    std::int64_t revision = 0;  // the store's revision after the txn
    bool succeeded = false;
    std::vector<ResponseOp> responses;  // one per operation of the branch that ran
};

}  // namespace skiff::store
