// Structural schemas: every keyword's validation wording, unknown fields and pruning, defaulting,
// $ref resolution and the CRD schema checks, with upstream's cases restated.
#include "skiff/api/schema.h"

#include <algorithm>
#include <set>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::api;
using skiff::base::Reason;
namespace json = boost::json;

namespace {

json::value J(std::string_view text) {
    return json::parse(text);
}

Schema compile(std::string_view schema, std::string_view defs = "{}") {
    auto compiled = Schema::compile(J(schema), J(defs).as_object());
    INFO(schema);
    REQUIRE(compiled.ok());
    return *compiled;
}

std::vector<std::string> messages(const ErrorList& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) {
        out.push_back(e.to_string());
    }
    return out;
}

// Upstream's tests compare error sets; so do these where the order is not the point.
std::set<std::string> message_set(const ErrorList& errors) {
    auto m = messages(errors);
    return {m.begin(), m.end()};
}

std::vector<std::string> validate_messages(std::string_view schema, std::string_view object) {
    return messages(validate(J(object), compile(schema)));
}

// A schema with one property "spec" holding `spec`.
std::string under_spec(std::string_view spec) {
    return R"({"type":"object","properties":{"spec":)" + std::string(spec) + "}}";
}

}  // namespace

TEST_CASE("type errors name the expected and the actual type", "[schema]") {
    const char* schema = R"({"properties":{"field":{"type":"object"}}})";
    const char* nullable = R"({"properties":{"field":{"type":"object","nullable":true}}})";
    struct Case {
        const char* object;
        const char* type;
    };
    const Case cases[] = {
        {R"({"field":"foo"})", "string"}, {R"({"field":42})", "integer"},
        {R"({"field":true})", "boolean"}, {R"({"field":1.2})", "number"},
        {R"({"field":[]})", "array"},
    };
    for (const auto& c : cases) {
        INFO(c.object);
        std::string want = std::string("field: Invalid value: \"") + c.type +
                           "\": field in body must be of type object: \"" + c.type + "\"";
        CHECK(validate_messages(schema, c.object) == std::vector<std::string>{want});
        CHECK(validate_messages(nullable, c.object) == std::vector<std::string>{want});
    }
    CHECK(validate_messages(schema, R"({"field":null})") ==
          std::vector<std::string>{
              R"(field: Invalid value: "null": field in body must be of type object: "null")"});
    CHECK(validate_messages(nullable, R"({"field":null})").empty());
    CHECK(validate_messages(schema, R"({})").empty());
    // Without a type anything goes, null included when nullable.
    CHECK(validate_messages(R"({"properties":{"field":{"nullable":true}}})", R"({"field":null})")
              .empty());

    // The cause type is FieldValueTypeInvalid.
    auto errors = validate(J(R"({"field":"foo"})"), compile(schema));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].type == FieldErrorType::TypeInvalid);

    SECTION("integral floats are integers, integers are numbers") {
        const char* s = R"({"properties":{"i":{"type":"integer"},"n":{"type":"number"}}})";
        CHECK(validate_messages(s, R"({"i":3.0,"n":3})").empty());
        CHECK(validate_messages(s, R"({"i":3.5})") ==
              std::vector<std::string>{
                  R"(i: Invalid value: "number": i in body must be of type integer: "number")"});
    }
    SECTION("the root itself is the nil path") {
        CHECK(
            validate_messages(R"({"type":"object"})", "5") ==
            std::vector<std::string>{
                R"(<nil>: Invalid value: "integer":  in body must be of type object: "integer")"});
    }
}

TEST_CASE("int-or-string accepts integers and strings only", "[schema]") {
    const char* schema = R"({"properties":{"field":{"x-kubernetes-int-or-string":true}}})";
    CHECK(validate_messages(schema, R"({"field":42})").empty());
    CHECK(validate_messages(schema, R"({"field":"foo"})").empty());
    for (auto [object, type] :
         {std::pair{R"({"field":null})", "null"}, std::pair{R"({"field":true})", "boolean"},
          std::pair{R"({"field":1.2})", "number"}, std::pair{R"({"field":{}})", "object"},
          std::pair{R"({"field":[]})", "array"}}) {
        INFO(object);
        CHECK(validate_messages(schema, object) ==
              std::vector<std::string>{std::string("field: Invalid value: \"") + type +
                                       "\": field in body must be of type integer,string: \"" +
                                       type + "\""});
    }
    // format: int-or-string (the OpenAPI documents' spelling) means the same.
    CHECK(validate_messages(R"({"properties":{"p":{"type":"string","format":"int-or-string"}}})",
                            R"({"p":8080})")
              .empty());

    SECTION("with the anyOf spelling, the best failing branch comes along") {
        const char* any = R"({"properties":{"field":{"nullable":true,
            "x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}})";
        CHECK(validate_messages(any, R"({"field":null})").empty());
        CHECK(validate_messages(any, R"({"field":"x"})").empty());
        CHECK(
            message_set(validate(J(R"({"field":true})"), compile(any))) ==
            std::set<std::string>{
                R"(<nil>: Invalid value: "": "field" must validate at least one schema (anyOf))",
                R"(field: Invalid value: "boolean": field in body must be of type integer,string: "boolean")",
                R"(field: Invalid value: "boolean": field in body must be of type integer: "boolean")",
            });
    }
    SECTION("and wrapped in allOf") {
        const char* all = R"({"properties":{"field":{"nullable":true,
            "x-kubernetes-int-or-string":true,
            "allOf":[{"anyOf":[{"type":"integer"},{"type":"string"}]}]}}})";
        CHECK(validate_messages(all, R"({"field":42})").empty());
        CHECK(
            message_set(validate(J(R"({"field":1.2})"), compile(all))) ==
            std::set<std::string>{
                R"(<nil>: Invalid value: "": "field" must validate all the schemas (allOf). None validated)",
                R"(<nil>: Invalid value: "": "field" must validate at least one schema (anyOf))",
                R"(field: Invalid value: "number": field in body must be of type integer,string: "number")",
                R"(field: Invalid value: "number": field in body must be of type integer: "number")",
            });
    }
}

TEST_CASE("required and enum", "[schema]") {
    const char* required = R"({"required":["field"],"properties":{"field":{"type":"object",
        "required":["nested"],"properties":{"nested":{}}}}})";
    CHECK(validate_messages(required, R"({"test":"a"})") ==
          std::vector<std::string>{"field: Required value"});
    CHECK(validate_messages(required, R"({"field":{}})") ==
          std::vector<std::string>{"field.nested: Required value"});
    CHECK(validate_messages(required, R"({"field":{"nested":null}})").empty());

    const char* enums = R"({"properties":{"field":{"type":"object",
        "required":["nestedint","nestedstring"],"properties":{
        "nestedint":{"type":"integer","enum":[1,2]},
        "nestedstring":{"type":"string","enum":["a","b"]}}}}})";
    CHECK(message_set(validate(J(R"({"field":{}})"), compile(enums))) ==
          std::set<std::string>{"field.nestedint: Required value",
                                "field.nestedstring: Required value"});
    // A wrong type does not stop the enum check: kube-openapi runs every applicable validator.
    CHECK(
        message_set(
            validate(J(R"({"field":{"nestedint":"x","nestedstring":true}})"), compile(enums))) ==
        std::set<std::string>{
            R"(field.nestedint: Invalid value: "string": field.nestedint in body must be of type integer: "string")",
            R"(field.nestedint: Unsupported value: "x": supported values: "1", "2")",
            R"(field.nestedstring: Invalid value: "boolean": field.nestedstring in body must be of type string: "boolean")",
            R"(field.nestedstring: Unsupported value: true: supported values: "a", "b")",
        });
    auto errors = validate(J(R"({"field":{"nestedint":3,"nestedstring":"a"}})"), compile(enums));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].type == FieldErrorType::NotSupported);

    SECTION("numbers compare by value, nulls never match") {
        std::string schema = under_spec(R"({"type":"object","properties":{
            "n":{"type":"number","enum":[1,2.5]},
            "m":{"type":"string","nullable":true,"enum":["a"]}}})");
        CHECK(validate_messages(schema, R"({"spec":{"n":1.0}})").empty());
        CHECK(validate_messages(schema, R"({"spec":{"n":2.5}})").empty());
        CHECK(validate_messages(schema, R"({"spec":{"n":3}})") ==
              std::vector<std::string>{
                  R"(spec.n: Unsupported value: 3: supported values: "1", "2.5")"});
        CHECK(
            validate_messages(schema, R"({"spec":{"m":null}})") ==
            std::vector<std::string>{R"(spec.m: Unsupported value: null: supported values: "a")"});
    }
}

TEST_CASE("numeric bounds and multipleOf", "[schema]") {
    std::string schema = under_spec(R"({"type":"object","properties":{
        "min":{"type":"integer","minimum":1},
        "xmin":{"type":"integer","minimum":1,"exclusiveMinimum":true},
        "max":{"type":"integer","maximum":10},
        "xmax":{"type":"integer","maximum":10,"exclusiveMaximum":true},
        "f":{"type":"number","minimum":1.5},
        "big":{"type":"number","maximum":1e21},
        "half":{"type":"integer","minimum":1.5},
        "even":{"type":"integer","multipleOf":2},
        "step":{"type":"number","multipleOf":0.5}}})");
    struct Case {
        const char* object;
        const char* want;  // "" when valid
    };
    const Case cases[] = {
        {R"({"spec":{"min":1}})", ""},
        {R"({"spec":{"min":0}})",
         "spec.min: Invalid value: 0: spec.min in body should be greater than or equal to 1"},
        {R"({"spec":{"xmin":2}})", ""},
        {R"({"spec":{"xmin":1}})",
         "spec.xmin: Invalid value: 1: spec.xmin in body should be greater than 1"},
        {R"({"spec":{"max":10}})", ""},
        {R"({"spec":{"max":11}})",
         "spec.max: Invalid value: 11: spec.max in body should be less than or equal to 10"},
        {R"({"spec":{"xmax":10}})",
         "spec.xmax: Invalid value: 10: spec.xmax in body should be less than 10"},
        {R"({"spec":{"f":1.2}})",
         "spec.f: Invalid value: 1.2: spec.f in body should be greater than or equal to 1.5"},
        {R"({"spec":{"f":2}})", ""},
        {R"({"spec":{"big":2e21}})",
         "spec.big: Invalid value: 2e+21: spec.big in body should be less than or equal to 1e+21"},
        // Integers are checked against the bound truncated to an integer, as upstream does.
        {R"({"spec":{"half":1}})", ""},
        {R"({"spec":{"half":0}})",
         "spec.half: Invalid value: 0: spec.half in body should be greater than or equal to 1"},
        {R"({"spec":{"even":4}})", ""},
        {R"({"spec":{"even":3}})",
         "spec.even: Invalid value: 3: spec.even in body should be a multiple of 2"},
        {R"({"spec":{"step":1.5}})", ""},
        {R"({"spec":{"step":1.3}})",
         "spec.step: Invalid value: 1.3: spec.step in body should be a multiple of 0.5"},
    };
    for (const auto& c : cases) {
        INFO(c.object);
        auto got = validate_messages(schema, c.object);
        if (std::string_view(c.want).empty()) {
            CHECK(got.empty());
        } else {
            CHECK(got == std::vector<std::string>{c.want});
        }
    }
}

TEST_CASE("string length, pattern and format", "[schema]") {
    std::string schema = under_spec(R"({"type":"object","properties":{
        "short":{"type":"string","maxLength":2},
        "long":{"type":"string","minLength":2},
        "a":{"type":"string","pattern":"^a"},
        "b":{"type":"string","pattern":"b"},
        "ci":{"type":"string","pattern":"(?i)^abc$"},
        "line":{"type":"string","pattern":"^x$"},
        "first":{"type":"string","maxLength":1,"pattern":"^z"},
        "t":{"type":"string","format":"date-time"},
        "odd":{"type":"string","format":"no-such-format"},
        "n32":{"type":"integer","format":"int32"}}})");
    struct Case {
        const char* object;
        const char* want;
    };
    const Case cases[] = {
        {R"({"spec":{"short":"ab"}})", ""},
        {R"({"spec":{"short":"abc"}})", "spec.short: Too long: may not be more than 2 bytes"},
        // Lengths count runes: "é" is one character in two bytes.
        {R"({"spec":{"long":"é"}})",
         R"(spec.long: Invalid value: "é": spec.long in body should be at least 2 chars long)"},
        {R"({"spec":{"long":"éé"}})", ""},
        {R"({"spec":{"a":"abc"}})", ""},
        {R"({"spec":{"a":"ba"}})",
         R"(spec.a: Invalid value: "ba": spec.a in body should match '^a')"},
        {R"({"spec":{"b":"abc"}})", ""},  // searched, not anchored
        {R"({"spec":{"ci":"ABC"}})", ""},
        {R"({"spec":{"line":"x\ny"}})",  // ^ and $ anchor at the text, not at lines
         R"(spec.line: Invalid value: "x\ny": spec.line in body should match '^x$')"},
        {R"({"spec":{"first":"abc"}})", "spec.first: Too long: may not be more than 1 byte"},
        {R"({"spec":{"t":"2024-01-02T03:04:05Z"}})", ""},
        {R"({"spec":{"t":"2024-01-02t03:04:05.123+01:00"}})", ""},
        {R"({"spec":{"t":"2024-01-02"}})",
         R"(spec.t: Invalid value: "2024-01-02": spec.t in body must be of type date-time: "2024-01-02")"},
        {R"({"spec":{"odd":"anything"}})", ""},
        {R"({"spec":{"n32":10000000000}})", ""},  // formats on numbers are not range checks
    };
    for (const auto& c : cases) {
        INFO(c.object);
        auto got = validate_messages(schema, c.object);
        if (std::string_view(c.want).empty()) {
            CHECK(got.empty());
        } else {
            CHECK(got == std::vector<std::string>{c.want});
        }
    }

    SECTION("an invalid pattern fails every value") {
        auto got = validate_messages(R"({"properties":{"field":{"type":"string","pattern":"+"}}})",
                                     R"({"field":"foo"})");
        REQUIRE(got.size() == 1);
        CHECK_THAT(
            got[0],
            Catch::StartsWith(
                R"(field: Invalid value: "foo": field in body should match '+, but pattern is invalid: )"));
    }

    SECTION("string formats") {
        struct Format {
            const char* format;
            std::vector<const char*> good;
            std::vector<const char*> bad;
        };
        const Format formats[] = {
            {"date", {"2024-02-29"}, {"2024-13-01", "24-01-01", "2024-01-02T00:00:00Z"}},
            {"byte", {"aGVsbG8=", "YQ==", "YWJj"}, {"", "aGVsbG8", "a$==", "a=bc", "A==="}},
            {"uuid",
             {"0b5c7a3e-8d1f-4c2a-9e6b-1f2d3c4b5a69", "0B5C7A3E8D1F4C2A9E6B1F2D3C4B5A69"},
             {"0b5c7a3e-8d1f-4c2a-9e6b", "not-a-uuid"}},
            {"uuid4",
             {"0b5c7a3e-8d1f-4c2a-9e6b-1f2d3c4b5a69"},
             {"0b5c7a3e-8d1f-3c2a-9e6b-1f2d3c4b5a69"}},
            {"ipv4", {"10.0.0.1", "255.255.255.255"}, {"256.0.0.1", "10.0.0", "01.2.3.4"}},
            {"ipv6",
             {"::1", "fe80::1", "2001:db8::8a2e:370:7334", "::ffff:10.0.0.1"},
             {"10.0.0.1", "2001:db8:::1", "12345::"}},
            {"cidr", {"10.0.0.0/8", "fd00::/64"}, {"10.0.0.0/33", "10.0.0.0"}},
            {"mac",
             {"00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E"},
             {"00:1a:2b:3c:4d", "xx:1a:2b:3c:4d:5e"}},
            {"hostname", {"example.com", "a-b.c"}, {"-a.com", "a..b", "a_b"}},
            {"duration", {"1h30m", "22 ns", "3 days"}, {"1x", "abc"}},
            {"bsonobjectid", {"507f1f77bcf86cd799439011"}, {"507f1f77"}},
            {"hexcolor", {"#fff", "ffffff"}, {"#ffff"}},
            {"password", {"anything at all"}, {}},
        };
        for (const auto& f : formats) {
            std::string s = std::string(R"({"properties":{"v":{"type":"string","format":")") +
                            f.format + "\"}}}";
            for (const char* good : f.good) {
                INFO(f.format << " " << good);
                CHECK(validate_messages(s, json::serialize(json::object{{"v", good}})).empty());
            }
            for (const char* bad : f.bad) {
                INFO(f.format << " " << bad);
                auto got = validate_messages(s, json::serialize(json::object{{"v", bad}}));
                REQUIRE(got.size() == 1);
                CHECK_THAT(got[0], Catch::EndsWith(std::string("must be of type ") + f.format +
                                                   ": " + go_quoted(bad)));
            }
        }
    }
}

TEST_CASE("array and object counts, uniqueness and additionalProperties", "[schema]") {
    std::string schema = under_spec(R"({"type":"object","properties":{
        "few":{"type":"array","minItems":1,"items":{"type":"integer"}},
        "many":{"type":"array","maxItems":2,"items":{"type":"integer"}},
        "uniq":{"type":"array","uniqueItems":true,"items":{"type":"integer"}},
        "empty":{"type":"object","minProperties":1,"additionalProperties":{"type":"string"}},
        "full":{"type":"object","maxProperties":2,"required":["z"],
                "additionalProperties":{"type":"string"}},
        "labels":{"type":"object","additionalProperties":{"type":"string"}},
        "closed":{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"}}}}})");
    struct Case {
        const char* object;
        const char* want;
    };
    const Case cases[] = {
        {R"({"spec":{"few":[]}})",
         "spec.few: Invalid value: 0: spec.few in body should have at least 1 items"},
        {R"({"spec":{"few":[1,"x"]}})",
         R"(spec.few[1]: Invalid value: "string": spec.few[1] in body must be of type integer: "string")"},
        {R"({"spec":{"many":[1,2,3]}})", "spec.many: Too many: 3: must have at most 2 items"},
        {R"({"spec":{"uniq":[1,2,1]}})",
         R"(spec.uniq: Invalid value: "": spec.uniq in body shouldn't contain duplicates)"},
        {R"({"spec":{"empty":{}}})",
         "spec.empty: Invalid value: 0: spec.empty in body should have at least 1 properties"},
        // A property count failure ends the object's checks: no Required for z.
        {R"({"spec":{"full":{"a":"1","b":"2","c":"3"}}})",
         "spec.full: Too many: 3: must have at most 2 items"},
        {R"({"spec":{"full":{"a":"1"}}})", "spec.full.z: Required value"},
        // Map values are named with dots, as kube-openapi names them.
        {R"({"spec":{"labels":{"app":1}}})",
         R"(spec.labels.app: Invalid value: "integer": spec.labels.app in body must be of type string: "integer")"},
        {R"({"spec":{"closed":{"a":"x","k":"y"}}})",
         R"(spec.closed: Invalid value: "k": spec.closed.k in body is a forbidden property)"},
    };
    for (const auto& c : cases) {
        INFO(c.object);
        CHECK(validate_messages(schema, c.object) == std::vector<std::string>{c.want});
    }
    auto errors = validate(J(R"({"spec":{"many":[1,2,3]}})"), compile(schema));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].type == FieldErrorType::TooMany);
}

TEST_CASE("oneOf and not", "[schema]") {
    std::string schema = under_spec(R"({"type":"object","properties":{
        "n":{"type":"integer","oneOf":[{"minimum":1},{"maximum":10}]},
        "m":{"type":"integer","oneOf":[{"minimum":1},{"minimum":2}]},
        "s":{"type":"string","not":{"enum":["x"]}}}})");
    CHECK(validate_messages(schema, R"({"spec":{"n":20}})").empty());
    CHECK(
        validate_messages(schema, R"({"spec":{"n":5}})") ==
        std::vector<std::string>{
            R"(<nil>: Invalid value: "": "spec.n" must validate one and only one schema (oneOf). Found 2 valid alternatives)"});
    CHECK(
        validate_messages(schema, R"({"spec":{"m":0}})") ==
        std::vector<std::string>{
            R"(<nil>: Invalid value: "": "spec.m" must validate one and only one schema (oneOf). Found none valid)",
            "spec.m: Invalid value: 0: spec.m in body should be greater than or equal to 1"});
    CHECK(validate_messages(schema, R"({"spec":{"s":"y"}})").empty());
    CHECK(validate_messages(schema, R"({"spec":{"s":"x"}})") ==
          std::vector<std::string>{
              R"(<nil>: Invalid value: "": "spec.s" must not validate the schema (not))"});
}

TEST_CASE("set and map lists reject duplicates", "[schema]") {
    std::string schema = under_spec(R"({"type":"object","properties":{
        "set":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
        "nums":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"number"}},
        "objs":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"object",
                "x-kubernetes-map-type":"atomic","x-kubernetes-preserve-unknown-fields":true}},
        "map":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
               "items":{"type":"object","properties":{"name":{"type":"string"},"v":{"type":"integer"}}}},
        "multi":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k1","k2"],
                 "items":{"type":"object","properties":{"k1":{"type":"string"},"k2":{"type":"string"},
                 "x":{"type":"integer"}}}},
        "atomic":{"type":"array","items":{"type":"string"}},
        "groups":{"type":"object","additionalProperties":{"type":"array",
                  "x-kubernetes-list-type":"set","items":{"type":"string"}}}}})");
    struct Case {
        const char* object;
        std::vector<std::string> want;
    };
    const Case cases[] = {
        // Only the second appearance of a value is reported.
        {R"({"spec":{"set":["a","b","a","a"]}})", {R"(spec.set[2]: Duplicate value: "a")"}},
        // An integer and a float are different set members, as in Go's map[interface{}].
        {R"({"spec":{"nums":[1,1.0]}})", {}},
        {R"({"spec":{"objs":[{"a":1},{"a":1}]}})", {R"(spec.objs[1]: Duplicate value: {"a":1})"}},
        {R"({"spec":{"map":[{"name":"a","v":1},{"name":"a","v":2},{"v":3},{"v":4}]}})",
         {R"(spec.map[1]: Duplicate value: {"name":"a"})", "spec.map[3]: Duplicate value: {}"}},
        {R"({"spec":{"map":[{"name":"a"},1]}})",
         {"spec.map[1]: Invalid value: 1: must be an object for an array of list-type map",
          R"(spec.map[1]: Invalid value: "integer": spec.map[1] in body must be of type object: "integer")"}},
        {R"({"spec":{"multi":[{"k1":"a","k2":"b"},{"k1":"a","k2":"c"},{"k2":"b","k1":"a","x":1}]}})",
         {R"(spec.multi[2]: Duplicate value: {"k1":"a","k2":"b"})"}},
        {R"({"spec":{"atomic":["a","a"]}})", {}},
        // Here map keys are subscripts: listtype builds its paths with field.Path.Key.
        {R"({"spec":{"groups":{"g1":["x","x"]}}})",
         {R"(spec.groups[g1][1]: Duplicate value: "x")"}},
    };
    for (const auto& c : cases) {
        INFO(c.object);
        auto got = message_set(validate(J(c.object), compile(schema)));
        CHECK(got == std::set<std::string>(c.want.begin(), c.want.end()));
    }
    auto errors = validate(J(R"({"spec":{"set":["a","a"]}})"), compile(schema));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].type == FieldErrorType::Duplicate);
}

TEST_CASE("embedded resources need apiVersion and kind and valid metadata", "[schema]") {
    std::string schema = under_spec(R"({"type":"object","properties":{
        "template":{"type":"object","x-kubernetes-embedded-resource":true,
                    "x-kubernetes-preserve-unknown-fields":true}}})");
    struct Case {
        const char* object;
        std::vector<std::string> want;
    };
    const Case cases[] = {
        {R"({"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}}})", {}},
        {R"({"spec":{"template":{"apiVersion":"apps/v1","kind":"Deployment"}}})", {}},
        {R"({"spec":{"template":{}}})",
         {"spec.template.apiVersion: Required value", "spec.template.kind: Required value"}},
        {R"({"spec":{"template":{"apiVersion":"","kind":"Pod"}}})",
         {"spec.template.apiVersion: Required value"}},
        {R"({"spec":{"template":{"apiVersion":"a/b/c","kind":"Pod"}}})",
         {R"(spec.template.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c)"}},
        {R"({"spec":{"template":{"apiVersion":1,"kind":"Pod"}}})",
         {"spec.template.apiVersion: Invalid value: 1: must be a string"}},
    };
    for (const auto& c : cases) {
        INFO(c.object);
        CHECK(message_set(validate(J(c.object), compile(schema))) ==
              std::set<std::string>(c.want.begin(), c.want.end()));
    }
    auto kind =
        validate_messages(schema, R"({"spec":{"template":{"apiVersion":"v1","kind":"Foo_Bar"}}})");
    REQUIRE(kind.size() == 1);
    CHECK_THAT(
        kind[0],
        Catch::StartsWith(
            R"(spec.template.kind: Invalid value: "Foo_Bar": may have mixed case, but should otherwise match: a DNS-1035 label)"));
    auto labels = validate_messages(
        schema,
        R"({"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"a b":"c"}}}}})");
    REQUIRE(labels.size() == 1);
    CHECK_THAT(labels[0],
               Catch::StartsWith(R"(spec.template.metadata.labels: Invalid value: "a b": )"));
}

TEST_CASE("unknown fields are named by path and pruned", "[schema]") {
    Schema schema = compile(R"({"type":"object","properties":{
      "spec":{"type":"object","properties":{
        "replicas":{"type":"integer"},
        "containers":{"type":"array","items":{"type":"object","properties":{
          "name":{"type":"string"},
          "ports":{"type":"array","items":{"type":"object","properties":{"port":{"type":"integer"}}}}}}},
        "selector":{"type":"object","additionalProperties":{"type":"object",
                    "properties":{"x":{"type":"string"}}}},
        "labels":{"type":"object","additionalProperties":{"type":"string"}},
        "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{
          "known":{"type":"object","properties":{"a":{"type":"string"}}}}},
        "port":{"x-kubernetes-int-or-string":true},
        "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{
          "spec":{"type":"object","properties":{"a":{"type":"string"}}}}}}}}})");
    const char* object = R"({
      "apiVersion":"example.com/v1","kind":"Thing",
      "metadata":{"name":"a","labels":{"k":"v"},"bogus":1,
                  "ownerReferences":[{"name":"o","extra":true}],
                  "managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]},
      "spec":{"replicas":1,"foo":2,
        "containers":[{"name":"c","image":"i","ports":[{"port":1,"proto":"x"}]}],
        "selector":{"app":{"x":"1","y":"2"}},
        "labels":{"a":"b"},
        "free":{"anything":{"goes":1},"known":{"a":"x","b":"y"}},
        "port":"http",
        "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","zzz":1},
                    "spec":{"a":"x","b":"y"},"other":1}},
      "status":{}})";
    const std::vector<std::string> want = {
        "metadata.bogus",
        "metadata.ownerReferences[0].extra",
        "spec.foo",
        "spec.containers[0].image",
        "spec.containers[0].ports[0].proto",
        "spec.selector.app.y",
        "spec.free.known.b",
        "spec.template.metadata.zzz",
        "spec.template.spec.b",
        "spec.template.other",
        "status",
    };
    json::value doc = J(object);
    CHECK(unknown_fields(doc, schema) == want);
    CHECK(doc == J(object));  // untouched

    CHECK(prune(doc, schema) == want);
    CHECK(unknown_fields(doc, schema).empty());
    CHECK(doc == J(R"({
      "apiVersion":"example.com/v1","kind":"Thing",
      "metadata":{"name":"a","labels":{"k":"v"},"ownerReferences":[{"name":"o"}],
                  "managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]},
      "spec":{"replicas":1,
        "containers":[{"name":"c","ports":[{"port":1}]}],
        "selector":{"app":{"x":"1"}},
        "labels":{"a":"b"},
        "free":{"anything":{"goes":1},"known":{"a":"x"}},
        "port":"http",
        "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"a":"x"}}}})"));

    SECTION("outside a resource root apiVersion, kind and metadata are ordinary fields") {
        CHECK(unknown_fields(J(R"({"apiVersion":"v1","metadata":{},"spec":{}})"), schema, false) ==
              std::vector<std::string>{"apiVersion", "metadata"});
    }
    SECTION("a preserving root keeps everything it does not describe") {
        Schema open = compile(R"({"type":"object","x-kubernetes-preserve-unknown-fields":true,
            "properties":{"spec":{"type":"object","properties":{"a":{"type":"string"}}}}})");
        CHECK(unknown_fields(J(R"({"x":1,"spec":{"a":"1","b":2},"metadata":{"nope":1}})"), open) ==
              std::vector<std::string>{"spec.b", "metadata.nope"});
    }
    SECTION("an array without an items schema loses its objects' members, as upstream") {
        Schema bare = compile(R"({"type":"object","properties":{"l":{"type":"array"}}})");
        CHECK(unknown_fields(J(R"({"l":[1,{"a":1}]})"), bare) ==
              std::vector<std::string>{"l[1].a"});
    }
    SECTION("additionalProperties: true keeps any member") {
        Schema any = compile(R"({"type":"object","properties":{"m":{"type":"object",
            "additionalProperties":true}}})");
        CHECK(unknown_fields(J(R"({"m":{"a":{"b":1}}})"), any).empty());
    }
    SECTION("the default schema preserves everything") {
        CHECK(unknown_fields(J(R"({"a":{"b":[{"c":1}]}})"), Schema()).empty());
    }
}

TEST_CASE("strict and warning messages", "[schema]") {
    CHECK(unknown_field_message("spec.foo") == R"(unknown field "spec.foo")");
    CHECK(strict_decoding_message({"spec.foo", "bar"}) ==
          R"(strict decoding error: unknown field "spec.foo", unknown field "bar")");
    CHECK(strict_decoding_message({}).empty());
    auto status = strict_decoding_status(
        "Deployment", "v1", {"spec.replicass", "spec.template.spec.containers[0].imagee"});
    CHECK(status.code() == 400);
    CHECK(status.reason() == Reason::BadRequest);
    CHECK(
        status.message() ==
        R"(Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: )"
        R"(unknown field "spec.replicass", unknown field "spec.template.spec.containers[0].imagee")");
}

TEST_CASE("defaults fill missing and non-nullable null members where the parent exists",
          "[schema]") {
    struct Case {
        const char* name;
        const char* schema;
        const char* object;
        const char* want;
    };
    const Case cases[] = {
        {"a scalar is left alone", R"({"default":"foo"})", "4", "4"},
        {"scalar items are left alone", R"({"items":{"default":"foo"}})", "[1,2]", "[1,2]"},
        {"each object in an array gets the missing members",
         R"({"items":{"properties":{"a":{"default":"A"},"b":{"default":"B"},"c":{"default":"C"}}}})",
         R"([{"a":1},{"b":1},{"c":1}])",
         R"([{"a":1,"b":"B","c":"C"},{"a":"A","b":1,"c":"C"},{"a":"A","b":"B","c":1}])"},
        {"arrays, objects and map values",
         R"({"properties":{
            "array":{"items":{"properties":{"a":{"default":"A"},"b":{"default":"B"}}}},
            "object":{"properties":{"a":{"default":"N"},"b":{"default":"O"}}},
            "map":{"additionalProperties":{"properties":{"a":{"default":"alpha"},"b":{"default":"beta"}}}},
            "foo":{"default":"bar"}}})",
         R"({"array":[{"a":1},{"b":2}],"object":{"a":1},"map":{"x":{"a":1},"y":{"b":2}}})",
         R"({"array":[{"a":1,"b":"B"},{"a":"A","b":2}],"object":{"a":1,"b":"O"},
             "map":{"x":{"a":1,"b":"beta"},"y":{"a":"alpha","b":2}},"foo":"bar"})"},
        {"empty values are kept, null is replaced",
         R"({"items":{"properties":{"a":{"default":"A"}}}})",
         R"([{},{"a":1},{"a":0},{"a":0.0},{"a":""},{"a":null},{"a":[]},{"a":{}}])",
         R"([{"a":"A"},{"a":1},{"a":0},{"a":0.0},{"a":""},{"a":"A"},{"a":[]},{"a":{}}])"},
        {"null in a nullable list stays",
         R"({"nullable":true,"items":{"properties":{"a":{"default":"A"}}}})", "[null]", "[null]"},
        {"null in a list with defaulted items", R"({"items":{"default":"A"}})", "[null]",
         R"(["A"])"},
        {"nullable member keeps null", R"({"properties":{"a":{"nullable":true,"default":"A"}}})",
         R"({"a":null})", R"({"a":null})"},
        {"non-nullable member gets the default", R"({"properties":{"a":{"default":"A"}}})",
         R"({"a":null})", R"({"a":"A"})"},
        {"nullable map value keeps null",
         R"({"additionalProperties":{"nullable":true,"default":"A"}})", R"({"a":null})",
         R"({"a":null})"},
        {"non-nullable map value gets the default", R"({"additionalProperties":{"default":"A"}})",
         R"({"a":null})", R"({"a":"A"})"},
        {"unknown null members stay", R"({"additionalProperties":true})", R"({"a":null})",
         R"({"a":null})"},
        {"a default is itself defaulted",
         R"({"properties":{"spec":{"default":{},"properties":{"replicas":{"default":1}}}}})", "{}",
         R"({"spec":{"replicas":1}})"},
        {"no default means no parent",
         R"({"properties":{"spec":{"properties":{"replicas":{"default":1}}}}})", "{}", "{}"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        json::value doc = J(c.object);
        apply_defaults(doc, compile(c.schema));
        CHECK(doc == J(c.want));
    }
}

TEST_CASE("non-nullable nulls without defaults are dropped before defaulting", "[schema]") {
    Schema schema = compile(R"({"type":"object","properties":{
        "a":{"type":"string"},
        "b":{"type":"string","nullable":true},
        "c":{"type":"string","default":"C"},
        "m":{"type":"object","additionalProperties":{"type":"string"}},
        "l":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string"}}}}}})");
    json::value doc = J(R"({"a":null,"b":null,"c":null,"m":{"k":null},"l":[{"x":null}],"u":null})");
    prune_non_nullable_nulls(doc, schema);
    CHECK(doc == J(R"({"b":null,"c":null,"m":{},"l":[{}],"u":null})"));
    apply_defaults(doc, schema);
    CHECK(doc == J(R"({"b":null,"c":"C","m":{},"l":[{}],"u":null})"));
}

TEST_CASE("$ref resolves through the definitions", "[schema]") {
    const char* defs = R"({
      "io.k8s.api.core.v1.Container":{"type":"object","required":["name"],"properties":{
        "name":{"type":"string"},"image":{"type":"string"},
        "imagePullPolicy":{"type":"string","default":"IfNotPresent"}}},
      "io.k8s.api.core.v1.PodSpec":{"type":"object","properties":{
        "containers":{"type":"array","items":{"$ref":"#/components/schemas/io.k8s.api.core.v1.Container"}},
        "restartPolicy":{"type":"string","enum":["Always","OnFailure","Never"]}}},
      "Tree":{"type":"object","properties":{"v":{"type":"integer"},
        "child":{"$ref":"#/definitions/Tree"}}},
      "a~1b":{"type":"string"}
    })";
    Schema pod = compile(R"({"type":"object","properties":{
        "spec":{"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.PodSpec"}],"default":{}},
        "tree":{"$ref":"#/components/schemas/Tree"},
        "slashed":{"$ref":"#/components/schemas/a~01b"}}})",
                         defs);

    CHECK(unknown_fields(J(R"({"spec":{"containers":[{"name":"a","foo":1}]},
                               "tree":{"child":{"child":{"x":1}}}})"),
                         pod, false) ==
          std::vector<std::string>{"spec.containers[0].foo", "tree.child.child.x"});
    CHECK(
        message_set(validate(J(R"({"spec":{"containers":[{"image":5}],"restartPolicy":"Sometimes"},
                                      "tree":{"child":{"child":{"v":"deep"}}},"slashed":1})"),
                             pod)) ==
        std::set<std::string>{
            R"(spec.containers[0].image: Invalid value: "integer": spec.containers[0].image in body must be of type string: "integer")",
            "spec.containers[0].name: Required value",
            R"(spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never")",
            R"(tree.child.child.v: Invalid value: "string": tree.child.child.v in body must be of type integer: "string")",
            R"(slashed: Invalid value: "integer": slashed in body must be of type string: "integer")",
        });

    // The default beside the wrapped reference applies, then the target's own defaults inside.
    json::value doc = J("{}");
    apply_defaults(doc, pod);
    CHECK(doc == J(R"({"spec":{}})"));
    doc = J(R"({"spec":{"containers":[{"name":"a"}]}})");
    apply_defaults(doc, pod);
    CHECK(doc == J(R"({"spec":{"containers":[{"name":"a","imagePullPolicy":"IfNotPresent"}]}})"));

    SECTION("unresolved and unsupported references fail compilation") {
        auto missing =
            Schema::compile(J(R"({"properties":{"a":{"$ref":"#/components/schemas/Nope"}}})"));
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.status().reason() == Reason::BadRequest);
        CHECK(
            missing.status().message() ==
            R"(invalid schema at properties[a].$ref: unresolved reference "#/components/schemas/Nope")");
        auto remote = Schema::compile(J(R"({"$ref":"http://example.com/s.json"})"));
        REQUIRE_FALSE(remote.ok());
        CHECK_THAT(remote.status().message(), Catch::Contains("unsupported reference"));
        auto bad = Schema::compile(J(R"({"properties":{"a":{"minimum":"one"}}})"));
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.status().message() ==
              "invalid schema at properties[a].minimum: must be a number");
    }
}

TEST_CASE("CRD schemas are checked for structural rules", "[schema]") {
    struct Case {
        const char* name;
        const char* schema;
        std::vector<std::string> want;
    };
    const Case cases[] = {
        {"a good schema",
         R"({"type":"object","properties":{
            "metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":10}}},
            "spec":{"type":"object","properties":{
              "replicas":{"type":"integer","default":1,"minimum":0},
              "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
              "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
              "labels":{"type":"object","additionalProperties":{"type":"string"}},
              "ports":{"type":"array","x-kubernetes-list-type":"map",
                       "x-kubernetes-list-map-keys":["port"],"items":{"type":"object",
                       "required":["port"],"properties":{"port":{"type":"integer"}}}},
              "template":{"type":"object","x-kubernetes-embedded-resource":true,
                          "x-kubernetes-preserve-unknown-fields":true}}},
            "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}})",
         {}},
        {"the root needs a type",
         R"({"properties":{}})",
         {"openAPIV3Schema.type: Required value: must not be empty at the root"}},
        {"the root is an object",
         R"({"type":"string"})",
         {R"(openAPIV3Schema.type: Invalid value: "string": must be object at the root)"}},
        {"fields need a type",
         R"({"type":"object","properties":{"spec":{"properties":{}}}})",
         {"openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified "
          "object fields"}},
        {"arrays need items with a type",
         R"({"type":"object","properties":{"l":{"type":"array"},"m":{"type":"array","items":{}}}})",
         {"openAPIV3Schema.properties[l].items: Required value: must be specified",
          "openAPIV3Schema.properties[m].items.type: Required value: must not be empty for "
          "specified array items"}},
        {"unknown types",
         R"({"type":"object","properties":{"s":{"type":"strin"}}})",
         {R"(openAPIV3Schema.properties[s].type: Unsupported value: "strin": supported values: "array", "boolean", "integer", "number", "object", "string")"}},
        {"no additionalProperties at the root or beside properties",
         R"({"type":"object","additionalProperties":{"type":"string"},
            "properties":{"m":{"type":"object","properties":{"a":{"type":"string"}},
            "additionalProperties":false}}})",
         {"openAPIV3Schema.additionalProperties: Forbidden: additionalProperties and properties "
          "are mutual exclusive",
          "openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root",
          "openAPIV3Schema.properties[m].additionalProperties: Forbidden: additionalProperties and "
          "properties are mutual exclusive"}},
        {"unsupported keywords",
         R"({"type":"object","properties":{"r":{"$ref":"#/definitions/x"},
            "u":{"type":"array","uniqueItems":true,"items":{"type":"string"}},
            "p":{"type":"object","x-kubernetes-preserve-unknown-fields":false}}})",
         {"openAPIV3Schema.properties[p].x-kubernetes-preserve-unknown-fields: Invalid value: "
          "false: must be true or undefined",
          "openAPIV3Schema.properties[r].$ref: Forbidden: $ref is not supported",
          "openAPIV3Schema.properties[r].type: Required value: must not be empty for specified "
          "object fields",
          "openAPIV3Schema.properties[u].uniqueItems: Forbidden: uniqueItems cannot be set to true "
          "since the runtime complexity becomes quadratic"}},
        {"metadata only restricts name and generateName",
         R"({"type":"object","properties":{"metadata":{"type":"object","default":{},
            "properties":{"labels":{"type":"object"}}}}})",
         {"openAPIV3Schema.properties[metadata].default: Forbidden: must not be set in top-level "
          "metadata",
          "openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than "
          "name and generateName, but metadata is implicitly specified"}},
        {"embedded resources are objects with properties",
         R"({"type":"object","properties":{"t":{"x-kubernetes-embedded-resource":true}}})",
         {"openAPIV3Schema.properties[t].properties: Required value: must not be empty if "
          "x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
          "openAPIV3Schema.properties[t].type: Required value: must be object if "
          "x-kubernetes-embedded-resource is true"}},
        {"list maps need keys that are required or defaulted",
         R"({"type":"object","properties":{
            "a":{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object"}},
            "b":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                 "items":{"type":"object","properties":{"name":{"type":"string"}}}},
            "c":{"type":"array","x-kubernetes-list-type":"bag","items":{"type":"string"}},
            "d":{"type":"string","x-kubernetes-list-type":"set"}}})",
         {"openAPIV3Schema.properties[a].x-kubernetes-list-map-keys: Required value: must not be "
          "empty if x-kubernetes-list-type is map",
          "openAPIV3Schema.properties[b].items.properties[name].default: Required value: this "
          "property is in x-kubernetes-list-map-keys, so it must have a default or be a required "
          "property",
          R"(openAPIV3Schema.properties[c].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map")",
          R"(openAPIV3Schema.properties[d].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified)"}},
        {"value validations cannot say structural things",
         R"({"type":"object","properties":{"s":{"type":"object","properties":{"a":{"type":"string"}},
            "anyOf":[{"type":"object","properties":{"a":{"default":"x"}}}]}}})",
         {"openAPIV3Schema.properties[s].anyOf[0].properties[a].default: Forbidden: must be "
          "undefined to be structural",
          "openAPIV3Schema.properties[s].anyOf[0].type: Forbidden: must be empty to be "
          "structural"}},
        {"what value validations name must exist at the root",
         R"({"type":"object","properties":{"a":{"type":"string"}},
            "allOf":[{"properties":{"a":{"minLength":1},"b":{"minLength":1}}}]})",
         {"openAPIV3Schema.properties[b]: Required value: because it is defined in "
          "openAPIV3Schema.allOf[0].properties[b]"}},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(messages(validate_crd_schema(J(c.schema))) == c.want);
    }

    auto pattern = messages(validate_crd_schema(
        J(R"({"type":"object","properties":{"s":{"type":"string","pattern":"+"}}})")));
    REQUIRE(pattern.size() == 1);
    CHECK_THAT(
        pattern[0],
        Catch::StartsWith(
            R"(openAPIV3Schema.properties[s].pattern: Invalid value: "+": must be a valid regular expression, but isn't: )"));
}

TEST_CASE("CRD versions and their schemas", "[schema]") {
    json::value crd =
        J(R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
      "metadata":{"name":"things.example.com"},
      "spec":{"group":"example.com","names":{"plural":"things","kind":"Thing"},"scope":"Namespaced",
        "versions":[
          {"name":"v1","served":true,"storage":true,
           "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object"}}}}},
          {"name":"v1beta1","served":false,"storage":false},
          {"name":"v0","served":true,"storage":false,
           "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{}}}}}]}})");
    auto versions = crd_version_schemas(crd);
    REQUIRE(versions.ok());
    REQUIRE(versions->size() == 3);
    CHECK((*versions)[0].name == "v1");
    CHECK((*versions)[0].served);
    CHECK((*versions)[0].storage);
    CHECK((*versions)[0].schema ==
          J(R"({"type":"object","properties":{"spec":{"type":"object"}}})"));
    CHECK((*versions)[1].name == "v1beta1");
    CHECK_FALSE((*versions)[1].served);
    CHECK((*versions)[1].schema.is_null());

    CHECK(messages(validate_crd_schemas(crd)) ==
          std::vector<std::string>{
              "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required",
              "spec.versions[2].schema.openAPIV3Schema.properties[spec].type: Required value: must "
              "not be empty for specified object fields"});

    auto bad = crd_version_schemas(J(R"({"spec":{"versions":[{"served":true}]}})"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message() == "spec.versions[0].name must be a string");
    CHECK(messages(validate_crd_schemas(J("{}"))) ==
          std::vector<std::string>{
              "spec.versions: Invalid value: null: spec.versions must be a list"});

    // The extracted schema compiles and serves the custom resource.
    auto schema = Schema::compile((*versions)[0].schema);
    REQUIRE(schema.ok());
    CHECK(
        unknown_fields(J(R"({"apiVersion":"example.com/v1","kind":"Thing","spec":{"x":1},"y":2})"),
                       *schema) == std::vector<std::string>{"spec.x", "y"});
}
