// Issuing certificates: a self-signed cluster CA and the serving and client certificates it signs.
#include "skiff/pki/authority.h"

#include "openssl_util.h"

#include <algorithm>

#include "skiff/base/check.h"
#include "skiff/pki/digest.h"

namespace skiff::pki {

namespace {

// What distinguishes the certificates we issue besides their names and keys.
struct Profile {
    const char* basic_constraints;
    const char* key_usage;
    const char* extended_key_usage;  // nullptr: none
    bool authority_key_id;
};

constexpr Profile kCaProfile{"critical,CA:TRUE", "critical,keyCertSign,cRLSign", nullptr, false};
constexpr Profile kServerProfile{"critical,CA:FALSE", "critical,digitalSignature,keyEncipherment",
                                 "serverAuth", true};
constexpr Profile kClientProfile{"critical,CA:FALSE", "critical,digitalSignature,keyEncipherment",
                                 "clientAuth", true};

bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
    if (ext == nullptr) {
        return false;
    }
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

// A positive random 128-bit serial, as RFC 5280 §4.1.2.2 and Go's crypto/x509 users do.
bool set_random_serial(X509* cert) {
    std::string bytes = random_bytes(16);
    detail::BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()), nullptr));
    if (bn == nullptr || BN_is_zero(bn.get())) {
        return false;
    }
    return BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

// Builds and signs a certificate. `issuer` is nullptr for a self-signed one.
base::Result<Certificate> build(const Identity& identity, EVP_PKEY* subject_key, const X509* issuer,
                                EVP_PKEY* signing_key, const Profile& profile,
                                Clock::time_point not_before, Clock::time_point not_after) {
    auto names = detail::encode_identity(identity);
    if (!names.ok()) {
        return names.status();
    }
    X509_NAME* name = names->name.get();
    GENERAL_NAMES* sans = names->sans.get();
    detail::X509Ptr cert(X509_new());
    SKIFF_CHECK(cert != nullptr);
    X509* x = cert.get();
    bool ok = X509_set_version(x, X509_VERSION_3) == 1 && set_random_serial(x) &&
              X509_set_subject_name(x, name) == 1 &&
              X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) == 1 &&
              X509_set_pubkey(x, subject_key) == 1 &&
              ASN1_TIME_set(X509_getm_notBefore(x), detail::to_time_t(not_before)) != nullptr &&
              ASN1_TIME_set(X509_getm_notAfter(x), detail::to_time_t(not_after)) != nullptr;
    if (!ok) {
        return detail::openssl_failure("building certificate \"" + identity.common_name + "\"");
    }

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, const_cast<X509*>(issuer ? issuer : x), x, nullptr, nullptr, 0);
    ok = add_extension(x, &ctx, NID_basic_constraints, profile.basic_constraints) &&
         add_extension(x, &ctx, NID_key_usage, profile.key_usage) &&
         (profile.extended_key_usage == nullptr ||
          add_extension(x, &ctx, NID_ext_key_usage, profile.extended_key_usage)) &&
         add_extension(x, &ctx, NID_subject_key_identifier, "hash") &&
         (!profile.authority_key_id ||
          add_extension(x, &ctx, NID_authority_key_identifier, "keyid:always")) &&
         (sk_GENERAL_NAME_num(sans) == 0 ||
          X509_add1_ext_i2d(x, NID_subject_alt_name, sans, 0, X509V3_ADD_DEFAULT) == 1);
    if (!ok) {
        return detail::openssl_failure("adding extensions to certificate \"" +
                                       identity.common_name + "\"");
    }
    if (X509_sign(x, signing_key, EVP_sha256()) <= 0) {
        return detail::openssl_failure("signing certificate \"" + identity.common_name + "\"");
    }
    return Certificate::adopt(cert.release());
}

}  // namespace

base::Result<CertificateAuthority> generate_ca(std::string_view common_name, Clock::time_point now,
                                               Clock::duration validity, KeyType key_type) {
    auto key = PrivateKey::generate(key_type);
    if (!key.ok()) {
        return key.status();
    }
    Identity identity{std::string(common_name), {}, {}, {}};
    auto cert =
        build(identity, key->native(), nullptr, key->native(), kCaProfile, now, now + validity);
    if (!cert.ok()) {
        return cert.status();
    }
    return CertificateAuthority{std::move(cert).value(), std::move(key).value()};
}

base::Result<Certificate> issue_cert(const CertificateAuthority& ca, const PublicKey& subject_key,
                                     const Identity& identity, Usage usage, Clock::time_point now,
                                     Clock::duration validity) {
    if (!ca.cert.is_ca()) {
        return base::bad_request("certificate \"" + ca.cert.common_name() + "\" is not a ca");
    }
    if (!ca.cert.matches_key(ca.key)) {
        return base::bad_request("ca \"" + ca.cert.common_name() +
                                 "\": private key does not match the certificate");
    }
    const Profile& profile = usage == Usage::Server ? kServerProfile : kClientProfile;
    return build(identity, subject_key.native(), ca.cert.native(), ca.key.native(), profile, now,
                 std::min(now + validity, ca.cert.not_after()));
}

base::Result<Certificate> issue_serving_cert(const CertificateAuthority& ca,
                                             const PublicKey& subject_key,
                                             std::string_view common_name,
                                             std::vector<std::string> dns_names,
                                             std::vector<std::string> ip_addresses,
                                             Clock::time_point now, Clock::duration validity) {
    Identity identity{std::string(common_name), {}, std::move(dns_names), std::move(ip_addresses)};
    return issue_cert(ca, subject_key, identity, Usage::Server, now, validity);
}

base::Result<Certificate> issue_client_cert(const CertificateAuthority& ca,
                                            const PublicKey& subject_key, std::string_view user,
                                            std::vector<std::string> groups, Clock::time_point now,
                                            Clock::duration validity) {
    Identity identity{std::string(user), std::move(groups), {}, {}};
    return issue_cert(ca, subject_key, identity, Usage::Client, now, validity);
}

}  // namespace skiff::pki
