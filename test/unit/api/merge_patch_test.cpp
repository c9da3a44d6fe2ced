// JSON Merge Patch: RFC 7386's examples, upstream's null pruning, and the two-way diff.
#include "skiff/api/merge_patch.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "skiff/api/json_patch.h"

using skiff::api::apply_merge_patch;
using skiff::api::create_merge_patch;
using skiff::base::Reason;
namespace json = boost::json;

namespace {

struct Case {
    const char* name;
    const char* doc;
    const char* patch;
    const char* want;  // compared member order included
};

}  // namespace

TEST_CASE("merge patch merges objects, deletes on null and replaces the rest", "[merge_patch]") {
    const Case cases[] = {
        // RFC 7386 appendix A, restated.
        {"change a member", R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
        {"add a member after the others", R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
        {"null removes the only member", R"({"a":"b"})", R"({"a":null})", R"({})"},
        {"null removes one member", R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
        {"a scalar replaces an array", R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
        {"an array replaces a scalar", R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
        {"nested objects merge", R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
         R"({"a":{"b":"d"}})"},
        {"arrays are replaced, not merged", R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
        {"an array patch replaces an array document", R"(["a","b"])", R"(["c","d"])",
         R"(["c","d"])"},
        {"an array patch replaces an object document", R"({"a":"b"})", R"(["c"])", R"(["c"])"},
        {"existing nulls stay", R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
        {"an object patch on an array document drops its nulls", R"([1,2])",
         R"({"a":"b","c":null})", R"({"a":"b"})"},
        {"nulls in new subtrees are dropped", R"({})", R"({"a":{"bb":{"ccc":null}}})",
         R"({"a":{"bb":{}}})"},
        // Upstream (evanphx/json-patch v4) specifics.
        {"null array elements are dropped from new values", R"({})", R"({"a":[1,null,{"x":null}]})",
         R"({"a":[1,{}]})"},
        {"a null document member is replaced like a missing one", R"({"a":null})",
         R"({"a":{"b":1,"c":null}})", R"({"a":{"b":1}})"},
        {"members keep their place", R"({"z":1,"m":{"q":1,"p":2},"a":3})",
         R"({"m":{"p":null,"o":4},"b":5,"z":0})", R"({"z":0,"m":{"q":1,"o":4},"a":3,"b":5})"},
        // What kubectl sends.
        {"kubectl scale", R"({"spec":{"replicas":1,"selector":{"app":"web"}}})",
         R"({"spec":{"replicas":3}})", R"({"spec":{"replicas":3,"selector":{"app":"web"}}})"},
        {"kubectl label --overwrite and removal",
         R"({"metadata":{"name":"p","labels":{"a":"1","b":"2"}}})",
         R"({"metadata":{"labels":{"a":"x","b":null,"c":"3"}}})",
         R"({"metadata":{"name":"p","labels":{"a":"x","c":"3"}}})"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            auto got = apply_merge_patch(json::parse(c.doc), json::parse(c.patch));
            INFO(skiff::base::to_string(got.status()));
            REQUIRE(got.ok());
            CHECK(json::serialize(*got) == json::serialize(json::parse(c.want)));
        }
    }
}

TEST_CASE("merge patch rejects null and scalar patches with 400", "[merge_patch]") {
    for (const char* patch : {"null", "5", R"("x")", "true"}) {
        INFO(patch);
        auto got = apply_merge_patch(json::parse(R"({"a":1})"), json::parse(patch));
        REQUIRE_FALSE(got.ok());
        CHECK(got.status().reason() == Reason::BadRequest);
        CHECK(got.status().code() == 400);
        CHECK(got.status().message().starts_with("invalid JSON patch"));
    }
}

TEST_CASE("create_merge_patch diffs two objects", "[merge_patch]") {
    const Case cases[] = {
        {"identical documents", R"({"a":1,"b":[1,2],"c":{"d":true}})",
         R"({"c":{"d":true},"b":[1,2],"a":1})", R"({})"},
        {"changed and added members", R"({"a":1,"b":2})", R"({"a":1,"b":3,"c":4})",
         R"({"b":3,"c":4})"},
        {"a removed member becomes null", R"({"a":1,"b":2})", R"({"a":1})", R"({"b":null})"},
        {"nested objects diff recursively", R"({"m":{"x":1,"y":2,"z":{"k":"v"}}})",
         R"({"m":{"x":1,"y":3,"z":{"k":"v"}}})", R"({"m":{"y":3}})"},
        {"nested removal", R"({"m":{"x":1,"y":2}})", R"({"m":{"x":1}})", R"({"m":{"y":null}})"},
        {"arrays go whole", R"({"l":[1,2,3]})", R"({"l":[1,3]})", R"({"l":[1,3]})"},
        {"numbers compare by value", R"({"n":1})", R"({"n":1.0})", R"({})"},
        {"a type change replaces", R"({"a":{"b":1}})", R"({"a":"x"})", R"({"a":"x"})"},
        {"an object replacing a scalar is taken whole", R"({"a":"x"})", R"({"a":{"b":1}})",
         R"({"a":{"b":1}})"},
        {"null in the modified document", R"({"a":1})", R"({"a":null,"b":null})",
         R"({"a":null,"b":null})"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            const auto original = json::parse(c.doc);
            const auto modified = json::parse(c.patch);
            auto got = create_merge_patch(original, modified);
            REQUIRE(got.ok());
            CHECK(json::serialize(*got) == json::serialize(json::parse(c.want)));
            // Applying the diff gives back the modified document (whose nulls mean "absent").
            auto applied = apply_merge_patch(original, *got);
            REQUIRE(applied.ok());
            auto expected = apply_merge_patch(json::object(), modified);
            REQUIRE(expected.ok());
            CHECK(skiff::api::json_equal(*applied, *expected));
        }
    }

    auto bad = create_merge_patch(json::parse("[1]"), json::parse("{}"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().reason() == Reason::BadRequest);
}
