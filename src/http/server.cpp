// Server: accepts connections, reads requests within limits, runs the handler, stops gracefully.
#include "skiff/http/server.h"

#include <list>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/http.hpp>

#include "skiff/base/check.h"
#include "skiff/base/log.h"
#include "tls.h"
#include "websocket_impl.h"
#include "wire.h"

namespace skiff::http {

// The Beast and Asio names and the wire helpers (wire.h, websocket_impl.h).
using namespace detail;
using beast::tcp_stream;

namespace {

// How long and how much a rejected request's remaining input is drained before closing, so
// the close does not reset the connection before the client read the error.
constexpr auto kLingerTimeout = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 256 << 10;
constexpr std::size_t kFirstRead = 8192;
// How often a stop past its deadline repeats the cancellation of stragglers.
constexpr auto kStragglerInterval = std::chrono::seconds(1);

// One accepted connection, registered with the server while its coroutine runs.
struct Connection {
    net::cancellation_signal cancel;
    std::shared_ptr<detail::SocketHandle> socket = std::make_shared<detail::SocketHandle>();
    bool idle = false;  // waiting for the first byte of a request
};

}  // namespace

struct Server::State {
    State(net::any_io_executor ex, ServerConfig cfg, Handler h)
        : executor(ex), config(std::move(cfg)), handler(std::move(h)), acceptor(ex),
          drained(ex) {}

    net::any_io_executor executor;
    ServerConfig config;
    Handler handler;
    std::unique_ptr<detail::ssl::context> tls;
    tcp::acceptor acceptor;
    std::list<Connection> connections;
    bool accepting = false;  // the accept loop runs
    bool stopping = false;
    // Cancelled when the last task (accept loop or connection) ends during a stop.
    net::steady_timer drained;

    bool idle() const { return !accepting && connections.empty(); }
    void task_ended() {
        if (stopping && idle()) {
            drained.cancel();
        }
    }
};

namespace {

using StatePtr = std::shared_ptr<Server::State>;

// The answer to a request that could not be read; success when the connection is just closed
// (timeouts, the client went away).
base::Status rejection(const boost::system::error_code& ec, const ServerLimits& limits) {
    if (ec == bhttp::error::header_limit) {
        return base::Status(base::Reason::Unknown,
                            "request header fields too large (limit " +
                                std::to_string(limits.max_header_bytes) + " bytes)")
            .set_code(431);
    }
    if (ec == bhttp::error::body_limit) {
        return {base::Reason::RequestEntityTooLarge,
                "the request body is too large (limit " + std::to_string(limits.max_body_bytes) +
                    " bytes)"};
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        return base::bad_request("malformed HTTP request: " + ec.message());
    }
    return {};
}

// Shuts down sending, drains what the client still sends (bounded), then closes.
net::awaitable<void> linger_close(tcp_stream& tcp) {
    boost::system::error_code ignored;
    tcp.socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp.expires_after(kLingerTimeout);
    std::array<char, 4096> sink;
    for (std::size_t total = 0; total < kLingerBytes;) {
        auto [ec, n] = co_await tcp.async_read_some(net::buffer(sink), kTuple);
        if (ec) {
            break;
        }
        total += n;
    }
    detail::force_close(tcp);
}

template <typename Stream>
net::awaitable<boost::system::error_code> write_with_timeout(Stream& stream, auto& message,
                                                             std::chrono::milliseconds timeout) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, message, kTuple);
    co_return ec;
}

template <typename Stream>
class ExchangeImpl;

template <typename Stream>
class ResponseStreamImpl final : public ResponseStream {
public:
    explicit ResponseStreamImpl(ExchangeImpl<Stream>* exchange) : exchange_(exchange) {}
    net::awaitable<base::Status> write(std::string chunk) override {
        return exchange_->write_chunk(std::move(chunk));
    }
    net::awaitable<base::Status> finish() override { return exchange_->finish_chunks(); }

private:
    ExchangeImpl<Stream>* exchange_;
};

template <typename Stream>
class ExchangeImpl final : public Exchange {
public:
    // `state`, `stream` and `msg` outlive the exchange: they belong to the connection.
    ExchangeImpl(const Server::State& state, Stream& stream, BeastRequest& msg, Request request,
                 std::shared_ptr<detail::SocketHandle> socket)
        : state_(state), stream_(stream), msg_(msg), request_(std::move(request)),
          socket_(std::move(socket)) {}

    const Request& request() const override { return request_; }
    Request& request() override { return request_; }
    bool responded() const override { return responded_; }
    bool is_websocket_upgrade() const override { return websocket::is_upgrade(msg_); }

    // Whether the connection can serve another request.
    bool reusable() const {
        return responded_ && !failed_ && !upgraded_ && !stream_open_ && keep_alive();
    }
    bool upgraded() const { return upgraded_; }

    net::awaitable<void> respond(Response response) override {
        if (!begin_answer()) {
            co_return;
        }
        detail::BeastResponse res = detail::to_beast_response(
            std::move(response), msg_.version(), keep_alive(), msg_.method() == bhttp::verb::head);
        const auto ec = co_await write_with_timeout(stream_, res, limits().write_timeout);
        failed_ = failed_ || ec;
    }

    net::awaitable<std::unique_ptr<ResponseStream>> start_stream(int status,
                                                                 Headers headers) override {
        if (begin_answer()) {
            bhttp::response<bhttp::empty_body> res{
                static_cast<bhttp::status>(detail::valid_status(status)), msg_.version()};
            detail::copy_headers(headers, res);
            res.keep_alive(keep_alive());
            res.chunked(true);
            bhttp::response_serializer<bhttp::empty_body> serializer(res);
            beast::get_lowest_layer(stream_).expires_after(limits().write_timeout);
            auto [ec, n] = co_await bhttp::async_write_header(stream_, serializer, kTuple);
            failed_ = failed_ || ec;
            stream_open_ = true;
        }
        co_return std::make_unique<ResponseStreamImpl<Stream>>(this);
    }

    net::awaitable<base::Status> write_chunk(std::string chunk) {
        if (!stream_open_ || failed_) {
            co_return base::Status(base::Reason::ServiceUnavailable, "the response stream is closed");
        }
        if (chunk.empty()) {
            co_return base::Status();
        }
        beast::get_lowest_layer(stream_).expires_after(limits().write_timeout);
        auto [ec, n] =
            co_await net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk)), kTuple);
        failed_ = failed_ || ec;
        co_return ec ? detail::io_status("response stream", ec) : base::Status();
    }

    net::awaitable<base::Status> finish_chunks() {
        if (!stream_open_ || failed_) {
            co_return base::Status(base::Reason::ServiceUnavailable, "the response stream is closed");
        }
        stream_open_ = false;
        beast::get_lowest_layer(stream_).expires_after(limits().write_timeout);
        auto [ec, n] = co_await net::async_write(stream_, bhttp::make_chunk_last(), kTuple);
        failed_ = failed_ || ec;
        co_return ec ? detail::io_status("response stream", ec) : base::Status();
    }

    std::vector<std::string> websocket_protocols() const override {
        std::vector<std::string> out;
        auto [it, end] = msg_.equal_range(bhttp::field::sec_websocket_protocol);
        for (; it != end; ++it) {
            std::string_view list = it->value();
            while (!list.empty()) {
                const auto comma = list.find(',');
                std::string_view item = list.substr(0, comma);
                list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
                while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
                    item.remove_prefix(1);
                }
                while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
                    item.remove_suffix(1);
                }
                if (!item.empty()) {
                    out.emplace_back(item);
                }
            }
        }
        return out;
    }

    net::awaitable<base::Result<std::unique_ptr<WebSocket>>> accept_websocket(
        std::string subprotocol) override {
        if (!is_websocket_upgrade()) {
            co_return base::bad_request("not a websocket upgrade request");
        }
        if (!subprotocol.empty()) {
            const auto offered = websocket_protocols();
            if (std::find(offered.begin(), offered.end(), subprotocol) == offered.end()) {
                co_return base::bad_request("websocket subprotocol \"" + subprotocol +
                                            "\" was not offered");
            }
        }
        if (!begin_answer()) {
            co_return base::bad_request("the request was already answered");
        }
        upgraded_ = true;
        auto ws = std::make_unique<detail::WebSocketImpl<Stream>>(
            std::move(stream_), socket_, limits().write_timeout, limits().websocket_idle_timeout);
        ws->set_subprotocol(subprotocol);
        ws->ws().set_option(websocket::stream_base::decorator(
            [subprotocol](websocket::response_type& res) {
                if (!subprotocol.empty()) {
                    res.set(bhttp::field::sec_websocket_protocol, subprotocol);
                }
            }));
        auto [ec] = co_await ws->ws().async_accept(msg_, kTuple);
        if (ec) {
            co_return base::bad_request("websocket handshake: " + ec.message());
        }
        co_return std::unique_ptr<WebSocket>(std::move(ws));
    }

    // After the handler: answers 500 for a handler that did not answer, ends an open stream.
    net::awaitable<void> complete() {
        if (!responded_) {
            co_await respond(from_status(base::internal_error("the handler did not respond")));
        } else if (stream_open_ && !failed_) {
            co_await finish_chunks();
        }
    }

private:
    const ServerLimits& limits() const { return state_.config.limits; }
    bool keep_alive() const { return msg_.keep_alive() && !state_.stopping; }

    bool begin_answer() {
        if (responded_) {
            SKIFF_BUG("http: a handler answered a request twice");
            return false;
        }
        responded_ = true;
        return true;
    }

    const Server::State& state_;
    Stream& stream_;
    BeastRequest& msg_;
    Request request_;
    std::shared_ptr<detail::SocketHandle> socket_;
    bool responded_ = false;
    bool failed_ = false;
    bool upgraded_ = false;
    bool stream_open_ = false;
};

template <typename Stream>
net::awaitable<void> run_handler(StatePtr state, ExchangeImpl<Stream>& exchange) {
    std::exception_ptr error;
    try {
        co_await state->handler(exchange);
    } catch (...) {
        error = std::current_exception();
    }
    const net::cancellation_state cancel = co_await net::this_coro::cancellation_state;
    if (cancel.cancelled() != net::cancellation_type::none) {
        co_return;  // the server is closing this connection
    }
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            base::log::error("http: handler failed", {{"path", exchange.request().path},
                                                      {"error", e.what()}});
        }
    }
    co_await exchange.complete();
}

// Serves requests on an established connection until it closes, fails or is not kept alive.
// `conn` lives in the server's list until after this coroutine ended.
template <typename Stream>
net::awaitable<void> serve_http(StatePtr state, Connection* conn, Stream& stream,
                                std::string remote, std::optional<PeerCertificate> peer) {
    const ServerLimits& limits = state->config.limits;
    auto& tcp = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
        conn->idle = true;
        if (state->stopping) {
            break;
        }
        if (buffer.size() == 0) {
            tcp.expires_after(first ? limits.header_timeout : limits.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstRead), kTuple);
            if (ec) {
                break;
            }
            buffer.commit(n);
        }
        conn->idle = false;
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        parser.body_limit(limits.max_body_bytes);
        tcp.expires_after(limits.header_timeout);
        auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
        if (!ec && !parser.is_done() &&
            iequals(parser.get()[bhttp::field::expect], "100-continue")) {
            bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
            ec = co_await write_with_timeout(stream, go_on, limits.write_timeout);
        }
        if (!ec && !parser.is_done()) {
            tcp.expires_after(limits.body_timeout);
            std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        }
        if (ec) {
            const base::Status why = rejection(ec, limits);
            if (!why.ok()) {
                detail::BeastResponse res =
                    detail::to_beast_response(from_status(why), 11, false, false);
                co_await write_with_timeout(stream, res, limits.write_timeout);
                co_await linger_close(tcp);
            }
            co_return;
        }
        BeastRequest msg = parser.release();
        Request request = detail::to_request(msg);
        request.remote_address = remote;
        request.tls = std::is_same_v<Stream, TlsStream>;
        request.peer = peer;
        ExchangeImpl<Stream> exchange(*state, stream, msg, std::move(request), conn->socket);
        co_await run_handler(state, exchange);
        if (exchange.upgraded()) {
            co_return;  // the stream was moved into the WebSocket, which is gone by now
        }
        if (!exchange.reusable()) {
            break;
        }
    }
    boost::system::error_code ignored;
    tcp.socket().shutdown(tcp::socket::shutdown_send, ignored);
    detail::force_close(tcp);
}

// Points the connection's handle at `tcp` while this lives.
struct HandleGuard {
    HandleGuard(detail::SocketHandle& handle, tcp_stream& tcp) : handle_(handle) {
        handle_.tcp = &tcp;
    }
    ~HandleGuard() { handle_.tcp = nullptr; }
    HandleGuard(const HandleGuard&) = delete;
    HandleGuard& operator=(const HandleGuard&) = delete;
    detail::SocketHandle& handle_;
};

net::awaitable<void> run_connection(StatePtr state, Connection* conn, tcp::socket socket) {
    boost::system::error_code ec;
    const std::string remote = detail::format_endpoint(socket.remote_endpoint(ec));
    try {
        if (!state->tls) {
            tcp_stream stream(std::move(socket));
            HandleGuard guard(*conn->socket, stream);
            co_await serve_http(state, conn, stream, remote, std::nullopt);
            co_return;
        }
        TlsStream stream(tcp_stream(std::move(socket)), *state->tls);
        HandleGuard guard(*conn->socket, beast::get_lowest_layer(stream));
        conn->idle = true;  // a handshake in progress is closed at once by a stop
        beast::get_lowest_layer(stream).expires_after(state->config.limits.header_timeout);
        auto [hec] = co_await stream.async_handshake(detail::ssl::stream_base::server, kTuple);
        if (hec) {
            base::log::debug(2, "http: TLS handshake failed",
                             {{"remote", remote}, {"error", hec.message()}});
            co_return;
        }
        co_await serve_http(state, conn, stream, remote, detail::verified_peer(stream.native_handle()));
    } catch (const boost::system::system_error& e) {
        if (e.code() != net::error::operation_aborted) {
            base::log::warn("http: connection failed", {{"remote", remote}, {"error", e.what()}});
        }
    } catch (const std::exception& e) {
        base::log::error("http: connection failed", {{"remote", remote}, {"error", e.what()}});
    }
}

void spawn_connection(const StatePtr& state, tcp::socket socket) {
    auto it = state->connections.emplace(state->connections.end());
    Connection* conn = &*it;
    net::co_spawn(
        state->executor, run_connection(state, conn, std::move(socket)),
        net::bind_cancellation_slot(conn->cancel.slot(), [state, it](std::exception_ptr) {
            // Erase later: the coroutine's machinery still refers to the cancellation slot.
            net::post(state->executor, [state, it] {
                state->connections.erase(it);
                state->task_ended();
            });
        }));
}

net::awaitable<void> accept_loop(StatePtr state) {
    net::steady_timer backoff(state->executor);
    while (!state->stopping) {
        auto [ec, socket] = co_await state->acceptor.async_accept(kTuple);
        if (state->stopping) {
            break;
        }
        if (ec) {
            // Out of descriptors and the like: wait instead of spinning.
            base::log::warn("http: accept failed", {{"error", ec.message()}});
            backoff.expires_after(std::chrono::milliseconds(100));
            co_await backoff.async_wait(kTuple);
            continue;
        }
        if (state->connections.size() >= state->config.limits.max_connections) {
            base::log::debug(1, "http: too many connections, closing a new one");
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        spawn_connection(state, std::move(socket));
    }
}

void close_idle(Server::State& state) {
    for (Connection& conn : state.connections) {
        if (conn.idle && conn.socket->tcp) {
            detail::force_close(*conn.socket->tcp);
        }
    }
}

void cancel_all(Server::State& state) {
    for (Connection& conn : state.connections) {
        conn.cancel.emit(net::cancellation_type::terminal);
        if (conn.socket->tcp) {
            detail::force_close(*conn.socket->tcp);
        }
    }
}

// Waits until the server has no tasks or `timeout` passed; true when it has none.
net::awaitable<bool> wait_drained(StatePtr state, std::chrono::steady_clock::duration timeout) {
    if (state->idle()) {
        co_return true;
    }
    state->drained.expires_after(timeout);
    co_await state->drained.async_wait(kTuple);
    co_return state->idle();
}

net::awaitable<void> stop_server(StatePtr state, std::chrono::milliseconds grace) {
    state->stopping = true;
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
    close_idle(*state);
    if (co_await wait_drained(state, grace)) {
        co_return;
    }
    do {
        base::log::debug(1, "http: closing connections past the grace period",
                         {{"connections", state->connections.size()}});
        cancel_all(*state);
    } while (!co_await wait_drained(state, kStragglerInterval));
}

}  // namespace

Server::Server(net::any_io_executor executor, ServerConfig config, Handler handler)
    : state_(std::make_shared<State>(executor, std::move(config), std::move(handler))) {}

Server::~Server() {
    if (state_->accepting || !state_->connections.empty()) {
        SKIFF_BUG("http: a server was destroyed without stop()");
        state_->stopping = true;
        boost::system::error_code ignored;
        state_->acceptor.close(ignored);
        cancel_all(*state_);
    }
}

base::Result<std::uint16_t> Server::listen() {
    State& s = *state_;
    if (s.config.tls) {
        auto ctx = detail::make_server_context(*s.config.tls);
        if (!ctx.ok()) {
            return ctx.status();
        }
        s.tls = std::move(*ctx);
    }
    boost::system::error_code ec;
    const auto address = net::ip::make_address(s.config.bind_address, ec);
    if (ec) {
        return base::bad_request("bind address \"" + s.config.bind_address + "\": " +
                                 ec.message());
    }
    const tcp::endpoint endpoint(address, s.config.port);
    const std::string where = detail::format_endpoint(endpoint);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
        s.acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        s.acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        s.acceptor.close(ignored);
        return base::internal_error("listen on " + where + ": " + ec.message());
    }
    return port();
}

void Server::start() {
    SKIFF_CHECK(state_->acceptor.is_open() && !state_->accepting);
    state_->accepting = true;
    auto state = state_;
    net::co_spawn(state->executor, accept_loop(state), [state](std::exception_ptr e) {
        if (e) {
            base::log::error("http: the accept loop failed");
        }
        state->accepting = false;
        state->task_ended();
    });
}

net::awaitable<void> Server::stop(std::chrono::milliseconds grace) {
    return stop_server(state_, grace);
}

std::uint16_t Server::port() const {
    boost::system::error_code ec;
    const auto endpoint = state_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

std::size_t Server::connection_count() const { return state_->connections.size(); }

}  // namespace skiff::http
