// Certificate signing requests (PKCS#10): creating, parsing with signature check, signing by a CA.
#include "skiff/pki/csr.h"

#include "openssl_util.h"

#include <openssl/pem.h>

#include "skiff/base/check.h"

namespace skiff::pki {

namespace {

using ExtensionsPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), decltype([](auto* exts) {
                                          sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
                                      })>;

bool add_sans(X509_REQ* req, GENERAL_NAMES* sans) {
    ExtensionsPtr exts(sk_X509_EXTENSION_new_null());
    X509_EXTENSION* ext = X509V3_EXT_i2d(NID_subject_alt_name, 0, sans);
    if (exts == nullptr || ext == nullptr) {
        X509_EXTENSION_free(ext);
        return false;
    }
    if (sk_X509_EXTENSION_push(exts.get(), ext) == 0) {
        X509_EXTENSION_free(ext);
        return false;
    }
    return X509_REQ_add_extensions(req, exts.get()) == 1;
}

// The subjectAltName of the extension request, if there is one.
detail::GeneralNamesPtr requested_sans(X509_REQ* req) {
    ExtensionsPtr exts(X509_REQ_get_extensions(req));
    int i = exts ? X509v3_get_ext_by_NID(exts.get(), NID_subject_alt_name, -1) : -1;
    if (i < 0) {
        return nullptr;
    }
    return detail::GeneralNamesPtr(
        static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(sk_X509_EXTENSION_value(exts.get(), i))));
}

}  // namespace

base::Result<std::string> create_csr(const PrivateKey& key, const Identity& identity) {
    auto names = detail::encode_identity(identity);
    if (!names.ok()) {
        return names.status();
    }
    detail::ReqPtr req(X509_REQ_new());
    SKIFF_CHECK(req != nullptr);
    bool ok =
        X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) == 1 &&
        X509_REQ_set_subject_name(req.get(), names->name.get()) == 1 &&
        X509_REQ_set_pubkey(req.get(), key.native()) == 1 &&
        (sk_GENERAL_NAME_num(names->sans.get()) == 0 || add_sans(req.get(), names->sans.get())) &&
        X509_REQ_sign(req.get(), key.native(), EVP_sha256()) > 0;
    if (!ok) {
        return detail::openssl_failure("creating csr for \"" + identity.common_name + "\"");
    }
    auto bio = detail::write_bio();
    SKIFF_CHECK(PEM_write_bio_X509_REQ(bio.get(), req.get()) == 1);
    return detail::bio_contents(bio.get());
}

base::Result<CertificateRequest> CertificateRequest::from_pem(std::string_view pem) {
    auto bio = detail::read_bio(pem);
    detail::ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, detail::no_password, nullptr));
    if (req == nullptr) {
        return detail::bad_input("parsing csr pem");
    }
    EVP_PKEY* pkey = X509_REQ_get_pubkey(req.get());
    if (pkey == nullptr) {
        return detail::bad_input("parsing csr public key");
    }
    PublicKey key = PublicKey::adopt(pkey);
    if (X509_REQ_verify(req.get(), pkey) != 1) {
        return detail::bad_input("csr signature does not verify");
    }
    if (auto s = detail::check_supported_key(pkey, "csr"); !s.ok()) {
        return s;
    }
    Identity identity = detail::decode_identity(X509_REQ_get_subject_name(req.get()),
                                                requested_sans(req.get()).get());
    return CertificateRequest(std::move(identity), std::move(key));
}

base::Result<Certificate> sign_csr(const CertificateAuthority& ca, std::string_view csr_pem,
                                   Usage usage, Clock::time_point now, Clock::duration validity) {
    auto csr = CertificateRequest::from_pem(csr_pem);
    if (!csr.ok()) {
        return csr.status();
    }
    return issue_cert(ca, csr->public_key(), csr->identity(), usage, now, validity);
}

}  // namespace skiff::pki
