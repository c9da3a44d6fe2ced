// EtcdServer: etcd's KV, Watch, Lease and Maintenance services on gRPC's synchronous server.
//
// gRPC runs each call on a thread of its own. A handler converts the request, then posts a
// coroutine to the store's executor and blocks on a future until it has the result, so the
// store is only touched there. A watch stream has two threads: the handler's writes queued
// responses, a second reads requests; one coroutine per watch (on the executor) pumps the
// store's watcher into the queue.
#include "skiff/etcd/etcd_server.h"

#include "convert.h"
#include "rpc.grpc.pb.h"

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
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
constexpr std::uint64_t kRaftTerm = 2;

grpc::Status to_grpc(const RpcError& e) {
    return grpc::Status(static_cast<grpc::StatusCode>(e.code), e.message);
}

grpc::Status to_grpc(const base::Status& s) {
    return to_grpc(from_status(s));
}

/// A store call's result and the store's revision right after it, both read on the executor.
template <typename T>
struct Called {
    T result;
    std::int64_t revision = 0;
};

template <typename Fn>
using CallValue = typename std::invoke_result_t<Fn&, store::Store&>::value_type;

/// Runs on the executor: awaits `fn(store)` and fulfils `promise`. `store` outlives the call
/// (EtcdServer's contract).
template <typename Fn>
asio::awaitable<void> fulfil(store::Store& store, Fn fn,
                             std::shared_ptr<std::promise<Called<CallValue<Fn>>>> promise) {
    try {
        auto task = fn(store);
        auto result = co_await std::move(task);
        const std::int64_t revision = store.current_revision();
        promise->set_value(Called<CallValue<Fn>>{std::move(result), revision});
    } catch (...) {
        promise->set_exception(std::current_exception());
    }
}

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

    // Open streams, cancelled at stop() so that it need not wait for the grace period.
    std::mutex streams_mutex;
    std::set<grpc::ServerContext*> streams;  // guarded by streams_mutex
    bool stopping = false;                   // guarded by streams_mutex

    /// False when the server is stopping: the stream should end at once.
    bool add_stream(grpc::ServerContext* context) {
        std::lock_guard lock(streams_mutex);
        if (stopping) {
            return false;
        }
        streams.insert(context);
        return true;
    }
    void remove_stream(grpc::ServerContext* context) {
        std::lock_guard lock(streams_mutex);
        streams.erase(context);
    }
    void cancel_streams() {
        std::lock_guard lock(streams_mutex);
        stopping = true;
        for (auto* context : streams) {
            context->TryCancel();
        }
    }

    /// From a gRPC thread: runs `fn(store)` (returning an awaitable) on the executor and waits.
    template <typename Fn>
    Called<CallValue<Fn>> call(Fn fn) {
        auto promise = std::make_shared<std::promise<Called<CallValue<Fn>>>>();
        auto future = promise->get_future();
        asio::co_spawn(executor, fulfil(store, std::move(fn), promise), [](std::exception_ptr) {});
        return future.get();
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

/// Registers a stream for cancellation at stop() while in scope.
class StreamRegistration {
public:
    StreamRegistration(Impl& impl, grpc::ServerContext* context)
        : impl_(impl), context_(context), active_(impl.add_stream(context)) {}
    ~StreamRegistration() { impl_.remove_stream(context_); }
    StreamRegistration(const StreamRegistration&) = delete;
    StreamRegistration& operator=(const StreamRegistration&) = delete;
    bool active() const { return active_; }

private:
    Impl& impl_;
    grpc::ServerContext* context_;
    bool active_;
};

grpc::Status stopping_status() {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "skiff: the server is stopping");
}

class KvService final : public pb::KV::Service {
public:
    explicit KvService(Impl& impl) : impl_(impl) {}

    grpc::Status Range(grpc::ServerContext*, const pb::RangeRequest* request,
                       pb::RangeResponse* response) override {
        store::RangeRequest r;
        if (auto e = to_store(*request, r)) {
            return to_grpc(*e);
        }
        auto called = impl_.call(
            [r = std::move(r)](store::Store& s) mutable { return s.range(std::move(r)); });
        if (!called.result.ok()) {
            return to_grpc(called.result.status());
        }
        to_pb(*called.result, response);
        impl_.header(response->mutable_header(), called.result->revision);
        return grpc::Status::OK;
    }

    grpc::Status Put(grpc::ServerContext*, const pb::PutRequest* request,
                     pb::PutResponse* response) override {
        store::PutRequest r;
        if (auto e = to_store(*request, r)) {
            return to_grpc(*e);
        }
        auto called =
            impl_.call([r = std::move(r)](store::Store& s) mutable { return s.put(std::move(r)); });
        if (!called.result.ok()) {
            return to_grpc(called.result.status());
        }
        to_pb(*called.result, response);
        impl_.header(response->mutable_header(), called.result->revision);
        return grpc::Status::OK;
    }

    grpc::Status DeleteRange(grpc::ServerContext*, const pb::DeleteRangeRequest* request,
                             pb::DeleteRangeResponse* response) override {
        auto called = impl_.call([r = to_store(*request)](store::Store& s) mutable {
            return s.delete_range(std::move(r));
        });
        if (!called.result.ok()) {
            return to_grpc(called.result.status());
        }
        to_pb(*called.result, response);
        impl_.header(response->mutable_header(), called.result->revision);
        return grpc::Status::OK;
    }

    grpc::Status Txn(grpc::ServerContext*, const pb::TxnRequest* request,
                     pb::TxnResponse* response) override {
        store::TxnRequest r;
        if (auto e = to_store(*request, r)) {
            return to_grpc(*e);
        }
        auto called =
            impl_.call([r = std::move(r)](store::Store& s) mutable { return s.txn(std::move(r)); });
        if (!called.result.ok()) {
            return to_grpc(called.result.status());
        }
        to_pb(*called.result, response);
        impl_.header(response->mutable_header(), called.result->revision);
        for (auto& op : *response->mutable_responses()) {
            switch (op.response_case()) {
                case pb::ResponseOp::kResponseRange:
                    impl_.header(op.mutable_response_range()->mutable_header(),
                                 called.result->revision);
                    break;
                case pb::ResponseOp::kResponsePut:
                    impl_.header(op.mutable_response_put()->mutable_header(),
                                 called.result->revision);
                    break;
                case pb::ResponseOp::kResponseDeleteRange:
                    impl_.header(op.mutable_response_delete_range()->mutable_header(),
                                 called.result->revision);
                    break;
                default:
                    break;
            }
        }
        return grpc::Status::OK;
    }

    grpc::Status Compact(grpc::ServerContext*, const pb::CompactionRequest* request,
                         pb::CompactionResponse* response) override {
        auto called =
            impl_.call([rev = request->revision()](store::Store& s) { return s.compact(rev); });
        if (!called.result.ok()) {
            return to_grpc(called.result);
        }
        impl_.header(response->mutable_header(), called.revision);
        return grpc::Status::OK;
    }

private:
    Impl& impl_;
};

/// One Watch stream: the response queue (any thread) and the watches (executor only).
struct WatchStream {
    explicit WatchStream(Impl& impl) : impl(impl) {}

    Impl& impl;

    std::mutex mutex;
    std::condition_variable cv;
    std::deque<pb::WatchResponse> queue;  // guarded by mutex
    bool closed = false;                  // guarded by mutex
    bool overflowed = false;              // guarded by mutex
    int pumps = 0;                        // guarded by mutex

    std::map<std::int64_t, store::Watcher*> watchers;  // executor only
    bool closing = false;                              // executor only

    void push(pb::WatchResponse response) {
        std::lock_guard lock(mutex);
        if (closed) {
            return;
        }
        if (queue.size() >= kWatchQueueLimit) {
            overflowed = true;
            closed = true;
        } else {
            queue.push_back(std::move(response));
        }
        cv.notify_all();
    }

    void pump_done() {
        std::lock_guard lock(mutex);
        --pumps;
        cv.notify_all();
    }
};

struct WatchOptions {
    std::int64_t id = 0;
    store::WatchRequest request;
    bool no_put = false;
    bool no_delete = false;
};

/// On the executor: opens the store watch, reports it created (then fulfils `created`), and
/// forwards its batches until it ends. `stream` is kept alive by the shared_ptr.
asio::awaitable<void> pump(std::shared_ptr<WatchStream> stream, WatchOptions options,
                           std::shared_ptr<std::promise<void>> created) {
    Impl& impl = stream->impl;
    auto opened = co_await impl.store.watch(std::move(options.request));
    pb::WatchResponse first;
    impl.header(first.mutable_header(), impl.store.current_revision());
    first.set_watch_id(options.id);
    first.set_created(true);
    if (!opened.ok()) {
        first.set_canceled(true);
        first.set_cancel_reason(from_status(opened.status()).message);
        stream->push(std::move(first));
        created->set_value();
        co_return;
    }
    std::unique_ptr<store::Watcher> watcher = std::move(*opened);
    stream->push(std::move(first));
    stream->watchers[options.id] = watcher.get();
    created->set_value();
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
                stream->push(std::move(response));
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
            stream->push(std::move(response));
        }
    }
    stream->watchers.erase(options.id);
}

void cancel_watch(std::shared_ptr<WatchStream> stream, std::int64_t id) {
    if (auto it = stream->watchers.find(id); it != stream->watchers.end()) {
        it->second->cancel();
    }
}

void request_progress(std::shared_ptr<WatchStream> stream) {
    if (stream->watchers.empty()) {
        pb::WatchResponse response;
        stream->impl.header(response.mutable_header(), stream->impl.store.current_revision());
        response.set_watch_id(-1);
        stream->push(std::move(response));
        return;
    }
    for (auto& [id, watcher] : stream->watchers) {
        watcher->request_progress();
    }
}

void close_watches(std::shared_ptr<WatchStream> stream) {
    stream->closing = true;
    for (auto& [id, watcher] : stream->watchers) {
        watcher->cancel();
    }
}

class WatchService final : public pb::Watch::Service {
public:
    explicit WatchService(Impl& impl) : impl_(impl) {}

    grpc::Status Watch(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<pb::WatchResponse, pb::WatchRequest>* rw) override {
        StreamRegistration registration(impl_, context);
        if (!registration.active()) {
            return stopping_status();
        }
        auto stream = std::make_shared<WatchStream>(impl_);
        std::thread reader([this, stream, rw] { read_requests(stream, rw); });
        bool write_failed = false;
        for (;;) {
            std::unique_lock lock(stream->mutex);
            stream->cv.wait(lock, [&] { return stream->closed || !stream->queue.empty(); });
            if (stream->closed) {
                break;
            }
            pb::WatchResponse response = std::move(stream->queue.front());
            stream->queue.pop_front();
            lock.unlock();
            if (!rw->Write(response)) {
                write_failed = true;
                break;
            }
        }
        bool overflowed = false;
        {
            std::lock_guard lock(stream->mutex);
            stream->closed = true;
            overflowed = stream->overflowed;
        }
        if (write_failed || overflowed) {
            context->TryCancel();  // unblocks the reader's Read
        }
        reader.join();
        asio::post(impl_.executor, [stream] { close_watches(stream); });
        {
            std::unique_lock lock(stream->mutex);
            stream->cv.wait(lock, [&] { return stream->pumps == 0; });
        }
        if (overflowed) {
            return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                "skiff: watch stream fell behind");
        }
        return grpc::Status::OK;
    }

private:
    void read_requests(std::shared_ptr<WatchStream> stream,
                       grpc::ServerReaderWriter<pb::WatchResponse, pb::WatchRequest>* rw) {
        std::int64_t next_id = 0;
        pb::WatchRequest request;
        while (rw->Read(&request)) {
            switch (request.request_union_case()) {
                case pb::WatchRequest::kCreateRequest:
                    create(stream, request.create_request(), next_id);
                    break;
                case pb::WatchRequest::kCancelRequest:
                    asio::post(impl_.executor, [stream, id = request.cancel_request().watch_id()] {
                        cancel_watch(stream, id);
                    });
                    break;
                case pb::WatchRequest::kProgressRequest:
                    asio::post(impl_.executor, [stream] { request_progress(stream); });
                    break;
                default:
                    break;
            }
        }
        std::lock_guard lock(stream->mutex);
        stream->closed = true;
        stream->cv.notify_all();
    }

    void create(const std::shared_ptr<WatchStream>& stream, const pb::WatchCreateRequest& c,
                std::int64_t& next_id) {
        if (c.watch_id() != 0 || c.fragment()) {
            pb::WatchResponse response;
            impl_.header(response.mutable_header(), 0);
            response.set_watch_id(-1);
            response.set_created(true);
            response.set_canceled(true);
            response.set_cancel_reason(c.watch_id() != 0
                                           ? "skiff: client-assigned watch ids are not supported"
                                           : "skiff: watch fragment is not supported");
            stream->push(std::move(response));
            return;
        }
        WatchOptions options;
        options.id = next_id++;
        options.request.key = c.key();
        options.request.range_end = c.range_end();
        options.request.start_revision = c.start_revision();
        options.request.prev_kv = c.prev_kv();
        options.request.progress_notify = c.progress_notify();
        for (int f : c.filters()) {
            options.no_put |= f == pb::WatchCreateRequest::NOPUT;
            options.no_delete |= f == pb::WatchCreateRequest::NODELETE;
        }
        {
            std::lock_guard lock(stream->mutex);
            ++stream->pumps;
        }
        auto created = std::make_shared<std::promise<void>>();
        auto done = created->get_future();
        asio::co_spawn(impl_.executor, pump(stream, std::move(options), created),
                       [stream, created](std::exception_ptr e) {
                           if (e) {
                               try {
                                   created->set_value();
                               } catch (const std::future_error&) {
                               }
                           }
                           stream->pump_done();
                       });
        // Creates are answered in order: wait until this one has been.
        done.wait();
    }

    Impl& impl_;
};

class LeaseService final : public pb::Lease::Service {
public:
    explicit LeaseService(Impl& impl) : impl_(impl) {}

    grpc::Status LeaseGrant(grpc::ServerContext*, const pb::LeaseGrantRequest* request,
                            pb::LeaseGrantResponse* response) override {
        const std::int64_t ttl = std::max<std::int64_t>(request->ttl(), 1);
        auto called = impl_.call(
            [ttl, id = request->id()](store::Store& s) { return s.lease_grant(ttl, id); });
        if (!called.result.ok()) {
            return to_grpc(called.result.status());
        }
        response->set_id(called.result->id);
        response->set_ttl(called.result->ttl);
        impl_.header(response->mutable_header(), called.revision);
        return grpc::Status::OK;
    }

    grpc::Status LeaseRevoke(grpc::ServerContext*, const pb::LeaseRevokeRequest* request,
                             pb::LeaseRevokeResponse* response) override {
        auto called =
            impl_.call([id = request->id()](store::Store& s) { return s.lease_revoke(id); });
        if (!called.result.ok()) {
            return to_grpc(called.result);
        }
        impl_.header(response->mutable_header(), called.revision);
        return grpc::Status::OK;
    }

    grpc::Status LeaseKeepAlive(grpc::ServerContext* context,
                                grpc::ServerReaderWriter<pb::LeaseKeepAliveResponse,
                                                         pb::LeaseKeepAliveRequest>* rw) override {
        StreamRegistration registration(impl_, context);
        if (!registration.active()) {
            return stopping_status();
        }
        pb::LeaseKeepAliveRequest request;
        while (rw->Read(&request)) {
            auto called =
                impl_.call([id = request.id()](store::Store& s) { return s.lease_keep_alive(id); });
            pb::LeaseKeepAliveResponse response;
            response.set_id(request.id());
            if (called.result.ok()) {
                response.set_ttl(*called.result);
            } else if (called.result.status().reason() != base::Reason::NotFound) {
                return to_grpc(called.result.status());
            }  // an unknown lease answers TTL 0, as etcd does
            impl_.header(response.mutable_header(), called.revision);
            if (!rw->Write(response)) {
                break;
            }
        }
        return grpc::Status::OK;
    }

    grpc::Status LeaseTimeToLive(grpc::ServerContext*, const pb::LeaseTimeToLiveRequest* request,
                                 pb::LeaseTimeToLiveResponse* response) override {
        auto called = impl_.call([id = request->id(), keys = request->keys()](store::Store& s) {
            return s.lease_time_to_live(id, keys);
        });
        response->set_id(request->id());
        if (called.result.ok()) {
            response->set_ttl(called.result->ttl);
            response->set_grantedttl(called.result->granted_ttl);
            for (const auto& key : called.result->keys) {
                response->add_keys(key);
            }
        } else if (called.result.status().reason() == base::Reason::NotFound) {
            response->set_ttl(-1);  // etcd's answer for an expired or unknown lease
        } else {
            return to_grpc(called.result.status());
        }
        impl_.header(response->mutable_header(), called.revision);
        return grpc::Status::OK;
    }

    grpc::Status LeaseLeases(grpc::ServerContext*, const pb::LeaseLeasesRequest*,
                             pb::LeaseLeasesResponse*) override {
        return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                            "skiff: listing leases (LeaseLeases) is not supported");
    }

private:
    Impl& impl_;
};

class MaintenanceService final : public pb::Maintenance::Service {
public:
    explicit MaintenanceService(Impl& impl) : impl_(impl) {}

    grpc::Status Status(grpc::ServerContext*, const pb::StatusRequest*,
                        pb::StatusResponse* response) override {
        auto called = impl_.call([](store::Store& s) { return s.status(); });
        if (!called.result.ok()) {
            return to_grpc(called.result.status());
        }
        const auto& st = *called.result;
        impl_.header(response->mutable_header(), st.revision);
        response->set_version(impl_.config.version);
        response->set_dbsize(st.db_size);
        response->set_dbsizeinuse(st.db_size);
        response->set_leader(impl_.config.member_id);
        response->set_raftindex(static_cast<std::uint64_t>(st.revision));
        response->set_raftappliedindex(static_cast<std::uint64_t>(st.revision));
        response->set_raftterm(kRaftTerm);
        return grpc::Status::OK;
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
    co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
        [impl](auto handler) {
            auto work = asio::make_work_guard(impl->executor);
            impl->shutdown_thread =
                std::thread([impl, work = std::move(work), handler = std::move(handler)]() mutable {
                    impl->cancel_streams();
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
    impl_->server.reset();
}

}  // namespace skiff::etcd
