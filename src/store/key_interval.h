// KeyInterval: an etcd key/range_end pair as a half-open byte interval [begin, end).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skiff::store {

struct KeyInterval {
    std::string begin;
    std::optional<std::string> end;  // exclusive; none = every key >= begin

    /// etcd's conventions: empty range_end = the key alone (end = key + "\0"), "\0" = no end.
    static KeyInterval of(std::string_view key, std::string_view range_end);

    bool contains(std::string_view key) const { return key >= begin && (!end || key < *end); }
    bool empty() const { return end && *end <= begin; }
};

}  // namespace skiff::store
