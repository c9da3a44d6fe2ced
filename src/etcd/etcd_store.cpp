// EtcdStore: store::Store over etcd's v3 API with gRPC's callback client.
//
// gRPC completes calls on threads of its own. Every completion is posted back to the store's
// executor, so the store's state and its callers' coroutines are only touched there. A
// `Connection`, shared by the store and its watchers, owns the members' channels, says which
// member calls go to, and tracks the calls and streams in flight so that stop() can cancel them
// and wait until gRPC has finished with them.
#include "skiff/etcd/etcd_store.h"

#include "convert.h"
#include "rpc.grpc.pb.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <grpcpp/grpcpp.h>

#include "skiff/base/log.h"
#include "skiff/base/wake_signal.h"
#include "skiff/pki/files.h"
#include "skiff/store/errors.h"

namespace skiff::etcd {
namespace asio = boost::asio;
namespace log = base::log;
namespace pb = etcdserverpb;
using base::Result;
using base::Status;
using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

/// Responses a watch stream reads ahead of its caller; then gRPC's flow control holds etcd back.
constexpr std::size_t kWatchReadAhead = 16;
constexpr auto kFirstPause = 25ms;
constexpr auto kMaxPause = 1s;

Status stopped_status() {
    return {base::Reason::ServiceUnavailable, "store is closed"};
}

Status from_grpc(const grpc::Status& s) {
    return to_status(static_cast<Code>(s.error_code()), s.error_message());
}

struct Member {
    std::string target;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pb::KV::Stub> kv;
    std::unique_ptr<pb::Watch::Stub> watch;
    std::unique_ptr<pb::Lease::Stub> lease;
    std::unique_ptr<pb::Maintenance::Stub> maintenance;
};

asio::awaitable<void> pause_for(SteadyClock::duration d) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

/// Something gRPC is working on that stop() must cancel: a call's context or a stream.
using Cancel = std::function<void()>;

class Connection {
public:
    Connection(asio::any_io_executor executor, EtcdStoreOptions options,
               std::vector<Member> members)
        : executor(std::move(executor)), options(std::move(options)), members(std::move(members)) {}
    ~Connection() { stop(); }

    const asio::any_io_executor executor;
    const EtcdStoreOptions options;
    std::vector<Member> members;

    std::size_t current() const { return current_.load(); }
    /// `member` failed a call: move on to the next one, unless another call already did.
    void failed(std::size_t member) {
        std::size_t expected = member;
        if (current_.compare_exchange_strong(expected, (member + 1) % members.size())) {
            log::info("etcd member unavailable, trying the next",
                      {{"member", members[member].target},
                       {"next", members[(member + 1) % members.size()].target}});
        }
    }

    /// Registers work gRPC will finish by calling done(id); false once stopped.
    std::optional<std::uint64_t> begin(Cancel cancel) {
        std::lock_guard lock(mu_);
        if (stopped_) {
            return std::nullopt;
        }
        const auto id = ++next_work_;
        work_.emplace(id, std::move(cancel));
        return id;
    }
    void done(std::uint64_t id) {
        std::lock_guard lock(mu_);
        work_.erase(id);
        idle_.notify_all();
    }
    bool stopped() const {
        std::lock_guard lock(mu_);
        return stopped_;
    }
    /// Cancels everything in flight and waits until gRPC has let go of it. Blocks briefly: gRPC
    /// answers a cancellation on its own threads without needing the executor.
    void stop() {
        std::vector<Cancel> cancels;
        {
            std::lock_guard lock(mu_);
            stopped_ = true;
            for (auto& [id, cancel] : work_) {
                cancels.push_back(cancel);
            }
        }
        for (auto& cancel : cancels) {  // outside the lock: gRPC may finish the work inline
            cancel();
        }
        std::unique_lock lock(mu_);
        idle_.wait(lock, [&] { return work_.empty(); });
    }

    std::int64_t next_watch_id() { return ++watch_ids_; }

private:
    std::atomic<std::size_t> current_{0};
    mutable std::mutex mu_;
    std::condition_variable idle_;
    bool stopped_ = false;
    std::uint64_t next_work_ = 0;
    std::map<std::uint64_t, Cancel> work_;
    std::int64_t watch_ids_ = 0;
};

using Done = std::function<void(grpc::Status)>;
template <typename Request, typename Response>
using Method = void (*)(Member&, grpc::ClientContext*, const Request*, Response*, Done);

/// One attempt of a unary call on `member`, completed on the executor.
template <typename Request, typename Response>
asio::awaitable<grpc::Status> attempt(const std::shared_ptr<Connection>& conn, std::size_t member,
                                      Method<Request, Response> method, const Request& request,
                                      Response& response) {
    struct Call {
        grpc::ClientContext ctx;
        Request request;
        Response response;
    };
    auto call = std::make_shared<Call>();
    call->request = request;
    call->ctx.set_deadline(std::chrono::system_clock::now() + conn->options.attempt_timeout);
    auto status = co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(grpc::Status)>(
        [&](auto handler) {
            auto h = std::make_shared<std::decay_t<decltype(handler)>>(std::move(handler));
            auto work = conn->begin([call] { call->ctx.TryCancel(); });
            if (!work) {
                asio::post(conn->executor, [h] {
                    std::move (*h)(grpc::Status(grpc::StatusCode::CANCELLED, "store is closed"));
                });
                return;
            }
            // The context is released on the executor, after gRPC has finished with it; and
            // the connection outlives the call (its end waits for done()).
            method(conn->members[member], &call->ctx, &call->request, &call->response,
                   [c = conn.get(), call, h, id = *work](grpc::Status s) mutable {
                       asio::post(c->executor, [h = std::move(h), s, call = std::move(call)] {
                           std::move (*h)(s);
                       });
                       c->done(id);
                   });
        },
        asio::use_awaitable);
    response = std::move(call->response);
    co_return status;
}

/// Reads one LeaseKeepAlive response, then ends the stream. Deletes itself in OnDone.
class KeepAliveOnce final : public grpc::ClientBidiReactor<pb::LeaseKeepAliveRequest,
                                                            pb::LeaseKeepAliveResponse> {
public:
    using Finished = std::function<void(grpc::Status, std::optional<pb::LeaseKeepAliveResponse>)>;

    static void start(Connection& conn, std::size_t member, std::int64_t id, Finished finished) {
        auto ctx = std::make_shared<grpc::ClientContext>();
        auto work = conn.begin([ctx] { ctx->TryCancel(); });
        if (!work) {
            finished(grpc::Status(grpc::StatusCode::CANCELLED, "store is closed"), std::nullopt);
            return;
        }
        auto* self = new KeepAliveOnce(conn, std::move(ctx), *work, std::move(finished));
        self->request_.set_id(id);
        self->ctx_->set_deadline(std::chrono::system_clock::now() + conn.options.attempt_timeout);
        conn.members[member].lease->async()->LeaseKeepAlive(self->ctx_.get(), self);
        self->StartWrite(&self->request_);
        self->StartRead(&self->response_);
        self->StartCall();
    }

    void OnReadDone(bool ok) override {
        read_ok_ = ok;
        ctx_->TryCancel();  // one answer is all we wanted
    }
    void OnDone(const grpc::Status& status) override {
        if (read_ok_) {
            finished_(grpc::Status::OK, response_);
        } else {
            finished_(status.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "stream ended")
                                  : status,
                      std::nullopt);
        }
        conn_.done(work_);
        delete this;
    }

private:
    KeepAliveOnce(Connection& conn, std::shared_ptr<grpc::ClientContext> ctx, std::uint64_t work,
                  Finished finished)
        : conn_(conn), ctx_(std::move(ctx)), work_(work), finished_(std::move(finished)) {}

    Connection& conn_;  // outlives the stream: its end waits for done()
    std::shared_ptr<grpc::ClientContext> ctx_;
    std::uint64_t work_;
    Finished finished_;
    pb::LeaseKeepAliveRequest request_;
    pb::LeaseKeepAliveResponse response_;
    bool read_ok_ = false;
};

/// One Watch stream carrying one watch. gRPC calls the reactions on its threads; the watcher
/// takes responses on the executor. The stream keeps itself alive until OnDone.
///
/// Holds keep OnDone away while operations may still be started: the base hold until the
/// stream has ended (a read failed) or the watcher closed it, and one more for each read or
/// write started outside a reaction, until its reaction.
class WatchStream final : public grpc::ClientBidiReactor<pb::WatchRequest, pb::WatchResponse>,
                          public std::enable_shared_from_this<WatchStream> {
public:
    struct Taken {
        std::optional<pb::WatchResponse> response;
        std::optional<grpc::Status> finished;  // the stream ended (no more responses)
    };

    static std::shared_ptr<WatchStream> start(Connection& conn, std::size_t member,
                                              pb::WatchRequest create) {
        auto self = std::shared_ptr<WatchStream>(new WatchStream(conn));
        auto work = conn.begin([self] { self->close(); });
        if (!work) {
            self->finished_ = grpc::Status(grpc::StatusCode::CANCELLED, "store is closed");
            self->base_hold_ = false;
            return self;
        }
        self->work_ = *work;
        self->self_ = self;
        self->ctx_.AddMetadata("hasleader", "true");  // a member without a leader ends the watch
        self->write_ = std::move(create);
        self->writing_ = true;
        self->reading_ = true;
        conn.members[member].watch->async()->Watch(&self->ctx_, self.get());
        self->AddHold();
        self->StartWrite(&self->write_);
        self->StartRead(&self->read_);
        self->StartCall();
        return self;
    }

    /// On the executor: the next response, or how the stream ended, or neither (wait()).
    Taken take() {
        Taken out;
        bool read = false;
        {
            std::lock_guard lock(mu_);
            if (!responses_.empty()) {
                out.response = std::move(responses_.front());
                responses_.pop_front();
            } else if (finished_) {
                out.finished = finished_;
            }
            if (!reading_ && base_hold_ && responses_.size() < kWatchReadAhead) {
                reading_ = read = read_hold_ = true;
                AddHold();
            }
        }
        if (read) {
            StartRead(&read_);
        }
        return out;
    }
    asio::awaitable<void> wait() { co_await signal_.wait(); }
    /// On the executor: wakes a wait().
    void notify() { signal_.notify(); }

    /// On the executor.
    void request_progress() {
        pb::WatchRequest r;
        r.mutable_progress_request();
        bool write = false;
        {
            std::lock_guard lock(mu_);
            if (!base_hold_) {
                return;
            }
            if (writing_) {
                writes_.push_back(std::move(r));
            } else {
                write_ = std::move(r);
                writing_ = write = write_hold_ = true;
                AddHold();
            }
        }
        if (write) {
            StartWrite(&write_);
        }
    }

    /// The watcher is done with the stream: cancel it and let it end.
    void close() {
        ctx_.TryCancel();
        release_base_hold();
    }

    void OnReadDone(bool ok) override {
        bool more = false;
        bool release = false;
        {
            std::lock_guard lock(mu_);
            if (ok) {
                responses_.push_back(std::move(read_));
                read_.Clear();
                more = responses_.size() < kWatchReadAhead;
            }
            reading_ = more;
            release = std::exchange(read_hold_, false);
        }
        if (more) {
            StartRead(&read_);
        }
        if (ok) {
            wake();
        } else {
            release_base_hold();
        }
        if (release) {
            RemoveHold();
        }
    }
    void OnWriteDone(bool ok) override {
        bool write = false;
        bool release = false;
        {
            std::lock_guard lock(mu_);
            writing_ = false;
            if (ok && !writes_.empty()) {
                write_ = std::move(writes_.front());
                writes_.pop_front();
                writing_ = write = true;
            }
            release = std::exchange(write_hold_, false);
        }
        if (write) {
            StartWrite(&write_);
        }
        if (release) {
            RemoveHold();
        }
    }
    void OnDone(const grpc::Status& status) override {
        {
            std::lock_guard lock(mu_);
            finished_ = status.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                                   "watch stream ended")
                                    : status;
        }
        wake();
        conn_.done(work_);
        self_.reset();  // may destroy this: last
    }

private:
    explicit WatchStream(Connection& conn) : conn_(conn) {}

    void wake() {
        asio::post(conn_.executor, [self = shared_from_this()] { self->signal_.notify(); });
    }
    void release_base_hold() {
        {
            std::lock_guard lock(mu_);
            if (!std::exchange(base_hold_, false)) {
                return;
            }
        }
        RemoveHold();
    }

    Connection& conn_;  // outlives the stream: its end waits for done()
    std::shared_ptr<WatchStream> self_;  // set while gRPC owns the stream
    std::uint64_t work_ = 0;
    grpc::ClientContext ctx_;
    pb::WatchResponse read_;
    pb::WatchRequest write_;
    base::WakeSignal signal_;  // executor only

    std::mutex mu_;
    std::deque<pb::WatchResponse> responses_;
    std::deque<pb::WatchRequest> writes_;
    bool reading_ = false;
    bool writing_ = false;
    bool base_hold_ = true;
    bool read_hold_ = false;
    bool write_hold_ = false;
    std::optional<grpc::Status> finished_;
};

/// A member that died, lost its leader or hung: another member (or a new leader) may answer.
bool retryable(const grpc::Status& s) {
    return s.error_code() == grpc::StatusCode::UNAVAILABLE ||
           s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

/// A watch's state, shared by the EtcdWatcher handle and its next() in progress, so that
/// destroying the handle while next() waits ends that next() safely.
class WatchState {
public:
    WatchState(std::shared_ptr<Connection> conn, store::WatchRequest request)
        : conn_(std::move(conn)), request_(std::move(request)), id_(conn_->next_watch_id()) {
        next_revision_ = request_.start_revision;
    }
    ~WatchState() {
        if (stream_) {
            stream_->close();
        }
    }

    /// Opens the stream and waits for etcd to confirm the watch, so that a watch "from now"
    /// sees every write made after this returns.
    asio::awaitable<Status> open() {
        for (;;) {
            auto r = co_await next_response();
            if (!r.ok()) {
                co_return r.status();
            }
            if (r->created()) {
                if (next_revision_ == 0) {
                    next_revision_ = r->header().revision() + 1;
                }
                if (!r->canceled()) {
                    co_return Status{};
                }
            }
            if (auto ended = handle_cancel(*r)) {
                co_return *ended;
            }
        }
    }

    asio::awaitable<Result<store::WatchBatch>> next() {
        for (;;) {
            auto r = co_await next_response();
            if (!r.ok()) {
                co_return r.status();
            }
            if (auto ended = handle_cancel(*r)) {
                co_return *ended;
            }
            if (r->created()) {
                continue;  // a re-created watch confirming itself
            }
            store::WatchBatch batch;
            batch.revision = r->header().revision();
            if (r->events_size() == 0) {
                batch.progress = true;
                progress_pending_ = false;
                next_revision_ = std::max(next_revision_, batch.revision + 1);
                co_return batch;
            }
            for (const auto& e : r->events()) {
                batch.events.push_back(to_store(e));
            }
            next_revision_ = batch.events.back().kv.mod_revision + 1;
            co_return batch;
        }
    }

    void request_progress() {
        progress_pending_ = true;  // asked again of a re-created stream until answered
        if (stream_) {
            stream_->request_progress();
        }
    }
    /// Ends the watch; a next() waiting on the executor returns Gone.
    void cancel() {
        end(Status(base::Reason::Gone, "watch cancelled"));
        if (stream_) {
            stream_->close();
            stream_->notify();
        }
    }
    std::int64_t id() const { return id_; }
    std::int64_t compact_revision() const { return compact_revision_; }

private:
    void end(Status status) {
        if (!ended_) {
            ended_ = std::move(status);
        }
    }

    /// A cancellation by etcd ends the watch: compaction → Expired; otherwise an error.
    std::optional<Status> handle_cancel(const pb::WatchResponse& r) {
        if (!r.canceled()) {
            return std::nullopt;
        }
        if (r.compact_revision() > 0) {
            compact_revision_ = r.compact_revision();
            end(store::compacted_error());
        } else {
            end(Status(base::Reason::ServiceUnavailable,
                       "etcd cancelled the watch: " + r.cancel_reason()));
        }
        return ended_;
    }

    pb::WatchRequest create_request() const {
        pb::WatchRequest r;
        auto* c = r.mutable_create_request();
        c->set_key(request_.key);
        c->set_range_end(request_.range_end);
        c->set_start_revision(next_revision_);
        c->set_prev_kv(request_.prev_kv);
        c->set_progress_notify(request_.progress_notify);
        return r;
    }

    /// The next response of the watch, re-creating the stream on another member (from the
    /// next revision) when its member fails.
    asio::awaitable<Result<pb::WatchResponse>> next_response() {
        auto pause = SteadyClock::duration(kFirstPause);
        std::optional<SteadyClock::time_point> deadline;
        for (;;) {
            if (ended_) {
                co_return *ended_;
            }
            if (conn_->stopped()) {
                end(stopped_status());
                continue;
            }
            if (!stream_) {
                member_ = conn_->current();
                stream_ = WatchStream::start(*conn_, member_, create_request());
                if (progress_pending_) {
                    stream_->request_progress();
                }
            }
            auto taken = stream_->take();
            if (taken.response) {
                deadline.reset();
                co_return std::move(*taken.response);
            }
            if (!taken.finished) {
                co_await stream_->wait();
                continue;
            }
            stream_.reset();
            const grpc::Status& s = *taken.finished;
            if (conn_->stopped()) {
                continue;
            }
            if (!deadline) {
                deadline = SteadyClock::now() + conn_->options.retry_budget;
            }
            if (!retryable(s) || SteadyClock::now() + pause > *deadline) {
                end(from_grpc(s));
                continue;
            }
            log::debug(1, "etcd watch stream ended, re-creating it",
                       {{"watch", id_},
                        {"member", conn_->members[member_].target},
                        {"error", s.error_message()},
                        {"revision", next_revision_}});
            conn_->failed(member_);
            co_await pause_for(pause);
            pause = std::min<SteadyClock::duration>(pause * 2, kMaxPause);
        }
    }

    std::shared_ptr<Connection> conn_;
    store::WatchRequest request_;
    const std::int64_t id_;
    std::int64_t next_revision_ = 0;  // where a re-created stream starts
    std::int64_t compact_revision_ = 0;
    bool progress_pending_ = false;
    std::optional<Status> ended_;
    std::shared_ptr<WatchStream> stream_;
    std::size_t member_ = 0;
};

class EtcdWatcher final : public store::Watcher {
public:
    explicit EtcdWatcher(std::shared_ptr<WatchState> state) : state_(std::move(state)) {}
    ~EtcdWatcher() override { state_->cancel(); }

    asio::awaitable<Result<store::WatchBatch>> next() override {
        auto state = state_;  // keeps the state alive if this handle is destroyed meanwhile
        co_return co_await state->next();
    }
    void request_progress() override { state_->request_progress(); }
    void cancel() override { state_->cancel(); }
    std::int64_t id() const override { return state_->id(); }
    std::int64_t compact_revision() const override { return state_->compact_revision(); }

private:
    std::shared_ptr<WatchState> state_;
};

// The unary methods, as plain functions for attempt().
void kv_range(Member& m, grpc::ClientContext* c, const pb::RangeRequest* q, pb::RangeResponse* r,
              Done d) {
    m.kv->async()->Range(c, q, r, std::move(d));
}
void kv_txn(Member& m, grpc::ClientContext* c, const pb::TxnRequest* q, pb::TxnResponse* r,
            Done d) {
    m.kv->async()->Txn(c, q, r, std::move(d));
}
void kv_compact(Member& m, grpc::ClientContext* c, const pb::CompactionRequest* q,
                pb::CompactionResponse* r, Done d) {
    m.kv->async()->Compact(c, q, r, std::move(d));
}
void lease_grant(Member& m, grpc::ClientContext* c, const pb::LeaseGrantRequest* q,
                 pb::LeaseGrantResponse* r, Done d) {
    m.lease->async()->LeaseGrant(c, q, r, std::move(d));
}
void lease_revoke(Member& m, grpc::ClientContext* c, const pb::LeaseRevokeRequest* q,
                  pb::LeaseRevokeResponse* r, Done d) {
    m.lease->async()->LeaseRevoke(c, q, r, std::move(d));
}
void lease_ttl(Member& m, grpc::ClientContext* c, const pb::LeaseTimeToLiveRequest* q,
               pb::LeaseTimeToLiveResponse* r, Done d) {
    m.lease->async()->LeaseTimeToLive(c, q, r, std::move(d));
}
void maintenance_status(Member& m, grpc::ClientContext* c, const pb::StatusRequest* q,
                        pb::StatusResponse* r, Done d) {
    m.maintenance->async()->Status(c, q, r, std::move(d));
}

class EtcdStore final : public store::Store {
public:
    explicit EtcdStore(std::shared_ptr<Connection> conn) : conn_(std::move(conn)) {}
    ~EtcdStore() override { conn_->stop(); }

    void start() override {}
    asio::awaitable<void> stop() override {
        conn_->stop();
        co_return;
    }

    asio::awaitable<Result<store::RangeResponse>> range(store::RangeRequest request) override {
        pb::RangeRequest q;
        to_pb(request, &q);
        auto r = co_await call(kv_range, q);
        if (!r.ok()) {
            co_return r.status();
        }
        co_return to_store(*r);
    }

    asio::awaitable<Result<store::TxnResponse>> txn(store::TxnRequest request) override {
        pb::TxnRequest q;
        to_pb(request, &q);
        auto r = co_await call(kv_txn, q);
        if (!r.ok()) {
            co_return r.status();
        }
        co_return to_store(*r);
    }

    asio::awaitable<Result<std::unique_ptr<store::Watcher>>> watch(
        store::WatchRequest request) override {
        if (request.start_revision < 0) {
            co_return base::bad_request("watch start revision " +
                                        std::to_string(request.start_revision) + " is negative");
        }
        auto state = std::make_shared<WatchState>(conn_, std::move(request));
        auto opened = co_await state->open();
        if (store::is_compacted(opened)) {
            // Reported by next(), as the interface says.
            compact_revision_ = std::max(compact_revision_, state->compact_revision());
        } else if (!opened.ok()) {
            co_return opened;
        }
        co_return std::unique_ptr<store::Watcher>(std::make_unique<EtcdWatcher>(std::move(state)));
    }

    asio::awaitable<Status> compact(std::int64_t revision) override {
        pb::CompactionRequest q;
        q.set_revision(revision);
        q.set_physical(true);  // return once the space is reclaimed, as the interface says
        auto r = co_await call(kv_compact, q);
        if (!r.ok()) {
            if (store::is_compacted(r.status())) {
                compact_revision_ = std::max(compact_revision_, revision);
            }
            co_return r.status();
        }
        compact_revision_ = std::max(compact_revision_, revision);
        co_return Status{};
    }

    asio::awaitable<Result<store::LeaseGrant>> lease_grant(std::int64_t ttl,
                                                           std::int64_t id) override {
        if (ttl < 1) {
            co_return base::bad_request("lease ttl " + std::to_string(ttl) + " is not positive");
        }
        pb::LeaseGrantRequest q;
        q.set_ttl(ttl);
        q.set_id(id);
        auto r = co_await call(etcd::lease_grant, q);
        if (!r.ok()) {
            co_return r.status();
        }
        if (!r->error().empty()) {
            co_return base::internal_error("etcd: " + r->error());
        }
        co_return store::LeaseGrant{.id = r->id(), .ttl = r->ttl()};
    }

    asio::awaitable<Status> lease_revoke(std::int64_t id) override {
        pb::LeaseRevokeRequest q;
        q.set_id(id);
        auto r = co_await call(etcd::lease_revoke, q);
        co_return r.status();
    }

    asio::awaitable<Result<std::int64_t>> lease_keep_alive(std::int64_t id) override {
        auto pause = SteadyClock::duration(kFirstPause);
        const auto deadline = SteadyClock::now() + conn_->options.retry_budget;
        for (;;) {
            const auto member = conn_->current();
            grpc::Status status;
            std::optional<pb::LeaseKeepAliveResponse> response;
            co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
                [&](auto handler) {
                    auto h = std::make_shared<std::decay_t<decltype(handler)>>(std::move(handler));
                    KeepAliveOnce::start(*conn_, member, id,
                                         [this, h, &status, &response](auto s, auto r) {
                                             // On gRPC's thread: hand the result over on ours.
                                             asio::post(conn_->executor, [h, s, r, &status,
                                                                          &response] {
                                                 status = s;
                                                 response = r;
                                                 std::move (*h)();
                                             });
                                         });
                },
                asio::use_awaitable);
            if (response) {
                note(response->header().revision());
                if (response->ttl() <= 0) {  // etcd's answer for an unknown or expired lease
                    co_return store::lease_not_found_error();
                }
                co_return response->ttl();
            }
            if (conn_->stopped()) {
                co_return stopped_status();
            }
            if (!retryable(status) || SteadyClock::now() + pause > deadline) {
                co_return from_grpc(status);
            }
            conn_->failed(member);
            co_await pause_for(pause);
            pause = std::min<SteadyClock::duration>(pause * 2, kMaxPause);
        }
    }

    asio::awaitable<Result<store::LeaseTimeToLive>> lease_time_to_live(std::int64_t id,
                                                                      bool keys) override {
        pb::LeaseTimeToLiveRequest q;
        q.set_id(id);
        q.set_keys(keys);
        auto r = co_await call(lease_ttl, q);
        if (!r.ok()) {
            co_return r.status();
        }
        if (r->ttl() < 0) {  // etcd's answer for an unknown lease
            co_return store::lease_not_found_error();
        }
        store::LeaseTimeToLive out{.id = r->id(), .ttl = r->ttl(), .granted_ttl = r->grantedttl()};
        out.keys.assign(r->keys().begin(), r->keys().end());
        std::sort(out.keys.begin(), out.keys.end());
        co_return out;
    }

    std::int64_t current_revision() const override { return revision_; }
    std::int64_t compact_revision() const override { return compact_revision_; }

    asio::awaitable<Result<store::StoreStatus>> status() override {
        pb::StatusRequest q;
        auto r = co_await call(maintenance_status, q);
        if (!r.ok()) {
            co_return r.status();
        }
        co_return store::StoreStatus{.db_size = r->dbsize(),
                                     .revision = r->header().revision(),
                                     .compact_revision = compact_revision_};
    }

private:
    void note(std::int64_t revision) { revision_ = std::max(revision_, revision); }

    /// Calls `method` on the current member; when that fails or times out, moves on to the
    /// next member and retries with backoff within the retry budget.
    template <typename Request, typename Response>
    asio::awaitable<Result<Response>> call(Method<Request, Response> method,
                                           const Request& request) {
        auto pause = SteadyClock::duration(kFirstPause);
        const auto deadline = SteadyClock::now() + conn_->options.retry_budget;
        for (;;) {
            const auto member = conn_->current();
            Response response;
            auto s = co_await attempt(conn_, member, method, request, response);
            if (s.ok()) {
                note(response.header().revision());
                co_return response;
            }
            if (conn_->stopped()) {
                co_return stopped_status();
            }
            if (!retryable(s) || SteadyClock::now() + pause > deadline) {
                co_return from_grpc(s);
            }
            log::debug(1, "etcd call failed, retrying",
                       {{"member", conn_->members[member].target}, {"error", s.error_message()}});
            conn_->failed(member);
            co_await pause_for(pause);
            pause = std::min<SteadyClock::duration>(pause * 2, kMaxPause);
        }
    }

    std::shared_ptr<Connection> conn_;
    std::int64_t revision_ = 0;
    std::int64_t compact_revision_ = 0;
};

/// "http://host:port" → "host:port" (+ whether TLS); "unix:///path" stays as it is.
Result<std::pair<std::string, bool>> grpc_target(std::string_view endpoint) {
    if (endpoint.starts_with("unix://")) {
        return std::pair{std::string(endpoint), false};
    }
    auto url = boost::urls::parse_absolute_uri(endpoint);
    const auto bad = [&](std::string_view why) {
        return base::bad_request("datastore endpoint \"" + std::string(endpoint) + "\" " +
                                 std::string(why) +
                                 " (want http://host:port, https://host:port or unix:///path)");
    };
    if (!url) {
        return bad("is not a URL");
    }
    const auto scheme = url->scheme();
    if (scheme != "http" && scheme != "https") {
        return bad("has an unsupported scheme");
    }
    if (url->host().empty() || !url->has_port()) {
        return bad("needs a host and a port");
    }
    if (!url->encoded_path().empty() && url->encoded_path() != "/") {
        return bad("has a path");
    }
    std::string host = url->host();
    if (url->host_type() == boost::urls::host_type::ipv6) {
        host = "[" + host + "]";
    }
    return std::pair{host + ":" + std::string(url->port()), scheme == "https"};
}

}  // namespace

Result<std::vector<std::string>> parse_endpoints(std::string_view list) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto end = list.find(',', pos);
        if (end == std::string_view::npos) {
            end = list.size();
        }
        auto item = list.substr(pos, end - pos);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            auto target = grpc_target(item);
            if (!target.ok()) {
                return target.status();
            }
            out.emplace_back(item);
        }
        pos = end + 1;
    }
    if (out.empty()) {
        return base::bad_request("no datastore endpoint given");
    }
    return out;
}

Result<std::unique_ptr<store::Store>> open_etcd_store(asio::any_io_executor executor,
                                                      EtcdStoreOptions options) {
    if (options.endpoints.empty()) {
        return base::bad_request("no datastore endpoint given");
    }
    grpc::SslCredentialsOptions tls;
    if (!options.ca_file.empty()) {
        auto ca = pki::read_file(options.ca_file);
        if (!ca.ok()) {
            return ca.status().prepend("datastore CA file");
        }
        tls.pem_root_certs = *ca;
    }
    if (!options.cert_file.empty() || !options.key_file.empty()) {
        auto cert = pki::read_file(options.cert_file);
        auto key = pki::read_file(options.key_file);
        if (!cert.ok() || !key.ok()) {
            return base::bad_request(
                "datastore client certificate and key need both --datastore-certfile and "
                "--datastore-keyfile, readable");
        }
        tls.pem_cert_chain = *cert;
        tls.pem_private_key = *key;
    }
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10'000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5'000);
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);

    std::vector<Member> members;
    for (const auto& endpoint : options.endpoints) {
        auto target = grpc_target(endpoint);
        if (!target.ok()) {
            return target.status();
        }
        if (target->second && options.ca_file.empty()) {
            return base::bad_request("datastore endpoint " + endpoint +
                                     " uses https: give its CA with --datastore-cafile");
        }
        Member m;
        m.target = target->first;
        m.channel = grpc::CreateCustomChannel(
            m.target,
            target->second ? grpc::SslCredentials(tls) : grpc::InsecureChannelCredentials(), args);
        m.kv = pb::KV::NewStub(m.channel);
        m.watch = pb::Watch::NewStub(m.channel);
        m.lease = pb::Lease::NewStub(m.channel);
        m.maintenance = pb::Maintenance::NewStub(m.channel);
        members.push_back(std::move(m));
    }
    auto conn = std::make_shared<Connection>(std::move(executor), std::move(options),
                                             std::move(members));
    return std::unique_ptr<store::Store>(std::make_unique<EtcdStore>(std::move(conn)));
}

}  // namespace skiff::etcd
