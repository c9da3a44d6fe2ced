// Hex, base64, base64url, SHA-256 and random bytes: RFC 4648 and FIPS 180-2 vectors.
#include "skiff/pki/encoding.h"

#include "fixtures.h"

#include <string>

#include <catch2/catch.hpp>

#include "skiff/pki/digest.h"

using namespace skiff;
using namespace skiff::pki;
using skiff::pki::testing::take;

TEST_CASE("base64 and base64url encode the rfc 4648 vectors", "[pki]") {
    struct Case {
        std::string bytes;
        std::string base64;
        std::string base64url;
    };
    const Case cases[] = {
        {"", "", ""},
        {"f", "Zg==", "Zg"},
        {"fo", "Zm8=", "Zm8"},
        {"foo", "Zm9v", "Zm9v"},
        {"foob", "Zm9vYg==", "Zm9vYg"},
        {"fooba", "Zm9vYmE=", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
        {"\xfb\xff", "+/8=", "-_8"},
        {std::string("\0\0\0", 3), "AAAA", "AAAA"},
    };
    for (const auto& c : cases) {
        INFO(c.base64);
        CHECK(base64_encode(c.bytes) == c.base64);
        CHECK(take(base64_decode(c.base64)) == c.bytes);
        CHECK(base64url_encode(c.bytes) == c.base64url);
        CHECK(take(base64url_decode(c.base64url)) == c.bytes);
    }
}

TEST_CASE("base64 and base64url reject the other form and impossible inputs", "[pki]") {
    for (const char* text : {"Zg==", "Z", "Zh", "Zm9=", "a+b/", "Zm 9v", "Zm9v\n"}) {
        INFO(text);
        auto decoded = base64url_decode(text);
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.status().reason() == base::Reason::BadRequest);
    }
    for (const char* text : {"Zg", "Zg=", "Zh==", "Zg===", "-_8=", "Zm9v\n", "=Zm9"}) {
        INFO(text);
        CHECK(base64_decode(text).status().reason() == base::Reason::BadRequest);
    }
}

TEST_CASE("sha256 and hex match the standard vectors", "[pki]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256("abc").size() == 32);
    CHECK(hex_encode(std::string("\x00\x0f\xa0\xff", 4)) == "000fa0ff");
}

TEST_CASE("random bytes come in the asked size and differ", "[pki]") {
    CHECK(random_bytes(0).empty());
    auto a = random_bytes(32);
    auto b = random_bytes(32);
    CHECK(a.size() == 32);
    CHECK(a != b);
    auto hex = random_hex(16);
    CHECK(hex.size() == 32);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
}
