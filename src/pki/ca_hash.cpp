// The CA hash a join token pins (k3s "K10<hash>::…"), computed as k3s computes it.
#include "skiff/pki/ca_hash.h"

#include "openssl_util.h"

#include <optional>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "skiff/base/check.h"
#include "skiff/pki/digest.h"

namespace skiff::pki {

namespace {

using StorePtr = std::unique_ptr<X509_STORE, detail::Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, detail::Deleter<X509_STORE_CTX_free>>;
using CertStackPtr =
    std::unique_ptr<STACK_OF(X509), decltype([](STACK_OF(X509) * s) { sk_X509_free(s); })>;

// Go's rule in hashCA: a certificate is a root when it names no issuer key or names itself.
bool looks_like_root(const X509* cert) {
    const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(const_cast<X509*>(cert));
    const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(const_cast<X509*>(cert));
    return akid == nullptr || (skid != nullptr && ASN1_OCTET_STRING_cmp(akid, skid) == 0);
}

// The DER of the root `certs[0]` chains to at `now`, if any chain verifies.
std::optional<std::string> chain_root_der(const std::vector<Certificate>& certs,
                                          Clock::time_point now) {
    StorePtr roots(X509_STORE_new());
    CertStackPtr intermediates(sk_X509_new_null());
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    SKIFF_CHECK(roots && intermediates && ctx);
    for (size_t i = 1; i < certs.size(); ++i) {
        X509* cert = certs[i].native();
        bool added = looks_like_root(cert) ? X509_STORE_add_cert(roots.get(), cert) == 1
                                           : sk_X509_push(intermediates.get(), cert) > 0;
        SKIFF_CHECK(added);
    }
    // Go treats every certificate in its root pool as a trust anchor, self-signed or not.
    X509_STORE_set_flags(roots.get(), X509_V_FLAG_PARTIAL_CHAIN);
    if (X509_STORE_CTX_init(ctx.get(), roots.get(), certs[0].native(), intermediates.get()) != 1) {
        return std::nullopt;
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), detail::to_time_t(now));
    bool verified = X509_verify_cert(ctx.get()) == 1;
    ERR_clear_error();
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
    if (!verified || chain == nullptr || sk_X509_num(chain) == 0) {
        return std::nullopt;
    }
    X509* root = sk_X509_value(chain, sk_X509_num(chain) - 1);
    X509_up_ref(root);
    return Certificate::adopt(root).to_der();
}

}  // namespace

base::Result<std::string> ca_bundle_hash(std::string_view pem, Clock::time_point now) {
    auto certs = Certificate::bundle_from_pem(pem);
    if (!certs.ok()) {
        return certs.status();
    }
    if (certs->size() > 1) {
        if (auto root = chain_root_der(*certs, now)) {
            return sha256_hex(*root);
        }
    }
    return sha256_hex(pem);
}

}  // namespace skiff::pki
