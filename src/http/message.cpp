// Request query parameters, Response constructors and the Status response.
#include "skiff/http/message.h"

namespace skiff::http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Calls `fn(value)` for every decoded value of `name` in the raw query `query`.
template <typename Fn>
void for_each_param(std::string_view query, std::string_view name, Fn fn) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value =
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (!key.empty() && percent_decode(key, true) == name) {
            fn(percent_decode(value, true));
        }
    }
}

Response with_body(int status, std::string content_type, std::string body) {
    Response r{.status = status, .headers = {}, .body = std::move(body)};
    r.headers.set("Content-Type", std::move(content_type));
    return r;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%' && i + 2 < s.size()) {
            const int hi = hex_value(s[i + 1]);
            const int lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (plus_is_space && c == '+') ? ' ' : c;
    }
    return out;
}

Request Request::make(std::string method, std::string target, std::string body) {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    return r;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    std::optional<std::string> out;
    for_each_param(query, name, [&](std::string v) {
        if (!out) {
            out = std::move(v);
        }
    });
    return out;
}

std::vector<std::string> Request::query_params(std::string_view name) const {
    std::vector<std::string> out;
    for_each_param(query, name, [&](std::string v) { out.push_back(std::move(v)); });
    return out;
}

Response Response::json(int status, std::string body) {
    return with_body(status, "application/json", std::move(body));
}

Response Response::text(int status, std::string body) {
    return with_body(status, "text/plain; charset=utf-8", std::move(body));
}

Response from_status(const base::Status& status) {
    return Response::json(status.code(), status.to_json_string());
}

}  // namespace skiff::http
