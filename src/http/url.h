// Url: the parts of an "http://" or "https://" URL the client needs.
#pragma once

#include <string>
#include <string_view>

#include "skiff/base/status.h"

namespace skiff::http::detail {

struct Url {
    bool tls = false;
    std::string host;         // without brackets: "127.0.0.1", "::1", "localhost"
    std::string port;         // always set: the default port when the URL has none
    std::string target;       // path and query; "" when the URL has none
    std::string host_header;  // "host:port", IPv6 bracketed
    std::string origin;       // "scheme://host:port": the key of the connection pool
};

/// BadRequest when `text` is not an http(s) URL with a host.
base::Result<Url> parse_url(std::string_view text);

}  // namespace skiff::http::detail
