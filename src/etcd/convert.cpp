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

}  // namespace skiff::etcd
