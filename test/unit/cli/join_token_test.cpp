// Join token formats.
#include "join_token.h"

#include <catch2/catch.hpp>

#include <set>

using namespace skiff::cli;

namespace {
const std::string kHash(64, 'a');
}

TEST_CASE("secure tokens carry the CA hash and credentials", "[cli]") {
    auto t = parse_join_token("K10" + kHash + "::server:s3cret\n", "node");
    REQUIRE(t.ok());
    CHECK(t->ca_hash == kHash);
    CHECK(t->username == "server");
    CHECK(t->password == "s3cret");
    CHECK_FALSE(t->bootstrap);
    CHECK(format_join_token(kHash, "server", "s3cret") == "K10" + kHash + "::server:s3cret");
}

TEST_CASE("bootstrap tokens and bare passwords", "[cli]") {
    auto b = parse_join_token("K10" + kHash + "::abcdef.0123456789abcdef", "node");
    REQUIRE(b.ok());
    CHECK(b->bootstrap);
    CHECK(b->username == "abcdef");
    CHECK(b->password == "0123456789abcdef");
    auto bare = parse_join_token("justapassword", "node");
    REQUIRE(bare.ok());
    CHECK(bare->ca_hash.empty());
    CHECK(bare->username == "node");
    CHECK(bare->password == "justapassword");
}

TEST_CASE("malformed tokens are refused with the reason", "[cli]") {
    CHECK(parse_join_token("", "n").status().message() == "the token is empty");
    CHECK(parse_join_token("K10abc::server:x", "n").status().message() ==
          "token CA hash must be 64 lowercase hex characters");
    CHECK(parse_join_token("K10" + kHash, "n").status().message().find("no \"::\"") !=
          std::string::npos);
    CHECK_FALSE(parse_join_token("K10" + kHash + "::", "n").ok());
    CHECK_FALSE(parse_join_token("K10" + kHash + "::server:", "n").ok());
}

TEST_CASE("generated bootstrap tokens have the bootstrap shape", "[cli]") {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        std::string t = generate_bootstrap_token();
        REQUIRE(t.size() == 23);
        REQUIRE(t[6] == '.');
        auto parsed = parse_join_token(t, "node");
        REQUIRE(parsed.ok());
        CHECK(parsed->bootstrap);
        seen.insert(t);
    }
    CHECK(seen.size() == 50);
}
