// EtcdServer over a MemoryStore: what etcdctl does not exercise (watch filters, cancel,
// progress, client ids, compacted watches, unsupported fields, error codes, stop).
#include "skiff/etcd/etcd_server.h"

#include "rpc.grpc.pb.h"

#include <future>
#include <optional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "skiff/base/clock.h"
#include "skiff/store/memory_store.h"

namespace skiff::etcd {
namespace {

namespace asio = boost::asio;
namespace pb = etcdserverpb;

asio::awaitable<void> shutdown(EtcdServer& server, store::Store& store) {
    co_await server.stop();
    co_await store.stop();
}

/// A server on a loopback port whose store executor runs on a thread of its own.
struct Fixture {
    asio::io_context ctx{1};
    store::MemoryStore store{ctx.get_executor(), base::SystemClock::instance()};
    EtcdServer server{ctx.get_executor(), store,
                      EtcdServerConfig{.listen = "127.0.0.1:0",
                                       .shutdown_grace = std::chrono::milliseconds(300)}};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread runner;
    std::shared_ptr<grpc::Channel> channel;
    bool stopped = false;

    Fixture() {
        store.start();
        auto bound = server.start();
        REQUIRE(bound.ok());
        work.emplace(ctx.get_executor());
        runner = std::thread([this] { ctx.run(); });
        channel = grpc::CreateChannel(*bound, grpc::InsecureChannelCredentials());
    }

    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        std::promise<void> done;
        asio::co_spawn(ctx, shutdown(server, store), [&](std::exception_ptr) { done.set_value(); });
        done.get_future().wait();
        work.reset();
        runner.join();
    }

    ~Fixture() { stop(); }

    std::int64_t put(const std::string& key, const std::string& value) {
        auto kv = pb::KV::NewStub(channel);
        grpc::ClientContext context;
        pb::PutRequest request;
        request.set_key(key);
        request.set_value(value);
        pb::PutResponse response;
        auto status = kv->Put(&context, request, &response);
        REQUIRE(status.ok());
        return response.header().revision();
    }
};

using WatchStream = grpc::ClientReaderWriter<pb::WatchRequest, pb::WatchResponse>;

pb::WatchRequest create(const std::string& key, std::int64_t start = 0) {
    pb::WatchRequest request;
    request.mutable_create_request()->set_key(key);
    request.mutable_create_request()->set_start_revision(start);
    return request;
}

pb::WatchResponse read(WatchStream& stream) {
    pb::WatchResponse response;
    REQUIRE(stream.Read(&response));
    return response;
}

TEST_CASE_METHOD(Fixture, "kv answers with etcd's header and rejects what it lacks", "[etcd]") {
    const std::int64_t rev = put("a", "1");
    CHECK(rev == 2);
    auto kv = pb::KV::NewStub(channel);
    {
        grpc::ClientContext context;
        pb::RangeRequest request;
        request.set_key("a");
        request.set_serializable(true);
        pb::RangeResponse response;
        REQUIRE(kv->Range(&context, request, &response).ok());
        CHECK(response.kvs_size() == 1);
        CHECK(response.kvs(0).value() == "1");
        CHECK(response.header().revision() == 2);
        CHECK(response.header().cluster_id() != 0);
        CHECK(response.header().member_id() != 0);
        CHECK(response.header().raft_term() != 0);
    }
    {
        grpc::ClientContext context;
        pb::RangeRequest request;
        request.set_key("a");
        request.set_sort_target(pb::RangeRequest::MOD);
        pb::RangeResponse response;
        auto status = kv->Range(&context, request, &response);
        CHECK(status.error_code() == grpc::StatusCode::UNIMPLEMENTED);
        CHECK(status.error_message().find("MOD") != std::string::npos);
    }
    {
        grpc::ClientContext context;
        pb::PutRequest request;
        request.set_key("a");
        request.set_ignore_lease(true);
        pb::PutResponse response;
        auto status = kv->Put(&context, request, &response);
        CHECK(status.error_code() == grpc::StatusCode::UNIMPLEMENTED);
        CHECK(status.error_message().find("ignore_lease") != std::string::npos);
    }
    {
        grpc::ClientContext context;
        pb::RangeRequest request;
        request.set_key("a");
        request.set_revision(99);
        pb::RangeResponse response;
        auto status = kv->Range(&context, request, &response);
        CHECK(status.error_code() == grpc::StatusCode::OUT_OF_RANGE);
        CHECK(status.error_message() == "etcdserver: mvcc: required revision is a future revision");
    }
}

TEST_CASE_METHOD(Fixture, "a txn compares and answers per operation", "[etcd]") {
    put("k", "v");
    auto kv = pb::KV::NewStub(channel);
    grpc::ClientContext context;
    pb::TxnRequest request;
    auto* cmp = request.add_compare();
    cmp->set_key("k");
    cmp->set_target(pb::Compare::VALUE);
    cmp->set_result(pb::Compare::EQUAL);
    cmp->set_value("v");
    request.add_success()->mutable_request_put()->set_key("k2");
    request.add_success()->mutable_request_range()->set_key("k2");
    request.add_failure()->mutable_request_delete_range()->set_key("k");
    pb::TxnResponse response;
    REQUIRE(kv->Txn(&context, request, &response).ok());
    CHECK(response.succeeded());
    REQUIRE(response.responses_size() == 2);
    CHECK(response.responses(1).response_range().kvs_size() == 1);
    CHECK(response.header().revision() == 3);
}

TEST_CASE_METHOD(Fixture, "watch: filters, progress and cancel", "[etcd]") {
    auto watch = pb::Watch::NewStub(channel);
    grpc::ClientContext context;
    auto stream = watch->Watch(&context);
    auto request = create("w");
    request.mutable_create_request()->add_filters(pb::WatchCreateRequest::NOPUT);
    request.mutable_create_request()->set_prev_kv(true);
    REQUIRE(stream->Write(request));
    auto created = read(*stream);
    CHECK(created.created());
    const std::int64_t id = created.watch_id();

    put("w", "1");
    auto kv = pb::KV::NewStub(channel);
    {
        grpc::ClientContext c;
        pb::DeleteRangeRequest del;
        del.set_key("w");
        pb::DeleteRangeResponse r;
        REQUIRE(kv->DeleteRange(&c, del, &r).ok());
        CHECK(r.deleted() == 1);
    }
    auto events = read(*stream);
    REQUIRE(events.events_size() == 1);  // the put was filtered out
    CHECK(events.events(0).type() == mvccpb::Event::DELETE);
    CHECK(events.events(0).prev_kv().value() == "1");
    CHECK(events.watch_id() == id);

    pb::WatchRequest progress;
    progress.mutable_progress_request();
    REQUIRE(stream->Write(progress));
    auto notified = read(*stream);
    CHECK(notified.events_size() == 0);
    CHECK(notified.header().revision() == 3);

    pb::WatchRequest cancel;
    cancel.mutable_cancel_request()->set_watch_id(id);
    REQUIRE(stream->Write(cancel));
    auto canceled = read(*stream);
    CHECK(canceled.canceled());
    CHECK(canceled.watch_id() == id);

    // Client-chosen ids are refused, and the next watch gets the next server id.
    auto with_id = create("x");
    with_id.mutable_create_request()->set_watch_id(7);
    REQUIRE(stream->Write(with_id));
    auto refused = read(*stream);
    CHECK(refused.canceled());
    CHECK(!refused.cancel_reason().empty());
    auto second = create("x");
    REQUIRE(stream->Write(second));
    CHECK(read(*stream).watch_id() == id + 1);
    stream->WritesDone();
    CHECK(stream->Finish().ok());
}

TEST_CASE_METHOD(Fixture, "watch from a compacted revision is cancelled with it", "[etcd]") {
    put("c", "1");
    put("c", "2");
    const std::int64_t rev = put("c", "3");
    auto kv = pb::KV::NewStub(channel);
    {
        grpc::ClientContext c;
        pb::CompactionRequest compact;
        compact.set_revision(rev);
        pb::CompactionResponse r;
        REQUIRE(kv->Compact(&c, compact, &r).ok());
    }
    auto watch = pb::Watch::NewStub(channel);
    grpc::ClientContext context;
    auto stream = watch->Watch(&context);
    auto request = create("c", 2);
    REQUIRE(stream->Write(request));
    auto first = read(*stream);
    CHECK(first.created());
    auto cancelled = first.canceled() ? first : read(*stream);
    CHECK(cancelled.canceled());
    CHECK(cancelled.compact_revision() == rev);
    stream->WritesDone();
    stream->Finish();
}

TEST_CASE_METHOD(Fixture, "leases: unknown ids answer as etcd does", "[etcd]") {
    auto lease = pb::Lease::NewStub(channel);
    {
        grpc::ClientContext c;
        pb::LeaseRevokeRequest request;
        request.set_id(42);
        pb::LeaseRevokeResponse response;
        auto status = lease->LeaseRevoke(&c, request, &response);
        CHECK(status.error_code() == grpc::StatusCode::NOT_FOUND);
        CHECK(status.error_message() == "etcdserver: requested lease not found");
    }
    {
        grpc::ClientContext c;
        pb::LeaseTimeToLiveRequest request;
        request.set_id(42);
        pb::LeaseTimeToLiveResponse response;
        REQUIRE(lease->LeaseTimeToLive(&c, request, &response).ok());
        CHECK(response.ttl() == -1);
    }
    grpc::ClientContext c;
    pb::LeaseGrantRequest grant;
    grant.set_ttl(30);
    pb::LeaseGrantResponse granted;
    REQUIRE(lease->LeaseGrant(&c, grant, &granted).ok());
    CHECK(granted.ttl() == 30);
    grpc::ClientContext kc;
    auto stream = lease->LeaseKeepAlive(&kc);
    pb::LeaseKeepAliveRequest keep;
    keep.set_id(granted.id());
    REQUIRE(stream->Write(keep));
    pb::LeaseKeepAliveResponse kept;
    REQUIRE(stream->Read(&kept));
    CHECK(kept.ttl() == 30);
    keep.set_id(granted.id() + 1);
    REQUIRE(stream->Write(keep));
    REQUIRE(stream->Read(&kept));
    CHECK(kept.ttl() == 0);
    stream->WritesDone();
    CHECK(stream->Finish().ok());
}

TEST_CASE_METHOD(Fixture, "status reports the version and revision", "[etcd]") {
    put("s", "1");
    auto maintenance = pb::Maintenance::NewStub(channel);
    grpc::ClientContext c;
    pb::StatusRequest request;
    pb::StatusResponse response;
    REQUIRE(maintenance->Status(&c, request, &response).ok());
    CHECK(response.version() == "3.5.13");
    CHECK(response.header().revision() == 2);
    CHECK(response.leader() == response.header().member_id());
}

TEST_CASE_METHOD(Fixture, "stop ends open watch streams", "[etcd]") {
    auto watch = pb::Watch::NewStub(channel);
    grpc::ClientContext context;
    auto stream = watch->Watch(&context);
    auto request = create("z");
    REQUIRE(stream->Write(request));
    CHECK(read(*stream).created());
    stop();
    pb::WatchResponse response;
    CHECK(!stream->Read(&response));
}

}  // namespace
}  // namespace skiff::etcd
