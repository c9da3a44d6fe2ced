// Issuing certificates: a self-signed cluster CA and the serving and client certificates it signs.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "skiff/base/status.h"
#include "skiff/pki/certificate.h"
#include "skiff/pki/key.h"

namespace skiff::pki {

struct CertificateAuthority {
    Certificate cert;
    PrivateKey key;
};

/// The extended key usage of an issued leaf certificate.
enum class Usage { Server, Client };

inline constexpr std::chrono::hours kCaValidity{24 * 365 * 10};
inline constexpr std::chrono::hours kLeafValidity{24 * 365};

/// A new key of `key_type` and a self-signed certificate for it: CA:TRUE (critical),
/// keyCertSign|cRLSign (critical), a random 128-bit serial, a subject key id, valid from
/// `now` for `validity`.
base::Result<CertificateAuthority> generate_ca(std::string_view common_name, Clock::time_point now,
                                               Clock::duration validity = kCaValidity,
                                               KeyType key_type = KeyType::EcdsaP256);

/// A certificate for `subject_key` and `identity` signed by `ca`: CA:FALSE,
/// digitalSignature|keyEncipherment, the extended key usage for `usage`, subject and
/// authority key ids. Valid from `now` for `validity`, but never past the CA's not_after.
/// BadRequest for an unparsable IP address or name.
base::Result<Certificate> issue_cert(const CertificateAuthority& ca, const PublicKey& subject_key,
                                     const Identity& identity, Usage usage, Clock::time_point now,
                                     Clock::duration validity = kLeafValidity);

/// issue_cert with Usage::Server and the given SANs.
base::Result<Certificate> issue_serving_cert(
    const CertificateAuthority& ca, const PublicKey& subject_key, std::string_view common_name,
    std::vector<std::string> dns_names, std::vector<std::string> ip_addresses,
    Clock::time_point now, Clock::duration validity = kLeafValidity);

/// issue_cert with Usage::Client: CN is the Kubernetes user, each O one of its groups.
base::Result<Certificate> issue_client_cert(const CertificateAuthority& ca,
                                            const PublicKey& subject_key, std::string_view user,
                                            std::vector<std::string> groups, Clock::time_point now,
                                            Clock::duration validity = kLeafValidity);

}  // namespace skiff::pki
