// YAML to JSON: go-yaml v2's scalar rules, documents, merges and errors.
#include "skiff/base/yaml.h"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "skiff/base/json.h"

using namespace skiff::base;

namespace {
std::string convert(std::string_view yaml) {
    auto v = yaml_to_json(yaml);
    if (!v.ok()) {
        return "error: " + v.status().message();
    }
    return to_json(*v);
}
}  // namespace

TEST_CASE("plain scalars resolve as go-yaml v2 does", "[base]") {
    struct Case {
        const char* yaml;
        const char* json;
    };
    const Case cases[] = {
        {"v: yes", R"({"v":true})"},
        {"v: Off", R"({"v":false})"},
        {"v: y", R"({"v":true})"},
        {"v: TRUE", R"({"v":true})"},
        {"v: ~", R"({"v":null})"},
        {"v:", R"({"v":null})"},
        {"v: Null", R"({"v":null})"},
        {"v: 42", R"({"v":42})"},
        {"v: -7", R"({"v":-7})"},
        {"v: +7", R"({"v":7})"},
        {"v: 0x1F", R"({"v":31})"},
        {"v: 0o17", R"({"v":15})"},
        {"v: 0755", R"({"v":493})"},
        {"v: 0b101", R"({"v":5})"},
        {"v: 1_000", R"({"v":1000})"},
        {"v: 08", R"({"v":8})"},
        {"v: 1.5", R"({"v":1.5E0})"},
        {"v: 1.0", R"({"v":1})"},
        {"v: 1e3", R"({"v":1000})"},
        {"v: .5", R"({"v":5E-1})"},
        {"v: 18446744073709551615", R"({"v":18446744073709551615})"},
        {"v: 99999999999999999999", R"({"v":1E20})"},
        {"v: 2001-12-14", R"({"v":"2001-12-14"})"},
        {"v: 1.2.3", R"({"v":"1.2.3"})"},
        {"v: Infinity", R"({"v":"Infinity"})"},
        {"v: NaN", R"({"v":"NaN"})"},
        {"v: nginx:1.25", R"({"v":"nginx:1.25"})"},
        {"v: 10Mi", R"({"v":"10Mi"})"},
        {"v: 0x", R"({"v":"0x"})"},
    };
    for (const auto& c : cases) {
        INFO(c.yaml);
        CHECK(convert(c.yaml) == c.json);
    }
}

TEST_CASE("quoted, block and tagged scalars stay strings", "[base]") {
    CHECK(convert("v: \"yes\"") == R"({"v":"yes"})");
    CHECK(convert("v: '0755'") == R"({"v":"0755"})");
    CHECK(convert("v: \"\"") == R"({"v":""})");
    CHECK(convert("v: !!str 123") == R"({"v":"123"})");
    CHECK(convert("v: |\n  12\n") == R"({"v":"12\n"})");
    CHECK(convert("v: >-\n  true\n") == R"({"v":"true"})");
    CHECK(convert("v: !!int 12") == R"({"v":12})");
    CHECK(convert("v: !!float 12") == R"({"v":1.2E1})");
    CHECK(convert("v: !!int abc").starts_with("error: yaml: line 1: cannot decode"));
}

TEST_CASE("keys become text and merges expand", "[base]") {
    CHECK(convert("1: a\ntrue: b\n~: c\n'x': d") == R"({"1":"a","true":"b","null":"c","x":"d"})");
    CHECK(convert("base: &b {a: 1, b: 2}\nchild:\n  <<: *b\n  b: 3\n") ==
          R"({"base":{"a":1,"b":2},"child":{"b":3,"a":1}})");
    CHECK(convert("a: &x {k: 1}\nb: &y {k: 2, j: 2}\nc:\n  <<: [*x, *y]\n") ==
          R"({"a":{"k":1},"b":{"k":2,"j":2},"c":{"k":1,"j":2}})");
    CHECK(convert("list: &l [1, 2]\nagain: *l\n") == R"({"list":[1,2],"again":[1,2]})");
    CHECK(convert("a: 1\na: 2\n") == R"({"a":2})");
    CHECK(convert("c:\n  <<: 3\n").starts_with("error: yaml: line 2: map merge requires"));
}

TEST_CASE("documents are split and empty ones skipped", "[base]") {
    auto docs = yaml_documents_to_json("---\na: 1\n---\n# nothing\n---\nb: [x, 'y']\n...\n");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 2);
    CHECK(to_json((*docs)[0]) == R"({"a":1})");
    CHECK(to_json((*docs)[1]) == R"({"b":["x","y"]})");
    CHECK(convert("") == "null");
    CHECK(convert("a: 1\n---\nb: 2\n").starts_with("error: yaml: expected a single document"));
}

TEST_CASE("malformed YAML is a BadRequest naming the line", "[base]") {
    auto bad = yaml_to_json("a: 1\nb: c: d\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().reason() == Reason::BadRequest);
    CHECK(bad.status().message().starts_with("yaml: line 2: "));
    CHECK_FALSE(yaml_to_json("a: [1, 2\n").ok());
    CHECK_FALSE(yaml_to_json("v: .inf").ok());
    CHECK_FALSE(yaml_to_json("a: *nope").ok());
    // Deep nesting is refused, not a stack overflow.
    CHECK_FALSE(yaml_to_json(std::string(100000, '[')).ok());
}
