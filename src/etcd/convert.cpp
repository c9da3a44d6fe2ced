// Conversions between etcd's protobuf messages and store types; see convert.h.
#include "convert.h"

#include <string_view>

#include "skiff/store/errors.h"

namespace skiff::etcd {

namespace {

RpcError unsupported(std::string what) {
    return {Code::Unimplemented, "skiff: " + what + " is not supported"};
}

store::Compare::Op to_op(etcdserverpb::Compare::CompareResult r) {
    switch (r) {
        case etcdserverpb::Compare::GREATER:
            return store::Compare::Op::Greater;
        case etcdserverpb::Compare::LESS:
            return store::Compare::Op::Less;
        case etcdserverpb::Compare::NOT_EQUAL:
            return store::Compare::Op::NotEqual;
        default:
            return store::Compare::Op::Equal;
    }
}

std::optional<RpcError> compare_to_store(const etcdserverpb::Compare& in, store::Compare& out) {
    out.op = to_op(in.result());
    out.key = in.key();
    out.range_end = in.range_end();
    switch (in.target()) {
        case etcdserverpb::Compare::VERSION:
            out.target = store::Compare::Target::Version;
            out.number = in.version();
            break;
        case etcdserverpb::Compare::CREATE:
            out.target = store::Compare::Target::Create;
            out.number = in.create_revision();
            break;
        case etcdserverpb::Compare::MOD:
            out.target = store::Compare::Target::Mod;
            out.number = in.mod_revision();
            break;
        case etcdserverpb::Compare::VALUE:
            out.target = store::Compare::Target::Value;
            out.value = in.value();
            break;
        case etcdserverpb::Compare::LEASE:
            out.target = store::Compare::Target::Lease;
            out.number = in.lease();
            break;
        default:
            return unsupported("compare target " + std::to_string(in.target()));
    }
    return std::nullopt;
}

std::optional<RpcError> op_to_store(const etcdserverpb::RequestOp& in, store::RequestOp& out) {
    switch (in.request_case()) {
        case etcdserverpb::RequestOp::kRequestRange: {
            store::RangeRequest r;
            if (auto e = to_store(in.request_range(), r)) {
                return e;
            }
            out = std::move(r);
            return std::nullopt;
        }
        case etcdserverpb::RequestOp::kRequestPut: {
            store::PutRequest r;
            if (auto e = to_store(in.request_put(), r)) {
                return e;
            }
            out = std::move(r);
            return std::nullopt;
        }
        case etcdserverpb::RequestOp::kRequestDeleteRange:
            out = to_store(in.request_delete_range());
            return std::nullopt;
        case etcdserverpb::RequestOp::kRequestTxn:
            return unsupported("a txn nested in a txn");
        default:
            return RpcError{Code::InvalidArgument, "etcdserver: request op is empty"};
    }
}

}  // namespace

RpcError from_status(const base::Status& status) {
    std::string message = status.message();
    if (message.starts_with("mvcc: ")) {
        message = "etcdserver: " + message;
    }
    if (store::is_compacted(status) || message.find("future revision") != std::string::npos) {
        return {Code::OutOfRange, message};
    }
    switch (status.reason()) {
        case base::Reason::NotFound:
            return {Code::NotFound, message};
        case base::Reason::AlreadyExists:
            return {Code::FailedPrecondition, message};
        case base::Reason::BadRequest:
        case base::Reason::Invalid:
            return {Code::InvalidArgument, message};
        case base::Reason::Timeout:
        case base::Reason::ServerTimeout:
            return {Code::DeadlineExceeded, message};
        case base::Reason::TooManyRequests:
            return {Code::ResourceExhausted, message};
        case base::Reason::ServiceUnavailable:
        case base::Reason::Gone:
            return {Code::Unavailable, message};
        default:
            return {Code::Internal, message};
    }
}

std::optional<RpcError> to_store(const etcdserverpb::RangeRequest& in, store::RangeRequest& out) {
    const bool key_order = in.sort_target() == etcdserverpb::RangeRequest::KEY &&
                           in.sort_order() != etcdserverpb::RangeRequest::DESCEND;
    if (!key_order) {
        return unsupported(
            "range sort_order " + etcdserverpb::RangeRequest::SortOrder_Name(in.sort_order()) +
            " with sort_target " + etcdserverpb::RangeRequest::SortTarget_Name(in.sort_target()));
    }
    if (in.min_mod_revision() != 0 || in.max_mod_revision() != 0) {
        return unsupported("range min_mod_revision/max_mod_revision");
    }
    if (in.min_create_revision() != 0 || in.max_create_revision() != 0) {
        return unsupported("range min_create_revision/max_create_revision");
    }
    if (in.limit() < 0) {
        return RpcError{Code::InvalidArgument, "etcdserver: negative limit"};
    }
    out.key = in.key();
    out.range_end = in.range_end();
    out.revision = in.revision();
    out.limit = in.limit();
    out.count_only = in.count_only();
    out.keys_only = in.keys_only();
    return std::nullopt;
}

std::optional<RpcError> to_store(const etcdserverpb::PutRequest& in, store::PutRequest& out) {
    if (in.ignore_value()) {
        return unsupported("put ignore_value");
    }
    if (in.ignore_lease()) {
        return unsupported("put ignore_lease");
    }
    if (in.key().empty()) {
        return RpcError{Code::InvalidArgument, "etcdserver: key is not provided"};
    }
    out.key = in.key();
    out.value = in.value();
    out.lease = in.lease();
    out.prev_kv = in.prev_kv();
    return std::nullopt;
}

store::DeleteRangeRequest to_store(const etcdserverpb::DeleteRangeRequest& in) {
    store::DeleteRangeRequest out;
    out.key = in.key();
    out.range_end = in.range_end();
    out.prev_kv = in.prev_kv();
    return out;
}

std::optional<RpcError> to_store(const etcdserverpb::TxnRequest& in, store::TxnRequest& out) {
    for (const auto& c : in.compare()) {
        store::Compare compare;
        if (auto e = compare_to_store(c, compare)) {
            return e;
        }
        out.compare.push_back(std::move(compare));
    }
    for (const auto& op : in.success()) {
        store::RequestOp o;
        if (auto e = op_to_store(op, o)) {
            return e;
        }
        out.success.push_back(std::move(o));
    }
    for (const auto& op : in.failure()) {
        store::RequestOp o;
        if (auto e = op_to_store(op, o)) {
            return e;
        }
        out.failure.push_back(std::move(o));
    }
    return std::nullopt;
}

void to_pb(const store::KeyValue& in, mvccpb::KeyValue* out) {
    out->set_key(in.key);
    out->set_value(in.value);
    out->set_create_revision(in.create_revision);
    out->set_mod_revision(in.mod_revision);
    out->set_version(in.version);
    out->set_lease(in.lease);
}

void to_pb(const store::Event& in, mvccpb::Event* out) {
    out->set_type(in.type == store::Event::Type::Put ? mvccpb::Event::PUT : mvccpb::Event::DELETE);
    to_pb(in.kv, out->mutable_kv());
    if (in.prev_kv) {
        to_pb(*in.prev_kv, out->mutable_prev_kv());
    }
}

void to_pb(const store::RangeResponse& in, etcdserverpb::RangeResponse* out) {
    for (const auto& kv : in.kvs) {
        to_pb(kv, out->add_kvs());
    }
    out->set_more(in.more);
    out->set_count(in.count);
}

void to_pb(const store::PutResponse& in, etcdserverpb::PutResponse* out) {
    if (in.prev_kv) {
        to_pb(*in.prev_kv, out->mutable_prev_kv());
    }
}

void to_pb(const store::DeleteRangeResponse& in, etcdserverpb::DeleteRangeResponse* out) {
    out->set_deleted(in.deleted);
    for (const auto& kv : in.prev_kvs) {
        to_pb(kv, out->add_prev_kvs());
    }
}

void to_pb(const store::TxnResponse& in, etcdserverpb::TxnResponse* out) {
    out->set_succeeded(in.succeeded);
    for (const auto& r : in.responses) {
        auto* op = out->add_responses();
        if (const auto* range = std::get_if<store::RangeResponse>(&r)) {
            to_pb(*range, op->mutable_response_range());
        } else if (const auto* put = std::get_if<store::PutResponse>(&r)) {
            to_pb(*put, op->mutable_response_put());
        } else {
            to_pb(std::get<store::DeleteRangeResponse>(r), op->mutable_response_delete_range());
        }
    }
}

namespace {

void compare_to_pb(const store::Compare& in, etcdserverpb::Compare* out) {
    using C = etcdserverpb::Compare;
    switch (in.op) {
        case store::Compare::Op::Equal:
            out->set_result(C::EQUAL);
            break;
        case store::Compare::Op::NotEqual:
            out->set_result(C::NOT_EQUAL);
            break;
        case store::Compare::Op::Less:
            out->set_result(C::LESS);
            break;
        case store::Compare::Op::Greater:
            out->set_result(C::GREATER);
            break;
    }
    out->set_key(in.key);
    out->set_range_end(in.range_end);
    switch (in.target) {
        case store::Compare::Target::Version:
            out->set_target(C::VERSION);
            out->set_version(in.number);
            break;
        case store::Compare::Target::Create:
            out->set_target(C::CREATE);
            out->set_create_revision(in.number);
            break;
        case store::Compare::Target::Mod:
            out->set_target(C::MOD);
            out->set_mod_revision(in.number);
            break;
        case store::Compare::Target::Value:
            out->set_target(C::VALUE);
            out->set_value(in.value);
            break;
        case store::Compare::Target::Lease:
            out->set_target(C::LEASE);
            out->set_lease(in.number);
            break;
    }
}

void op_to_pb(const store::RequestOp& in, etcdserverpb::RequestOp* out) {
    if (const auto* range = std::get_if<store::RangeRequest>(&in)) {
        to_pb(*range, out->mutable_request_range());
    } else if (const auto* put = std::get_if<store::PutRequest>(&in)) {
        to_pb(*put, out->mutable_request_put());
    } else {
        to_pb(std::get<store::DeleteRangeRequest>(in), out->mutable_request_delete_range());
    }
}

}  // namespace

void to_pb(const store::RangeRequest& in, etcdserverpb::RangeRequest* out) {
    out->set_key(in.key);
    out->set_range_end(in.range_end);
    out->set_revision(in.revision);
    out->set_limit(in.limit);
    out->set_count_only(in.count_only);
    out->set_keys_only(in.keys_only);
}

void to_pb(const store::PutRequest& in, etcdserverpb::PutRequest* out) {
    out->set_key(in.key);
    out->set_value(in.value);
    out->set_lease(in.lease);
    out->set_prev_kv(in.prev_kv);
}

void to_pb(const store::DeleteRangeRequest& in, etcdserverpb::DeleteRangeRequest* out) {
    out->set_key(in.key);
    out->set_range_end(in.range_end);
    out->set_prev_kv(in.prev_kv);
}

void to_pb(const store::TxnRequest& in, etcdserverpb::TxnRequest* out) {
    for (const auto& c : in.compare) {
        compare_to_pb(c, out->add_compare());
    }
    for (const auto& op : in.success) {
        op_to_pb(op, out->add_success());
    }
    for (const auto& op : in.failure) {
        op_to_pb(op, out->add_failure());
    }
}

store::KeyValue to_store(const mvccpb::KeyValue& in) {
    return store::KeyValue{.key = in.key(),
                           .value = in.value(),
                           .create_revision = in.create_revision(),
                           .mod_revision = in.mod_revision(),
                           .version = in.version(),
                           .lease = in.lease()};
}

store::Event to_store(const mvccpb::Event& in) {
    store::Event out;
    out.type = in.type() == mvccpb::Event::DELETE ? store::Event::Type::Delete
                                                  : store::Event::Type::Put;
    out.kv = to_store(in.kv());
    if (in.has_prev_kv()) {
        out.prev_kv = to_store(in.prev_kv());
    }
    return out;
}

store::RangeResponse to_store(const etcdserverpb::RangeResponse& in) {
    store::RangeResponse out;
    out.revision = in.header().revision();
    out.kvs.reserve(in.kvs_size());
    for (const auto& kv : in.kvs()) {
        out.kvs.push_back(to_store(kv));
    }
    out.more = in.more();
    out.count = in.count();
    return out;
}

store::PutResponse to_store(const etcdserverpb::PutResponse& in) {
    store::PutResponse out;
    out.revision = in.header().revision();
    if (in.has_prev_kv()) {
        out.prev_kv = to_store(in.prev_kv());
    }
    return out;
}

store::DeleteRangeResponse to_store(const etcdserverpb::DeleteRangeResponse& in) {
    store::DeleteRangeResponse out;
    out.revision = in.header().revision();
    out.deleted = in.deleted();
    for (const auto& kv : in.prev_kvs()) {
        out.prev_kvs.push_back(to_store(kv));
    }
    return out;
}

store::TxnResponse to_store(const etcdserverpb::TxnResponse& in) {
    store::TxnResponse out;
    out.revision = in.header().revision();
    out.succeeded = in.succeeded();
    for (const auto& op : in.responses()) {
        switch (op.response_case()) {
            case etcdserverpb::ResponseOp::kResponseRange:
                out.responses.emplace_back(to_store(op.response_range()));
                break;
            case etcdserverpb::ResponseOp::kResponsePut:
                out.responses.emplace_back(to_store(op.response_put()));
                break;
            default:
                out.responses.emplace_back(to_store(op.response_delete_range()));
                break;
        }
    }
    // etcd fills nested headers only sometimes; the txn's revision is the one that counts.
    for (auto& r : out.responses) {
        std::visit([&](auto& response) { response.revision = out.revision; }, r);
    }
    return out;
}

base::Status to_status(Code code, const std::string& message) {
    constexpr std::string_view kPrefix = "etcdserver: ";
    const std::string_view bare = std::string_view(message).starts_with(kPrefix)
                                      ? std::string_view(message).substr(kPrefix.size())
                                      : std::string_view(message);
    // Each of the store's own errors, recognised by the message etcd gives it.
    for (const auto& known : {store::compacted_error(), store::future_revision_error(),
                              store::lease_not_found_error(), store::lease_exists_error(),
                              store::duplicate_key_error()}) {
        if (known.message() == message || known.message() == bare) {
            return known;
        }
    }
    switch (code) {
        case Code::InvalidArgument:
        case Code::OutOfRange:
            return base::bad_request(message);
        case Code::NotFound:
            return {base::Reason::NotFound, message};
        case Code::AlreadyExists:
        case Code::FailedPrecondition:
            return {base::Reason::Conflict, message};
        case Code::DeadlineExceeded:
            return {base::Reason::Timeout, message};
        case Code::ResourceExhausted:
            return {base::Reason::TooManyRequests, message};
        case Code::Unavailable:
            return {base::Reason::ServiceUnavailable, message};
        default:
            return base::internal_error(message);
    }
}

}  // namespace skiff::etcd
