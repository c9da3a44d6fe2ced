// TLS contexts (OpenSSL through Asio SSL) and client certificate subjects.
#include "tls.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace skiff::http::detail {
namespace {

namespace ssl = boost::asio::ssl;
namespace net = boost::asio;

constexpr unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void*) {
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, outlen, kAlpn, sizeof kAlpn, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;  // e.g. only h2 offered: go on without ALPN
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

base::Status pem_error(std::string_view what, const boost::system::error_code& ec) {
    return base::bad_request("tls: " + std::string(what) + ": " + ec.message());
}

std::unique_ptr<ssl::context> new_context(ssl::context::method method) {
    auto ctx = std::make_unique<ssl::context>(method);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                     SSL_OP_NO_RENEGOTIATION);
    return ctx;
}

// Loads a certificate chain and its key into `ctx`.
base::Status load_identity(ssl::context& ctx, std::string_view what, const std::string& cert_pem,
                           const std::string& key_pem) {
    boost::system::error_code ec;
    ctx.use_certificate_chain(net::buffer(cert_pem), ec);
    if (ec) {
        return pem_error(std::string(what) + " certificate", ec);
    }
    ctx.use_private_key(net::buffer(key_pem), ssl::context::pem, ec);
    if (ec) {
        return pem_error(std::string(what) + " key", ec);
    }
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
        return base::bad_request("tls: " + std::string(what) +
                                 " key does not match its certificate");
    }
    return {};
}

std::string utf8(const ASN1_STRING* s) {
    unsigned char* out = nullptr;
    const int n = ASN1_STRING_to_UTF8(&out, s);
    if (n < 0) {
        return "";
    }
    std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return text;
}

}  // namespace

base::Result<std::unique_ptr<ssl::context>> make_server_context(const ServerTls& config) {
    auto ctx = new_context(ssl::context::tls_server);
    if (auto s = load_identity(*ctx, "server", config.cert_chain_pem, config.key_pem); !s.ok()) {
        return s;
    }
    SSL_CTX_set_alpn_select_cb(ctx->native_handle(), select_alpn, nullptr);
    if (!config.client_ca_pem.empty()) {
        boost::system::error_code ec;
        ctx->add_certificate_authority(net::buffer(config.client_ca_pem), ec);
        if (ec) {
            return pem_error("client CA", ec);
        }
        // verify_peer without fail_if_no_peer_cert: ask for a certificate, verify one that
        // comes, accept none.
        ctx->set_verify_mode(ssl::verify_peer);
        static constexpr unsigned char kSessionContext[] = "skiff";
        SSL_CTX_set_session_id_context(ctx->native_handle(), kSessionContext,
                                       sizeof kSessionContext - 1);
    }
    return ctx;
}

base::Result<std::unique_ptr<ssl::context>> make_client_context(const ClientTls& config) {
    auto ctx = new_context(ssl::context::tls_client);
    boost::system::error_code ec;
    if (!config.ca_pem.empty()) {
        ctx->add_certificate_authority(net::buffer(config.ca_pem), ec);
        if (ec) {
            return pem_error("CA", ec);
        }
    } else {
        ctx->set_default_verify_paths(ec);
        if (ec) {
            return pem_error("system CA store", ec);
        }
    }
    if (!config.cert_pem.empty() || !config.key_pem.empty()) {
        if (auto s = load_identity(*ctx, "client", config.cert_pem, config.key_pem); !s.ok()) {
            return s;
        }
    }
    ctx->set_verify_mode(config.insecure_skip_verify ? ssl::verify_none : ssl::verify_peer);
    return ctx;
}

base::Status prepare_client(SSL* ssl, const ClientTls& config, std::string_view host) {
    const std::string name(config.server_name.empty() ? host : config.server_name);
    boost::system::error_code ec;
    const auto address = net::ip::make_address(name, ec);
    bool ok = SSL_set_alpn_protos(ssl, kAlpn, sizeof kAlpn) == 0;
    if (ec) {
        ok = ok && SSL_set_tlsext_host_name(ssl, name.c_str()) == 1 &&
             SSL_set1_host(ssl, name.c_str()) == 1;
    } else {
        // IP addresses are not sent as SNI; they are verified against IP SANs.
        ok = ok && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
                                                 address.to_string().c_str()) == 1;
    }
    if (!ok) {
        return base::bad_request("tls: cannot verify server name \"" + name + "\"");
    }
    return {};
}

std::optional<PeerCertificate> verified_peer(SSL* ssl) {
    X509* cert = SSL_get0_peer_certificate(ssl);
    if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK ||
        SSL_get_verify_mode(ssl) == SSL_VERIFY_NONE) {
        return std::nullopt;
    }
    PeerCertificate peer;
    const X509_NAME* subject = X509_get_subject_name(cert);
    for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        if (nid == NID_commonName) {
            peer.common_name = utf8(X509_NAME_ENTRY_get_data(entry));
        } else if (nid == NID_organizationName) {
            peer.organizations.push_back(utf8(X509_NAME_ENTRY_get_data(entry)));
        }
    }
    const int len = i2d_X509(cert, nullptr);
    if (len > 0) {
        peer.der.resize(static_cast<std::size_t>(len));
        auto* p = reinterpret_cast<unsigned char*>(peer.der.data());
        i2d_X509(cert, &p);
    }
    return peer;
}

}  // namespace skiff::http::detail
