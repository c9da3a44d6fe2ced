// The server's on-disk identity under --data-dir: CAs, serving and admin certificates, join token.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "skiff/base/status.h"
#include "skiff/pki/authority.h"
#include "skiff/pki/files.h"

namespace skiff::cli {

struct ServerMaterialOptions {
    std::filesystem::path data_dir;
    std::string node_name;
    /// Extra names and addresses for the serving certificate (--tls-san).
    std::vector<std::string> tls_sans;
    /// Addresses of this host to put in the serving certificate.
    std::vector<std::string> host_ips;
    /// --token: a bare password or a full K10 token; empty to keep or generate one.
    std::string token;
};

struct ServerMaterial {
    pki::CertificateAuthority server_ca;  // signs serving certificates
    pki::CertificateAuthority client_ca;  // signs client certificates
    pki::CertifiedKey serving;
    pki::CertifiedKey admin;  // CN system:admin, O system:masters
    std::string server_ca_pem;
    std::string join_token;   // K10<hash of server_ca_pem>::server:<password>
    std::filesystem::path token_path;
};

/// Leaf certificates are renewed when they expire within this, as k3s does at start.
inline constexpr std::chrono::hours kRenewBefore{24 * 120};

/// Loads what exists, creates what is missing, renews leaf certificates that expire within
/// kRenewBefore or whose SANs no longer cover the wanted ones. Keys are written 0600.
/// BadRequest when --token contradicts the stored token or the CA.
base::Result<ServerMaterial> prepare_server_material(const ServerMaterialOptions& options,
                                                     std::chrono::system_clock::time_point now);

/// The SANs the serving certificate must carry: DNS names and IP addresses.
struct ServingNames {
    std::vector<std::string> dns;
    std::vector<std::string> ips;
};
ServingNames serving_names(const ServerMaterialOptions& options);

/// An admin kubeconfig (YAML) for `server_url` with the client certificate embedded.
std::string admin_kubeconfig(const ServerMaterial& material, const std::string& server_url);

}  // namespace skiff::cli
