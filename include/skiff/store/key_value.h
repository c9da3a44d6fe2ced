// KeyValue and Event: one version of a key and one change, as etcd's mvccpb defines them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace skiff::store {

/// One version of a key. A deleted key's tombstone has only `key` and `mod_revision`.
struct KeyValue {
    std::string key;
    std::string value;
    std::int64_t create_revision = 0;  // revision of this incarnation's first put
    std::int64_t mod_revision = 0;     // revision of the last change
    std::int64_t version = 0;          // puts since creation, from 1; 0 after delete
    std::int64_t lease = 0;            // 0 = none

    bool operator==(const KeyValue&) const = default;
};

struct Event {
    enum class Type { Put, Delete };
    Type type = Type::Put;
    KeyValue kv;
    /// The version before this change, when the watch asked for it and it still exists.
    std::optional<KeyValue> prev_kv;

    bool operator==(const Event&) const = default;
};

}  // namespace skiff::store
