// Private and public keys: ECDSA P-256 and RSA generation, PEM encoding, type queries.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "skiff/base/status.h"

struct evp_pkey_st;

namespace skiff::pki {

/// The key types skiff issues and accepts. `Other` only appears on keys read from
/// certificates (e.g. a user-provided P-384 CA); such keys can verify but we never load or
/// generate them as PrivateKey or PublicKey.
enum class KeyType { EcdsaP256, Rsa, Other };

/// An immutable public key; copies share it.
class PublicKey {
public:
    /// An empty key, only to be assigned to: other members require !empty().
    PublicKey() = default;
    /// A SubjectPublicKeyInfo ("PUBLIC KEY") PEM; BadRequest if unparsable or not a
    /// supported type.
    static base::Result<PublicKey> from_pem(std::string_view pem);
    /// Takes ownership of `pkey` (not null).
    static PublicKey adopt(evp_pkey_st* pkey);

    std::string to_pem() const;
    KeyType type() const;
    int bits() const;
    bool operator==(const PublicKey& other) const;
    bool empty() const { return pkey_ == nullptr; }

    /// Borrowed, valid while a copy of this key lives; for OpenSSL calls in other components.
    evp_pkey_st* native() const { return pkey_.get(); }

private:
    friend class PrivateKey;
    explicit PublicKey(std::shared_ptr<evp_pkey_st> pkey) : pkey_(std::move(pkey)) {}
    std::shared_ptr<evp_pkey_st> pkey_;
};

/// An immutable private key; copies share it.
class PrivateKey {
public:
    /// An empty key, only to be assigned to: other members require !empty().
    PrivateKey() = default;
    /// `rsa_bits` (2048, 3072 or 4096) applies to Rsa only. InternalError if OpenSSL fails;
    /// BadRequest for Other or another RSA size.
    static base::Result<PrivateKey> generate(KeyType type = KeyType::EcdsaP256,
                                             int rsa_bits = 2048);
    /// PKCS#8 or traditional ("EC PRIVATE KEY", "RSA PRIVATE KEY") PEM. BadRequest if
    /// unparsable, encrypted, not P-256 or RSA, or RSA under 2048 bits.
    static base::Result<PrivateKey> from_pem(std::string_view pem);
    /// Takes ownership of `pkey` (not null).
    static PrivateKey adopt(evp_pkey_st* pkey);

    /// Unencrypted PKCS#8 ("PRIVATE KEY").
    std::string to_pem() const;
    PublicKey public_key() const { return PublicKey(pkey_); }
    std::string public_key_pem() const { return public_key().to_pem(); }
    KeyType type() const;
    int bits() const;
    bool empty() const { return pkey_ == nullptr; }

    /// Borrowed, valid while a copy of this key lives; for OpenSSL calls in other components.
    evp_pkey_st* native() const { return pkey_.get(); }

private:
    explicit PrivateKey(std::shared_ptr<evp_pkey_st> pkey) : pkey_(std::move(pkey)) {}
    std::shared_ptr<evp_pkey_st> pkey_;
};

}  // namespace skiff::pki
