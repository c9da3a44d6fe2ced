// Status and Result<T>: expected outcomes as values, with Kubernetes reasons and HTTP codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/fwd.hpp>

namespace skiff::base {

/// The reasons of metav1.StatusReason; `Unknown` is the empty reason.
enum class Reason {
    Unknown,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    AlreadyExists,
    Conflict,
    Gone,
    Invalid,
    ServerTimeout,
    Timeout,
    TooManyRequests,
    MethodNotAllowed,
    NotAcceptable,
    RequestEntityTooLarge,
    UnsupportedMediaType,
    InternalError,
    Expired,
    ServiceUnavailable,
};

/// The wire name of a reason ("" for Unknown).
std::string_view reason_name(Reason reason);
/// The reason for a wire name; Unknown for names we do not know.
Reason reason_from_name(std::string_view name);
/// The HTTP code upstream answers with for a reason.
int http_code(Reason reason);

/// One entry of details.causes: a field-level problem.
struct Cause {
    std::string reason;  // metav1.CauseType, e.g. "FieldValueRequired"
    std::string message;
    std::string field;   // e.g. "spec.containers[0].image"
    bool operator==(const Cause&) const = default;
};

struct StatusDetails {
    std::string name;
    std::string group;
    std::string kind;
    std::string uid;
    std::vector<Cause> causes;
    int retry_after_seconds = 0;
    bool operator==(const StatusDetails&) const = default;
};

/// A metav1.Status. Default-constructed means success.
class Status {
public:
    Status() = default;
    Status(Reason reason, std::string message);
    Status(Reason reason, std::string message, StatusDetails details);

    static Status success() { return {}; }

    bool ok() const { return !failure_; }
    Reason reason() const { return reason_; }
    /// The HTTP code: 200 for success, the reason's code otherwise (unless overridden).
    int code() const;
    const std::string& message() const { return message_; }
    const std::optional<StatusDetails>& details() const { return details_; }
    StatusDetails& mutable_details();

    /// Overrides the HTTP code (upstream does so for a few errors, e.g. 500 with reason "").
    Status& set_code(int code);
    /// Prefixes the message with context: "<context>: <message>".
    Status& prepend(std::string_view context);

    /// The metav1.Status JSON form, field for field as upstream writes it.
    boost::json::value to_json() const;
    std::string to_json_string() const;
    /// Reads a metav1.Status JSON object (as sent by a server).
    static Status from_json(const boost::json::value& value);

    bool operator==(const Status&) const = default;

private:
    bool failure_ = false;
    Reason reason_ = Reason::Unknown;
    int code_ = 0;  // 0: derived from the reason
    std::string message_;
    std::optional<StatusDetails> details_;
};

/// "<message>" for failures, "ok" for success: for logs and test output.
std::string to_string(const Status& status);

// Constructors for the common errors, worded as upstream words them. `resource` is the
// plural resource name and `group` its API group ("" for the core group).
Status not_found(std::string_view group, std::string_view resource, std::string_view name);
Status already_exists(std::string_view group, std::string_view resource, std::string_view name);
Status conflict(std::string_view group, std::string_view resource, std::string_view name,
                std::string_view why);
Status invalid(std::string_view group, std::string_view kind, std::string_view name,
               std::vector<Cause> causes);
Status bad_request(std::string message);
Status internal_error(std::string message);

/// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
    Result(Status status) : v_(std::in_place_index<1>, std::move(status)) {  // NOLINT: implicit
        if (std::get<1>(v_).ok()) {
            std::get<1>(v_) = internal_error("a Result was made from a success status");
        }
    }

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    /// Precondition: ok().
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// Success when ok(), the failure otherwise.
    Status status() const { return ok() ? Status{} : std::get<1>(v_); }

private:
    std::variant<T, Status> v_;
};

}  // namespace skiff::base
