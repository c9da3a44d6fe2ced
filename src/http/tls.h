// TLS contexts for the server and the client, and what a server learns of a client certificate.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/ssl/context.hpp>

#include "skiff/base/status.h"
#include "skiff/http/client.h"
#include "skiff/http/message.h"
#include "skiff/http/server.h"

namespace skiff::http::detail {

/// TLS 1.2+, ALPN http/1.1; asks for (does not require) a client certificate when the config
/// has a client CA. BadRequest naming the PEM that does not load.
base::Result<std::unique_ptr<boost::asio::ssl::context>> make_server_context(
    const ServerTls& config);
/// TLS 1.2+; trusts config.ca_pem exclusively or the system store; presents the client
/// certificate if any.
base::Result<std::unique_ptr<boost::asio::ssl::context>> make_client_context(
    const ClientTls& config);

/// Sets SNI, ALPN and the name or IP address to verify on a client connection to `host`.
base::Status prepare_client(SSL* ssl, const ClientTls& config, std::string_view host);

/// The client certificate of an established server connection, if it sent one that verified.
std::optional<PeerCertificate> verified_peer(SSL* ssl);

}  // namespace skiff::http::detail
