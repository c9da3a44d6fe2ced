// EtcdServer: etcd's KV, Watch, Lease and Maintenance services on gRPC's callback API.
//
// No thread waits for a call. A unary method converts the request on gRPC's thread and spawns
// a coroutine on the store's executor that calls the store, fills the response and finishes
// the call from there. A stream is a reactor plus shared state: requests are handled on the
// executor one at a time (the next read starts once the previous request is answered), and
// responses are written one at a time, the rest queued, by whichever thread has one ready —
// the executor (a watch pump) or gRPC's thread completing the previous write. gRPC deletes a
// reactor after its OnDone, which follows Finish: the shared state keeps the reactor pointer
// under its mutex and clears it when it finishes the call, and whatever runs on the executor
// holds the shared state, never the reactor. stop() waits for every task it spawned.
#include "skiff/etcd/etcd_server.h"

#include "convert.h"
#include "rpc.grpc.pb.h"

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include "skiff/base/log.h"

namespace skiff::etcd {
namespace asio = boost::asio;
namespace log = base::log;
namespace pb = etcdserverpb;

namespace {

/// Responses queued for one watch stream before the stream is ended as too slow.
constexpr std::size_t kWatchQueueLimit = 10'000;
/// Queued event responses of one watch are merged into one message up to this size.
constexpr std::size_t kWatchMergeBytes = 1024 * 1024;
constexpr std::uint64_t kRaftTerm = 2;

grpc::Status to_grpc(const RpcError& e) {
    return grpc::Status(static_cast<grpc::StatusCode>(e.code), e.message);
}

grpc::Status to_grpc(const base::Status& s) {
    return to_grpc(from_status(s));
}

grpc::Status stopping_status() {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "skiff: the server is stopping");
}

grpc::Status cancelled_status() {
    return grpc::Status(grpc::StatusCode::CANCELLED, "skiff: the call was cancelled");
}

/// A stream stop() ends (any thread).
class OpenStream {
public:
    virtual ~OpenStream() = default;
    virtual void end(grpc::Status status) = 0;
};

}  // namespace

struct EtcdServer::Impl {
    Impl(asio::any_io_executor executor, store::Store& store, EtcdServerConfig config)
        : executor(std::move(executor)), store(store), config(std::move(config)) {}

    asio::any_io_executor executor;
    store::Store& store;
    EtcdServerConfig config;
    std::unique_ptr<grpc::Server> server;
    std::thread shutdown_thread;
    std::unique_ptr<grpc::Service> kv, watch, lease, maintenance;
    std::unique_ptr<grpc::CallbackGenericService> unknown;

    // Tasks on the executor (coroutines and posted handlers) that hold this Impl: stop() waits
    // for them. Incremented on any thread, decremented on the executor.
    std::atomic<std::int64_t> tasks{0};
    asio::steady_timer* idle = nullptr;  // executor only: set while stop() waits for tasks

    // Open streams, ended at stop() so that it need not wait for the grace period.
    std::mutex streams_mutex;
    std::unordered_map<OpenStream*, std::weak_ptr<OpenStream>> streams;  // guarded
    bool stopping = false;                                               // guarded

    /// False when the server is stopping: the stream should end at once.
    bool add_stream(const std::shared_ptr<OpenStream>& stream) {
        std::lock_guard lock(streams_mutex);
        if (stopping) {
            return false;
        }
        streams.emplace(stream.get(), stream);
        return true;
    }
    void remove_stream(OpenStream* stream) {
        std::lock_guard lock(streams_mutex);
        streams.erase(stream);
    }
    void end_streams() {
        std::vector<std::shared_ptr<OpenStream>> open;
        {
            std::lock_guard lock(streams_mutex);
            stopping = true;
            for (auto& [raw, weak] : streams) {
                if (auto stream = weak.lock()) {
                    open.push_back(std::move(stream));
                }
            }
        }
        // Outside the lock: ending a stream unregisters it.
        for (auto& stream : open) {
            stream->end(stopping_status());
        }
    }

    /// Any thread: runs `task` on the executor; stop() waits for it.
    void spawn(asio::awaitable<void> task) {
        tasks.fetch_add(1, std::memory_order_relaxed);
        asio::co_spawn(executor, std::move(task), [this](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    log::error("etcd server task failed", {{"error", ex.what()}});
                } catch (...) {
                    log::error("etcd server task failed");
                }
            }
            task_done();
        });
    }

    /// Any thread: runs `fn()` on the executor; stop() waits for it.
    template <typename Fn>
    void post(Fn fn) {
        tasks.fetch_add(1, std::memory_order_relaxed);
        asio::post(executor, [this, fn = std::move(fn)]() mutable {
            fn();
            task_done();
        });
    }

    /// On the executor, the last thing a task does.
    void task_done() {
        if (tasks.fetch_sub(1, std::memory_order_acq_rel) == 1 && idle != nullptr) {
            idle->cancel();
        }
    }

    void header(pb::ResponseHeader* h, std::int64_t revision) const {
        h->set_cluster_id(config.cluster_id);
        h->set_member_id(config.member_id);
        h->set_revision(revision);
        h->set_raft_term(kRaftTerm);
    }
};

namespace {

using Impl = EtcdServer::Impl;

/// On the executor: awaits `call(store)`, lets `respond(result, revision)` fill the response
/// (revision: the store's right after the call) and finishes the call with its status.
/// `impl` outlives the task (stop() waits for it); `reactor` until Finish.
template <typename Call, typename Respond>
asio::awaitable<void> unary(Impl& impl, grpc::ServerUnaryReactor* reactor, Call call,
                            Respond respond) {
    grpc::Status status;
    try {
        auto task = call(impl.store);
        auto result = co_await std::move(task);
        status = respond(result, impl.store.current_revision());
    } catch (const std::exception& e) {
        status = grpc::Status(grpc::StatusCode::INTERNAL, std::string("skiff: ") + e.what());
    } catch (...) {
        status = grpc::Status(grpc::StatusCode::INTERNAL, "skiff: unexpected failure");
    }
    reactor->Finish(std::move(status));  // also when the call failed: gRPC waits for it
}

class KvService final : public pb::KV::CallbackService {
public:
    explicit KvService(Impl& impl) : impl_(impl) {}

    /// How a KV call answers: the store's error, or its response converted with to_pb and
    /// the header at the response's revision.
    template <typename StoreResponse, typename Response>
    auto answer(Response* response) {
        return [this, response](base::Result<StoreResponse>& result, std::int64_t) {
            if (!result.ok()) {
                return to_grpc(result.status());
            }
            to_pb(*result, response);
            impl_.header(response->mutable_header(), result->revision);
            return grpc::Status::OK;
        };
    }

    grpc::ServerUnaryReactor* Range(grpc::CallbackServerContext* context,
                                    const pb::RangeRequest* request,
                                    pb::RangeResponse* response) override {
        auto* reactor = context->DefaultReactor();
        store::RangeRequest r;
        if (auto e = to_store(*request, r)) {
            reactor->Finish(to_grpc(*e));
            return reactor;
        }
        impl_.spawn(unary(
            impl_, reactor,
            [r = std::move(r)](store::Store& s) mutable { return s.range(std::move(r)); },
            answer<store::RangeResponse>(response)));
        return reactor;
    }

    grpc::ServerUnaryReactor* Put(grpc::CallbackServerContext* context,
                                  const pb::PutRequest* request,
                                  pb::PutResponse* response) override {
        auto* reactor = context->DefaultReactor();
        store::PutRequest r;
        if (auto e = to_store(*request, r)) {
            reactor->Finish(to_grpc(*e));
            return reactor;
        }
        impl_.spawn(unary(
            impl_, reactor,
            [r = std::move(r)](store::Store& s) mutable { return s.put(std::move(r)); },
            answer<store::PutResponse>(response)));
        return reactor;
    }

    grpc::ServerUnaryReactor* DeleteRange(grpc::CallbackServerContext* context,
                                          const pb::DeleteRangeRequest* request,
                                          pb::DeleteRangeResponse* response) override {
        auto* reactor = context->DefaultReactor();
        impl_.spawn(unary(
            impl_, reactor,
            [r = to_store(*request)](store::Store& s) mutable {
                return s.delete_range(std::move(r));
            },
            answer<store::DeleteRangeResponse>(response)));
        return reactor;
    }

    grpc::ServerUnaryReactor* Txn(grpc::CallbackServerContext* context,
                                  const pb::TxnRequest* request,
                                  pb::TxnResponse* response) override {
        auto* reactor = context->DefaultReactor();
        store::TxnRequest r;
        if (auto e = to_store(*request, r)) {
            reactor->Finish(to_grpc(*e));
            return reactor;
        }
        impl_.spawn(unary(
            impl_, reactor,
            [r = std::move(r)](store::Store& s) mutable { return s.txn(std::move(r)); },
            [this, response](base::Result<store::TxnResponse>& result, std::int64_t) {
                if (!result.ok()) {
                    return to_grpc(result.status());
                }
                fill(*result, response);
                return grpc::Status::OK;
            }));
        return reactor;
    }

    grpc::ServerUnaryReactor* Compact(grpc::CallbackServerContext* context,
                                      const pb::CompactionRequest* request,
                                      pb::CompactionResponse* response) override {
        auto* reactor = context->DefaultReactor();
        impl_.spawn(unary(
            impl_, reactor, [rev = request->revision()](store::Store& s) { return s.compact(rev); },
            [this, response](base::Status& result, std::int64_t revision) {
                if (!result.ok()) {
                    return to_grpc(result);
                }
                impl_.header(response->mutable_header(), revision);
                return grpc::Status::OK;
            }));
        return reactor;
    }

private:
    void fill(const store::TxnResponse& result, pb::TxnResponse* response) {
        to_pb(result, response);
        impl_.header(response->mutable_header(), result.revision);
        for (auto& op : *response->mutable_responses()) {
            switch (op.response_case()) {
                case pb::ResponseOp::kResponseRange:
                    impl_.header(op.mutable_response_range()->mutable_header(), result.revision);
                    break;
                case pb::ResponseOp::kResponsePut:
                    impl_.header(op.mutable_response_put()->mutable_header(), result.revision);
                    break;
                case pb::ResponseOp::kResponseDeleteRange:
                    impl_.header(op.mutable_response_delete_range()->mutable_header(),
                                 result.revision);
                    break;
                default:
                    break;
            }
        }
    }

    Impl& impl_;
};

// ---- Watch ----

class WatchReactor;

/// One Watch stream's state, shared by its reactor and the tasks on the executor.
struct WatchStream final : OpenStream, std::enable_shared_from_this<WatchStream> {
    explicit WatchStream(Impl& impl) : impl(impl) {}

    /// A queued message: `responses` store batches merged into one WatchResponse.
    struct Queued {
        pb::WatchResponse response;
        std::size_t responses = 1;
        std::size_t bytes = 0;
        bool mergeable = false;
    };

    Impl& impl;

    // Guarded by mutex. `reactor` is null once the call is being finished: nothing touches
    // the reactor after that but the one Finish (gRPC deletes it after OnDone). StartRead and
    // StartWrite are called with the mutex held: gRPC never runs a reaction inline in them.
    std::mutex mutex;
    WatchReactor* reactor = nullptr;
    std::deque<Queued> queue;
    std::size_t queued = 0;      // store batches in `queue`, merged ones counted each
    std::uint64_t dequeued = 0;  // entries taken off the queue's front so far
    std::unordered_map<std::int64_t, std::uint64_t> last_entry;  // watch id → its last entry
    bool writing = false;
    pb::WatchResponse in_flight;   // gRPC's until OnWriteDone
    pb::WatchRequest read_buffer;  // gRPC's until OnReadDone

    // Executor only.
    std::map<std::int64_t, store::Watcher*> watchers;
    std::int64_t next_id = 0;
    bool closing = false;              // the call is finished: watches are cancelled
    std::int64_t pending_create = -1;  // the watch whose create is being answered; reads wait

    /// Any thread: queues `response` and writes it when no write is outstanding.
    void send(pb::WatchResponse response);
    /// Any thread: starts the next read.
    void read();
    /// From OnWriteDone.
    void write_done(bool ok);
    /// Any thread, once takes effect: finishes the call and cancels the watches.
    void finish(grpc::Status status);
    void end(grpc::Status status) override { finish(std::move(status)); }

private:
    void enqueue(pb::WatchResponse response);  // mutex held
    void write_next();                         // mutex held, not writing, queue not empty
};

class WatchReactor final : public grpc::ServerBidiReactor<pb::WatchRequest, pb::WatchResponse> {
public:
    explicit WatchReactor(Impl& impl) : stream_(std::make_shared<WatchStream>(impl)) {
        stream_->reactor = this;
        if (!impl.add_stream(stream_)) {
            stream_->finish(stopping_status());
            return;
        }
        stream_->read();
    }

    void OnReadDone(bool ok) override;
    void OnWriteDone(bool ok) override { stream_->write_done(ok); }
    void OnCancel() override { stream_->finish(cancelled_status()); }
    void OnDone() override { delete this; }

private:
    std::shared_ptr<WatchStream> stream_;
};

void WatchStream::read() {
    std::lock_guard lock(mutex);
    if (reactor != nullptr) {
        reactor->StartRead(&read_buffer);
    }
}

void WatchStream::send(pb::WatchResponse response) {
    {
        std::lock_guard lock(mutex);
        if (reactor == nullptr) {
            return;
        }
        if (queued < kWatchQueueLimit) {
            enqueue(std::move(response));
            if (!writing) {
                write_next();
            }
            return;
        }
    }
    finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "skiff: watch stream fell behind"));
}

void WatchStream::enqueue(pb::WatchResponse response) {
    const std::int64_t id = response.watch_id();
    const bool mergeable = response.events_size() > 0 && !response.created() &&
                           !response.canceled() && response.compact_revision() == 0;
    const std::size_t bytes = mergeable ? response.ByteSizeLong() : 0;
    ++queued;
    auto last = last_entry.find(id);
    if (mergeable && last != last_entry.end()) {
        // Events of one watch stay in order: only its last queued entry may take them.
        Queued& entry = queue[last->second - dequeued];
        if (entry.mergeable && entry.bytes + bytes <= kWatchMergeBytes) {
            for (auto& event : *response.mutable_events()) {
                *entry.response.add_events() = std::move(event);
            }
            entry.response.mutable_header()->set_revision(response.header().revision());
            entry.bytes += bytes;
            ++entry.responses;
            return;
        }
    }
    queue.push_back(Queued{std::move(response), 1, bytes, mergeable});
    last_entry[id] = dequeued + queue.size() - 1;
}

void WatchStream::write_next() {
    Queued& front = queue.front();
    in_flight = std::move(front.response);
    queued -= front.responses;
    if (auto last = last_entry.find(in_flight.watch_id());
        last != last_entry.end() && last->second == dequeued) {
        last_entry.erase(last);
    }
    queue.pop_front();
    ++dequeued;
    writing = true;
    reactor->StartWrite(&in_flight);
}

void WatchStream::write_done(bool ok) {
    {
        std::lock_guard lock(mutex);
        writing = false;
        if (reactor == nullptr) {
            return;
        }
        if (ok) {
            if (!queue.empty()) {
                write_next();
            }
            return;
        }
    }
    finish(cancelled_status());  // the client is gone
}

void close_watches(const std::shared_ptr<WatchStream>& stream);

void WatchStream::finish(grpc::Status status) {
    WatchReactor* finishing = nullptr;
    {
        std::lock_guard lock(mutex);
        std::swap(finishing, reactor);
        if (finishing == nullptr) {
            return;
        }
        queue.clear();
        last_entry.clear();
        queued = 0;
    }
    // Only this thread still has the pointer; the write in flight, if any, may complete.
    finishing->Finish(std::move(status));
    impl.remove_stream(this);
    impl.post([stream = shared_from_this()] { close_watches(stream); });
}

struct WatchOptions {
    std::int64_t id = 0;
    store::WatchRequest request;
    bool no_put = false;
    bool no_delete = false;
};

/// On the executor: watch `id`'s create was answered; the stream reads its next request.
void created(WatchStream& stream, std::int64_t id) {
    if (stream.pending_create == id) {
        stream.pending_create = -1;
        stream.read();
    }
}

/// On the executor: opens the store watch, answers the create, then forwards the watcher's
/// batches until it ends.
asio::awaitable<void> pump(std::shared_ptr<WatchStream> stream, WatchOptions options) {
    Impl& impl = stream->impl;
    std::exception_ptr error;
    try {
        auto opened = co_await impl.store.watch(std::move(options.request));
        pb::WatchResponse first;
        impl.header(first.mutable_header(), impl.store.current_revision());
        first.set_watch_id(options.id);
        first.set_created(true);
        if (!opened.ok()) {
            first.set_canceled(true);
            first.set_cancel_reason(from_status(opened.status()).message);
            stream->send(std::move(first));
            created(*stream, options.id);
            co_return;
        }
        std::unique_ptr<store::Watcher> watcher = std::move(*opened);
        stream->send(std::move(first));
        stream->watchers[options.id] = watcher.get();
        created(*stream, options.id);
        if (stream->closing) {
            watcher->cancel();
        }
        for (;;) {
            auto batch = co_await watcher->next();
            pb::WatchResponse response;
            response.set_watch_id(options.id);
            if (!batch.ok()) {
                impl.header(response.mutable_header(), impl.store.current_revision());
                response.set_canceled(true);
                if (watcher->compact_revision() != 0) {
                    response.set_compact_revision(watcher->compact_revision());
                    response.set_cancel_reason(from_status(batch.status()).message);
                } else if (batch.status().reason() != base::Reason::Gone) {
                    response.set_cancel_reason(from_status(batch.status()).message);
                }
                if (!stream->closing) {
                    stream->send(std::move(response));
                }
                break;
            }
            impl.header(response.mutable_header(), batch->revision);
            for (const auto& event : batch->events) {
                const bool put = event.type == store::Event::Type::Put;
                if ((put && options.no_put) || (!put && options.no_delete)) {
                    continue;
                }
                to_pb(event, response.add_events());
            }
            if (batch->progress || response.events_size() > 0) {
                stream->send(std::move(response));
            }
        }
    } catch (...) {
        error = std::current_exception();
    }
    stream->watchers.erase(options.id);
    created(*stream, options.id);
    if (error) {
        std::rethrow_exception(error);
    }
}

void create_watch(const std::shared_ptr<WatchStream>& stream, const pb::WatchCreateRequest& c) {
    if (c.watch_id() != 0 || c.fragment()) {
        pb::WatchResponse response;
        stream->impl.header(response.mutable_header(), 0);
        response.set_watch_id(-1);
        response.set_created(true);
        response.set_canceled(true);
        response.set_cancel_reason(c.watch_id() != 0
                                       ? "skiff: client-assigned watch ids are not supported"
                                       : "skiff: watch fragment is not supported");
        stream->send(std::move(response));
        stream->read();
        return;
    }
    WatchOptions options;
    options.id = stream->next_id++;
    options.request.key = c.key();
    options.request.range_end = c.range_end();
    options.request.start_revision = c.start_revision();
    options.request.prev_kv = c.prev_kv();
    options.request.progress_notify = c.progress_notify();
    for (int f : c.filters()) {
        options.no_put |= f == pb::WatchCreateRequest::NOPUT;
        options.no_delete |= f == pb::WatchCreateRequest::NODELETE;
    }
    // Creates are answered in order: the next read starts once the pump has answered this one.
    stream->pending_create = options.id;
    stream->impl.spawn(pump(stream, std::move(options)));
}

void request_progress(const std::shared_ptr<WatchStream>& stream) {
    if (stream->watchers.empty()) {
        pb::WatchResponse response;
        stream->impl.header(response.mutable_header(), stream->impl.store.current_revision());
        response.set_watch_id(-1);
        stream->send(std::move(response));
        return;
    }
    for (auto& [id, watcher] : stream->watchers) {
        watcher->request_progress();
    }
}

/// On the executor: one request read from the stream.
void handle_request(const std::shared_ptr<WatchStream>& stream, const pb::WatchRequest& request) {
    if (stream->closing) {
        return;
    }
    switch (request.request_union_case()) {
        case pb::WatchRequest::kCreateRequest:
            create_watch(stream, request.create_request());
            return;  // reads on once answered
        case pb::WatchRequest::kCancelRequest:
            if (auto it = stream->watchers.find(request.cancel_request().watch_id());
                it != stream->watchers.end()) {
                it->second->cancel();
            }
            break;
        case pb::WatchRequest::kProgressRequest:
            request_progress(stream);
            break;
        default:
            break;
    }
    stream->read();
}

void close_watches(const std::shared_ptr<WatchStream>& stream) {
    stream->closing = true;
    for (auto& [id, watcher] : stream->watchers) {
        watcher->cancel();
    }
}

void WatchReactor::OnReadDone(bool ok) {
    if (!ok) {
        stream_->finish(grpc::Status::OK);  // the client closed its side, or the call ended
        return;
    }
    pb::WatchRequest request;
    request.Swap(&stream_->read_buffer);
    stream_->impl.post(
        [stream = stream_, request = std::move(request)] { handle_request(stream, request); });
}

class WatchService final : public pb::Watch::CallbackService {
public:
    explicit WatchService(Impl& impl) : impl_(impl) {}

    grpc::ServerBidiReactor<pb::WatchRequest, pb::WatchResponse>* Watch(
        grpc::CallbackServerContext*) override {
        return new WatchReactor(impl_);
    }

private:
    Impl& impl_;
};

// ---- Lease ----

class KeepAliveReactor;

/// One LeaseKeepAlive stream: read a request, answer it from the executor, read the next.
struct KeepAliveStream final : OpenStream, std::enable_shared_from_this<KeepAliveStream> {
    explicit KeepAliveStream(Impl& impl) : impl(impl) {}

    Impl& impl;

    // Guarded by mutex; `reactor` as in WatchStream.
    std::mutex mutex;
    KeepAliveReactor* reactor = nullptr;
    pb::LeaseKeepAliveRequest request;    // gRPC's until OnReadDone
    pb::LeaseKeepAliveResponse response;  // gRPC's until OnWriteDone

    void read();
    void write(pb::LeaseKeepAliveResponse r);
    void finish(grpc::Status status);
    void end(grpc::Status status) override { finish(std::move(status)); }
};

/// On the executor: restarts the lease's TTL and answers (TTL 0 for an unknown lease, as etcd
/// does).
asio::awaitable<void> keep_alive(std::shared_ptr<KeepAliveStream> stream, std::int64_t id) {
    Impl& impl = stream->impl;
    try {
        auto result = co_await impl.store.lease_keep_alive(id);
        const std::int64_t revision = impl.store.current_revision();
        pb::LeaseKeepAliveResponse response;
        response.set_id(id);
        if (result.ok()) {
            response.set_ttl(*result);
        } else if (result.status().reason() != base::Reason::NotFound) {
            stream->finish(to_grpc(result.status()));
            co_return;
        }
        impl.header(response.mutable_header(), revision);
        stream->write(std::move(response));
    } catch (const std::exception& e) {
        stream->finish(grpc::Status(grpc::StatusCode::INTERNAL, std::string("skiff: ") + e.what()));
    } catch (...) {
        stream->finish(grpc::Status(grpc::StatusCode::INTERNAL, "skiff: unexpected failure"));
    }
}

class KeepAliveReactor final
    : public grpc::ServerBidiReactor<pb::LeaseKeepAliveRequest, pb::LeaseKeepAliveResponse> {
public:
    explicit KeepAliveReactor(Impl& impl) : stream_(std::make_shared<KeepAliveStream>(impl)) {
        stream_->reactor = this;
        if (!impl.add_stream(stream_)) {
            stream_->finish(stopping_status());
            return;
        }
        stream_->read();
    }

    void OnReadDone(bool ok) override {
        if (!ok) {
            stream_->finish(grpc::Status::OK);
            return;
        }
        stream_->impl.spawn(keep_alive(stream_, stream_->request.id()));
    }
    void OnWriteDone(bool ok) override {
        if (ok) {
            stream_->read();
        } else {
            stream_->finish(cancelled_status());
        }
    }
    void OnCancel() override { stream_->finish(cancelled_status()); }
    void OnDone() override { delete this; }

private:
    std::shared_ptr<KeepAliveStream> stream_;
};

void KeepAliveStream::read() {
    std::lock_guard lock(mutex);
    if (reactor != nullptr) {
        reactor->StartRead(&request);
    }
}

void KeepAliveStream::write(pb::LeaseKeepAliveResponse r) {
    std::lock_guard lock(mutex);
    if (reactor != nullptr) {
        response = std::move(r);
        reactor->StartWrite(&response);
    }
}

void KeepAliveStream::finish(grpc::Status status) {
    KeepAliveReactor* finishing = nullptr;
    {
        std::lock_guard lock(mutex);
        std::swap(finishing, reactor);
    }
    if (finishing != nullptr) {
        finishing->Finish(std::move(status));
        impl.remove_stream(this);
    }
}

class LeaseService final : public pb::Lease::CallbackService {
public:
    explicit LeaseService(Impl& impl) : impl_(impl) {}

    grpc::ServerUnaryReactor* LeaseGrant(grpc::CallbackServerContext* context,
                                         const pb::LeaseGrantRequest* request,
                                         pb::LeaseGrantResponse* response) override {
        auto* reactor = context->DefaultReactor();
        const std::int64_t ttl = std::max<std::int64_t>(request->ttl(), 1);
        impl_.spawn(unary(
            impl_, reactor,
            [ttl, id = request->id()](store::Store& s) { return s.lease_grant(ttl, id); },
            [this, response](base::Result<store::LeaseGrant>& result, std::int64_t revision) {
                if (!result.ok()) {
                    return to_grpc(result.status());
                }
                response->set_id(result->id);
                response->set_ttl(result->ttl);
                impl_.header(response->mutable_header(), revision);
                return grpc::Status::OK;
            }));
        return reactor;
    }

    grpc::ServerUnaryReactor* LeaseRevoke(grpc::CallbackServerContext* context,
                                          const pb::LeaseRevokeRequest* request,
                                          pb::LeaseRevokeResponse* response) override {
        auto* reactor = context->DefaultReactor();
        impl_.spawn(unary(
            impl_, reactor, [id = request->id()](store::Store& s) { return s.lease_revoke(id); },
            [this, response](base::Status& result, std::int64_t revision) {
                if (!result.ok()) {
                    return to_grpc(result);
                }
                impl_.header(response->mutable_header(), revision);
                return grpc::Status::OK;
            }));
        return reactor;
    }

    grpc::ServerBidiReactor<pb::LeaseKeepAliveRequest, pb::LeaseKeepAliveResponse>* LeaseKeepAlive(
        grpc::CallbackServerContext*) override {
        return new KeepAliveReactor(impl_);
    }

    grpc::ServerUnaryReactor* LeaseTimeToLive(grpc::CallbackServerContext* context,
                                              const pb::LeaseTimeToLiveRequest* request,
                                              pb::LeaseTimeToLiveResponse* response) override {
        auto* reactor = context->DefaultReactor();
        const std::int64_t id = request->id();
        impl_.spawn(unary(
            impl_, reactor,
            [id, keys = request->keys()](store::Store& s) {
                return s.lease_time_to_live(id, keys);
            },
            [this, response, id](base::Result<store::LeaseTimeToLive>& result,
                                 std::int64_t revision) {
                response->set_id(id);
                if (result.ok()) {
                    response->set_ttl(result->ttl);
                    response->set_grantedttl(result->granted_ttl);
                    for (const auto& key : result->keys) {
                        response->add_keys(key);
                    }
                } else if (result.status().reason() == base::Reason::NotFound) {
                    response->set_ttl(-1);  // etcd's answer for an expired or unknown lease
                } else {
                    return to_grpc(result.status());
                }
                impl_.header(response->mutable_header(), revision);
                return grpc::Status::OK;
            }));
        return reactor;
    }

    grpc::ServerUnaryReactor* LeaseLeases(grpc::CallbackServerContext* context,
                                          const pb::LeaseLeasesRequest*,
                                          pb::LeaseLeasesResponse*) override {
        auto* reactor = context->DefaultReactor();
        reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                     "skiff: listing leases (LeaseLeases) is not supported"));
        return reactor;
    }

private:
    Impl& impl_;
};

class MaintenanceService final : public pb::Maintenance::CallbackService {
public:
    explicit MaintenanceService(Impl& impl) : impl_(impl) {}

    grpc::ServerUnaryReactor* Status(grpc::CallbackServerContext* context, const pb::StatusRequest*,
                                     pb::StatusResponse* response) override {
        auto* reactor = context->DefaultReactor();
        impl_.spawn(unary(
            impl_, reactor, [](store::Store& s) { return s.status(); },
            [this, response](base::Result<store::StoreStatus>& result, std::int64_t) {
                if (!result.ok()) {
                    return to_grpc(result.status());
                }
                const auto& st = *result;
                impl_.header(response->mutable_header(), st.revision);
                response->set_version(impl_.config.version);
                response->set_dbsize(st.db_size);
                response->set_dbsizeinuse(st.db_size);
                response->set_leader(impl_.config.member_id);
                response->set_raftindex(static_cast<std::uint64_t>(st.revision));
                response->set_raftappliedindex(static_cast<std::uint64_t>(st.revision));
                response->set_raftterm(kRaftTerm);
                return grpc::Status::OK;
            }));
        return reactor;
    }

private:
    Impl& impl_;
};

/// Every method no service above declares (MemberList, Snapshot, Defragment, Auth...):
/// UNIMPLEMENTED with the method's name, where gRPC's own answer has no message.
class UnknownMethods final : public grpc::CallbackGenericService {
    class Reactor final : public grpc::ServerGenericBidiReactor {
    public:
        explicit Reactor(const std::string& method) {
            Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                "skiff: etcd method " + method + " is not supported"));
        }
        void OnDone() override { delete this; }
    };

public:
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override {
        return new Reactor(context->method());
    }
};

}  // namespace

std::string grpc_address(std::string_view listen) {
    if (listen.starts_with("unix:")) {
        return std::string(listen);
    }
    if (listen.starts_with("/")) {
        return "unix:" + std::string(listen);
    }
    return std::string(listen);
}

EtcdServer::EtcdServer(asio::any_io_executor executor, store::Store& store, EtcdServerConfig config)
    : impl_(std::make_unique<Impl>(std::move(executor), store, std::move(config))) {}

EtcdServer::~EtcdServer() {
    if (impl_->shutdown_thread.joinable()) {
        impl_->shutdown_thread.join();
    }
}

base::Result<std::string> EtcdServer::start() {
    impl_->kv = std::make_unique<KvService>(*impl_);
    impl_->watch = std::make_unique<WatchService>(*impl_);
    impl_->lease = std::make_unique<LeaseService>(*impl_);
    impl_->maintenance = std::make_unique<MaintenanceService>(*impl_);
    impl_->unknown = std::make_unique<UnknownMethods>();
    const std::string address = grpc_address(impl_->config.listen);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
    builder.SetMaxReceiveMessageSize(8 * 1024 * 1024);  // a bit above etcd's 1.5 MiB requests
    // gRPC sets SO_REUSEPORT by default: a second server on the port would share its traffic
    // instead of failing to bind.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.RegisterService(impl_->kv.get());
    builder.RegisterService(impl_->watch.get());
    builder.RegisterService(impl_->lease.get());
    builder.RegisterService(impl_->maintenance.get());
    builder.RegisterCallbackGenericService(impl_->unknown.get());
    impl_->server = builder.BuildAndStart();
    if (!impl_->server || port == 0) {
        impl_->server.reset();
        return base::internal_error("cannot listen on " + address);
    }
    if (address.starts_with("unix:")) {
        return address;
    }
    return address.substr(0, address.rfind(':') + 1) + std::to_string(port);
}

asio::awaitable<void> EtcdServer::stop() {
    if (!impl_->server) {
        co_return;
    }
    Impl* impl = impl_.get();
    // gRPC's Shutdown waits for the calls in flight, which finish on the executor: it runs on
    // a thread of its own while this coroutine is suspended.
    co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
        [impl](auto handler) {
            auto work = asio::make_work_guard(impl->executor);
            impl->shutdown_thread =
                std::thread([impl, work = std::move(work), handler = std::move(handler)]() mutable {
                    impl->end_streams();
                    impl->server->Shutdown(std::chrono::system_clock::now() +
                                           impl->config.shutdown_grace);
                    impl->server->Wait();
                    auto ex = asio::get_associated_executor(handler, impl->executor);
                    asio::post(ex, std::move(handler));
                    work.reset();
                });
        },
        asio::use_awaitable);
    impl_->shutdown_thread.join();
    // Every call is done; the tasks they left on the executor (watch pumps ending after their
    // watchers were cancelled) still hold the Impl.
    asio::steady_timer idle(impl->executor, asio::steady_timer::time_point::max());
    impl->idle = &idle;
    while (impl->tasks.load(std::memory_order_acquire) > 0) {
        co_await idle.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    impl->idle = nullptr;
    impl_->server.reset();
}

}  // namespace skiff::etcd
