// WebSocket: a message-oriented connection after an HTTP upgrade, on the server or the client.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"

namespace skiff::http {

struct WebSocketMessage {
    enum class Kind { Text, Binary };
    Kind kind = Kind::Binary;
    std::string data;
};

/// One read and one write (or ping, or close) may be outstanding at a time, on the executor
/// of the server or client that made it. Pings are answered and idle peers are cut off
/// (keep-alive pings) by the implementation.
class WebSocket {
public:
    virtual ~WebSocket() = default;

    /// The subprotocol agreed in the handshake ("" when none).
    virtual const std::string& subprotocol() const = 0;

    /// The next data message. Fails with Reason::Gone when the peer closed the connection
    /// (see close_code()), Reason::ServiceUnavailable on I/O errors and timeouts.
    virtual boost::asio::awaitable<base::Result<WebSocketMessage>> read() = 0;
    virtual boost::asio::awaitable<base::Status> write(WebSocketMessage::Kind kind,
                                                       std::string data) = 0;
    virtual boost::asio::awaitable<base::Status> ping(std::string payload) = 0;
    /// Sends a close frame with `code` (1000 normal) and waits for the peer's close.
    virtual boost::asio::awaitable<base::Status> close(int code, std::string reason) = 0;
    /// The code of the peer's close frame; 0 before one arrived.
    virtual int close_code() const = 0;
};

}  // namespace skiff::http
