// Url: splits http(s) URLs into scheme, host (IPv4, bracketed IPv6 or name), port and target.
#include "url.h"

#include <charconv>

namespace skiff::http::detail {

base::Result<Url> parse_url(std::string_view text) {
    Url url;
    std::string_view rest = text;
    if (rest.starts_with("https://")) {
        url.tls = true;
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else {
        return base::bad_request("url \"" + std::string(text) + "\": scheme must be http or https");
    }
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        url.target = std::string(rest.substr(slash));
        if (url.target.front() == '?') {
            url.target.insert(0, "/");
        }
    }
    std::string_view host;
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return base::bad_request("url \"" + std::string(text) + "\": unterminated IPv6 host");
        }
        host = authority.substr(1, close - 1);
        authority.remove_prefix(close + 1);
        if (!authority.empty() && !authority.starts_with(':')) {
            return base::bad_request("url \"" + std::string(text) + "\": bad port");
        }
        port = authority.empty() ? std::string_view() : authority.substr(1);
    } else {
        const auto colon = authority.rfind(':');
        host = authority.substr(0, colon);
        port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
    }
    int port_number = 0;
    if (port.empty()) {
        port = url.tls ? "443" : "80";
    }
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), port_number);
    if (host.empty() || ec != std::errc() || end != port.data() + port.size() ||
        port_number <= 0 || port_number > 65535) {
        return base::bad_request("url \"" + std::string(text) + "\": bad host or port");
    }
    url.host = std::string(host);
    url.port = std::string(port);
    const bool ipv6 = url.host.find(':') != std::string::npos;
    url.host_header = (ipv6 ? "[" + url.host + "]" : url.host) + ":" + url.port;
    url.origin = (url.tls ? "https://" : "http://") + url.host_header;
    return url;
}

}  // namespace skiff::http::detail
