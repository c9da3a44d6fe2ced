// Client: dials (TCP, TLS), pools keep-alive connections, reads responses, streams, WebSockets.
#include "skiff/http/client.h"

#include <map>
#include <variant>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "skiff/base/log.h"
#include "tls.h"
#include "url.h"
#include "websocket_impl.h"
#include "wire.h"

namespace skiff::http {

// The Beast and Asio names and the wire helpers (wire.h, websocket_impl.h).
using namespace detail;
using beast::tcp_stream;

namespace {

constexpr std::uint32_t kMaxResponseHeaderBytes = 1 << 20;
constexpr std::size_t kStreamReadSize = 16 << 10;

// One connection to a server; pooled between requests while idle.
struct ClientConnection {
    template <typename S, typename... Args>
    explicit ClientConnection(std::in_place_type_t<S> type, Args&&... args)
        : stream(type, std::forward<Args>(args)...) {}

    std::variant<tcp_stream, TlsStream> stream;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;

    tcp_stream& tcp() {
        return std::visit([](auto& s) -> tcp_stream& { return beast::get_lowest_layer(s); },
                          stream);
    }
};

using ConnectionPtr = std::unique_ptr<ClientConnection>;

// What a failed request tells: `Get "https://127.0.0.1:6443/api": connect: refused`.
base::Status transport_error(const Url& url, std::string_view method, std::string_view target,
                             std::string_view step, const boost::system::error_code& ec) {
    std::string context(method);
    context += " \"" + url.origin + std::string(target) + "\": " + std::string(step);
    return detail::io_status(context, ec);
}

std::string target_of(const Url& url, const Request& request) {
    if (request.target.empty() || request.target == "/") {
        return url.target.empty() ? "/" : url.target;
    }
    return request.target;
}

BeastRequest to_beast_request(Request request, const Url& url, const std::string& target) {
    BeastRequest msg;
    msg.method_string(request.method);
    msg.target(target);
    msg.version(11);
    detail::copy_headers(request.headers, msg);
    if (msg.find(bhttp::field::host) == msg.end()) {
        msg.set(bhttp::field::host, url.host_header);
    }
    if (msg.find(bhttp::field::user_agent) == msg.end()) {
        msg.set(bhttp::field::user_agent, "skiff");
    }
    msg.body() = std::move(request.body);
    msg.prepare_payload();
    return msg;
}

// The Status in a JSON body, or a generic one naming the HTTP status.
base::Status status_from_body(int code, const std::string& body) {
    boost::system::error_code ec;
    const auto json = boost::json::parse(body, ec);
    if (!ec && json.is_object() && json.as_object().contains("kind")) {
        base::Status s = base::Status::from_json(json);
        if (!s.ok()) {
            return s;
        }
    }
    return base::Status(base::Reason::Unknown, "the server answered with HTTP " +
                                                   std::to_string(code))
        .set_code(code);
}

}  // namespace

struct Client::State {
    net::any_io_executor executor;
    ClientConfig config;
    std::unique_ptr<detail::ssl::context> tls;
    std::map<std::string, std::vector<ConnectionPtr>> idle;  // by origin
    std::size_t opened = 0;
};

namespace {

using State = Client::State;

net::awaitable<base::Result<ConnectionPtr>> dial(State* state, Url url, std::string method,
                                                 std::string target) {
    boost::system::error_code ec;
    std::vector<tcp::endpoint> endpoints;
    const auto address = net::ip::make_address(url.host, ec);
    if (!ec) {
        endpoints.emplace_back(address, static_cast<std::uint16_t>(std::stoi(url.port)));
    } else {
        tcp::resolver resolver(state->executor);
        auto [rec, results] = co_await resolver.async_resolve(url.host, url.port, kTuple);
        if (rec) {
            co_return transport_error(url, method, target, "resolve", rec);
        }
        for (const auto& r : results) {
            endpoints.push_back(r.endpoint());
        }
    }
    tcp_stream tcp(state->executor);
    tcp.expires_after(state->config.connect_timeout);
    auto [cec, endpoint] = co_await tcp.async_connect(endpoints, kTuple);
    if (cec) {
        co_return transport_error(url, method, target, "connect", cec);
    }
    tcp.socket().set_option(tcp::no_delay(true), ec);
    ++state->opened;
    if (!url.tls) {
        co_return std::make_unique<ClientConnection>(std::in_place_type<tcp_stream>,
                                                     std::move(tcp));
    }
    auto conn = std::make_unique<ClientConnection>(std::in_place_type<TlsStream>, std::move(tcp),
                                                   *state->tls);
    auto& tls = std::get<TlsStream>(conn->stream);
    if (auto s = detail::prepare_client(tls.native_handle(), state->config.tls, url.host);
        !s.ok()) {
        co_return s;
    }
    auto [hec] = co_await tls.async_handshake(detail::ssl::stream_base::client, kTuple);
    if (hec) {
        co_return transport_error(url, method, target, "TLS handshake", hec);
    }
    co_return conn;
}

// A pooled connection to `url`'s origin if one is idle and fresh, else none.
ConnectionPtr take_idle(State* state, const Url& url) {
    auto it = state->idle.find(url.origin);
    if (it == state->idle.end()) {
        return nullptr;
    }
    const auto now = std::chrono::steady_clock::now();
    ConnectionPtr conn;
    while (!conn && !it->second.empty()) {
        conn = std::move(it->second.back());
        it->second.pop_back();
        if (now - conn->idle_since > state->config.idle_timeout) {
            conn.reset();
        }
    }
    if (it->second.empty()) {
        state->idle.erase(it);
    }
    return conn;
}

void put_idle(State* state, const Url& url, ConnectionPtr conn) {
    auto& pool = state->idle[url.origin];
    if (pool.size() >= state->config.max_idle_per_host) {
        return;
    }
    conn->idle_since = std::chrono::steady_clock::now();
    pool.push_back(std::move(conn));
}

// Writes `msg` and reads the header (and with `Body` = string_body, the whole response).
// `buffer`, `msg` and `parser` belong to the caller's frame.
template <typename Stream, typename Parser>
net::awaitable<std::pair<boost::system::error_code, const char*>> round_trip(
    Stream& stream, beast::flat_buffer& buffer, const BeastRequest& msg, Parser& parser,
    std::chrono::milliseconds timeout, bool header_only) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, msg, kTuple);
    if (ec) {
        co_return std::make_pair(ec, "write request");
    }
    if (header_only) {
        std::tie(ec, n) = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    } else {
        std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    }
    co_return std::make_pair(ec, "read response");
}

// Sends `msg` on a pooled connection or a new one, retrying once on a new one when a pooled
// connection turns out closed before any response byte. Returns the connection with the
// response (its header at least) in `parser`.
template <typename Parser>
net::awaitable<base::Result<ConnectionPtr>> send(State* state, const Url& url,
                                                 const BeastRequest& msg,
                                                 std::unique_ptr<Parser>& parser,
                                                 bool header_only) {
    const std::string method(msg.method_string());
    const std::string target(msg.target());
    for (int attempt = 0;; ++attempt) {
        ConnectionPtr conn = attempt == 0 ? take_idle(state, url) : nullptr;
        const bool reused = conn != nullptr;
        if (!conn) {
            auto dialed = co_await dial(state, url, method, target);
            if (!dialed.ok()) {
                co_return dialed.status();
            }
            conn = std::move(*dialed);
        }
        parser = std::make_unique<Parser>();
        parser->header_limit(kMaxResponseHeaderBytes);
        parser->body_limit(state->config.max_response_bytes);
        if (msg.method() == bhttp::verb::head) {
            parser->skip(true);
        }
        auto [ec, step] = co_await std::visit(
            [&](auto& stream) {
                return round_trip(stream, conn->buffer, msg, *parser,
                                  state->config.request_timeout, header_only);
            },
            conn->stream);
        if (!ec) {
            co_return conn;
        }
        if (!reused || parser->got_some() || ec == beast::error::timeout) {
            co_return transport_error(url, method, target, step, ec);
        }
    }
}

net::awaitable<base::Result<Response>> do_request(State* state, std::string url_text,
                                                  Request request) {
    auto url = detail::parse_url(url_text);
    if (!url.ok()) {
        co_return url.status();
    }
    const std::string target = target_of(*url, request);
    const BeastRequest msg = to_beast_request(std::move(request), *url, target);
    std::unique_ptr<bhttp::response_parser<bhttp::string_body>> parser;
    auto conn = co_await send(state, *url, msg, parser, false);
    if (!conn.ok()) {
        co_return conn.status();
    }
    const bool keep = parser->get().keep_alive();
    auto res = parser->release();
    Response out = detail::to_response(res, std::move(res.body()));
    if (keep) {
        put_idle(state, *url, std::move(*conn));
    }
    co_return out;
}

using StreamParser = bhttp::response_parser<bhttp::buffer_body>;

template <typename Stream>
net::awaitable<boost::system::error_code> read_some(Stream& stream, beast::flat_buffer& buffer,
                                                    StreamParser& parser) {
    auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
    co_return ec;
}

class ResponseReaderImpl final : public ResponseReader {
public:
    ResponseReaderImpl(ConnectionPtr conn, std::unique_ptr<StreamParser> parser,
                       std::chrono::milliseconds idle_timeout, std::string context)
        : conn_(std::move(conn)), parser_(std::move(parser)), idle_timeout_(idle_timeout),
          context_(std::move(context)), response_(detail::to_response(parser_->get(), {})) {}

    const Response& response() const override { return response_; }

    net::awaitable<base::Result<std::string>> read() override {
        std::string out;
        while (out.empty() && !parser_->is_done()) {
            out.resize(kStreamReadSize);
            parser_->get().body().data = out.data();
            parser_->get().body().size = out.size();
            conn_->tcp().expires_after(idle_timeout_);
            auto ec = co_await std::visit(
                [&](auto& stream) { return read_some(stream, conn_->buffer, *parser_); },
                conn_->stream);
            if (ec && ec != bhttp::error::need_buffer) {
                co_return detail::io_status(context_, ec);
            }
            out.resize(kStreamReadSize - parser_->get().body().size);
        }
        co_return out;
    }

private:
    ConnectionPtr conn_;
    std::unique_ptr<StreamParser> parser_;
    std::chrono::milliseconds idle_timeout_;
    std::string context_;
    Response response_;
};

net::awaitable<base::Result<std::unique_ptr<ResponseReader>>> do_stream(State* state,
                                                                        std::string url_text,
                                                                        Request request) {
    auto url = detail::parse_url(url_text);
    if (!url.ok()) {
        co_return url.status();
    }
    const std::string target = target_of(*url, request);
    const std::string context = request.method + " \"" + url->origin + target + "\": read body";
    const BeastRequest msg = to_beast_request(std::move(request), *url, target);
    std::unique_ptr<StreamParser> parser;
    auto conn = co_await send(state, *url, msg, parser, true);
    if (!conn.ok()) {
        co_return conn.status();
    }
    co_return std::unique_ptr<ResponseReader>(std::make_unique<ResponseReaderImpl>(
        std::move(*conn), std::move(parser), state->config.stream_idle_timeout, context));
}

// The handshake on a dialed connection; takes over `stream`.
template <typename Stream>
net::awaitable<base::Result<std::unique_ptr<WebSocket>>> handshake(
    State* state, Stream& stream, Url url, std::string target, std::vector<std::string> offered,
    Headers headers) {
    auto ws = std::make_unique<detail::WebSocketImpl<Stream>>(
        std::move(stream), nullptr, state->config.connect_timeout,
        state->config.websocket_idle_timeout);
    std::string protocols;
    for (const auto& p : offered) {
        protocols += protocols.empty() ? p : ", " + p;
    }
    ws->ws().set_option(websocket::stream_base::decorator(
        [protocols, headers](websocket::request_type& req) {
            detail::copy_headers(headers, req);
            if (!protocols.empty()) {
                req.set(bhttp::field::sec_websocket_protocol, protocols);
            }
            req.set(bhttp::field::user_agent, "skiff");
        }));
    websocket::response_type res;
    auto [ec] = co_await ws->ws().async_handshake(res, url.host_header, target, kTuple);
    if (ec == websocket::error::upgrade_declined) {
        co_return status_from_body(static_cast<int>(res.result_int()), res.body());
    }
    if (ec) {
        co_return transport_error(url, "GET", target, "websocket handshake", ec);
    }
    const std::string chosen(res[bhttp::field::sec_websocket_protocol]);
    if (!chosen.empty() && std::find(offered.begin(), offered.end(), chosen) == offered.end()) {
        co_return base::Status(base::Reason::ServiceUnavailable,
                               "websocket: the server chose subprotocol \"" + chosen +
                                   "\" which was not offered");
    }
    ws->set_subprotocol(chosen);
    co_return std::unique_ptr<WebSocket>(std::move(ws));
}

net::awaitable<base::Result<std::unique_ptr<WebSocket>>> do_websocket(
    State* state, std::string url_text, std::string target, std::vector<std::string> offered,
    Headers headers) {
    auto url = detail::parse_url(url_text);
    if (!url.ok()) {
        co_return url.status();
    }
    auto conn = co_await dial(state, *url, "GET", target);
    if (!conn.ok()) {
        co_return conn.status();
    }
    co_return co_await std::visit(
        [&](auto& stream) {
            return handshake(state, stream, *url, target, offered, headers);
        },
        (*conn)->stream);
}

}  // namespace

base::Result<Client> Client::create(net::any_io_executor executor, ClientConfig config) {
    auto tls = detail::make_client_context(config.tls);
    if (!tls.ok()) {
        return tls.status();
    }
    auto state = std::make_unique<State>();
    state->executor = std::move(executor);
    state->config = std::move(config);
    state->tls = std::move(*tls);
    return Client(std::move(state));
}

Client::Client(std::unique_ptr<State> state) : state_(std::move(state)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

net::awaitable<base::Result<Response>> Client::request(std::string url, Request request) {
    return do_request(state_.get(), std::move(url), std::move(request));
}

net::awaitable<base::Result<std::unique_ptr<ResponseReader>>> Client::stream(std::string url,
                                                                             Request request) {
    return do_stream(state_.get(), std::move(url), std::move(request));
}

net::awaitable<base::Result<std::unique_ptr<WebSocket>>> Client::websocket(
    std::string url, std::string target, std::vector<std::string> subprotocols,
    Headers headers) {
    return do_websocket(state_.get(), std::move(url), std::move(target), std::move(subprotocols),
                        std::move(headers));
}

std::size_t Client::connections_opened() const { return state_->opened; }

}  // namespace skiff::http
