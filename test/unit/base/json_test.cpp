// JSON helpers: parsing errors, lookups and pretty output.
#include "skiff/base/json.h"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace skiff::base;

TEST_CASE("parse_json accepts values and rejects garbage with an offset", "[base]") {
    auto ok = parse_json(R"( {"a": {"b": "c", "n": 3}} )");
    REQUIRE(ok.ok());
    CHECK(string_at(*ok, {"a", "b"}) == "c");
    CHECK(int_at(*ok, {"a", "n"}) == 3);
    CHECK(int_at(*ok, {"a", "missing"}, -1) == -1);
    CHECK(find(*ok, {"a", "b", "deeper"}) == nullptr);

    auto trailing = parse_json(R"({"a":1} x)");
    REQUIRE_FALSE(trailing.ok());
    CHECK(trailing.status().reason() == Reason::BadRequest);
    CHECK(trailing.status().message().find("offset 8") != std::string::npos);

    CHECK_FALSE(parse_json(R"({"a":)").ok());
    CHECK_FALSE(parse_json("").ok());
    CHECK_FALSE(parse_json("\"\xff\"").ok());
    CHECK(parse_json(std::string(900, '[') + std::string(900, ']')).ok());
    CHECK_FALSE(parse_json(std::string(5000, '[') + std::string(5000, ']')).ok());
}

TEST_CASE("pretty JSON keeps member order", "[base]") {
    auto v = parse_json(R"({"z":1,"a":[true,null,{}],"e":[]})");
    REQUIRE(v.ok());
    CHECK(to_pretty_json(*v) ==
          "{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null,\n    {}\n  ],\n  \"e\": []\n}\n");
    CHECK(to_json(*v) == R"({"z":1,"a":[true,null,{}],"e":[]})");
}
