// Conversions between Beast messages and skiff's Request/Response, with header validation.
#include "wire.h"

#include "skiff/base/check.h"
#include "skiff/base/log.h"

namespace skiff::http::detail {
namespace {

bool is_token(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= ' ' || u >= 127 || std::string_view("()<>@,;:\\\"/[]?={}").find(c) !=
                                        std::string_view::npos) {
            return false;
        }
    }
    return true;
}

bool is_field_value(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

void force_close(beast::tcp_stream& tcp) {
    boost::system::error_code ignored;
    tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp.socket().close(ignored);
}

Request to_request(BeastRequest& msg) {
    Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    const std::string_view target = msg.target();
    const auto q = target.find('?');
    r.path = percent_decode(target.substr(0, q));
    if (q != std::string_view::npos) {
        r.query = std::string(target.substr(q + 1));
    }
    r.headers = to_headers(msg);
    r.body = std::move(msg.body());
    return r;
}

void copy_headers(const Headers& from, bhttp::fields& to) {
    for (const auto& [name, value] : from) {
        if (!is_token(name) || !is_field_value(value)) {
            base::log::warn("http: dropping an invalid header field", {{"name", name}});
            continue;
        }
        to.insert(name, value);
    }
}

Headers to_headers(const bhttp::fields& from) {
    Headers h;
    for (const auto& f : from) {
        h.add(std::string(f.name_string()), std::string(f.value()));
    }
    return h;
}

BeastResponse to_beast_response(Response response, unsigned version, bool keep_alive, bool head) {
    BeastResponse res{static_cast<bhttp::status>(valid_status(response.status)), version};
    copy_headers(response.headers, res);
    res.keep_alive(keep_alive);
    const unsigned code = res.result_int();
    if (code < 200 || code == 204 || code == 304) {
        res.erase(bhttp::field::content_length);
    } else {
        res.content_length(response.body.size());
        if (!head) {
            res.body() = std::move(response.body);
        }
    }
    return res;
}

Response to_response(const bhttp::response_header<>& msg, std::string body) {
    return Response{.status = static_cast<int>(msg.result_int()),
                    .headers = to_headers(msg),
                    .body = std::move(body)};
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    if (address.is_unspecified() && endpoint.port() == 0) {
        return "";
    }
    const std::string ip = address.to_string();
    const std::string port = std::to_string(endpoint.port());
    return address.is_v6() ? "[" + ip + "]:" + port : ip + ":" + port;
}

base::Status io_status(std::string_view context, const boost::system::error_code& ec) {
    return {base::Reason::ServiceUnavailable, std::string(context) + ": " + ec.message()};
}

unsigned valid_status(int status) {
    if (status < 100 || status > 999) {
        SKIFF_BUG("http: a handler answered with an invalid status code");
        return 500;
    }
    return static_cast<unsigned>(status);
}

}  // namespace skiff::http::detail
