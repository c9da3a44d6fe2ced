// The vocabulary of REST calls shared by the apiserver and its clients: list options, patch
// types, watch events.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// Query options of list and watch, as the URL parameters of the same names.
struct ListOptions {
    std::string label_selector;
    std::string field_selector;
    std::int64_t limit = 0;  // 0: everything
    std::string continue_token;
    /// list: "" latest, "0" any, "<n>" not older than n (Exact with resource_version_match);
    /// watch: changes after n; "" or "0": every current object as ADDED first.
    std::string resource_version;
    std::string resource_version_match;
    /// watch: ends cleanly after this long (0: the server's default).
    std::chrono::seconds timeout{0};
    /// watch: BOOKMARK events (an object with only its resourceVersion) now and then.
    bool allow_bookmarks = false;
};

/// Options of create, update, patch and delete.
struct WriteOptions {
    bool dry_run = false;  // dryRun=All: validate and answer, store nothing
    std::string field_manager;
};

enum class PatchType { Json, Merge, StrategicMerge, Apply };

/// The Content-Type of a patch type, and back (nullopt for other types).
std::string_view content_type(PatchType type);
std::optional<PatchType> patch_type_of(std::string_view content_type);

/// One watch event: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (object: a Status).
struct WatchEvent {
    std::string type;
    boost::json::object object;
};

/// A stream of watch events. next() fails once the watch has ended: Gone after cancel() or at
/// its timeout, Expired when its resourceVersion is too old, ServiceUnavailable when the server
/// stops.
class EventStream {
public:
    virtual ~EventStream() = default;
    virtual boost::asio::awaitable<base::Result<WatchEvent>> next() = 0;
    virtual void cancel() = 0;
};

}  // namespace skiff::api
