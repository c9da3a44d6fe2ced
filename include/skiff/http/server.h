// Server: an HTTP/1.1 server (plain TCP or TLS) that runs a Handler per request.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"
#include "skiff/http/exchange.h"

namespace skiff::http {

struct ServerTls {
    std::string cert_chain_pem;  // the server certificate first, then intermediates
    std::string key_pem;
    /// When set, clients are asked for a certificate but need not send one; one that is sent
    /// must verify against these CAs (the handshake fails otherwise) and is exposed as
    /// Request::peer.
    std::string client_ca_pem;
};

/// Defaults follow kube-apiserver's.
struct ServerLimits {
    std::size_t max_header_bytes = 1 << 20;
    std::size_t max_body_bytes = 3 << 20;
    /// From the first byte of a request (or the connection) until its whole header arrived;
    /// also bounds the TLS handshake.
    std::chrono::milliseconds header_timeout = std::chrono::seconds(32);
    std::chrono::milliseconds body_timeout = std::chrono::seconds(60);
    /// Per write (a response, a chunk, a WebSocket handshake).
    std::chrono::milliseconds write_timeout = std::chrono::seconds(60);
    /// A keep-alive connection waiting for its next request.
    std::chrono::milliseconds idle_timeout = std::chrono::seconds(90);
    /// A WebSocket without traffic from the peer (pings are sent at half of it).
    std::chrono::milliseconds websocket_idle_timeout = std::chrono::seconds(300);
    /// Connections past this are accepted and closed at once.
    std::size_t max_connections = 4096;
};

struct ServerConfig {
    std::string bind_address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: an ephemeral port
    std::optional<ServerTls> tls;
    ServerLimits limits;
};

/// Lifecycle: listen(), start(), then co_await stop() before destroying it. Everything runs on
/// the executor given to the constructor; call its members there.
class Server {
public:
    Server(boost::asio::any_io_executor executor, ServerConfig config, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Loads the TLS material and binds; the bound port, or why not (BadRequest for bad
    /// configuration, InternalError for socket errors).
    base::Result<std::uint16_t> listen();
    /// Starts accepting. Precondition: listen() succeeded.
    void start();
    /// Stops accepting and closes idle connections, lets requests in flight finish for up to
    /// `grace`, then cancels handlers and closes every connection (streams and WebSockets
    /// too). Returns when every connection has ended.
    boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

    std::uint16_t port() const;
    /// Open connections; for tests and metrics.
    std::size_t connection_count() const;

    struct State;

private:
    std::shared_ptr<State> state_;
};

}  // namespace skiff::http
