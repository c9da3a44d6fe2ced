// JSON Patch: RFC 6902 operations, pointer escapes, index rules, errors and their status codes.
#include "skiff/api/json_patch.h"

#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using skiff::api::apply_json_patch;
using skiff::api::json_equal;
using skiff::base::Reason;
namespace json = boost::json;

namespace {

struct Case {
    const char* name;
    const char* doc;
    const char* patch;
    const char* want;  // compared member order included
};

struct ErrorCase {
    const char* name;
    const char* doc;
    const char* patch;
    Reason reason;
    const char* message;  // exact
};

}  // namespace

TEST_CASE("json patch applies operations as upstream does", "[json_patch]") {
    const Case cases[] = {
        {"add a member", R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
         R"({"foo":"bar","baz":"qux"})"},
        {"add overwrites a member", R"({"a":1})", R"([{"op":"add","path":"/a","value":[2]}])",
         R"({"a":[2]})"},
        {"add inserts into an array", R"({"foo":["bar","baz"]})",
         R"([{"op":"add","path":"/foo/1","value":"qux"}])", R"({"foo":["bar","qux","baz"]})"},
        {"add at the end index", R"({"foo":["bar"]})",
         R"([{"op":"add","path":"/foo/1","value":"x"}])", R"({"foo":["bar","x"]})"},
        {"dash appends", R"({"foo":["bar"]})",
         R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])",
         R"({"foo":["bar",["abc","def"]]})"},
        {"-1 adds after the last element", R"({"foo":["bar","baz"]})",
         R"([{"op":"add","path":"/foo/-1","value":"qux"}])", R"({"foo":["bar","baz","qux"]})"},
        {"-1 adds to an empty array", R"({"foo":[]})",
         R"([{"op":"add","path":"/foo/-1","value":"qux"}])", R"({"foo":["qux"]})"},
        {"add a nested object", R"({"foo":"bar"})",
         R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])",
         R"({"foo":"bar","child":{"grandchild":{}}})"},
        {"add without value adds null", R"({})", R"([{"op":"add","path":"/a"}])", R"({"a":null})"},
        {"remove a member keeps the others in order", R"({"a":1,"baz":"qux","foo":"bar"})",
         R"([{"op":"remove","path":"/baz"}])", R"({"a":1,"foo":"bar"})"},
        {"remove a null member", R"({"qux":{"baz":1,"bar":null}})",
         R"([{"op":"remove","path":"/qux/bar"}])", R"({"qux":{"baz":1}})"},
        {"remove an array element", R"({"foo":["bar","qux","baz"]})",
         R"([{"op":"remove","path":"/foo/1"}])", R"({"foo":["bar","baz"]})"},
        {"remove a negative index", R"({"foo":["bar","qux","baz"]})",
         R"([{"op":"remove","path":"/foo/-2"}])", R"({"foo":["bar","baz"]})"},
        {"replace a member", R"({"baz":"qux","foo":"bar"})",
         R"([{"op":"replace","path":"/baz","value":"boo"}])", R"({"baz":"boo","foo":"bar"})"},
        {"replace an array element inside a top-level array", R"([{"foo":["bar","qux"]}])",
         R"([{"op":"replace","path":"/0/foo/0","value":"bum"}])", R"([{"foo":["bum","qux"]}])"},
        {"replace with null", R"({"bar":[1]})",
         R"([{"op":"replace","path":"/bar/0","value":null}])", R"({"bar":[null]})"},
        {"replace a missing member adds it (upstream v4)", R"({"a":1})",
         R"([{"op":"replace","path":"/b","value":2}])", R"({"a":1,"b":2})"},
        {"replace the whole document", R"({"a":1})",
         R"([{"op":"replace","path":"","value":{"b":2}}])", R"({"b":2})"},
        {"move a member", R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
         R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
         R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
        {"move an array element forward", R"({"foo":["all","grass","cows","eat"]})",
         R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])",
         R"({"foo":["all","cows","eat","grass"]})"},
        {"move an array element by one", R"({"foo":["all","grass","cows","eat"]})",
         R"([{"op":"move","from":"/foo/1","path":"/foo/2"}])",
         R"({"foo":["all","cows","grass","eat"]})"},
        {"copy into an array", R"([{"foo":["bar","qux"],"bar":["qux","baz"]}])",
         R"([{"op":"copy","from":"/0/foo/0","path":"/0/bar/0"}])",
         R"([{"foo":["bar","qux"],"bar":["bar","qux","baz"]}])"},
        {"copy an array into itself", R"({"foo":["bar"]})",
         R"([{"op":"copy","path":"/foo/0","from":"/foo"}])", R"({"foo":[["bar"],"bar"]})"},
        {"escaped pointer tokens", R"({"a/b":{"m~n":1}})",
         R"([{"op":"replace","path":"/a~1b/m~0n","value":2},{"op":"test","path":"/a~1b/m~0n","value":2}])",
         R"({"a/b":{"m~n":2}})"},
        {"~01 decodes to ~1, not /", R"({"~1":1})", R"([{"op":"remove","path":"/~01"}])", R"({})"},
        {"the empty key", R"({"":1})", R"([{"op":"replace","path":"/","value":2}])", R"({"":2})"},
        {"tests pass and later ops apply", R"({"baz":"qux","foo":["a",2,"c"]})",
         R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2},{"op":"add","path":"/ok","value":true}])",
         R"({"baz":"qux","foo":["a",2,"c"],"ok":true})"},
        {"test compares numbers by value and objects unordered", R"({"a":{"x":1,"y":2.0}})",
         R"([{"op":"test","path":"/a","value":{"y":2,"x":1.0}}])", R"({"a":{"x":1,"y":2.0}})"},
        {"test null against a missing member passes (upstream v4)", R"({"baz":"qux"})",
         R"([{"op":"test","path":"/foo","value":null}])", R"({"baz":"qux"})"},
        {"test the whole document then replace it", R"({"id":"a"})",
         R"([{"op":"test","path":"","value":{"id":"a"}},{"op":"replace","path":"","value":{"id":"b"}}])",
         R"({"id":"b"})"},
        {"a null patch changes nothing", R"({"a":1})", "null", R"({"a":1})"},
        {"an empty patch changes nothing", R"({"a":1})", "[]", R"({"a":1})"},
        {"a leading plus is an index as for Go's Atoi", R"({"a":[1,2]})",
         R"([{"op":"replace","path":"/a/+1","value":3}])", R"({"a":[1,3]})"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            auto got = apply_json_patch(json::parse(c.doc), json::parse(c.patch));
            INFO(skiff::base::to_string(got.status()));
            REQUIRE(got.ok());
            CHECK(json::serialize(*got) == json::serialize(json::parse(c.want)));
        }
    }
}

TEST_CASE("json patch failures name the op and path and carry upstream's codes", "[json_patch]") {
    const ErrorCase cases[] = {
        {"add under a missing member", R"({"foo":"bar"})",
         R"([{"op":"add","path":"/baz/bat","value":"qux"}])", Reason::Invalid,
         R"(add operation does not apply: doc is missing path: "/baz/bat")"},
        {"add past the end", R"({"foo":["bar"]})",
         R"([{"op":"add","path":"/foo/2","value":"bum"}])", Reason::Invalid,
         R"(error in add for path: "/foo/2": unable to access invalid index: 2)"},
        {"add too far back", R"({"foo":["bar","baz"]})",
         R"([{"op":"add","path":"/foo/-4","value":"bum"}])", Reason::Invalid,
         R"(error in add for path: "/foo/-4": unable to access invalid index: -4)"},
        {"add with a word for an index", R"({"foo":[]})",
         R"([{"op":"add","path":"/foo/x","value":1}])", Reason::Invalid,
         R"(error in add for path: "/foo/x": value was not a proper array index: "x")"},
        {"remove a missing member", R"({"a":{"b":{"d":1}}})",
         R"([{"op":"remove","path":"/a/b/c"}])", Reason::Invalid,
         R"(error in remove for path: "/a/b/c": unable to remove nonexistent key: "c")"},
        {"remove past the end", R"({"a":{"b":[1]}})", R"([{"op":"remove","path":"/a/b/1"}])",
         Reason::Invalid,
         R"(error in remove for path: "/a/b/1": unable to access invalid index: 1)"},
        {"remove dash", R"({"foo":[]})", R"([{"op":"remove","path":"/foo/-"}])", Reason::Invalid,
         R"(error in remove for path: "/foo/-": value was not a proper array index: "-")"},
        {"remove -1 of an empty array", R"({"foo":[]})", R"([{"op":"remove","path":"/foo/-1"}])",
         Reason::Invalid,
         R"(error in remove for path: "/foo/-1": unable to access invalid index: -1)"},
        {"remove the document", R"({"a":1})", R"([{"op":"remove","path":""}])", Reason::Invalid,
         R"(remove operation does not apply: doc is missing path: "")"},
        {"replace past the end", R"({"foo":["bar","baz"]})",
         R"([{"op":"replace","path":"/foo/2","value":"bum"}])", Reason::Invalid,
         R"(replace operation does not apply: doc is missing key: "/foo/2")"},
        {"replace under a missing member", R"({"name":{"foo":"bat"}})",
         R"([{"op":"replace","path":"/foo/bar","value":"baz"}])", Reason::Invalid,
         R"(replace operation does not apply: doc is missing path: "/foo/bar")"},
        {"replace the document with a scalar", R"({})",
         R"([{"op":"replace","path":"","value":"qux"}])", Reason::Invalid,
         "replace operation value must be object or array"},
        {"replace through null", R"({"a":null})", R"([{"op":"replace","path":"/a/b","value":1}])",
         Reason::Invalid, R"(replace operation does not apply: doc is missing path: "/a/b")"},
        {"move from a missing member", R"({"a":{"b":{"d":1}}})",
         R"([{"op":"move","from":"/a/b/c","path":"/a/b/e"}])", Reason::Invalid,
         R"(error in move for path: "/a/b/c": unable to remove nonexistent key: "c")"},
        {"move past the end", R"({"foo":["all","grass","cows","eat"]})",
         R"([{"op":"move","from":"/foo/1","path":"/foo/4"}])", Reason::Invalid,
         R"(error in move for path: "/foo/4": unable to access invalid index: 4)"},
        {"move into its own child", R"({"a":{"b":1}})",
         R"([{"op":"move","from":"/a","path":"/a/c"}])", Reason::Invalid,
         R"(move operation does not apply: doc is missing destination path: "/a/c")"},
        {"copy past the end", R"({"foo":["bar"]})",
         R"([{"op":"copy","path":"/foo/2","from":"/foo/0"}])", Reason::Invalid,
         R"(error in copy for path: "/foo/2": unable to access invalid index: 2)"},
        {"copy from a missing member", R"({"a":1})", R"([{"op":"copy","path":"/b","from":"/c"}])",
         Reason::Invalid, R"(copy operation does not apply: doc is missing from path: "/c")"},
        {"copy without from", R"({"a":1})", R"([{"op":"copy","path":"/b"}])", Reason::Invalid,
         "copy operation failed to decode from"},
        {"test a different value", R"({"baz":"qux"})",
         R"([{"op":"test","path":"/baz","value":"bar"}])", Reason::Invalid,
         R"(testing value "/baz" failed)"},
        {"test a missing member against a number", R"({"baz":"qux"})",
         R"([{"op":"test","path":"/foo","value":42}])", Reason::Invalid,
         R"(testing value "/foo" failed)"},
        {"test an object against null", R"({"foo":{}})",
         R"([{"op":"test","path":"/foo","value":null}])", Reason::Invalid,
         R"(testing value "/foo" failed)"},
        {"test without a value", R"({"foo":[]})", R"([{"op":"test","path":"/foo"}])",
         Reason::Invalid, R"(testing value "/foo" failed)"},
        {"test the second element", R"({"baz":"qux","foo":["a",2,"c"]})",
         R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":"c"}])",
         Reason::Invalid, R"(testing value "/foo/1" failed)"},
        {"unknown op", R"({})", R"([{"op":"frobnicate","path":"/a"}])", Reason::Invalid,
         "unexpected kind: frobnicate"},
        {"op missing", R"({})", R"([{"path":"/a"}])", Reason::Invalid, "unexpected kind: unknown"},
        {"null op", R"({})", R"([null])", Reason::Invalid, "unexpected kind: unknown"},
        {"path missing", R"({})", R"([{"op":"add","pathz":"/baz","value":"qux"}])", Reason::Invalid,
         "add operation failed to decode path"},
        {"path not a string", R"({})", R"([{"op":"add","path":null}])", Reason::Invalid,
         "add operation failed to decode path"},
        {"path without the leading slash", R"({"a":{"b":1}})", R"([{"op":"remove","path":"a/b"}])",
         Reason::Invalid, R"(remove operation does not apply: doc is missing path: "a/b")"},
        {"patch is an object", R"({})", R"({"op":"add","path":"/a","value":1})", Reason::BadRequest,
         "json patch must be an array of operations, not object"},
        {"operation is a number", R"({})", R"([{"op":"add","path":"/a","value":1},5])",
         Reason::BadRequest, "json patch operation 1 is not an object"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            auto got = apply_json_patch(json::parse(c.doc), json::parse(c.patch));
            REQUIRE_FALSE(got.ok());
            CHECK(got.status().reason() == c.reason);
            CHECK(got.status().message() == c.message);
        }
    }
}

TEST_CASE("json patch status codes: 400 undecodable, 413 too many ops, 422 does not apply",
          "[json_patch]") {
    auto undecodable = apply_json_patch(json::parse("{}"), json::parse(R"("add")"));
    REQUIRE_FALSE(undecodable.ok());
    CHECK(undecodable.status().code() == 400);

    auto failed_test = apply_json_patch(json::parse(R"({"a":1})"),
                                        json::parse(R"([{"op":"test","path":"/a","value":2}])"));
    REQUIRE_FALSE(failed_test.ok());
    CHECK(failed_test.status().code() == 422);

    json::array many;
    for (std::size_t i = 0; i <= skiff::api::kMaxJsonPatchOperations; ++i) {
        many.push_back(json::parse(R"({"op":"test","path":"/a","value":1})"));
    }
    auto too_many = apply_json_patch(json::parse(R"({"a":1})"), many);
    REQUIRE_FALSE(too_many.ok());
    CHECK(too_many.status().code() == 413);
    CHECK(too_many.status().message() ==
          "Request entity too large: The allowed maximum operations in a JSON patch is 10000, "
          "got 10001");
    many.pop_back();
    CHECK(apply_json_patch(json::parse(R"({"a":1})"), many).ok());
}

TEST_CASE("json patch is atomic: a failing op leaves the input as it was", "[json_patch]") {
    const json::value doc = json::parse(R"({"spec":{"replicas":1,"paused":false}})");
    const json::value before = doc;
    auto got =
        apply_json_patch(doc, json::parse(R"([{"op":"replace","path":"/spec/replicas","value":3},
                             {"op":"remove","path":"/spec/paused"},
                             {"op":"test","path":"/spec/replicas","value":1}])"));
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().message() == R"(testing value "/spec/replicas" failed)");
    CHECK(doc == before);
}

TEST_CASE("json_equal compares numbers by value and objects by content", "[json_patch]") {
    struct Eq {
        const char* a;
        const char* b;
        bool equal;
    };
    const Eq cases[] = {
        {R"({"foo":"bar"})", R"({"foo":"bar","baz":"qux"})", false},
        {R"({"baz":"qux","foo":"bar"})", R"({"foo":"bar","baz":"qux"})", true},
        {R"({"foo":null})", R"({"foo":"bar"})", false},
        {R"(["foo","bar"])", R"(["bar","foo"])", false},
        {R"({"int":6,"float":7.0,"big":18446744073709551615})",
         R"({"int":6.0,"float":7,"big":18446744073709551615})", true},
        {"-1", "18446744073709551615", false},
        {"6", "6.01", false},
        {"false", "null", false},
        {"[]", "{}", false},
    };
    for (const auto& c : cases) {
        INFO(c.a << " vs " << c.b);
        CHECK(json_equal(json::parse(c.a), json::parse(c.b)) == c.equal);
        CHECK(json_equal(json::parse(c.b), json::parse(c.a)) == c.equal);
    }
}
