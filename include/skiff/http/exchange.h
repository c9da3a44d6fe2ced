// Exchange: one request on a server connection and the ways a handler can answer it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"
#include "skiff/http/headers.h"
#include "skiff/http/message.h"
#include "skiff/http/websocket.h"

namespace skiff::http {

/// A response body sent with chunked transfer encoding; every write() is one chunk, flushed.
class ResponseStream {
public:
    virtual ~ResponseStream() = default;
    /// Sends one chunk (an empty `chunk` sends nothing). Fails (Reason::ServiceUnavailable)
    /// when the client is gone or the write timed out; stop writing then.
    virtual boost::asio::awaitable<base::Status> write(std::string chunk) = 0;
    /// Sends the last (zero-length) chunk. The server finishes streams a handler left open.
    virtual boost::asio::awaitable<base::Status> finish() = 0;
};

/// Given to a handler for one request; valid until the handler's coroutine returns. A handler
/// answers with exactly one of respond(), start_stream() or accept_websocket(); one that
/// answers nothing gets a 500 Status. When the server stops past its grace period the
/// handler's coroutine is cancelled (its pending asio operations throw operation_aborted).
class Exchange {
public:
    virtual ~Exchange() = default;

    virtual const Request& request() const = 0;
    virtual Request& request() = 0;

    /// Writes `response` (Content-Length set from the body). Write errors end the
    /// connection after the handler returns; they are not reported to the handler.
    virtual boost::asio::awaitable<void> respond(Response response) = 0;
    /// Writes the status line and headers of a chunked response.
    virtual boost::asio::awaitable<std::unique_ptr<ResponseStream>> start_stream(
        int status, Headers headers) = 0;

    /// Whether the request asks for a WebSocket upgrade.
    virtual bool is_websocket_upgrade() const = 0;
    /// The subprotocols the client offered (Sec-WebSocket-Protocol), in its order.
    virtual std::vector<std::string> websocket_protocols() const = 0;
    /// Answers 101, echoing `subprotocol` ("" for none; it must be one the client offered).
    /// Fails with BadRequest when the request is not an upgrade or the handshake fails.
    virtual boost::asio::awaitable<base::Result<std::unique_ptr<WebSocket>>> accept_websocket(
        std::string subprotocol) = 0;

    /// Whether one of the answers above has been started.
    virtual bool responded() const = 0;
};

/// A request handler. It is called on the server's executor and must not block.
using Handler = std::function<boost::asio::awaitable<void>(Exchange&)>;

}  // namespace skiff::http
