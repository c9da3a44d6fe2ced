// Request and Response: plain HTTP messages as the server hands them to handlers and the client sends.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skiff/base/status.h"
#include "skiff/http/headers.h"

namespace skiff::http {

/// A client certificate that verified against the server's client CA.
struct PeerCertificate {
    std::string common_name;                 // subject CN: the user name
    std::vector<std::string> organizations;  // subject O values: the groups
    std::string der;                         // the leaf certificate, DER
};

struct Request {
    std::string method = "GET";
    /// The request target as sent ("/api/v1/pods?watch=1"); what the client sends.
    std::string target = "/";
    /// Server side: the percent-decoded path part of `target`.
    std::string path;
    /// Server side: the raw query part of `target`, without '?'.
    std::string query;
    Headers headers;
    std::string body;
    /// Server side: the peer's "ip:port" ("[ip]:port" for IPv6).
    std::string remote_address;
    /// Server side: whether the request came over TLS.
    bool tls = false;
    /// Server side: set only when the client presented a certificate that verified.
    std::optional<PeerCertificate> peer;

    /// A request to send. Prefer it to designated initializers inside coroutines: g++ 12
    /// miscompiles braced aggregate temporaries there.
    static Request make(std::string method, std::string target, std::string body = {});

    /// The first value of query parameter `name`, decoded ('+' is a space), if present.
    std::optional<std::string> query_param(std::string_view name) const;
    /// Every value of query parameter `name`, decoded.
    std::vector<std::string> query_params(std::string_view name) const;
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;

    /// A response with Content-Type application/json.
    static Response json(int status, std::string body);
    /// A response with Content-Type text/plain; charset=utf-8.
    static Response text(int status, std::string body);
};

/// The metav1.Status JSON response for `status`, with the Status's HTTP code.
Response from_status(const base::Status& status);

/// Decodes %XX escapes (and '+' as a space when `plus_is_space`); malformed escapes stay as is.
std::string percent_decode(std::string_view s, bool plus_is_space = false);

}  // namespace skiff::http
