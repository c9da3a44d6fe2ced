// Object plumbing shared by the handlers: keys, metadata stamping, decoding stored values,
// selectors over objects, and the continue token.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "skiff/api/field_selector.h"
#include "skiff/api/label_selector.h"
#include "skiff/api/registry.h"
#include "skiff/base/status.h"
#include "skiff/store/key_value.h"

namespace skiff::apiserver {

/// The store key of an object, and the prefix of a (namespaced) collection.
std::string object_key(const api::ResourceType& type, std::string_view ns, std::string_view name);
std::string collection_prefix(const api::ResourceType& type, std::string_view ns);

/// A stored value as the object clients see: metadata.resourceVersion = its mod revision.
base::Result<boost::json::object> decode_stored(const store::KeyValue& kv);
/// The bytes to store: the object without metadata.resourceVersion.
std::string encode_for_store(boost::json::object object);

/// A random RFC 4122 version 4 UUID.
std::string new_uid();
/// `prefix` plus five random characters from upstream's alphabet (generateName).
std::string generate_name(std::string_view prefix);

boost::json::object& metadata_of(boost::json::object& object);
const boost::json::object* metadata_of(const boost::json::object& object);
std::string_view meta_string(const boost::json::object& object, std::string_view field);

/// Label and field selectors of a list or watch, checked against the kind's fields.
struct Selectors {
    api::LabelSelector labels;
    api::FieldSelector fields;
    bool matches(const boost::json::object& object) const;
};
base::Result<Selectors> parse_selectors(const api::ResourceType& type,
                                        std::optional<std::string> label_selector,
                                        std::optional<std::string> field_selector);

/// The continue token of a paged list: the revision the list is read at and the next key.
struct ContinueToken {
    std::int64_t revision = 0;
    std::string start;
};
std::string encode_continue(const ContinueToken& token);
base::Result<ContinueToken> decode_continue(std::string_view text);

/// Whether objects of the kind count generations (metadata.generation bumped on spec change).
bool tracks_generation(const api::ResourceType& type);

}  // namespace skiff::apiserver
