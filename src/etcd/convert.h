// Conversions between etcd's protobuf messages and store types, both ways, and between store
// errors and gRPC's codes with etcd's messages.
#pragma once

#include "kv.pb.h"
#include "rpc.pb.h"

#include <optional>
#include <string>

#include "skiff/base/status.h"
#include "skiff/store/store.h"

namespace skiff::etcd {

/// gRPC status codes (values of grpc::StatusCode), so this file needs no gRPC header.
enum class Code {
    Ok = 0,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
};

struct RpcError {
    Code code = Code::Internal;
    std::string message;
};

/// etcd's code and message for a store failure (e.g. compacted → OUT_OF_RANGE
/// "etcdserver: mvcc: required revision has been compacted").
RpcError from_status(const base::Status& status);

// Requests: fail with UNIMPLEMENTED naming a field skiff does not support.
std::optional<RpcError> to_store(const etcdserverpb::RangeRequest& in, store::RangeRequest& out);
std::optional<RpcError> to_store(const etcdserverpb::PutRequest& in, store::PutRequest& out);
store::DeleteRangeRequest to_store(const etcdserverpb::DeleteRangeRequest& in);
std::optional<RpcError> to_store(const etcdserverpb::TxnRequest& in, store::TxnRequest& out);

// Responses; the caller fills the header.
void to_pb(const store::KeyValue& in, mvccpb::KeyValue* out);
void to_pb(const store::Event& in, mvccpb::Event* out);
void to_pb(const store::RangeResponse& in, etcdserverpb::RangeResponse* out);
void to_pb(const store::PutResponse& in, etcdserverpb::PutResponse* out);
void to_pb(const store::DeleteRangeResponse& in, etcdserverpb::DeleteRangeResponse* out);
void to_pb(const store::TxnResponse& in, etcdserverpb::TxnResponse* out);

// The client direction (EtcdStore): store requests to etcd's, etcd's responses to the store's.
void to_pb(const store::RangeRequest& in, etcdserverpb::RangeRequest* out);
void to_pb(const store::PutRequest& in, etcdserverpb::PutRequest* out);
void to_pb(const store::DeleteRangeRequest& in, etcdserverpb::DeleteRangeRequest* out);
void to_pb(const store::TxnRequest& in, etcdserverpb::TxnRequest* out);
store::KeyValue to_store(const mvccpb::KeyValue& in);
store::Event to_store(const mvccpb::Event& in);
store::RangeResponse to_store(const etcdserverpb::RangeResponse& in);
store::PutResponse to_store(const etcdserverpb::PutResponse& in);
store::DeleteRangeResponse to_store(const etcdserverpb::DeleteRangeResponse& in);
store::TxnResponse to_store(const etcdserverpb::TxnResponse& in);

/// The store failure an etcd server's error stands for: from_status() reversed for etcd's own
/// messages (compacted, future revision, lease not found/exists, duplicate key); otherwise
/// by code (UNAVAILABLE → ServiceUnavailable, DEADLINE_EXCEEDED → Timeout, …).
base::Status to_status(Code code, const std::string& message);

}  // namespace skiff::etcd
