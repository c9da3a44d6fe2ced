// Informer: list, then watch from the list's resourceVersion; relist on 410; see informer.h.
#include "skiff/client/informer.h"

#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/base/log.h"

namespace skiff::client {
namespace asio = boost::asio;
namespace json = boost::json;
using base::Reason;
using base::Status;

namespace {

/// A watch that ends cleanly sooner than this without a single event is treated as a failure
/// (backoff), so a server that closes watches at once does not make us spin.
constexpr auto kShortWatch = std::chrono::seconds(1);
constexpr auto kStopGrace = std::chrono::seconds(5);
constexpr std::chrono::seconds kMinWatchTimeout{300};

std::string_view meta_string(const json::object& object, std::string_view field) {
    const auto* meta = object.if_contains("metadata");
    if (meta == nullptr || !meta->is_object()) {
        return {};
    }
    const auto* v = meta->as_object().if_contains(field);
    return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

/// 410 in an answer or an ERROR event: the resourceVersion asked for is no longer there.
/// (Older servers say Gone rather than Expired.)
bool is_too_old(const Status& status) {
    return status.reason() == Reason::Expired || status.code() == 410;
}

template <typename F, typename... Args>
void call_handler(const F& handler, const std::string& resource, Args&... args) {
    if (!handler) {
        return;
    }
    try {
        handler(args...);
    } catch (const std::exception& e) {
        base::log::error("informer handler threw", {{"resource", resource}, {"error", e.what()}});
    }
}

}  // namespace

std::string object_key(std::string_view ns, std::string_view name) {
    if (ns.empty()) {
        return std::string(name);
    }
    std::string key;
    key.reserve(ns.size() + 1 + name.size());
    key.append(ns).append("/").append(name);
    return key;
}

std::string object_key(const json::object& object) {
    return object_key(meta_string(object, "namespace"), meta_string(object, "name"));
}

std::pair<std::string, std::string> split_key(std::string_view key) {
    const auto slash = key.find('/');
    if (slash == std::string_view::npos) {
        return {std::string(), std::string(key)};
    }
    return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

Informer::Informer(asio::any_io_executor executor, Client& client, api::ResourceType type,
                   base::Clock& clock, InformerOptions options)
    : client_(client),
      type_(std::move(type)),
      clock_(clock),
      options_(std::move(options)),
      backoff_(options_.backoff, options_.seed),
      sync_(std::make_shared<SyncState>()),
      rng_(options_.seed),
      tasks_(std::move(executor)) {}

Informer::~Informer() {
    if (stream_ != nullptr) {
        stream_->cancel();
    }
}

void Informer::add_handlers(Handlers handlers) {
    handlers_.push_back(handlers);
    if (started_) {
        // A late handler hears of what is already there, as client-go's shared informer does.
        auto snapshot = list();
        for (const auto& object : snapshot) {
            call_handler(handlers.on_add, type_.resource, *object);
        }
    }
}

void Informer::add_index(std::string name, IndexFunc fn) {
    Index& index = indexes_[name];
    index.fn = std::move(fn);
    index.entries.clear();
    for (const auto& [key, object] : cache_) {
        for (auto& value : index.fn(*object)) {
            index.entries[std::move(value)].insert(key);
        }
    }
}

Informer::IndexFunc Informer::index_by_field(std::vector<std::string> path) {
    return [path = std::move(path)](const Object& object) -> std::vector<std::string> {
        const json::object* at = &object;
        for (size_t i = 0; i < path.size(); ++i) {
            const auto* v = at->if_contains(path[i]);
            if (v == nullptr) {
                return {};
            }
            if (i + 1 == path.size()) {
                if (v->is_string() && !v->as_string().empty()) {
                    return {std::string(v->as_string())};
                }
                return {};
            }
            if (!v->is_object()) {
                return {};
            }
            at = &v->as_object();
        }
        return {};
    };
}

Informer::IndexFunc Informer::index_by_namespace() {
    return index_by_field({"metadata", "namespace"});
}

void Informer::start() {
    if (started_ || sync_->stopped) {
        return;
    }
    started_ = true;
    tasks_.spawn(run(), "informer " + type_.resource);
    if (options_.resync > base::Clock::Duration::zero()) {
        tasks_.spawn(resync_loop(), "informer resync " + type_.resource);
    }
}

asio::awaitable<void> Informer::stop() {
    if (sync_->stopped) {
        co_return;
    }
    sync_->stopped = true;
    if (stream_ != nullptr) {
        stream_->cancel();
    }
    co_await tasks_.stop(kStopGrace);
    sync_->waiters.notify_all();
}

asio::awaitable<bool> Informer::wait_synced() {
    std::shared_ptr<SyncState> s = sync_;  // the informer may be stopped and destroyed meanwhile
    while (!s->synced && !s->stopped) {
        co_await s->waiters.wait();
    }
    co_return s->synced;
}

Informer::ObjectPtr Informer::get(std::string_view ns, std::string_view name) const {
    return get_by_key(object_key(ns, name));
}

Informer::ObjectPtr Informer::get_by_key(std::string_view key) const {
    auto it = cache_.find(key);
    return it == cache_.end() ? nullptr : it->second;
}

std::vector<Informer::ObjectPtr> Informer::list() const {
    std::vector<ObjectPtr> out;
    out.reserve(cache_.size());
    for (const auto& [key, object] : cache_) {
        out.push_back(object);
    }
    return out;
}

std::vector<Informer::ObjectPtr> Informer::list(std::string_view ns) const {
    if (ns.empty()) {
        return list();
    }
    // Keys of one namespace are the contiguous range "<ns>/...": names hold no '/'.
    const std::string prefix = std::string(ns) + "/";
    std::vector<ObjectPtr> out;
    for (auto it = cache_.lower_bound(prefix); it != cache_.end() && it->first.starts_with(prefix);
         ++it) {
        out.push_back(it->second);
    }
    return out;
}

std::vector<Informer::ObjectPtr> Informer::by_index(std::string_view name,
                                                    std::string_view value) const {
    std::vector<ObjectPtr> out;
    auto index = indexes_.find(name);
    if (index == indexes_.end()) {
        return out;
    }
    auto entry = index->second.entries.find(value);
    if (entry == index->second.entries.end()) {
        return out;
    }
    for (const auto& key : entry->second) {
        if (auto object = get_by_key(key)) {
            out.push_back(std::move(object));
        }
    }
    return out;
}

std::vector<std::string> Informer::keys() const {
    std::vector<std::string> out;
    out.reserve(cache_.size());
    for (const auto& [key, object] : cache_) {
        out.push_back(key);
    }
    return out;
}

// The reflector: list, watch until the watch says it is too old, relist; back off between
// failures. Backoff resets once a watch delivers events (the connection is healthy again).
asio::awaitable<void> Informer::run() {
    for (;;) {
        const bool listed = co_await relist();
        if (!listed) {
            co_await sleep_backoff();
            continue;
        }
        for (;;) {
            const WatchEnd end = co_await watch_once();
            if (end == WatchEnd::Rewatch) {
                continue;
            }
            co_await sleep_backoff();
            if (end == WatchEnd::Relist) {
                break;
            }
        }
    }
}

asio::awaitable<void> Informer::sleep_backoff() {
    const auto delay = backoff_.next();
    co_await clock_.sleep_for(delay);
}

asio::awaitable<void> Informer::resync_loop() {
    for (;;) {
        co_await clock_.sleep_for(options_.resync);
        if (!sync_->synced) {
            continue;
        }
        auto snapshot = list();
        for (const auto& object : snapshot) {
            for (size_t i = 0; i < handlers_.size(); ++i) {
                auto handler = handlers_[i].on_update;
                call_handler(handler, type_.resource, *object, *object);
            }
        }
    }
}

asio::awaitable<bool> Informer::relist() {
    api::ListOptions options;
    options.label_selector = options_.label_selector;
    options.field_selector = options_.field_selector;
    options.limit = options_.page_size;
    std::vector<Object> items;
    std::string resource_version;
    for (;;) {
        auto page = co_await client_.list(type_, options_.namespace_, options);
        if (!page.ok()) {
            if (!options.continue_token.empty() && is_too_old(page.status())) {
                // The snapshot the pages came from is compacted away: start over.
                options.continue_token.clear();
                items.clear();
                continue;
            }
            base::log::warn("informer list failed", {{"resource", type_.resource},
                                                     {"error", base::to_string(page.status())}});
            co_return false;
        }
        if (auto* listed = page->if_contains("items"); listed != nullptr && listed->is_array()) {
            for (auto& item : listed->as_array()) {
                if (item.is_object()) {
                    items.push_back(std::move(item.as_object()));
                }
            }
        }
        resource_version = std::string(meta_string(*page, "resourceVersion"));
        options.continue_token = std::string(meta_string(*page, "continue"));
        if (options.continue_token.empty()) {
            break;
        }
    }
    ++lists_;
    replace(std::move(items), std::move(resource_version));
    co_return true;
}

asio::awaitable<Informer::WatchEnd> Informer::watch_once() {
    api::ListOptions options;
    options.label_selector = options_.label_selector;
    options.field_selector = options_.field_selector;
    options.resource_version = resource_version_;
    options.timeout = options_.watch_timeout;
    if (options.timeout.count() == 0) {
        std::uniform_int_distribution<std::int64_t> extra(0, kMinWatchTimeout.count() - 1);
        options.timeout = kMinWatchTimeout + std::chrono::seconds(extra(rng_));
    }
    const auto started = clock_.monotonic();
    auto watch = co_await client_.watch(type_, options_.namespace_, options);
    if (!watch.ok()) {
        if (is_too_old(watch.status())) {
            co_return WatchEnd::Relist;
        }
        base::log::warn("informer watch failed", {{"resource", type_.resource},
                                                  {"error", base::to_string(watch.status())}});
        co_return WatchEnd::Backoff;
    }
    std::unique_ptr<api::EventStream> stream = std::move(*watch);
    struct Forget {
        api::EventStream*& slot;
        ~Forget() { slot = nullptr; }
    } forget{stream_};
    stream_ = stream.get();
    int events = 0;
    for (;;) {
        auto event = co_await stream->next();
        if (!event.ok()) {
            // EventStream's contract: Expired when too old, Gone when it simply ended.
            const Status& status = event.status();
            if (status.reason() == Reason::Expired) {
                co_return WatchEnd::Relist;
            }
            if (status.reason() == Reason::Gone) {
                // The watch's time is up (or the server ended it): carry on from where we are.
                const bool short_lived = events == 0 && clock_.monotonic() - started < kShortWatch;
                co_return short_lived ? WatchEnd::Backoff : WatchEnd::Rewatch;
            }
            base::log::warn("informer watch ended", {{"resource", type_.resource},
                                                     {"error", base::to_string(status)}});
            co_return WatchEnd::Backoff;
        }
        if (auto end = apply(std::move(*event))) {
            co_return *end;
        }
        ++events;
        backoff_.reset();
    }
}

std::optional<Informer::WatchEnd> Informer::apply(api::WatchEvent event) {
    if (event.type == "ADDED" || event.type == "MODIFIED") {
        upsert(std::move(event.object));
    } else if (event.type == "DELETED") {
        erase(event.object);
    } else if (event.type == "BOOKMARK") {
        if (auto rv = meta_string(event.object, "resourceVersion"); !rv.empty()) {
            resource_version_ = std::string(rv);
        }
    } else if (event.type == "ERROR") {
        const Status status = Status::from_json(json::value(std::move(event.object)));
        if (is_too_old(status)) {
            return WatchEnd::Relist;
        }
        base::log::warn("informer watch error", {{"resource", type_.resource},
                                                 {"error", base::to_string(status)}});
        return WatchEnd::Backoff;
    } else {
        base::log::warn("informer ignores a watch event of unknown type",
                        {{"resource", type_.resource}, {"type", event.type}});
    }
    return std::nullopt;
}

void Informer::normalize(Object& object) const {
    // List items come without kind and apiVersion; watch events carry them.
    if (!object.contains("kind")) {
        object["kind"] = type_.kind;
    }
    if (!object.contains("apiVersion")) {
        object["apiVersion"] = type_.api_version();
    }
}

void Informer::upsert(Object object) {
    normalize(object);
    auto key = object_key(object);
    if (auto rv = meta_string(object, "resourceVersion"); !rv.empty()) {
        resource_version_ = std::string(rv);
    }
    auto now = std::make_shared<const Object>(std::move(object));
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        cache_.emplace(key, now);
        index_insert(key, *now);
        for (size_t i = 0; i < handlers_.size(); ++i) {
            auto handler = handlers_[i].on_add;
            call_handler(handler, type_.resource, *now);
        }
        return;
    }
    ObjectPtr old = std::move(it->second);
    it->second = now;
    index_remove(key, *old);
    index_insert(key, *now);
    for (size_t i = 0; i < handlers_.size(); ++i) {
        auto handler = handlers_[i].on_update;
        call_handler(handler, type_.resource, *old, *now);
    }
}

void Informer::erase(const Object& event_object) {
    Object last = event_object;
    normalize(last);
    const auto key = object_key(last);
    if (auto rv = meta_string(last, "resourceVersion"); !rv.empty()) {
        resource_version_ = std::string(rv);
    }
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        return;  // never told of it: nothing to take back
    }
    index_remove(key, *it->second);
    cache_.erase(it);
    for (size_t i = 0; i < handlers_.size(); ++i) {
        auto handler = handlers_[i].on_delete;
        call_handler(handler, type_.resource, last);
    }
}

void Informer::replace(std::vector<Object> items, std::string resource_version) {
    std::set<std::string, std::less<>> listed;
    for (auto& item : items) {
        normalize(item);
        auto key = object_key(item);
        listed.insert(key);
        auto it = cache_.find(key);
        if (it != cache_.end() && meta_string(*it->second, "resourceVersion") ==
                                      meta_string(item, "resourceVersion")) {
            continue;  // unchanged
        }
        upsert(std::move(item));
    }
    std::vector<std::string> gone;
    for (const auto& [key, object] : cache_) {
        if (!listed.contains(key)) {
            gone.push_back(key);
        }
    }
    for (const auto& key : gone) {
        auto it = cache_.find(key);
        ObjectPtr last = std::move(it->second);
        index_remove(key, *last);
        cache_.erase(it);
        for (size_t i = 0; i < handlers_.size(); ++i) {
            auto handler = handlers_[i].on_delete;
            call_handler(handler, type_.resource, *last);
        }
    }
    resource_version_ = std::move(resource_version);
    if (!sync_->synced) {
        sync_->synced = true;
        sync_->waiters.notify_all();
    }
}

void Informer::index_insert(const std::string& key, const Object& object) {
    for (auto& [name, index] : indexes_) {
        for (auto& value : index.fn(object)) {
            index.entries[std::move(value)].insert(key);
        }
    }
}

void Informer::index_remove(const std::string& key, const Object& object) {
    for (auto& [name, index] : indexes_) {
        for (const auto& value : index.fn(object)) {
            auto entry = index.entries.find(value);
            if (entry == index.entries.end()) {
                continue;
            }
            entry->second.erase(key);
            if (entry->second.empty()) {
                index.entries.erase(entry);
            }
        }
    }
}

}  // namespace skiff::client
