// Informer: a list+watch cache of one resource type with add/update/delete handlers and
// indexes (client-go's SharedIndexInformer, on one executor).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "skiff/api/registry.h"
#include "skiff/api/rest.h"
#include "skiff/base/backoff.h"
#include "skiff/base/clock.h"
#include "skiff/base/task_group.h"
#include "skiff/client/client.h"
#include "skiff/client/work_queue.h"

namespace skiff::client {

/// The cache key of an object: "<namespace>/<name>", or "<name>" without a namespace
/// (client-go's MetaNamespaceKeyFunc). What controllers put in their work queues.
std::string object_key(const boost::json::object& object);
std::string object_key(std::string_view ns, std::string_view name);
/// The namespace and name of a key made by object_key.
std::pair<std::string, std::string> split_key(std::string_view key);

struct InformerOptions {
    /// "" watches every namespace (and is the only choice for cluster-scoped types).
    std::string namespace_;
    std::string label_selector;
    std::string field_selector;
    /// Every this long after the first sync, on_update(obj, obj) for every cached object;
    /// zero: never.
    base::Clock::Duration resync{0};
    /// How long one watch request lasts before it is renewed (0: 5 to 10 minutes at random,
    /// as client-go's reflector does).
    std::chrono::seconds watch_timeout{0};
    /// Items per list page (0: one page).
    std::int64_t page_size = 500;
    /// Between failed lists and watches (client-go's reflector: 800 ms doubling to 30 s).
    base::Backoff::Options backoff{.initial = std::chrono::milliseconds(800),
                                   .max = std::chrono::seconds(30),
                                   .factor = 2.0,
                                   .jitter = 1.0};
    std::uint64_t seed = 0;  // of the backoff's jitter
};

/// Lists, then watches from the list's resourceVersion, keeping a cache of the objects and
/// telling handlers what changed:
/// - a watch that ends (its timeout, the server going away) is renewed from the last
///   resourceVersion seen; failures are retried with jittered backoff;
/// - a watch that is too old (410 Expired, as a failure or an ERROR event) relists and hands
///   the handlers the differences: adds and updates in the list's order, then deletes (with
///   the last state the cache held), so they see one consistent story;
/// - a DELETED event hands on_delete the object's last state;
/// - updates are delivered for every MODIFIED event, and at a relist for objects whose
///   resourceVersion changed.
///
/// Threading: construct, call and destroy on `executor` (the client's); handlers run there
/// too, between the informer's own steps, and must not block. `client`, `clock` and the
/// handlers' captures outlive the informer; call stop() before destroying it.
class Informer {
public:
    using Object = boost::json::object;
    using ObjectPtr = std::shared_ptr<const Object>;
    using AddHandler = std::function<void(const Object& object)>;
    using UpdateHandler = std::function<void(const Object& old_object, const Object& new_object)>;
    using DeleteHandler = std::function<void(const Object& last_state)>;
    /// The values an object is indexed under (none: not indexed).
    using IndexFunc = std::function<std::vector<std::string>(const Object&)>;

    struct Handlers {
        AddHandler on_add;        // each may be empty
        UpdateHandler on_update;
        DeleteHandler on_delete;
    };

    Informer(boost::asio::any_io_executor executor, Client& client, api::ResourceType type,
             base::Clock& clock, InformerOptions options);
    ~Informer();
    Informer(const Informer&) = delete;
    Informer& operator=(const Informer&) = delete;

    /// Several handler sets may be added (a shared informer). One added after start() is
    /// first told of every cached object as an add.
    void add_handlers(Handlers handlers);
    void on_add(AddHandler handler) { add_handlers({std::move(handler), nullptr, nullptr}); }
    void on_update(UpdateHandler handler) { add_handlers({nullptr, std::move(handler), nullptr}); }
    void on_delete(DeleteHandler handler) { add_handlers({nullptr, nullptr, std::move(handler)}); }

    /// An index by `name`: by_index(name, value) then finds the objects whose `fn` yields
    /// `value`. May be added at any time.
    void add_index(std::string name, IndexFunc fn);
    /// An IndexFunc yielding the string at a path of the object, e.g. {"spec", "nodeName"}
    /// (none when absent or empty).
    static IndexFunc index_by_field(std::vector<std::string> path);
    /// client-go's namespace index: the object's metadata.namespace.
    static IndexFunc index_by_namespace();

    /// Spawns the list+watch loop (and the resync loop).
    void start();
    /// Ends both loops and wakes wait_synced(). Handlers are not called afterwards.
    boost::asio::awaitable<void> stop();

    /// True once the first list has been delivered to the handlers.
    bool has_synced() const { return sync_->synced; }
    /// Returns true once synced, false when stopped first. Throws operation_aborted when the
    /// caller is cancelled.
    boost::asio::awaitable<bool> wait_synced();

    /// The cached object, nullptr when absent. The objects are immutable snapshots: holding
    /// one across a co_await is fine, it just may no longer be current.
    ObjectPtr get(std::string_view ns, std::string_view name) const;
    ObjectPtr get_by_key(std::string_view key) const;
    /// Every cached object, by key.
    std::vector<ObjectPtr> list() const;
    /// The cached objects in one namespace.
    std::vector<ObjectPtr> list(std::string_view ns) const;
    /// The objects indexed under `value` by the index `name` (none for an unknown index).
    std::vector<ObjectPtr> by_index(std::string_view name, std::string_view value) const;
    /// The cache's keys.
    std::vector<std::string> keys() const;
    size_t size() const { return cache_.size(); }

    /// The resourceVersion the cache reflects.
    const std::string& resource_version() const { return resource_version_; }
    const api::ResourceType& type() const { return type_; }
    /// How many lists (the first and relists) the informer has done; for tests and metrics.
    int lists() const { return lists_; }

private:
    struct Index {
        IndexFunc fn;
        std::map<std::string, std::set<std::string>, std::less<>> entries;
    };

    boost::asio::awaitable<void> run();
    boost::asio::awaitable<void> resync_loop();
    /// Lists every page; false after a failure (logged).
    boost::asio::awaitable<bool> relist();
    enum class WatchEnd { Rewatch, Backoff, Relist };
    boost::asio::awaitable<WatchEnd> watch_once();
    boost::asio::awaitable<void> sleep_backoff();

    /// Handles one watch event; Relist or Backoff when it says the watch is over.
    std::optional<WatchEnd> apply(api::WatchEvent event);
    void replace(std::vector<Object> items, std::string resource_version);
    void upsert(Object object);
    void erase(const Object& last_state);
    void index_insert(const std::string& key, const Object& object);
    void index_remove(const std::string& key, const Object& object);
    void normalize(Object& object) const;

    Client& client_;
    api::ResourceType type_;
    base::Clock& clock_;
    InformerOptions options_;
    base::Backoff backoff_;
    std::vector<Handlers> handlers_;
    std::map<std::string, ObjectPtr, std::less<>> cache_;
    std::map<std::string, Index, std::less<>> indexes_;
    std::string resource_version_;
    api::EventStream* stream_ = nullptr;  // the watch now open, to cancel at stop()
    /// Shared with wait_synced() callers, which may resume after the informer is gone.
    struct SyncState {
        bool synced = false;
        bool stopped = false;
        detail::WaitList waiters;
    };
    std::shared_ptr<SyncState> sync_;
    std::mt19937_64 rng_;
    base::TaskGroup tasks_;
    bool started_ = false;
    int lists_ = 0;
};

}  // namespace skiff::client
