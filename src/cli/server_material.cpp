// Creates, loads and renews the server's certificates and join token under --data-dir.
#include "server_material.h"

#include <arpa/inet.h>

#include <algorithm>

#include "join_token.h"
#include "skiff/base/log.h"
#include "skiff/pki/ca_hash.h"
#include "skiff/pki/digest.h"
#include "skiff/pki/encoding.h"

namespace skiff::cli {
namespace fs = std::filesystem;
using base::Result;

namespace {

bool is_ip(const std::string& s) {
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

/// inet_ntop's form, so "0:0::1" and "::1" compare equal with what certificates read back.
std::string canonical_ip(const std::string& s) {
    unsigned char buf[16];
    char out[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
        return inet_ntop(AF_INET, buf, out, sizeof out);
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
        return inet_ntop(AF_INET6, buf, out, sizeof out);
    }
    return s;
}

void add_unique(std::vector<std::string>& v, std::string s) {
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) {
        v.push_back(std::move(s));
    }
}

bool covers(const std::vector<std::string>& have, const std::vector<std::string>& want) {
    return std::all_of(want.begin(), want.end(), [&](const std::string& w) {
        return std::find(have.begin(), have.end(), w) != have.end();
    });
}

Result<pki::CertificateAuthority> load_or_create_ca(const fs::path& dir, const std::string& name,
                                                    const std::string& cn,
                                                    std::chrono::system_clock::time_point now) {
    const fs::path crt = dir / (name + ".crt");
    const fs::path key = dir / (name + ".key");
    if (fs::exists(crt) || fs::exists(key)) {
        return pki::load_ca(crt, key);
    }
    auto ca = pki::generate_ca(cn + "@" + std::to_string(std::chrono::system_clock::to_time_t(now)),
                               now);
    if (!ca.ok()) {
        return ca;
    }
    if (auto s = pki::save_cert_and_key(crt, key, ca->cert, ca->key); !s.ok()) {
        return s;
    }
    base::log::info("created certificate authority", {{"path", crt.string()}});
    return ca;
}

/// A leaf certificate from disk when still good; otherwise a new key and certificate.
Result<pki::CertifiedKey> load_or_issue_leaf(const fs::path& dir, const std::string& name,
                                             const pki::CertificateAuthority& ca,
                                             const pki::Identity& want, pki::Usage usage,
                                             std::chrono::system_clock::time_point now) {
    const fs::path crt = dir / (name + ".crt");
    const fs::path key = dir / (name + ".key");
    if (fs::exists(crt) && fs::exists(key)) {
        auto have = pki::load_cert_and_key(crt, key);
        if (have.ok()) {
            const auto& c = have->cert;
            bool good = c.verify_signed_by(ca.cert).ok() && !c.expires_within(now, kRenewBefore) &&
                        c.common_name() == want.common_name &&
                        c.organizations() == want.organizations &&
                        covers(c.dns_names(), want.dns_names) &&
                        covers(c.ip_addresses(), want.ip_addresses);
            if (good) {
                return have;
            }
        }
        base::log::info("renewing certificate", {{"path", crt.string()}});
    }
    auto new_key = pki::PrivateKey::generate();
    if (!new_key.ok()) {
        return new_key.status();
    }
    auto cert = pki::issue_cert(ca, new_key->public_key(), want, usage, now);
    if (!cert.ok()) {
        return cert.status();
    }
    if (auto s = pki::save_cert_and_key(crt, key, *cert, *new_key); !s.ok()) {
        return s;
    }
    return pki::CertifiedKey{*cert, *new_key};
}

/// The token password: the stored one, the one from --token, or a new random one.
Result<std::string> token_password(const ServerMaterialOptions& options, const fs::path& path,
                                   const std::string& ca_hash) {
    std::string stored;
    if (fs::exists(path)) {
        auto text = pki::read_file(path);
        if (!text.ok()) {
            return text.status();
        }
        auto parsed = parse_join_token(*text, "server");
        if (!parsed.ok()) {
            return parsed.status().prepend(path.string());
        }
        stored = parsed->password;
    }
    if (options.token.empty()) {
        return stored.empty() ? pki::random_hex(16) : stored;
    }
    auto given = parse_join_token(options.token, "server");
    if (!given.ok()) {
        return given.status().prepend("--token");
    }
    if (!given->ca_hash.empty() && given->ca_hash != ca_hash) {
        return base::bad_request("--token pins CA hash " + given->ca_hash +
                                 " but this server's CA hashes to " + ca_hash);
    }
    if (!stored.empty() && stored != given->password) {
        return base::bad_request("--token differs from the token this server was started with "
                                 "(" + path.string() + "); use that token, or a new --data-dir");
    }
    return given->password;
}

}  // namespace

ServingNames serving_names(const ServerMaterialOptions& options) {
    ServingNames n;
    for (std::string name : {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                             "kubernetes.default.svc.cluster.local"}) {
        add_unique(n.dns, name);
    }
    add_unique(n.dns, options.node_name);
    // 10.43.0.1 is the kubernetes service address in the default service CIDR.
    for (std::string ip : {"127.0.0.1", "::1", "10.43.0.1"}) {
        add_unique(n.ips, ip);
    }
    for (const auto& ip : options.host_ips) {
        add_unique(n.ips, canonical_ip(ip));
    }
    for (const auto& san : options.tls_sans) {
        if (is_ip(san)) {
            add_unique(n.ips, canonical_ip(san));
        } else {
            add_unique(n.dns, san);
        }
    }
    return n;
}

Result<ServerMaterial> prepare_server_material(const ServerMaterialOptions& options,
                                               std::chrono::system_clock::time_point now) {
    const fs::path server_dir = options.data_dir / "server";
    const fs::path tls_dir = server_dir / "tls";
    std::error_code ec;
    fs::create_directories(tls_dir, ec);
    if (ec) {
        return base::internal_error("cannot create " + tls_dir.string() + ": " + ec.message());
    }
    fs::permissions(server_dir, fs::perms::owner_all, ec);

    ServerMaterial m;
    auto server_ca = load_or_create_ca(tls_dir, "server-ca", "skiff-server-ca", now);
    if (!server_ca.ok()) {
        return server_ca.status();
    }
    m.server_ca = std::move(*server_ca);
    auto client_ca = load_or_create_ca(tls_dir, "client-ca", "skiff-client-ca", now);
    if (!client_ca.ok()) {
        return client_ca.status();
    }
    m.client_ca = std::move(*client_ca);

    auto names = serving_names(options);
    auto serving = load_or_issue_leaf(
        tls_dir, "serving-kube-apiserver", m.server_ca,
        {.common_name = "kube-apiserver", .dns_names = names.dns, .ip_addresses = names.ips},
        pki::Usage::Server, now);
    if (!serving.ok()) {
        return serving.status();
    }
    m.serving = std::move(*serving);
    auto admin = load_or_issue_leaf(
        tls_dir, "client-admin", m.client_ca,
        {.common_name = "system:admin", .organizations = {"system:masters"}},
        pki::Usage::Client, now);
    if (!admin.ok()) {
        return admin.status();
    }
    m.admin = std::move(*admin);

    // The hash covers the exact bytes of the stored CA file, which /cacerts serves.
    auto ca_pem = pki::read_file(tls_dir / "server-ca.crt");
    if (!ca_pem.ok()) {
        return ca_pem.status();
    }
    m.server_ca_pem = std::move(*ca_pem);
    auto hash = pki::ca_bundle_hash(m.server_ca_pem, now);
    if (!hash.ok()) {
        return hash.status();
    }
    m.token_path = server_dir / "token";
    auto password = token_password(options, m.token_path, *hash);
    if (!password.ok()) {
        return password.status();
    }
    m.join_token = format_join_token(*hash, "server", *password);
    auto stored = pki::read_file(m.token_path);
    if (!stored.ok() || *stored != m.join_token + "\n") {
        if (auto s = pki::write_file_atomic(m.token_path, m.join_token + "\n", pki::kKeyFileMode);
            !s.ok()) {
            return s;
        }
    }
    return m;
}

std::string admin_kubeconfig(const ServerMaterial& m, const std::string& server_url) {
    return "apiVersion: v1\n"
           "kind: Config\n"
           "clusters:\n"
           "- cluster:\n"
           "    certificate-authority-data: " + pki::base64_encode(m.server_ca_pem) + "\n"
           "    server: " + server_url + "\n"
           "  name: default\n"
           "contexts:\n"
           "- context:\n"
           "    cluster: default\n"
           "    user: default\n"
           "  name: default\n"
           "current-context: default\n"
           "preferences: {}\n"
           "users:\n"
           "- name: default\n"
           "  user:\n"
           "    client-certificate-data: " + pki::base64_encode(m.admin.cert.to_pem()) + "\n"
           "    client-key-data: " + pki::base64_encode(m.admin.key.to_pem()) + "\n";
}

}  // namespace skiff::cli
