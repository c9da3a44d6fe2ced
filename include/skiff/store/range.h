// RangeRequest and RangeResponse: reading keys at a revision, with etcd's key range conventions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "skiff/store/key_value.h"

namespace skiff::store {

/// Keys follow etcd: `range_end` empty = `key` alone; `range_end` "\0" (one NUL byte) = every
/// key >= `key`; otherwise [key, range_end). A prefix p is [p, prefix_end(p)).
struct RangeRequest {
    std::string key;
    std::string range_end;
    std::int64_t revision = 0;  // 0 = current
    std::int64_t limit = 0;     // 0 = no limit
    bool count_only = false;
    bool keys_only = false;
};

struct RangeResponse {
    std::int64_t revision = 0;  // the store's revision the read saw (etcd's header revision)
    std::vector<KeyValue> kvs;  // sorted by key
    bool more = false;          // more keys matched than `limit`
    std::int64_t count = 0;     // how many keys matched, regardless of limit

    bool operator==(const RangeResponse&) const = default;
};

/// The range_end that selects every key starting with `prefix`: the prefix with its last
/// byte below 0xff incremented and what follows dropped; "\0" (all keys) when there is none.
std::string prefix_end(std::string_view prefix);

/// A request for every key starting with `prefix`.
RangeRequest prefix_range(std::string_view prefix);

}  // namespace skiff::store
