// CSRs: create → parse → sign round trip, and CSRs whose signature does not verify refused.
#include "skiff/pki/csr.h"

#include "fixtures.h"

#include <functional>
#include <string>

#include <catch2/catch.hpp>
#include <openssl/pem.h>

using namespace skiff;
using namespace skiff::pki;
using namespace skiff::pki::testing;

namespace {

// Rewrites the DER inside a PEM block with `edit`, keeping the block's label.
std::string edit_der(const std::string& pem, const std::function<void(std::string&)>& edit) {
    BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    REQUIRE(PEM_read_bio(in, &name, &header, &data, &len) == 1);
    std::string der(reinterpret_cast<char*>(data), static_cast<size_t>(len));
    edit(der);
    BIO* out = BIO_new(BIO_s_mem());
    PEM_write_bio(out, name, header, reinterpret_cast<const unsigned char*>(der.data()),
                  static_cast<long>(der.size()));
    char* text = nullptr;
    long text_len = BIO_get_mem_data(out, &text);
    std::string result(text, static_cast<size_t>(text_len));
    BIO_free(out);
    BIO_free(in);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    return result;
}

}  // namespace

TEST_CASE("a csr round trips through create, parse and sign", "[pki]") {
    CertificateAuthority ca = take(generate_ca("skiff-server-ca", kNow));
    for (KeyType type : {KeyType::EcdsaP256, KeyType::Rsa}) {
        PrivateKey key = take(PrivateKey::generate(type));
        const Identity identity{"system:node:node-1",
                                {"system:nodes"},
                                {"node-1", "localhost"},
                                {"127.0.0.1", "fd00::1"}};
        std::string pem = take(create_csr(key, identity));
        CHECK(pem.rfind("-----BEGIN CERTIFICATE REQUEST-----\n", 0) == 0);

        CertificateRequest csr = take(CertificateRequest::from_pem(pem));
        CHECK(csr.identity() == identity);
        CHECK(csr.public_key() == key.public_key());

        Certificate cert = take(sign_csr(ca, pem, Usage::Server, kNow, 90 * kDay));
        CHECK(cert.identity() == identity);
        CHECK(cert.public_key() == key.public_key());
        CHECK(cert.matches_key(key));
        CHECK(cert.key_usages().server_auth);
        CHECK_FALSE(cert.key_usages().client_auth);
        CHECK(cert.verify_signed_by(ca.cert).ok());
        CHECK(cert.not_before() == kNow);
        CHECK(cert.not_after() == kNow + 90 * kDay);

        Certificate client = take(sign_csr(ca, pem, Usage::Client, kNow));
        CHECK(client.key_usages().client_auth);
        CHECK_FALSE(client.key_usages().server_auth);
    }
}

TEST_CASE("a csr without sans or organizations parses to an empty list", "[pki]") {
    PrivateKey key = take(PrivateKey::generate());
    CertificateRequest csr =
        take(CertificateRequest::from_pem(take(create_csr(key, {.common_name = "admin"}))));
    CHECK(csr.identity() == Identity{"admin", {}, {}, {}});
}

TEST_CASE("a csr whose signature does not verify is refused", "[pki]") {
    CertificateAuthority ca = take(generate_ca("ca", kNow));
    PrivateKey key = take(PrivateKey::generate());
    std::string pem = take(create_csr(key, {.common_name = "system:node:node-a"}));
    struct Case {
        const char* name;
        std::function<void(std::string&)> edit;
    };
    const Case cases[] = {
        {"flipped signature byte", [](std::string& der) { der.back() ^= 0x01; }},
        {"subject changed after signing",
         [](std::string& der) {
             auto at = der.find("node-a");
             REQUIRE(at != std::string::npos);
             der[at + 5] = 'b';
         }},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        std::string tampered = edit_der(pem, c.edit);
        REQUIRE(tampered != pem);
        auto csr = CertificateRequest::from_pem(tampered);
        REQUIRE_FALSE(csr.ok());
        CHECK(csr.status().reason() == base::Reason::BadRequest);
        CHECK(csr.status().message().find("csr signature does not verify") == 0);
        CHECK(sign_csr(ca, tampered, Usage::Client, kNow).status().reason() ==
              base::Reason::BadRequest);
    }
}

TEST_CASE("a csr for an unparsable ip address is not created", "[pki]") {
    PrivateKey key = take(PrivateKey::generate());
    auto pem = create_csr(key, {.common_name = "n", .ip_addresses = {"1.2.3"}});
    CHECK(pem.status().reason() == base::Reason::BadRequest);
}
