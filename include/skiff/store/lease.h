// Lease results: a granted lease and the remaining time of one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::store {

struct LeaseGrant {
    std::int64_t id = 0;
    std::int64_t ttl = 0;  // seconds
};

struct LeaseTimeToLive {
    std::int64_t id = 0;
    std::int64_t ttl = 0;           // remaining seconds, rounded up
    std::int64_t granted_ttl = 0;   // seconds asked for at grant
    std::vector<std::string> keys;  // attached keys, sorted, when asked for
};

}  // namespace skiff::store
