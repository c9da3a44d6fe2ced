// The parts of the Store interface every backend shares: put/delete_range over txn, key ranges,
// compare constructors and etcd's error wording.
#include "skiff/store/store.h"

#include "key_interval.h"

namespace skiff::store {
namespace asio = boost::asio;
using base::Reason;
using base::Result;
using base::Status;

KeyInterval KeyInterval::of(std::string_view key, std::string_view range_end) {
    if (range_end.empty()) {
        std::string end(key);
        end.push_back('\0');
        return {std::string(key), std::move(end)};
    }
    if (range_end == std::string_view("\0", 1)) {
        return {std::string(key), std::nullopt};
    }
    return {std::string(key), std::string(range_end)};
}

std::string prefix_end(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(end.back());
        if (last < 0xff) {
            ++last;
            return end;
        }
        end.pop_back();
    }
    return std::string("\0", 1);
}

RangeRequest prefix_range(std::string_view prefix) {
    return RangeRequest{.key = std::string(prefix), .range_end = prefix_end(prefix)};
}

namespace {
Compare make_compare(Compare::Target target, std::string key, Compare::Op op, std::int64_t n) {
    return Compare{.target = target, .op = op, .key = std::move(key), .number = n};
}
}  // namespace

Compare Compare::version(std::string key, Op op, std::int64_t n) {
    return make_compare(Target::Version, std::move(key), op, n);
}
Compare Compare::create_revision(std::string key, Op op, std::int64_t n) {
    return make_compare(Target::Create, std::move(key), op, n);
}
Compare Compare::mod_revision(std::string key, Op op, std::int64_t n) {
    return make_compare(Target::Mod, std::move(key), op, n);
}
Compare Compare::lease(std::string key, Op op, std::int64_t n) {
    return make_compare(Target::Lease, std::move(key), op, n);
}
Compare Compare::value_of(std::string key, Op op, std::string value) {
    Compare c = make_compare(Target::Value, std::move(key), op, 0);
    c.value = std::move(value);
    return c;
}

Status compacted_error() {
    return {Reason::Expired, "mvcc: required revision has been compacted"};
}
Status future_revision_error() {
    return {Reason::BadRequest, "mvcc: required revision is a future revision"};
}
Status lease_not_found_error() {
    return {Reason::NotFound, "etcdserver: requested lease not found"};
}
Status lease_exists_error() {
    return {Reason::AlreadyExists, "etcdserver: lease already exists"};
}
Status duplicate_key_error() {
    return {Reason::BadRequest, "etcdserver: duplicate key given in txn request"};
}

bool is_compacted(const Status& status) {
    return status == compacted_error();
}

namespace {
// A txn of one operation, answering with that operation's response.
template <typename Response>
asio::awaitable<Result<Response>> single_op(Store& store, RequestOp op) {
    TxnRequest txn;
    txn.success.push_back(std::move(op));
    auto r = co_await store.txn(std::move(txn));
    if (!r.ok()) {
        co_return r.status();
    }
    co_return std::get<Response>(std::move(r->responses.front()));
}
}  // namespace

asio::awaitable<Result<PutResponse>> Store::put(PutRequest request) {
    RequestOp op(std::move(request));
    return single_op<PutResponse>(*this, std::move(op));
}

asio::awaitable<Result<DeleteRangeResponse>> Store::delete_range(DeleteRangeRequest request) {
    RequestOp op(std::move(request));
    return single_op<DeleteRangeResponse>(*this, std::move(op));
}

}  // namespace skiff::store
