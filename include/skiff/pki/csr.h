// Certificate signing requests (PKCS#10): creating, parsing with signature check, signing by a CA.
#pragma once

#include <string>
#include <string_view>

#include "skiff/base/status.h"
#include "skiff/pki/authority.h"
#include "skiff/pki/certificate.h"
#include "skiff/pki/key.h"

namespace skiff::pki {

/// A "CERTIFICATE REQUEST" PEM for `key` naming `identity` (SANs in an extension request).
/// BadRequest for an unparsable IP address or name.
base::Result<std::string> create_csr(const PrivateKey& key, const Identity& identity);

/// A parsed CSR whose self-signature verified.
class CertificateRequest {
public:
    /// BadRequest if `pem` does not parse, its signature does not verify, or its key is not
    /// P-256 or RSA of at least 2048 bits.
    static base::Result<CertificateRequest> from_pem(std::string_view pem);

    const Identity& identity() const { return identity_; }
    const PublicKey& public_key() const { return key_; }

private:
    CertificateRequest(Identity identity, PublicKey key)
        : identity_(std::move(identity)), key_(std::move(key)) {}
    Identity identity_;
    PublicKey key_;
};

/// Parses `csr_pem` and issues a certificate for its key and identity as issue_cert does.
/// Whether the requester may have that identity is the caller's decision.
base::Result<Certificate> sign_csr(const CertificateAuthority& ca, std::string_view csr_pem,
                                   Usage usage, Clock::time_point now,
                                   Clock::duration validity = kLeafValidity);

}  // namespace skiff::pki
