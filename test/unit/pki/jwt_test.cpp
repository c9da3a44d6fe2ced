// JWTs: ES256/RS256 round trips, key selection by kid, and the forgeries and mistakes refused.
#include "skiff/pki/jwt.h"

#include "fixtures.h"

#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <openssl/hmac.h>

#include "skiff/pki/encoding.h"

using namespace skiff;
using namespace skiff::pki;
using namespace skiff::pki::testing;
namespace json = boost::json;

namespace {

std::int64_t seconds(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

json::object service_account_claims() {
    return {{"iss", "https://kubernetes.default.svc.cluster.local"},
            {"sub", "system:serviceaccount:default:builder"},
            {"aud", json::array{"https://kubernetes.default.svc.cluster.local"}},
            {"iat", seconds(kNow)},
            {"nbf", seconds(kNow)},
            {"exp", seconds(kNow + 1h)}};
}

struct Parts {
    std::string header;
    std::string payload;
    std::string signature;
};

Parts split(const std::string& token) {
    auto first = token.find('.');
    auto second = token.find('.', first + 1);
    return {token.substr(0, first), token.substr(first + 1, second - first - 1),
            token.substr(second + 1)};
}

std::string encode(const json::object& object) {
    return base64url_encode(json::serialize(object));
}

json::object decode(const std::string& part) {
    return json::parse(take(base64url_decode(part))).as_object();
}

std::string join(const Parts& p) {
    return p.header + "." + p.payload + "." + p.signature;
}

}  // namespace

TEST_CASE("jwts sign and verify with es256 and rs256", "[pki]") {
    struct Case {
        KeyType type;
        const char* alg;
        size_t signature_size;
    };
    const Case cases[] = {{KeyType::EcdsaP256, "ES256", 64}, {KeyType::Rsa, "RS256", 256}};
    for (const auto& c : cases) {
        INFO(c.alg);
        PrivateKey key = take(PrivateKey::generate(c.type));
        std::string token = take(jwt::sign(service_account_claims(), key, "key-1"));
        Parts parts = split(token);
        CHECK(decode(parts.header) == json::object{{"alg", c.alg}, {"kid", "key-1"}});
        CHECK(take(base64url_decode(parts.signature)).size() == c.signature_size);

        json::object claims = take(jwt::verify(token, {{"key-1", key.public_key()}}, kNow));
        CHECK(claims == service_account_claims());
        // Keys without a key id match any kid.
        CHECK(jwt::verify(token, {{"", key.public_key()}}, kNow).ok());

        std::string without_kid = take(jwt::sign(service_account_claims(), key));
        CHECK(decode(split(without_kid).header) == json::object{{"alg", c.alg}});
        CHECK(jwt::verify(without_kid, {{"key-1", key.public_key()}}, kNow).ok());
    }
}

TEST_CASE("jwt verification picks the key by kid among several", "[pki]") {
    PrivateKey old_key = take(PrivateKey::generate(KeyType::Rsa));
    PrivateKey new_key = take(PrivateKey::generate());
    std::vector<jwt::VerificationKey> keys{{"old", old_key.public_key()},
                                           {"new", new_key.public_key()}};
    CHECK(jwt::verify(take(jwt::sign(service_account_claims(), old_key, "old")), keys, kNow).ok());
    CHECK(jwt::verify(take(jwt::sign(service_account_claims(), new_key, "new")), keys, kNow).ok());
    // Without a kid every key of the algorithm is tried.
    CHECK(jwt::verify(take(jwt::sign(service_account_claims(), new_key)), keys, kNow).ok());
    auto unknown =
        jwt::verify(take(jwt::sign(service_account_claims(), new_key, "gone")), keys, kNow);
    CHECK(unknown.status().reason() == base::Reason::Unauthorized);
}

TEST_CASE("jwts that are forged, tampered with or out of time are refused", "[pki]") {
    PrivateKey key = take(PrivateKey::generate());
    PrivateKey rsa_key = take(PrivateKey::generate(KeyType::Rsa));
    PrivateKey other_key = take(PrivateKey::generate());
    const std::vector<jwt::VerificationKey> keys{{"", key.public_key()},
                                                 {"", rsa_key.public_key()}};
    const std::string good = take(jwt::sign(service_account_claims(), key));
    const Parts parts = split(good);

    auto with_claim = [&](const char* name, json::value value) {
        json::object claims = service_account_claims();
        claims[name] = std::move(value);
        return take(jwt::sign(claims, key));
    };
    auto with_header = [&](const json::object& header) {
        return join({encode(header), parts.payload, parts.signature});
    };
    // The classic forgery: HS256 keyed with the verifier's public key PEM.
    auto hs256_with_public_key = [&] {
        std::string input = encode({{"alg", "HS256"}}) + "." + parts.payload;
        std::string secret = key.public_key_pem();
        unsigned char mac[32];
        unsigned int mac_size = 0;
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_size);
        return input + "." + base64url_encode({reinterpret_cast<char*>(mac), mac_size});
    };
    json::object tampered_claims = service_account_claims();
    tampered_claims["sub"] = "system:serviceaccount:kube-system:admin";

    using base::Reason;
    struct Case {
        const char* name;
        std::string token;
        Reason reason;
    };
    const Case cases[] = {
        {"signed by another key", take(jwt::sign(service_account_claims(), other_key)),
         Reason::Unauthorized},
        {"alg none, no signature", encode({{"alg", "none"}}) + "." + parts.payload + ".",
         Reason::Unauthorized},
        {"alg none, old signature", with_header({{"alg", "none"}}), Reason::Unauthorized},
        {"hs256 keyed with the public key", hs256_with_public_key(), Reason::Unauthorized},
        {"es256 token relabelled rs256", with_header({{"alg", "RS256"}}), Reason::Unauthorized},
        {"es384", with_header({{"alg", "ES384"}}), Reason::Unauthorized},
        {"crit header", with_header({{"alg", "ES256"}, {"crit", json::array{"exp"}}}),
         Reason::Unauthorized},
        {"payload modified", join({parts.header, encode(tampered_claims), parts.signature}),
         Reason::Unauthorized},
        {"signature of another token",
         join(
             {parts.header, parts.payload, split(take(jwt::sign(tampered_claims, key))).signature}),
         Reason::Unauthorized},
        {"signature truncated to 63 bytes", good.substr(0, good.size() - 2), Reason::Unauthorized},
        {"expired", with_claim("exp", seconds(kNow - 1s)), Reason::Unauthorized},
        {"expires now", with_claim("exp", seconds(kNow)), Reason::Unauthorized},
        {"not yet valid", with_claim("nbf", seconds(kNow + 1s)), Reason::Unauthorized},
        {"exp not a number", with_claim("exp", "tomorrow"), Reason::BadRequest},
        {"empty", "", Reason::BadRequest},
        {"dots only", "..", Reason::BadRequest},
        {"two parts", parts.header + "." + parts.payload, Reason::BadRequest},
        {"four parts", good + ".AAAA", Reason::BadRequest},
        {"garbage", "not-a-token", Reason::BadRequest},
        {"header not base64url", "!!." + parts.payload + "." + parts.signature, Reason::BadRequest},
        {"header not json", base64url_encode("{alg") + "." + parts.payload + "." + parts.signature,
         Reason::BadRequest},
        {"header without alg", with_header({{"kid", "x"}}), Reason::BadRequest},
        {"signature not base64url", parts.header + "." + parts.payload + ".a+b/",
         Reason::BadRequest},
        {"truncated in the header", good.substr(0, 10), Reason::BadRequest},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto claims = jwt::verify(c.token, keys, kNow);
        REQUIRE_FALSE(claims.ok());
        CHECK(claims.status().reason() == c.reason);
    }
    CHECK(jwt::verify(good, {}, kNow).status().reason() == Reason::Unauthorized);
}

TEST_CASE("jwt time checks allow the given leeway", "[pki]") {
    PrivateKey key = take(PrivateKey::generate());
    std::vector<jwt::VerificationKey> keys{{"", key.public_key()}};
    json::object expired = service_account_claims();
    expired["exp"] = seconds(kNow - 5s);
    json::object early = service_account_claims();
    early["nbf"] = seconds(kNow + 6s);
    json::object fractional = service_account_claims();
    fractional["exp"] = static_cast<double>(seconds(kNow)) + 0.5;
    for (const auto& claims : {expired, early}) {
        std::string token = take(jwt::sign(claims, key));
        CHECK_FALSE(jwt::verify(token, keys, kNow, 5s).ok());
        CHECK(jwt::verify(token, keys, kNow, 6s).ok());
    }
    CHECK(jwt::verify(take(jwt::sign(fractional, key)), keys, kNow).ok());
    json::object no_times{{"sub", "x"}};
    CHECK(jwt::verify(take(jwt::sign(no_times, key)), keys, kNow).ok());
}
