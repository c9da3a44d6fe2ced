// WebSocketImpl: the WebSocket interface over a Beast websocket stream (plain or TLS).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "skiff/http/websocket.h"
#include "wire.h"

namespace skiff::http::detail {

namespace websocket = boost::beast::websocket;

template <typename Stream>
class WebSocketImpl final : public WebSocket {
public:
    /// Takes over `stream`. `handle`, when set, is pointed at the socket while this lives.
    WebSocketImpl(Stream&& stream, std::shared_ptr<SocketHandle> handle,
                  std::chrono::milliseconds handshake_timeout,
                  std::chrono::milliseconds idle_timeout)
        : ws_(std::move(stream)), handle_(std::move(handle)) {
        // The websocket stream keeps its own timers; the TCP one would cut idle sessions.
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(websocket::stream_base::timeout{handshake_timeout, idle_timeout, true});
        if (handle_) {
            handle_->tcp = &beast::get_lowest_layer(ws_);
        }
    }
    ~WebSocketImpl() override {
        if (handle_) {
            handle_->tcp = nullptr;
        }
    }

    websocket::stream<Stream>& ws() { return ws_; }
    void set_subprotocol(std::string subprotocol) { subprotocol_ = std::move(subprotocol); }

    const std::string& subprotocol() const override { return subprotocol_; }

    net::awaitable<base::Result<WebSocketMessage>> read() override {
        buffer_.clear();
        auto [ec, n] = co_await ws_.async_read(buffer_, kTuple);
        if (ec == websocket::error::closed) {
            co_return base::Status(base::Reason::Gone, "websocket closed by the peer with code " +
                                                           std::to_string(close_code()));
        }
        if (ec) {
            co_return io_status("websocket read", ec);
        }
        // Member by member: g++ 12 miscompiles braced aggregates in coroutines.
        WebSocketMessage message;
        message.kind = ws_.got_text() ? WebSocketMessage::Kind::Text : WebSocketMessage::Kind::Binary;
        message.data = beast::buffers_to_string(buffer_.data());
        buffer_.clear();
        co_return message;
    }

    net::awaitable<base::Status> write(WebSocketMessage::Kind kind, std::string data) override {
        ws_.text(kind == WebSocketMessage::Kind::Text);
        auto [ec, n] = co_await ws_.async_write(net::buffer(data), kTuple);
        co_return ec ? io_status("websocket write", ec) : base::Status();
    }

    net::awaitable<base::Status> ping(std::string payload) override {
        if (payload.size() > websocket::ping_data::static_capacity) {
            co_return base::bad_request("websocket ping payload longer than 125 bytes");
        }
        auto [ec] = co_await ws_.async_ping(websocket::ping_data(payload), kTuple);
        co_return ec ? io_status("websocket ping", ec) : base::Status();
    }

    net::awaitable<base::Status> close(int code, std::string reason) override {
        if (reason.size() > websocket::reason_string::static_capacity) {
            reason.resize(websocket::reason_string::static_capacity);
        }
        websocket::close_reason why;
        why.code = static_cast<std::uint16_t>(code);
        why.reason = reason;
        auto [ec] = co_await ws_.async_close(why, kTuple);
        co_return ec ? io_status("websocket close", ec) : base::Status();
    }

    int close_code() const override { return ws_.reason().code; }

private:
    websocket::stream<Stream> ws_;
    std::shared_ptr<SocketHandle> handle_;
    beast::flat_buffer buffer_;
    std::string subprotocol_;
};

}  // namespace skiff::http::detail
