// The CA and the certificates it issues: fields read back, signatures, validity, bundles, CA hash.
#include "skiff/pki/authority.h"

#include "fixtures.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "skiff/pki/ca_hash.h"
#include "skiff/pki/certificate.h"

using namespace skiff;
using namespace skiff::pki;
using namespace skiff::pki::testing;

TEST_CASE("a generated ca is self-signed with ca usages", "[pki]") {
    for (KeyType type : {KeyType::EcdsaP256, KeyType::Rsa}) {
        CertificateAuthority ca = take(generate_ca("skiff-server-ca@1", kNow, kCaValidity, type));
        const Certificate& cert = ca.cert;
        CHECK(ca.key.type() == type);
        CHECK(cert.public_key().type() == type);
        CHECK(cert.common_name() == "skiff-server-ca@1");
        CHECK(cert.issuer_common_name() == "skiff-server-ca@1");
        CHECK(cert.organizations().empty());
        CHECK(cert.is_ca());
        CHECK(cert.matches_key(ca.key));
        CHECK(cert.verify_signed_by(cert).ok());
        CHECK(cert.key_usages() == KeyUsages{.key_cert_sign = true, .crl_sign = true});
        CHECK(cert.not_before() == kNow);
        CHECK(cert.not_after() == kNow + kCaValidity);
        CHECK(cert.dns_names().empty());
        CHECK(cert.sha256_fingerprint() == sha256_hex(cert.to_der()));
        CHECK(take(Certificate::from_pem(cert.to_pem())) == cert);
        CHECK(take(Certificate::from_der(cert.to_der())) == cert);
    }
}

TEST_CASE("ca serials are random, positive and at most 128 bits", "[pki]") {
    std::string a = take(generate_ca("ca", kNow)).cert.serial_hex();
    std::string b = take(generate_ca("ca", kNow)).cert.serial_hex();
    CHECK(a != b);
    CHECK(a.size() <= 32);
    CHECK(a.size() >= 16);  // fails once in 2^64 runs
}

TEST_CASE("a serving certificate carries dns, ipv4 and ipv6 sans", "[pki]") {
    CertificateAuthority ca = take(generate_ca("skiff-server-ca", kNow));
    PrivateKey key = take(PrivateKey::generate());
    struct Case {
        std::vector<std::string> dns;
        std::vector<std::string> ips;
        std::vector<std::string> ips_read_back;
    };
    const Case cases[] = {
        {{"node-1", "localhost"}, {"127.0.0.1", "10.0.0.7"}, {"127.0.0.1", "10.0.0.7"}},
        {{"kubernetes.default.svc.cluster.local"}, {"::1", "fd00:0:0::10"}, {"::1", "fd00::10"}},
        {{}, {"2001:DB8::1", "192.168.1.1"}, {"2001:db8::1", "192.168.1.1"}},
        {{"*.example.com"}, {}, {}},
    };
    for (const auto& c : cases) {
        Certificate cert =
            take(issue_serving_cert(ca, key.public_key(), "node-1", c.dns, c.ips, kNow));
        CHECK(cert.common_name() == "node-1");
        CHECK(cert.issuer_common_name() == "skiff-server-ca");
        CHECK(cert.dns_names() == c.dns);
        CHECK(cert.ip_addresses() == c.ips_read_back);
        CHECK_FALSE(cert.is_ca());
        CHECK(cert.key_usages() ==
              KeyUsages{.digital_signature = true, .key_encipherment = true, .server_auth = true});
        CHECK(cert.verify_signed_by(ca.cert).ok());
        CHECK(cert.matches_key(key));
        CHECK_FALSE(cert.matches_key(ca.key));
        CHECK(cert.not_after() == kNow + kLeafValidity);
    }
}

TEST_CASE("a client certificate names the user and its groups", "[pki]") {
    CertificateAuthority ca = take(generate_ca("skiff-client-ca", kNow, kCaValidity, KeyType::Rsa));
    PrivateKey key = take(PrivateKey::generate(KeyType::Rsa));
    Certificate cert = take(issue_client_cert(ca, key.public_key(), "system:node:node-1",
                                              {"system:nodes", "k3s:agent"}, kNow, 30 * kDay));
    CHECK(cert.common_name() == "system:node:node-1");
    CHECK(cert.organizations() == std::vector<std::string>{"system:nodes", "k3s:agent"});
    CHECK(cert.identity() == Identity{"system:node:node-1", {"system:nodes", "k3s:agent"}, {}, {}});
    CHECK(cert.key_usages() ==
          KeyUsages{.digital_signature = true, .key_encipherment = true, .client_auth = true});
    CHECK(cert.verify_signed_by(ca.cert).ok());
    CHECK(cert.not_after() == kNow + 30 * kDay);
}

TEST_CASE("a certificate does not verify against another ca", "[pki]") {
    CertificateAuthority ca = take(generate_ca("skiff-ca", kNow));
    CertificateAuthority other = take(generate_ca("other-ca", kNow));
    CertificateAuthority same_name = take(generate_ca("skiff-ca", kNow));
    PrivateKey key = take(PrivateKey::generate());
    Certificate cert = take(issue_client_cert(ca, key.public_key(), "admin", {}, kNow));
    for (const Certificate* wrong : {&other.cert, &same_name.cert, &cert}) {
        INFO(wrong->common_name());
        base::Status status = cert.verify_signed_by(*wrong);
        CHECK(status.reason() == base::Reason::Unauthorized);
    }
    CHECK(ca.cert.verify_signed_by(other.cert).reason() == base::Reason::Unauthorized);
}

TEST_CASE("validity is inspected against a given now", "[pki]") {
    CertificateAuthority ca = take(generate_ca("ca", kNow));
    PrivateKey key = take(PrivateKey::generate());
    Certificate cert = take(issue_serving_cert(ca, key.public_key(), "n", {"n"}, {}, kNow));
    REQUIRE(cert.not_after() == kNow + 365 * kDay);
    struct Case {
        Clock::time_point now;
        Clock::duration within;
        bool valid;
        bool expiring;
    };
    const Case cases[] = {
        {kNow - 1s, 120 * kDay, false, false},
        {kNow, 120 * kDay, true, false},
        {kNow + 245 * kDay, 120 * kDay, true, false},  // exactly 120 days left
        {kNow + 245 * kDay + 1s, 120 * kDay, true, true},
        {kNow + 365 * kDay, 0s, true, false},
        {kNow + 365 * kDay + 1s, 0s, false, true},
        {kNow + 400 * kDay, 120 * kDay, false, true},
    };
    for (const auto& c : cases) {
        INFO((c.now - kNow) / 1s << "s after issue");
        CHECK(cert.valid_at(c.now) == c.valid);
        CHECK(cert.expires_within(c.now, c.within) == c.expiring);
    }
}

TEST_CASE("leaf validity is cut at the ca's expiry", "[pki]") {
    CertificateAuthority ca = take(generate_ca("short-ca", kNow, 10 * kDay));
    PrivateKey key = take(PrivateKey::generate());
    Certificate cert = take(issue_client_cert(ca, key.public_key(), "u", {}, kNow));
    CHECK(cert.not_after() == ca.cert.not_after());
}

TEST_CASE("issuing refuses bad sans and a ca without its key", "[pki]") {
    CertificateAuthority ca = take(generate_ca("ca", kNow));
    PrivateKey key = take(PrivateKey::generate());
    for (const char* ip : {"10.0.0.256", "node-1", "", "::g"}) {
        INFO(ip);
        auto cert = issue_serving_cert(ca, key.public_key(), "n", {}, {ip}, kNow);
        CHECK(cert.status().reason() == base::Reason::BadRequest);
    }
    CHECK(issue_serving_cert(ca, key.public_key(), "n", {""}, {}, kNow).status().reason() ==
          base::Reason::BadRequest);
    CertificateAuthority mismatched{ca.cert, key};
    CHECK(issue_client_cert(mismatched, key.public_key(), "u", {}, kNow).status().reason() ==
          base::Reason::BadRequest);
    Certificate leaf = take(issue_client_cert(ca, key.public_key(), "u", {}, kNow));
    CertificateAuthority not_a_ca{leaf, key};
    CHECK(issue_client_cert(not_a_ca, key.public_key(), "u", {}, kNow).status().reason() ==
          base::Reason::BadRequest);
}

TEST_CASE("a bundle parses every certificate in order", "[pki]") {
    CertificateAuthority a = take(generate_ca("a", kNow));
    CertificateAuthority b = take(generate_ca("b", kNow));
    auto certs = take(Certificate::bundle_from_pem(a.cert.to_pem() + "\n" + b.cert.to_pem()));
    REQUIRE(certs.size() == 2);
    CHECK(certs[0] == a.cert);
    CHECK(certs[1] == b.cert);
    CHECK(take(Certificate::from_pem(b.cert.to_pem() + a.cert.to_pem())) == b.cert);

    std::string broken = a.cert.to_pem() +
                         "-----BEGIN CERTIFICATE-----\nAAAA\n"
                         "-----END CERTIFICATE-----\n";
    CHECK(Certificate::bundle_from_pem(broken).status().reason() == base::Reason::BadRequest);
}

// A CA made by `openssl req -x509` (P-256, CN skiff-test-ca), kept byte for byte.
constexpr std::string_view kFixedCaPem = R"(-----BEGIN CERTIFICATE-----
MIIBhTCCASugAwIBAgIUeb+XERbWazPeNDYGmtU5iXPAJIMwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNc2tpZmYtdGVzdC1jYTAeFw0yNjExMjUxMzEyNTJaFw0zNjEx
MjIxMzEyNTJaMBgxFjAUBgNVBAMMDXNraWZmLXRlc3QtY2EwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQStXlyS4yqyLF/vTeLNLyWMooArraopAy0AFY0x3FW4I0H
428ttn4bQPepcbsLj4qgugFvy/MJ9iMueMaltD7Zo1MwUTAdBgNVHQ4EFgQUZF6d
s4PYvPFzGd+TCCkx9Imzu2cwHwYDVR0jBBgwFoAUZF6ds4PYvPFzGd+TCCkx9Imz
u2cwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA9S0ebAadmKor
d58S4qlXrctop8mQv8qXqxLsgHkxFBoCIDk83HBM3ePsN7WtCpnXh8a5lLGmknfx
HKhB9cGicaCs
-----END CERTIFICATE-----
)";

TEST_CASE("the ca hash of a single ca is the sha-256 of its exact pem bytes", "[pki]") {
    // sha256sum of the file, as `k3s token` prints it.
    CHECK(take(ca_bundle_hash(kFixedCaPem, kNow)) ==
          "4347b14a8fd6a763522a9b2731bc3cc24d321eb0a716af998d9e508ad64206e2");
    // Whitespace is significant, as in k3s.
    std::string with_newline = std::string(kFixedCaPem) + "\n";
    CHECK(take(ca_bundle_hash(with_newline, kNow)) == sha256_hex(with_newline));
    CHECK(take(Certificate::from_pem(kFixedCaPem)).sha256_fingerprint() ==
          "74a07ac8043fdaf985d787aec7c219e1505bcaf92ba7a9480f9fe09554984c50");
    CHECK(ca_bundle_hash("not a certificate", kNow).status().reason() == base::Reason::BadRequest);
}

TEST_CASE("the ca hash of a bundle is the sha-256 of the root's der", "[pki]") {
    CertificateAuthority ca = take(generate_ca("root", kNow));
    PrivateKey key = take(PrivateKey::generate());
    Certificate leaf = take(issue_serving_cert(ca, key.public_key(), "s", {"s"}, {}, kNow));
    std::string bundle = leaf.to_pem() + ca.cert.to_pem();
    CHECK(take(ca_bundle_hash(bundle, kNow)) == ca.cert.sha256_fingerprint());
    // No chain at that time (the leaf is not yet valid): the bytes again, as k3s falls back.
    CHECK(take(ca_bundle_hash(bundle, kNow - kDay)) == sha256_hex(bundle));
    // No chain at all.
    CertificateAuthority other = take(generate_ca("other", kNow));
    std::string unrelated = leaf.to_pem() + other.cert.to_pem();
    CHECK(take(ca_bundle_hash(unrelated, kNow)) == sha256_hex(unrelated));
}
