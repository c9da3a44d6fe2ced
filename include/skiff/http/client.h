// Client: an HTTP/1.1 client (plain TCP or TLS) with a keep-alive pool, streams and WebSockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "skiff/base/status.h"
#include "skiff/http/headers.h"
#include "skiff/http/message.h"
#include "skiff/http/websocket.h"

namespace skiff::http {

struct ClientTls {
    /// CAs to trust exclusively (pinning); empty: the system store.
    std::string ca_pem;
    bool insecure_skip_verify = false;
    std::string cert_pem;  // client certificate chain, with key_pem
    std::string key_pem;
    /// Name for SNI and verification; empty: the URL's host.
    std::string server_name;
};

struct ClientConfig {
    ClientTls tls;
    std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);  // TCP and TLS
    /// Writing a request, then reading its whole response (request()) or its header (stream()).
    std::chrono::milliseconds request_timeout = std::chrono::seconds(60);
    /// Between two reads of a stream; a watch sends bookmarks well within it.
    std::chrono::milliseconds stream_idle_timeout = std::chrono::minutes(5);
    std::chrono::milliseconds websocket_idle_timeout = std::chrono::seconds(300);
    /// How long an idle pooled connection is kept.
    std::chrono::milliseconds idle_timeout = std::chrono::seconds(90);
    std::size_t max_idle_per_host = 4;
    std::size_t max_response_bytes = 256 << 20;
};

/// A response whose body is read as it arrives (watch, logs).
class ResponseReader {
public:
    virtual ~ResponseReader() = default;
    /// Status and headers; the body is empty.
    virtual const Response& response() const = 0;
    /// The next piece of the body as it arrived; "" at the end. Fails (ServiceUnavailable)
    /// on I/O errors and when nothing arrived within stream_idle_timeout.
    virtual boost::asio::awaitable<base::Result<std::string>> read() = 0;
};

/// URLs are "http://host[:port][/path]" or "https://…" with host a name, an IPv4 literal or
/// a bracketed IPv6 literal. Use the client on the executor given to create(); it must
/// outlive the coroutines it starts, but streams and WebSockets it returns own their
/// connections.
class Client {
public:
    /// Loads the TLS material; BadRequest when it does not parse.
    static base::Result<Client> create(boost::asio::any_io_executor executor,
                                       ClientConfig config);
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ~Client();

    /// Sends `request` to `url`: request.target is used as is unless it is "" or "/", in
    /// which case the URL's path is. Any HTTP status is a Response; transport errors are a
    /// ServiceUnavailable Status naming the URL.
    boost::asio::awaitable<base::Result<Response>> request(std::string url, Request request);
    /// As request(), but returns once the header arrived; the body is read from the reader.
    boost::asio::awaitable<base::Result<std::unique_ptr<ResponseReader>>> stream(
        std::string url, Request request);
    /// Opens a WebSocket to `target` on `url`'s host offering `subprotocols`. A refused
    /// upgrade returns the server's Status when it sent one.
    boost::asio::awaitable<base::Result<std::unique_ptr<WebSocket>>> websocket(
        std::string url, std::string target, std::vector<std::string> subprotocols,
        Headers headers = {});

    /// Connections opened so far (not reused ones); for tests.
    std::size_t connections_opened() const;

    struct State;

private:
    explicit Client(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace skiff::http
