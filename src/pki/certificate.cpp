// X.509 certificates: PEM/DER encoding and the fields skiff reads (names, SANs, validity, usages).
#include "skiff/pki/certificate.h"

#include "openssl_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "skiff/base/check.h"
#include "skiff/pki/digest.h"
#include "skiff/pki/encoding.h"

namespace skiff::pki {

base::Result<Certificate> Certificate::from_pem(std::string_view pem) {
    auto bio = detail::read_bio(pem);
    X509* raw = PEM_read_bio_X509(bio.get(), nullptr, detail::no_password, nullptr);
    if (raw == nullptr) {
        return detail::bad_input("parsing certificate pem");
    }
    return Certificate(detail::share<X509_free>(raw));
}

base::Result<std::vector<Certificate>> Certificate::bundle_from_pem(std::string_view pem) {
    auto bio = detail::read_bio(pem);
    std::vector<Certificate> certs;
    while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, detail::no_password, nullptr)) {
        certs.push_back(Certificate(detail::share<X509_free>(raw)));
    }
    // The loop ends at the first block that is not a certificate: past the last one that is
    // "no start line", anything else is a broken certificate.
    unsigned long err = ERR_peek_last_error();
    if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE &&
        !certs.empty()) {
        ERR_clear_error();
        return certs;
    }
    return detail::bad_input(certs.empty() ? "parsing certificate bundle: no certificate"
                                           : "parsing certificate bundle: certificate " +
                                                 std::to_string(certs.size() + 1));
}

base::Result<Certificate> Certificate::from_der(std::string_view der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    X509* raw = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (raw == nullptr) {
        return detail::bad_input("parsing certificate der");
    }
    return Certificate(detail::share<X509_free>(raw));
}

Certificate Certificate::adopt(X509* cert) {
    return Certificate(detail::share<X509_free>(cert));
}

std::string Certificate::to_pem() const {
    auto bio = detail::write_bio();
    SKIFF_CHECK(PEM_write_bio_X509(bio.get(), cert_.get()) == 1);
    return detail::bio_contents(bio.get());
}

std::string Certificate::to_der() const {
    unsigned char* der = nullptr;
    int n = i2d_X509(cert_.get(), &der);
    SKIFF_CHECK(n > 0);
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return out;
}

std::string Certificate::common_name() const {
    return identity().common_name;
}

std::vector<std::string> Certificate::organizations() const {
    return identity().organizations;
}

std::string Certificate::issuer_common_name() const {
    return detail::decode_identity(X509_get_issuer_name(cert_.get()), nullptr).common_name;
}

Identity Certificate::identity() const {
    detail::GeneralNamesPtr sans(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(cert_.get(), NID_subject_alt_name, nullptr, nullptr)));
    return detail::decode_identity(X509_get_subject_name(cert_.get()), sans.get());
}

std::vector<std::string> Certificate::dns_names() const {
    return identity().dns_names;
}

std::vector<std::string> Certificate::ip_addresses() const {
    return identity().ip_addresses;
}

std::string Certificate::serial_hex() const {
    detail::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr));
    SKIFF_CHECK(bn != nullptr);
    std::string bytes(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return hex_encode(bytes);
}

Clock::time_point Certificate::not_before() const {
    return detail::from_asn1_time(X509_get0_notBefore(cert_.get()));
}

Clock::time_point Certificate::not_after() const {
    return detail::from_asn1_time(X509_get0_notAfter(cert_.get()));
}

bool Certificate::is_ca() const {
    return X509_get_extension_flags(cert_.get()) & EXFLAG_CA;
}

KeyUsages Certificate::key_usages() const {
    KeyUsages u;
    uint32_t flags = X509_get_extension_flags(cert_.get());
    if (flags & EXFLAG_KUSAGE) {
        uint32_t ku = X509_get_key_usage(cert_.get());
        u.digital_signature = ku & KU_DIGITAL_SIGNATURE;
        u.key_encipherment = ku & KU_KEY_ENCIPHERMENT;
        u.key_cert_sign = ku & KU_KEY_CERT_SIGN;
        u.crl_sign = ku & KU_CRL_SIGN;
    }
    if (flags & EXFLAG_XKUSAGE) {
        uint32_t xku = X509_get_extended_key_usage(cert_.get());
        u.server_auth = xku & XKU_SSL_SERVER;
        u.client_auth = xku & XKU_SSL_CLIENT;
    }
    return u;
}

PublicKey Certificate::public_key() const {
    EVP_PKEY* pkey = X509_get_pubkey(cert_.get());
    SKIFF_CHECK(pkey != nullptr);
    return PublicKey::adopt(pkey);
}

std::string Certificate::sha256_fingerprint() const {
    return sha256_hex(to_der());
}

bool Certificate::matches_key(const PrivateKey& key) const {
    bool match = X509_check_private_key(cert_.get(), key.native()) == 1;
    ERR_clear_error();
    return match;
}

base::Status Certificate::verify_signed_by(const Certificate& ca) const {
    auto failure = [&](std::string why) {
        ERR_clear_error();
        return base::Status(base::Reason::Unauthorized, "certificate \"" + common_name() + "\" " +
                                                            why + " \"" + ca.common_name() + "\"");
    };
    if (X509_NAME_cmp(X509_get_issuer_name(cert_.get()), X509_get_subject_name(ca.native())) != 0) {
        return failure("is not issued by");
    }
    EVP_PKEY* ca_key = X509_get0_pubkey(ca.native());
    if (ca_key == nullptr || X509_verify(cert_.get(), ca_key) != 1) {
        return failure("has no valid signature of");
    }
    return {};
}

bool Certificate::valid_at(Clock::time_point now) const {
    return not_before() <= now && now <= not_after();
}

bool Certificate::expires_within(Clock::time_point now, Clock::duration within) const {
    return not_after() < now + within;
}

bool Certificate::operator==(const Certificate& other) const {
    return X509_cmp(cert_.get(), other.cert_.get()) == 0;
}

}  // namespace skiff::pki
