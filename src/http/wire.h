// Conversions between Beast messages and skiff's Request/Response, shared by server and client.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "skiff/base/status.h"
#include "skiff/http/message.h"

namespace skiff::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using TlsStream = ssl::stream<beast::tcp_stream>;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

/// The completion token of every I/O operation here: results as a tuple, no exceptions.
inline constexpr auto kTuple = net::as_tuple(net::use_awaitable);

/// Where a server connection's socket currently lives, so the server can close it from
/// outside (at the end of a stop's grace period); null once it is gone.
struct SocketHandle {
    beast::tcp_stream* tcp = nullptr;
};

/// Closes `tcp` now; its pending operations complete with an error.
void force_close(beast::tcp_stream& tcp);

/// A server-side Request from a parsed message; moves the body out of `msg`.
Request to_request(BeastRequest& msg);
/// Copies fields whose names are tokens and whose values have no CR, LF or NUL.
void copy_headers(const Headers& from, bhttp::fields& to);
Headers to_headers(const bhttp::fields& from);
/// `response` as a Beast message: Content-Length from the body (none for 1xx, 204 and 304),
/// no body for a HEAD request.
BeastResponse to_beast_response(Response response, unsigned version, bool keep_alive, bool head);
/// `msg`'s status and headers and the given body.
Response to_response(const bhttp::response_header<>& msg, std::string body);

/// "ip:port", "[ip]:port" for IPv6; "" when unknown.
std::string format_endpoint(const tcp::endpoint& endpoint);

/// A ServiceUnavailable Status "<context>: <error>".
base::Status io_status(std::string_view context, const boost::system::error_code& ec);

/// The status code a handler asked for, or 500 (and a logged bug) when it is not valid.
unsigned valid_status(int status);

}  // namespace skiff::http::detail
