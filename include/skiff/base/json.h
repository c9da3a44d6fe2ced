// JSON helpers over Boost.JSON: parsing into Result, path lookups, compact and indented output.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::base {

/// Parses one JSON value; trailing garbage, invalid UTF-8 and nesting deeper than 1000 are
/// BadRequest failures whose message names the byte offset.
Result<boost::json::value> parse_json(std::string_view text);

/// The member at `path` (object keys, one per step); nullptr when any step is missing or is
/// not an object.
const boost::json::value* find(const boost::json::value& root,
                               std::initializer_list<std::string_view> path);
boost::json::value* find(boost::json::value& root, std::initializer_list<std::string_view> path);

/// The string at `path`, or `fallback` when absent or not a string.
std::string_view string_at(const boost::json::value& root,
                           std::initializer_list<std::string_view> path,
                           std::string_view fallback = {});

/// The integer at `path` (int64, or uint64 that fits), or `fallback`.
std::int64_t int_at(const boost::json::value& root, std::initializer_list<std::string_view> path,
                    std::int64_t fallback = 0);

/// Compact JSON text.
std::string to_json(const boost::json::value& value);
/// Indented JSON text with a trailing newline, object members in their stored order.
std::string to_pretty_json(const boost::json::value& value, int indent = 2);

}  // namespace skiff::base
