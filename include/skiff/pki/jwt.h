// JSON Web Tokens (RFC 7519) in compact JWS form, signed ES256 or RS256, for service accounts.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "skiff/base/status.h"
#include "skiff/pki/certificate.h"
#include "skiff/pki/key.h"

namespace skiff::pki::jwt {

/// A key that may have signed a token; an empty key_id matches any token's kid.
struct VerificationKey {
    std::string key_id;
    PublicKey key;
};

/// The compact JWS of `claims` with header {"alg","kid"}: ES256 for a P-256 key (the raw
/// 64-byte r||s signature of RFC 7518 §3.4), RS256 for RSA. `key_id` empty: no "kid".
/// BadRequest for a key of another type.
base::Result<std::string> sign(const boost::json::object& claims, const PrivateKey& key,
                               std::string_view key_id = {});

/// The claims of `token` if one of `keys` verifies its signature and its "exp" and "nbf"
/// (NumericDate seconds, allowing `leeway`) hold at `now`. A token with a "kid" is checked
/// only against keys with that key id or none. The header's "alg" must be ES256 or RS256 and
/// match the key's type; "none", HMAC algorithms and a "crit" header are refused.
/// BadRequest for a malformed token, Unauthorized for one that does not verify or is
/// expired or not yet valid. The caller checks "iss", "aud" and the subject.
base::Result<boost::json::object> verify(std::string_view token,
                                         const std::vector<VerificationKey>& keys,
                                         Clock::time_point now,
                                         std::chrono::seconds leeway = std::chrono::seconds(0));

}  // namespace skiff::pki::jwt
