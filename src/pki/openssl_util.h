// Private helpers over OpenSSL: owning pointers, error statuses, memory BIOs, names, SANs, times.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "skiff/base/check.h"
#include "skiff/base/status.h"
#include "skiff/pki/certificate.h"

namespace skiff::pki::detail {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const {
        Free(p);
    }
};

using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;

/// Shares `p` (not null), freeing it with `Free` when the last owner goes.
template <auto Free, typename T>
std::shared_ptr<T> share(T* p) {
    SKIFF_CHECK(p != nullptr);
    return std::shared_ptr<T>(p, Deleter<Free>{});
}

/// Drains the thread's OpenSSL error queue; the most recent error's text, or "".
std::string take_openssl_error();
/// `reason` with "<message>: <openssl error>"; drains the error queue.
base::Status openssl_status(base::Reason reason, std::string message);
inline base::Status bad_input(std::string message) {
    return openssl_status(base::Reason::BadRequest, std::move(message));
}
/// InternalError with the OpenSSL error appended.
base::Status openssl_failure(std::string message);

/// A read-only memory BIO over `data`, which must outlive it.
BioPtr read_bio(std::string_view data);
BioPtr write_bio();
/// Everything written to a memory BIO.
std::string bio_contents(BIO* bio);

/// A PEM password callback that refuses, so that encrypted PEM fails instead of prompting.
int no_password(char* buf, int size, int rwflag, void* userdata);

/// The subject name and subjectAltName of `identity`; BadRequest for an unparsable IP or name.
struct EncodedIdentity {
    NamePtr name;
    GeneralNamesPtr sans;
};
base::Result<EncodedIdentity> encode_identity(const Identity& identity);
/// The identity in a subject name and an optional subjectAltName; IPs as inet_ntop text.
Identity decode_identity(const X509_NAME* name, const GENERAL_NAMES* sans);

/// BadRequest "<what>: ..." unless `pkey` is P-256 or RSA of at least 2048 bits (key.cpp).
base::Status check_supported_key(const EVP_PKEY* pkey, std::string_view what);

std::chrono::system_clock::time_point from_asn1_time(const ASN1_TIME* t);
time_t to_time_t(std::chrono::system_clock::time_point t);

}  // namespace skiff::pki::detail
