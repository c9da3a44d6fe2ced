// Private and public keys: ECDSA P-256 and RSA generation, PEM encoding, type queries.
#include "skiff/pki/key.h"

#include "openssl_util.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "skiff/base/check.h"

namespace skiff::pki {

namespace {

std::shared_ptr<EVP_PKEY> share(EVP_PKEY* pkey) {
    return detail::share<EVP_PKEY_free>(pkey);
}

using PemReader = EVP_PKEY* (*)(BIO*, EVP_PKEY**, pem_password_cb*, void*);

// A key of a supported type read by `read` from `pem`; `what` words the errors.
base::Result<std::shared_ptr<EVP_PKEY>> read_key_pem(std::string_view pem, PemReader read,
                                                     const std::string& what) {
    auto bio = detail::read_bio(pem);
    EVP_PKEY* raw = read(bio.get(), nullptr, detail::no_password, nullptr);
    if (raw == nullptr) {
        return detail::bad_input(what);
    }
    auto pkey = share(raw);
    if (auto s = detail::check_supported_key(raw, what); !s.ok()) {
        return s;
    }
    return pkey;
}

KeyType key_type(const EVP_PKEY* pkey) {
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        return KeyType::Rsa;
    }
    if (EVP_PKEY_is_a(pkey, "EC")) {
        char curve[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve,
                                           &len) == 1 &&
            std::string_view(curve, len) == SN_X9_62_prime256v1) {
            return KeyType::EcdsaP256;
        }
    }
    return KeyType::Other;
}

}  // namespace

namespace detail {

base::Status check_supported_key(const EVP_PKEY* pkey, std::string_view what) {
    KeyType type = key_type(pkey);
    if (type == KeyType::Other) {
        return base::bad_request(std::string(what) +
                                 ": unsupported key type (want ecdsa p-256 or rsa)");
    }
    if (type == KeyType::Rsa && EVP_PKEY_get_bits(pkey) < 2048) {
        return base::bad_request(std::string(what) + ": rsa key shorter than 2048 bits");
    }
    return {};
}

}  // namespace detail

base::Result<PublicKey> PublicKey::from_pem(std::string_view pem) {
    auto pkey = read_key_pem(pem, PEM_read_bio_PUBKEY, "parsing public key pem");
    if (!pkey.ok()) {
        return pkey.status();
    }
    return PublicKey(std::move(pkey).value());
}

PublicKey PublicKey::adopt(EVP_PKEY* pkey) {
    return PublicKey(share(pkey));
}

std::string PublicKey::to_pem() const {
    auto bio = detail::write_bio();
    SKIFF_CHECK(PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) == 1);
    return detail::bio_contents(bio.get());
}

KeyType PublicKey::type() const {
    return key_type(pkey_.get());
}

int PublicKey::bits() const {
    return EVP_PKEY_get_bits(pkey_.get());
}

bool PublicKey::operator==(const PublicKey& other) const {
    return EVP_PKEY_eq(pkey_.get(), other.pkey_.get()) == 1;
}

base::Result<PrivateKey> PrivateKey::generate(KeyType type, int rsa_bits) {
    EVP_PKEY* raw = nullptr;
    switch (type) {
        case KeyType::EcdsaP256:
            raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", SN_X9_62_prime256v1);
            break;
        case KeyType::Rsa:
            if (rsa_bits != 2048 && rsa_bits != 3072 && rsa_bits != 4096) {
                return base::bad_request("unsupported rsa key size " + std::to_string(rsa_bits));
            }
            raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits));
            break;
        case KeyType::Other:
            return base::bad_request("cannot generate a key of an unsupported type");
    }
    if (raw == nullptr) {
        return detail::openssl_failure("generating private key");
    }
    return PrivateKey(share(raw));
}

base::Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
    auto pkey = read_key_pem(pem, PEM_read_bio_PrivateKey, "parsing private key pem");
    if (!pkey.ok()) {
        return pkey.status();
    }
    return PrivateKey(std::move(pkey).value());
}

PrivateKey PrivateKey::adopt(EVP_PKEY* pkey) {
    return PrivateKey(share(pkey));
}

std::string PrivateKey::to_pem() const {
    auto bio = detail::write_bio();
    SKIFF_CHECK(PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                              nullptr) == 1);
    return detail::bio_contents(bio.get());
}

KeyType PrivateKey::type() const {
    return key_type(pkey_.get());
}

int PrivateKey::bits() const {
    return EVP_PKEY_get_bits(pkey_.get());
}

}  // namespace skiff::pki
