// Keys: generation per type, PEM round trips, and garbage PEM as BadRequest for every parser.
#include "skiff/pki/key.h"

#include "fixtures.h"

#include <functional>
#include <string>

#include <catch2/catch.hpp>

#include "skiff/pki/certificate.h"
#include "skiff/pki/csr.h"

using namespace skiff;
using namespace skiff::pki;
using skiff::pki::testing::take;

namespace {

void check_round_trips(const PrivateKey& key) {
    std::string pem = key.to_pem();
    CHECK(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
    PrivateKey loaded = take(PrivateKey::from_pem(pem));
    CHECK(loaded.public_key() == key.public_key());
    CHECK(loaded.type() == key.type());

    std::string public_pem = key.public_key_pem();
    CHECK(public_pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
    PublicKey public_key = take(PublicKey::from_pem(public_pem));
    CHECK(public_key == key.public_key());
    CHECK(public_key.bits() == key.bits());
}

}  // namespace

TEST_CASE("keys are generated with the asked type and size and survive pem", "[pki]") {
    struct Case {
        KeyType type;
        int rsa_bits;
        int bits;
    };
    const Case cases[] = {
        {KeyType::EcdsaP256, 0, 256}, {KeyType::Rsa, 2048, 2048}, {KeyType::Rsa, 3072, 3072}};
    for (const auto& c : cases) {
        INFO(c.bits);
        PrivateKey key = take(PrivateKey::generate(c.type, c.rsa_bits));
        CHECK(key.type() == c.type);
        CHECK(key.bits() == c.bits);
        check_round_trips(key);
    }
    CHECK(take(PrivateKey::generate()).type() == KeyType::EcdsaP256);
    PrivateKey a = take(PrivateKey::generate());
    PrivateKey b = take(PrivateKey::generate());
    CHECK_FALSE(a.public_key() == b.public_key());
}

TEST_CASE("rsa 4096 keys are generated", "[pki][.slow]") {
    PrivateKey key = take(PrivateKey::generate(KeyType::Rsa, 4096));
    CHECK(key.bits() == 4096);
    check_round_trips(key);
}

TEST_CASE("unsupported key sizes and types are refused", "[pki]") {
    for (int bits : {1024, 2047, 8192}) {
        auto key = PrivateKey::generate(KeyType::Rsa, bits);
        REQUIRE_FALSE(key.ok());
        CHECK(key.status().reason() == base::Reason::BadRequest);
    }
    CHECK(PrivateKey::generate(KeyType::Other).status().reason() == base::Reason::BadRequest);
}

TEST_CASE("garbage pem is a BadRequest for every parser", "[pki]") {
    const PrivateKey key = take(PrivateKey::generate());
    const std::string half_key = key.to_pem().substr(0, 100) + "\n-----END PRIVATE KEY-----\n";
    const std::string inputs[] = {
        "",
        "hello",
        std::string(5000, '\xff'),
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        half_key,
    };
    using Parser = std::function<base::Status(std::string_view)>;
    const std::pair<const char*, Parser> parsers[] = {
        {"private key", [](auto pem) { return PrivateKey::from_pem(pem).status(); }},
        {"public key", [](auto pem) { return PublicKey::from_pem(pem).status(); }},
        {"certificate", [](auto pem) { return Certificate::from_pem(pem).status(); }},
        {"bundle", [](auto pem) { return Certificate::bundle_from_pem(pem).status(); }},
        {"csr", [](auto pem) { return CertificateRequest::from_pem(pem).status(); }},
        {"der", [](auto der) { return Certificate::from_der(der).status(); }},
    };
    for (const auto& [name, parse] : parsers) {
        for (const auto& input : inputs) {
            INFO(name << " <- " << input.substr(0, 40));
            base::Status status = parse(input);
            CHECK(status.reason() == base::Reason::BadRequest);
            CHECK_FALSE(status.message().empty());
        }
    }
}

TEST_CASE("a private key parser given a public key or certificate refuses it", "[pki]") {
    const PrivateKey key = take(PrivateKey::generate());
    auto from_public = PrivateKey::from_pem(key.public_key_pem());
    CHECK(from_public.status().reason() == base::Reason::BadRequest);
    CHECK(from_public.status().message().find("parsing private key pem") == 0);
}

TEST_CASE("default-constructed keys and certificates are empty until assigned", "[pki]") {
    PrivateKey key;
    PublicKey public_key;
    Certificate cert;
    CHECK(key.empty());
    CHECK(public_key.empty());
    CHECK(cert.empty());
    key = take(PrivateKey::generate());
    public_key = key.public_key();
    CHECK_FALSE(key.empty());
    CHECK_FALSE(public_key.empty());
}
