// Status: reasons, codes, upstream wording and the metav1.Status JSON form.
#include "skiff/base/status.h"

#include <array>

#include <boost/json.hpp>

namespace skiff::base {
namespace {

struct ReasonInfo {
    Reason reason;
    std::string_view name;
    int code;
};

constexpr std::array kReasons = {
    ReasonInfo{Reason::Unknown, "", 500},
    ReasonInfo{Reason::BadRequest, "BadRequest", 400},
    ReasonInfo{Reason::Unauthorized, "Unauthorized", 401},
    ReasonInfo{Reason::Forbidden, "Forbidden", 403},
    ReasonInfo{Reason::NotFound, "NotFound", 404},
    ReasonInfo{Reason::AlreadyExists, "AlreadyExists", 409},
    ReasonInfo{Reason::Conflict, "Conflict", 409},
    ReasonInfo{Reason::Gone, "Gone", 410},
    ReasonInfo{Reason::Invalid, "Invalid", 422},
    ReasonInfo{Reason::ServerTimeout, "ServerTimeout", 500},
    ReasonInfo{Reason::Timeout, "Timeout", 504},
    ReasonInfo{Reason::TooManyRequests, "TooManyRequests", 429},
    ReasonInfo{Reason::MethodNotAllowed, "MethodNotAllowed", 405},
    ReasonInfo{Reason::NotAcceptable, "NotAcceptable", 406},
    ReasonInfo{Reason::RequestEntityTooLarge, "RequestEntityTooLarge", 413},
    ReasonInfo{Reason::UnsupportedMediaType, "UnsupportedMediaType", 415},
    ReasonInfo{Reason::InternalError, "InternalError", 500},
    ReasonInfo{Reason::Expired, "Expired", 410},
    ReasonInfo{Reason::ServiceUnavailable, "ServiceUnavailable", 503},
};

const ReasonInfo& info(Reason reason) {
    for (const auto& i : kReasons) {
        if (i.reason == reason) {
            return i;
        }
    }
    return kReasons[0];
}

std::string qualified(std::string_view name, std::string_view group) {
    std::string out(name);
    if (!group.empty()) {
        out += '.';
        out += group;
    }
    return out;
}

std::string quoted(std::string_view s) {
    // Go's %q for the plain names Kubernetes uses; escapes quotes and backslashes.
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string string_at(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::string_view reason_name(Reason reason) { return info(reason).name; }

Reason reason_from_name(std::string_view name) {
    for (const auto& i : kReasons) {
        if (i.name == name) {
            return i.reason;
        }
    }
    return Reason::Unknown;
}

int http_code(Reason reason) { return info(reason).code; }

Status::Status(Reason reason, std::string message)
    : failure_(true), reason_(reason), message_(std::move(message)) {}

Status::Status(Reason reason, std::string message, StatusDetails details)
    : failure_(true), reason_(reason), message_(std::move(message)), details_(std::move(details)) {}

int Status::code() const {
    if (code_ != 0) {
        return code_;
    }
    return failure_ ? http_code(reason_) : 200;
}

StatusDetails& Status::mutable_details() {
    if (!details_) {
        details_.emplace();
    }
    return *details_;
}

Status& Status::set_code(int code) {
    code_ = code;
    return *this;
}

Status& Status::prepend(std::string_view context) {
    message_ = std::string(context) + ": " + message_;
    return *this;
}

boost::json::value Status::to_json() const {
    boost::json::object o;
    o["kind"] = "Status";
    o["apiVersion"] = "v1";
    o["metadata"] = boost::json::object();
    o["status"] = failure_ ? "Failure" : "Success";
    if (!message_.empty()) {
        o["message"] = message_;
    }
    if (!reason_name(reason_).empty()) {
        o["reason"] = reason_name(reason_);
    }
    if (details_) {
        boost::json::object d;
        if (!details_->name.empty()) {
            d["name"] = details_->name;
        }
        if (!details_->group.empty()) {
            d["group"] = details_->group;
        }
        if (!details_->kind.empty()) {
            d["kind"] = details_->kind;
        }
        if (!details_->uid.empty()) {
            d["uid"] = details_->uid;
        }
        if (!details_->causes.empty()) {
            boost::json::array causes;
            for (const auto& c : details_->causes) {
                boost::json::object co;
                if (!c.reason.empty()) {
                    co["reason"] = c.reason;
                }
                if (!c.message.empty()) {
                    co["message"] = c.message;
                }
                if (!c.field.empty()) {
                    co["field"] = c.field;
                }
                causes.push_back(std::move(co));
            }
            d["causes"] = std::move(causes);
        }
        if (details_->retry_after_seconds != 0) {
            d["retryAfterSeconds"] = details_->retry_after_seconds;
        }
        o["details"] = std::move(d);
    }
    if (failure_ || code_ != 0) {
        o["code"] = code();
    }
    return o;
}

std::string Status::to_json_string() const { return boost::json::serialize(to_json()); }

Status Status::from_json(const boost::json::value& value) {
    const auto* o = value.if_object();
    if (!o) {
        return internal_error("status is not a JSON object");
    }
    if (string_at(*o, "status") == "Success") {
        return {};
    }
    Status s(reason_from_name(string_at(*o, "reason")), string_at(*o, "message"));
    if (const auto* code = o->if_contains("code"); code && code->is_int64()) {
        s.code_ = static_cast<int>(code->get_int64());
        if (s.code_ == http_code(s.reason_)) {
            s.code_ = 0;
        }
    }
    if (const auto* d = o->if_contains("details"); d && d->is_object()) {
        const auto& dobj = d->get_object();
        StatusDetails details{.name = string_at(dobj, "name"),
                              .group = string_at(dobj, "group"),
                              .kind = string_at(dobj, "kind"),
                              .uid = string_at(dobj, "uid")};
        if (const auto* causes = dobj.if_contains("causes"); causes && causes->is_array()) {
            for (const auto& c : causes->get_array()) {
                if (const auto* co = c.if_object()) {
                    details.causes.push_back({string_at(*co, "reason"),
                                              string_at(*co, "message"),
                                              string_at(*co, "field")});
                }
            }
        }
        if (const auto* r = dobj.if_contains("retryAfterSeconds"); r && r->is_int64()) {
            details.retry_after_seconds = static_cast<int>(r->get_int64());
        }
        s.details_ = std::move(details);
    }
    return s;
}

std::string to_string(const Status& status) {
    if (status.ok()) {
        return "ok";
    }
    std::string out(reason_name(status.reason()));
    if (!out.empty()) {
        out += ": ";
    }
    return out + status.message();
}

Status not_found(std::string_view group, std::string_view resource, std::string_view name) {
    return {Reason::NotFound, qualified(resource, group) + " " + quoted(name) + " not found",
            StatusDetails{.name = std::string(name),
                          .group = std::string(group),
                          .kind = std::string(resource)}};
}

Status already_exists(std::string_view group, std::string_view resource, std::string_view name) {
    return {Reason::AlreadyExists,
            qualified(resource, group) + " " + quoted(name) + " already exists",
            StatusDetails{.name = std::string(name),
                          .group = std::string(group),
                          .kind = std::string(resource)}};
}

Status conflict(std::string_view group, std::string_view resource, std::string_view name,
                std::string_view why) {
    return {Reason::Conflict,
            "Operation cannot be fulfilled on " + qualified(resource, group) + " " + quoted(name) +
                ": " + std::string(why),
            StatusDetails{.name = std::string(name),
                          .group = std::string(group),
                          .kind = std::string(resource)}};
}

Status invalid(std::string_view group, std::string_view kind, std::string_view name,
               std::vector<Cause> causes) {
    // Upstream aggregates field errors as "field: message", bracketed when there are several.
    std::string errors;
    for (const auto& c : causes) {
        if (!errors.empty()) {
            errors += ", ";
        }
        errors += c.field.empty() ? c.message : c.field + ": " + c.message;
    }
    if (causes.size() > 1) {
        errors = "[" + errors + "]";
    }
    return {Reason::Invalid,
            qualified(kind, group) + " " + quoted(name) + " is invalid: " + errors,
            StatusDetails{.name = std::string(name),
                          .group = std::string(group),
                          .kind = std::string(kind),
                          .causes = std::move(causes)}};
}

Status bad_request(std::string message) { return {Reason::BadRequest, std::move(message)}; }

Status internal_error(std::string message) {
    StatusDetails details;
    details.causes.push_back({"", message, ""});
    return {Reason::InternalError, "Internal error occurred: " + message, std::move(details)};
}

}  // namespace skiff::base
