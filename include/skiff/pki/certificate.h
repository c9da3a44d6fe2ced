// X.509 certificates: PEM/DER encoding and the fields skiff reads (names, SANs, validity, usages).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "skiff/base/status.h"
#include "skiff/pki/key.h"

struct x509_st;

namespace skiff::pki {

using Clock = std::chrono::system_clock;

/// Who a certificate or CSR is for: the subject CN and O values (a Kubernetes user and its
/// groups) and the subject alternative names.
struct Identity {
    std::string common_name;
    std::vector<std::string> organizations;
    std::vector<std::string> dns_names;
    /// IPv4 or IPv6 text; read back in inet_ntop form ("::1", "10.0.0.1").
    std::vector<std::string> ip_addresses;
    bool operator==(const Identity&) const = default;
};

/// keyUsage bits and extendedKeyUsage purposes; false when the extension is absent.
struct KeyUsages {
    bool digital_signature = false;
    bool key_encipherment = false;
    bool key_cert_sign = false;
    bool crl_sign = false;
    bool server_auth = false;
    bool client_auth = false;
    bool operator==(const KeyUsages&) const = default;
};

/// An immutable certificate; copies share it.
class Certificate {
public:
    /// An empty certificate, only to be assigned to: other members require !empty().
    Certificate() = default;
    /// The first certificate in `pem`; BadRequest if there is none or it does not parse.
    static base::Result<Certificate> from_pem(std::string_view pem);
    /// Every certificate in `pem`, in order; BadRequest if there is none or one does not parse.
    static base::Result<std::vector<Certificate>> bundle_from_pem(std::string_view pem);
    static base::Result<Certificate> from_der(std::string_view der);
    /// Takes ownership of `cert` (not null).
    static Certificate adopt(x509_st* cert);

    std::string to_pem() const;
    std::string to_der() const;

    std::string common_name() const;
    std::vector<std::string> organizations() const;
    std::string issuer_common_name() const;
    std::vector<std::string> dns_names() const;
    std::vector<std::string> ip_addresses() const;
    Identity identity() const;
    /// Lowercase hex, without leading zero bytes.
    std::string serial_hex() const;
    Clock::time_point not_before() const;
    Clock::time_point not_after() const;
    /// basicConstraints CA:TRUE.
    bool is_ca() const;
    KeyUsages key_usages() const;
    PublicKey public_key() const;
    /// Lowercase hex SHA-256 of the DER.
    std::string sha256_fingerprint() const;

    bool matches_key(const PrivateKey& key) const;
    /// Whether `ca`'s subject is this certificate's issuer and `ca`'s key verifies its
    /// signature; Unauthorized otherwise. Checks neither validity times nor `ca` being a CA.
    base::Status verify_signed_by(const Certificate& ca) const;
    /// not_before <= now <= not_after (RFC 5280: both ends inclusive).
    bool valid_at(Clock::time_point now) const;
    /// not_after < now + within, as k3s decides renewal; true for an expired certificate.
    bool expires_within(Clock::time_point now, Clock::duration within) const;

    /// Same DER.
    bool operator==(const Certificate& other) const;
    bool empty() const { return cert_ == nullptr; }

    /// Borrowed, valid while a copy of this certificate lives; for OpenSSL calls elsewhere.
    x509_st* native() const { return cert_.get(); }

private:
    explicit Certificate(std::shared_ptr<x509_st> cert) : cert_(std::move(cert)) {}
    std::shared_ptr<x509_st> cert_;
};

}  // namespace skiff::pki
