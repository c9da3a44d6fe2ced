// JSON Web Tokens (RFC 7519) in compact JWS form, signed ES256 or RS256, for service accounts.
#include "skiff/pki/jwt.h"

#include "openssl_util.h"

#include <optional>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/ecdsa.h>
#include <openssl/err.h>

#include "skiff/pki/encoding.h"

namespace skiff::pki::jwt {

namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, detail::Deleter<ECDSA_SIG_free>>;

// ES256 signatures are r||s, each a 32-byte big-endian integer (RFC 7518 §3.4); OpenSSL
// speaks DER.
constexpr size_t kP256ScalarSize = 32;

std::optional<std::string_view> alg_for(KeyType type) {
    switch (type) {
        case KeyType::EcdsaP256:
            return "ES256";
        case KeyType::Rsa:
            return "RS256";
        case KeyType::Other:
            break;
    }
    return std::nullopt;
}

auto as_bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::optional<std::string> der_to_raw(std::string_view der) {
    const unsigned char* p = as_bytes(der);
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (sig == nullptr) {
        return std::nullopt;
    }
    std::string raw(2 * kP256ScalarSize, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, kP256ScalarSize) < 0 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + kP256ScalarSize, kP256ScalarSize) < 0) {
        return std::nullopt;
    }
    return raw;
}

std::optional<std::string> raw_to_der(std::string_view raw) {
    if (raw.size() != 2 * kP256ScalarSize) {
        return std::nullopt;
    }
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(as_bytes(raw), kP256ScalarSize, nullptr);
    BIGNUM* s = BN_bin2bn(as_bytes(raw) + kP256ScalarSize, kP256ScalarSize, nullptr);
    if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return std::nullopt;
    }
    unsigned char* der = nullptr;
    int n = i2d_ECDSA_SIG(sig.get(), &der);
    if (n <= 0) {
        return std::nullopt;
    }
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return out;
}

std::optional<std::string> digest_sign(EVP_PKEY* key, std::string_view data) {
    detail::MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t size = 0;
    if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, as_bytes(data), data.size()) != 1) {
        return std::nullopt;
    }
    std::string sig(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                       as_bytes(data), data.size()) != 1) {
        return std::nullopt;
    }
    sig.resize(size);
    return sig;
}

bool digest_verify(EVP_PKEY* key, std::string_view data, std::string_view sig) {
    detail::MdCtxPtr ctx(EVP_MD_CTX_new());
    bool ok =
        ctx != nullptr &&
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx.get(), as_bytes(sig), sig.size(), as_bytes(data), data.size()) == 1;
    ERR_clear_error();
    return ok;
}

// Whether `signature` (as it appears in the token, decoded) signs `input` under `key`.
bool signature_verifies(const PublicKey& key, std::string_view input, std::string_view signature) {
    if (key.type() != KeyType::EcdsaP256) {
        return digest_verify(key.native(), input, signature);
    }
    auto der = raw_to_der(signature);
    return der && digest_verify(key.native(), input, *der);
}

base::Status malformed(std::string why) {
    return base::bad_request("malformed token: " + why);
}

base::Status unauthorized(std::string why) {
    return {base::Reason::Unauthorized, "invalid token: " + why};
}

base::Result<boost::json::object> decode_object(std::string_view part, std::string_view what) {
    auto bytes = base64url_decode(part);
    if (!bytes.ok()) {
        return malformed(std::string(what) + " is not base64url");
    }
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(*bytes, ec);
    if (ec || !value.is_object()) {
        return malformed(std::string(what) + " is not a json object");
    }
    return std::move(value.as_object());
}

// A NumericDate claim as seconds since the epoch; nullopt when absent, error when not a number.
base::Result<std::optional<double>> numeric_date(const boost::json::object& claims,
                                                 std::string_view name) {
    const boost::json::value* v = claims.if_contains(name);
    if (v == nullptr) {
        return std::optional<double>();
    }
    boost::system::error_code ec;
    double seconds = v->to_number<double>(ec);
    if (ec) {
        return malformed("claim \"" + std::string(name) + "\" is not a number");
    }
    return std::optional<double>(seconds);
}

base::Status check_times(const boost::json::object& claims, Clock::time_point now,
                         std::chrono::seconds leeway) {
    double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
    auto leeway_s = static_cast<double>(leeway.count());
    auto exp = numeric_date(claims, "exp");
    if (!exp.ok()) {
        return exp.status();
    }
    if (*exp && now_s >= **exp + leeway_s) {
        return unauthorized("token has expired");
    }
    auto nbf = numeric_date(claims, "nbf");
    if (!nbf.ok()) {
        return nbf.status();
    }
    if (*nbf && now_s < **nbf - leeway_s) {
        return unauthorized("token is not valid yet");
    }
    return {};
}

}  // namespace

base::Result<std::string> sign(const boost::json::object& claims, const PrivateKey& key,
                               std::string_view key_id) {
    auto alg = alg_for(key.type());
    if (!alg) {
        return base::bad_request("jwt signing key is neither ecdsa p-256 nor rsa");
    }
    boost::json::object header{{"alg", *alg}};
    if (!key_id.empty()) {
        header["kid"] = key_id;
    }
    std::string token = base64url_encode(boost::json::serialize(header)) + "." +
                        base64url_encode(boost::json::serialize(claims));
    auto sig = digest_sign(key.native(), token);
    if (sig && key.type() == KeyType::EcdsaP256) {
        sig = der_to_raw(*sig);
    }
    if (!sig) {
        return detail::openssl_failure("signing jwt");
    }
    return token + "." + base64url_encode(*sig);
}

base::Result<boost::json::object> verify(std::string_view token,
                                         const std::vector<VerificationKey>& keys,
                                         Clock::time_point now, std::chrono::seconds leeway) {
    size_t first = token.find('.');
    size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        return malformed("want three dot-separated parts");
    }
    std::string_view signing_input = token.substr(0, second);
    auto header = decode_object(token.substr(0, first), "header");
    if (!header.ok()) {
        return header.status();
    }

    const boost::json::value* alg = header->if_contains("alg");
    if (alg == nullptr || !alg->is_string()) {
        return malformed("header has no \"alg\"");
    }
    if (header->contains("crit")) {
        return unauthorized("critical header parameters are not supported");
    }
    if (alg->as_string() != "ES256" && alg->as_string() != "RS256") {
        // "none" and HMAC above all: an HMAC keyed with a public key is a known forgery.
        return unauthorized("unsupported alg \"" + std::string(alg->as_string()) + "\"");
    }
    const boost::json::value* kid = header->if_contains("kid");
    if (kid != nullptr && !kid->is_string()) {
        return malformed("header \"kid\" is not a string");
    }

    auto signature = base64url_decode(token.substr(second + 1));
    if (!signature.ok() || signature->empty()) {
        return malformed("signature is missing or not base64url");
    }

    bool key_of_alg = false;
    bool verified = false;
    for (const auto& candidate : keys) {
        if (alg_for(candidate.key.type()) != alg->as_string()) {
            continue;
        }
        if (kid != nullptr && !candidate.key_id.empty() && candidate.key_id != kid->as_string()) {
            continue;
        }
        key_of_alg = true;
        if (signature_verifies(candidate.key, signing_input, *signature)) {
            verified = true;
            break;
        }
    }
    if (!key_of_alg) {
        return unauthorized("no verification key for alg \"" + std::string(alg->as_string()) +
                            "\"" +
                            (kid ? " and kid \"" + std::string(kid->as_string()) + "\"" : ""));
    }
    if (!verified) {
        return unauthorized("signature does not verify");
    }

    auto claims = decode_object(token.substr(first + 1, second - first - 1), "payload");
    if (!claims.ok()) {
        return claims.status();
    }
    if (auto s = check_times(*claims, now, leeway); !s.ok()) {
        return s;
    }
    return claims;
}

}  // namespace skiff::pki::jwt
