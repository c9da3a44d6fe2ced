// Strategic merge patch: apply semantics, directives, upstream's ordering rules, errors, diffs.
#include "skiff/api/strategic_merge.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "skiff/api/json_patch.h"

using skiff::api::apply_strategic_merge_patch;
using skiff::api::create_two_way_merge_patch;
using skiff::api::PatchMeta;
using skiff::api::PatchMetaLookup;
using skiff::base::Reason;
namespace json = boost::json;

namespace {

// A recursive test type like upstream's MergeItem: a field's tags depend on its name only.
std::optional<PatchMeta> merge_item_meta(std::span<const std::string> path) {
    const std::string& f = path.back();
    if (f == "mergingList" || f == "mergeItemPtr") {
        return PatchMeta{"merge", "name"};
    }
    if (f == "mergingIntList") {
        return PatchMeta{"merge", ""};
    }
    if (f == "replacingItem") {
        return PatchMeta{"replace", ""};
    }
    if (f == "retainKeysMap") {
        return PatchMeta{"retainKeys", ""};
    }
    if (f == "retainKeysMergingList") {
        return PatchMeta{"merge,retainKeys", "name"};
    }
    return std::nullopt;
}

bool ends_with(std::span<const std::string> path, std::initializer_list<const char*> tail) {
    if (path.size() < tail.size()) {
        return false;
    }
    auto it = path.end() - static_cast<std::ptrdiff_t>(tail.size());
    for (const char* t : tail) {
        if (*it++ != t) {
            return false;
        }
    }
    return true;
}

// The tags of a few Pod fields, as k8s.io/api declares them.
std::optional<PatchMeta> pod_meta(std::span<const std::string> path) {
    if (ends_with(path, {"spec", "containers"}) || ends_with(path, {"containers", "env"})) {
        return PatchMeta{"merge", "name"};
    }
    if (ends_with(path, {"containers", "ports"})) {
        return PatchMeta{"merge", "containerPort"};
    }
    if (ends_with(path, {"spec", "volumes"})) {
        return PatchMeta{"merge,retainKeys", "name"};
    }
    if (ends_with(path, {"metadata", "finalizers"})) {
        return PatchMeta{"merge", ""};
    }
    return std::nullopt;
}

struct Case {
    const char* name;
    const char* original;
    const char* patch;
    const char* want;  // compared exactly: list order and member order
};

void check_cases(std::span<const Case> cases, const PatchMetaLookup& lookup) {
    for (const auto& c : cases) {
        SECTION(c.name) {
            const json::value original = json::parse(c.original);
            const json::value before = original;
            auto got = apply_strategic_merge_patch(original, json::parse(c.patch), lookup);
            INFO(skiff::base::to_string(got.status()));
            REQUIRE(got.ok());
            CHECK(json::serialize(*got) == json::serialize(json::parse(c.want)));
            CHECK(original == before);
        }
    }
}

}  // namespace

TEST_CASE("strategic merge patch: maps, nulls and $patch in maps", "[strategic_merge]") {
    const Case cases[] = {
        {"add a member", R"({"name":"1"})", R"({"value":"1"})", R"({"name":"1","value":"1"})"},
        {"null deletes; a null for a missing member is dropped",
         R"({"name":"1","value":"1","other":"a"})", R"({"name":null,"missing":null})",
         R"({"value":"1","other":"a"})"},
        {"nested maps merge", R"({"simpleMap":{"key1":"1","key2":"1","other":"a"}})",
         R"({"simpleMap":{"key2":null,"key3":"c"}})",
         R"({"simpleMap":{"key1":"1","other":"a","key3":"c"}})"},
        {"$patch: delete empties a map", R"({"simpleMap":{"key1":"1"},"name":"n"})",
         R"({"simpleMap":{"$patch":"delete"}})", R"({"simpleMap":{},"name":"n"})"},
        {"$patch: replace swaps the map's content", R"({"name":"1","value":"1"})",
         R"({"other":"a","$patch":"replace"})", R"({"other":"a"})"},
        {"$patch: replace drops the patch's nulls", R"({"simpleMap":{"a":"1","b":"2"}})",
         R"({"simpleMap":{"$patch":"replace","c":"3","d":null}})", R"({"simpleMap":{"c":"3"}})"},
        {"$patch: delete at the top", R"({"a":1})", R"({"$patch":"delete"})", R"({})"},
        {"a replace-tagged map is replaced", R"({"replacingItem":{"Some":"Generic","Yaml":"x"}})",
         R"({"replacingItem":{"Newly":"Modified"}})", R"({"replacingItem":{"Newly":"Modified"}})"},
        {"a type change replaces", R"({"name":{"a":1}})", R"({"name":"x"})", R"({"name":"x"})"},
        {"a new member's nulls are dropped", R"({})", R"({"simpleMap":{"a":"1","b":null}})",
         R"({"simpleMap":{"a":"1"}})"},
        {"a null original member is replaced", R"({"simpleMap":null})",
         R"({"simpleMap":{"a":"1"}})", R"({"simpleMap":{"a":"1"}})"},
        {"JSON schema's $ref and $schema are data", R"({"schema":{"$ref":"a"}})",
         R"({"schema":{"$ref":"b","$schema":"c"}})", R"({"schema":{"$ref":"b","$schema":"c"}})"},
    };
    check_cases(cases, merge_item_meta);
}

TEST_CASE("strategic merge patch: lists by strategy and $patch in lists", "[strategic_merge]") {
    const Case cases[] = {
        {"an untagged scalar list is replaced", R"({"nonMergingIntList":[1,2]})",
         R"({"nonMergingIntList":[2,3]})", R"({"nonMergingIntList":[2,3]})"},
        {"an untagged list of maps is replaced",
         R"({"nonMergingList":[{"name":"1"},{"name":"2","value":"2"}]})",
         R"({"nonMergingList":[{"name":"1","value":"1"}]})",
         R"({"nonMergingList":[{"name":"1","value":"1"}]})"},
        {"a merging scalar list becomes a union", R"({"mergingIntList":[1,2]})",
         R"({"mergingIntList":[2,3]})", R"({"mergingIntList":[1,2,3]})"},
        {"new scalars go first without $setElementOrder", R"({"mergingIntList":[1,2,4]})",
         R"({"mergingIntList":[3]})", R"({"mergingIntList":[3,1,2,4]})"},
        {"patch order wins for the patch's scalars", R"({"mergingIntList":[1,2,3]})",
         R"({"mergingIntList":[3,1,2]})", R"({"mergingIntList":[3,1,2]})"},
        {"a server-only scalar stays before later patch scalars", R"({"mergingIntList":[1,2,3]})",
         R"({"mergingIntList":[3,1]})", R"({"mergingIntList":[2,3,1]})"},
        {"items merge by merge key",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}]})",
         R"({"mergingList":[{"name":"1","value":"1"}]})",
         R"({"mergingList":[{"name":"1","other":"a","value":"1"},{"name":"2","value":"2","other":"b"}]})"},
        {"patch order wins for the patch's items",
         R"({"mergingList":[{"name":"1"},{"name":"2","value":"b"},{"name":"3"}]})",
         R"({"mergingList":[{"name":"3","value":"c"},{"name":"1","value":"a"}]})",
         R"({"mergingList":[{"name":"2","value":"b"},{"name":"3","value":"c"},{"name":"1","value":"a"}]})"},
        {"new items go first without $setElementOrder",
         R"({"mergingList":[{"name":"1"},{"name":"2"}]})", R"({"mergingList":[{"name":"3"}]})",
         R"({"mergingList":[{"name":"3"},{"name":"1"},{"name":"2"}]})"},
        {"$patch: delete removes every item with the key",
         R"({"mergingList":[{"name":"1"},{"name":"1"},{"name":"2","value":"a"},{"name":"3"},{"name":"3"}]})",
         R"({"mergingList":[{"name":"1","$patch":"delete"},{"name":"3","$patch":"delete"}]})",
         R"({"mergingList":[{"name":"2","value":"a"}]})"},
        {"deleting a missing item is fine", R"({"mergingList":[{"name":"2","other":"b"}]})",
         R"({"mergingList":[{"name":"1","$patch":"delete"}]})",
         R"({"mergingList":[{"name":"2","other":"b"}]})"},
        {"$patch: replace alone empties a list", R"({"mergingList":[{"name":"1"},{"name":"2"}]})",
         R"({"mergingList":[{"$patch":"replace"}]})", R"({"mergingList":[]})"},
        {"$patch: replace keeps the patch's items", R"({"mergingList":[{"name":"1"}]})",
         R"({"mergingList":[{"name":"3","value":null,"other":"x"},{"$patch":"replace"}]})",
         R"({"mergingList":[{"name":"3","other":"x"}]})"},
        {"any item with $patch: replace replaces the list and is dropped itself",
         R"({"mergingList":[{"name":"1","value":"1","other":"a"},{"name":"2"}]})",
         R"({"mergingList":[{"name":"1","$patch":"replace","value":"2"},{"name":"3"}]})",
         R"({"mergingList":[{"name":"3"}]})"},
        {"null in an item deletes the member",
         R"({"mergingList":[{"name":"1","value":"1","other":"a"}]})",
         R"({"mergingList":[{"name":"1","value":null}]})",
         R"({"mergingList":[{"name":"1","other":"a"}]})"},
        {"a merging list inside an item merges",
         R"({"mergingList":[{"name":"1","mergingList":[{"name":"a"},{"name":"b","value":"2"}]}]})",
         R"({"mergingList":[{"name":"1","mergingList":[{"name":"b","value":"x"}]}]})",
         R"({"mergingList":[{"name":"1","mergingList":[{"name":"a"},{"name":"b","value":"x"}]}]})"},
        {"$deleteFromPrimitiveList removes every copy", R"({"mergingIntList":[1,2,3,3,4]})",
         R"({"$deleteFromPrimitiveList/mergingIntList":[3]})", R"({"mergingIntList":[1,2,4]})"},
        {"$deleteFromPrimitiveList on a missing list does nothing", R"({"name":"n"})",
         R"({"$deleteFromPrimitiveList/mergingIntList":[3]})", R"({"name":"n"})"},
        {"additions merge before the deletion list applies", R"({"mergingIntList":[1,2,3]})",
         R"({"mergingIntList":[4],"$deleteFromPrimitiveList/mergingIntList":[3]})",
         R"({"mergingIntList":[4,1,2]})"},
        {"a new merging list has its directives processed", R"({})",
         R"({"mergingList":[{"name":"a"},{"name":"b","$patch":"delete"}],"mergingIntList":[1,1]})",
         R"({"mergingList":[{"name":"a"}],"mergingIntList":[1]})"},
        {"empty merging lists", R"({"mergingList":[]})", R"({"mergingList":[]})",
         R"({"mergingList":[]})"},
    };
    check_cases(cases, merge_item_meta);
}

TEST_CASE("strategic merge patch: $retainKeys", "[strategic_merge]") {
    const Case cases[] = {
        {"unlisted members are dropped",
         R"({"retainKeysMap":{"name":"foo","value":"bar","other":"a"}})",
         R"({"retainKeysMap":{"$retainKeys":["name","value"],"value":"baz"}})",
         R"({"retainKeysMap":{"name":"foo","value":"baz"}})"},
        {"a null need not be listed",
         R"({"retainKeysMap":{"name":"foo","value":"bar","other":"a"}})",
         R"({"retainKeysMap":{"$retainKeys":["name"],"value":null}})",
         R"({"retainKeysMap":{"name":"foo"}})"},
        {"switching a union member", R"({"retainKeysMap":{"name":"type1","value":"foo"}})",
         R"({"retainKeysMap":{"$retainKeys":["name","other"],"name":"type2","other":"bar"}})",
         R"({"retainKeysMap":{"name":"type2","other":"bar"}})"},
        {"in the items of a merging list",
         R"({"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a","other":"x"}]})",
         R"({"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],
             "retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"b"}]})",
         R"({"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"b"}]})"},
        {"without the directive nothing is dropped",
         R"({"retainKeysMap":{"name":"foo","value":"a"}})", R"({"retainKeysMap":{"value":"b"}})",
         R"({"retainKeysMap":{"name":"foo","value":"b"}})"},
    };
    check_cases(cases, merge_item_meta);
}

// Modelled on upstream's raw test cases for $setElementOrder: the expected lists are what
// kube-apiserver 1.32 returns, orders included.
TEST_CASE("strategic merge patch: $setElementOrder ordering rules", "[strategic_merge]") {
    const Case cases[] = {
        {"reorder; a server-only item at the end stays there",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"3"},{"name":"4"},{"name":"2"},{"name":"9"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"4"},{"name":"2"},{"name":"3"},{"name":"1"}]})",
         R"({"mergingList":[{"name":"4"},{"name":"2"},{"name":"3"},{"name":"1","other":"a"},{"name":"9"}]})"},
        {"reorder; a server-only item keeps its neighbour",
         R"({"mergingList":[{"name":"1"},{"name":"2"},{"name":"9"},{"name":"3"},{"name":"4"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"}]})",
         R"({"mergingList":[{"name":"2"},{"name":"1"},{"name":"9"},{"name":"4"},{"name":"3"}]})"},
        {"reorder; a run of server-only items stays together",
         R"({"mergingList":[{"name":"1"},{"name":"2"},{"name":"7"},{"name":"9"},{"name":"8"},{"name":"3"},{"name":"4"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"}]})",
         R"({"mergingList":[{"name":"2"},{"name":"1"},{"name":"7"},{"name":"9"},{"name":"8"},{"name":"4"},{"name":"3"}]})"},
        {"add an item at the front",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"2","value":"2"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"3"},{"name":"1"},{"name":"2"}],"mergingList":[{"name":"3","value":"3"}]})",
         R"({"mergingList":[{"name":"3","value":"3"},{"name":"1","other":"a"},{"name":"2","value":"2"}]})"},
        {"add items in between",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"2","other":"b"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"1"},{"name":"4"},{"name":"2"},{"name":"3"}],"mergingList":[{"name":"4"},{"name":"3"}]})",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"4"},{"name":"2","other":"b"},{"name":"3"}]})"},
        {"delete an item and reorder",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"2","other":"b"},{"name":"3"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"1"}],"mergingList":[{"name":"3","$patch":"delete"}]})",
         R"({"mergingList":[{"name":"2","other":"b"},{"name":"1","other":"a"}]})"},
        {"change an item and reorder",
         R"({"mergingList":[{"name":"1"},{"name":"2"},{"name":"3","value":"3"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"3"},{"name":"1"}],"mergingList":[{"name":"3","value":"x"}]})",
         R"({"mergingList":[{"name":"2"},{"name":"3","value":"x"},{"name":"1"}]})"},
        {"add and delete: a server-only item stays before the new one",
         R"({"mergingList":[{"name":"1"},{"name":"2","other":"b"},{"name":"4","other":"c"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"3"}],"mergingList":[{"name":"3"},{"name":"1","$patch":"delete"}]})",
         R"({"mergingList":[{"name":"2","other":"b"},{"name":"4","other":"c"},{"name":"3"}]})"},
        {"add and delete: a server-only item goes first",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"4","other":"c"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"3"}],"mergingList":[{"name":"2"},{"name":"3"},{"name":"1","$patch":"delete"}]})",
         R"({"mergingList":[{"name":"4","other":"c"},{"name":"2"},{"name":"3"}]})"},
        {"add only: a server-only item goes after the new one",
         R"({"mergingList":[{"name":"1","other":"a"},{"name":"3","value":"2"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"1"},{"name":"2"}],"mergingList":[{"name":"1","value":"1"},{"name":"2","value":"2"}]})",
         R"({"mergingList":[{"name":"1","other":"a","value":"1"},{"name":"2","value":"2"},{"name":"3","value":"2"}]})"},
        {"the order may name items the list lacks",
         R"({"mergingList":[{"name":"1"},{"name":"3"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"3"},{"name":"2"},{"name":"1"}],"mergingList":[{"name":"3","value":"3"},{"name":"1","value":"1"}]})",
         R"({"mergingList":[{"name":"3","value":"3"},{"name":"1","value":"1"}]})"},
        {"duplicates keep their relative order",
         R"({"mergingList":[{"name":"1"},{"name":"2","value":"dup1"},{"name":"3"},{"name":"2","value":"dup2"},{"name":"4"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"},{"name":"2"}]})",
         R"({"mergingList":[{"name":"2","value":"dup1"},{"name":"2","value":"dup2"},{"name":"1"},{"name":"4"},{"name":"3"}]})"},
        {"a nested order inside a list item",
         R"({"mergingList":[{"name":"1","other":"a","mergingList":[{"name":"2","value":"2","other":"d"}]},{"name":"2","other":"b"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"1"},{"name":"2"}],
             "mergingList":[{"$setElementOrder/mergingList":[{"name":"2"},{"name":"1"}],"name":"1","mergingList":[{"name":"1","value":"1"}]}]})",
         R"({"mergingList":[{"name":"1","other":"a","mergingList":[{"name":"2","value":"2","other":"d"},{"name":"1","value":"1"}]},{"name":"2","other":"b"}]})"},
        {"the ordered list is added when the original lacks it", R"({"name":"n"})",
         R"({"$setElementOrder/mergingList":[{"name":"c"},{"name":"b"},{"name":"a"}],"mergingList":[{"name":"b"},{"name":"a","value":"1"}]})",
         R"({"name":"n","mergingList":[{"name":"b"},{"name":"a","value":"1"}]})"},
        {"scalars: add one with a server-only scalar", R"({"mergingIntList":[1,4,2]})",
         R"({"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]})",
         R"({"mergingIntList":[3,1,4,2]})"},
        {"scalars: add and delete", R"({"mergingIntList":[1,2,3]})",
         R"({"$setElementOrder/mergingIntList":[4,2,1],"mergingIntList":[4],"$deleteFromPrimitiveList/mergingIntList":[3]})",
         R"({"mergingIntList":[4,2,1]})"},
        {"scalars: delete keeps server-only scalars", R"({"mergingIntList":[1,2,3,4]})",
         R"({"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]})",
         R"({"mergingIntList":[1,2,4]})"},
        {"scalars: reorder around a server-only scalar", R"({"mergingIntList":[1,2,9,3,4]})",
         R"({"$setElementOrder/mergingIntList":[2,1,4,3]})", R"({"mergingIntList":[2,1,9,4,3]})"},
        {"scalars: the order may name missing scalars", R"({"mergingIntList":[1,3]})",
         R"({"$setElementOrder/mergingIntList":[3,2,1]})", R"({"mergingIntList":[3,1]})"},
        {"scalars: duplicates", R"({"mergingIntList":[1,2,3,2,4]})",
         R"({"$setElementOrder/mergingIntList":[2,1,4,3,2]})", R"({"mergingIntList":[2,2,1,4,3]})"},
        {"two lists ordered at once",
         R"({"mergingList":[{"name":"a"},{"name":"b"}],"mergeItemPtr":[{"name":"c"},{"name":"d"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"b"}],"$setElementOrder/mergeItemPtr":[{"name":"d"},{"name":"c"}],"mergingList":[{"$patch":"delete","name":"a"}]})",
         R"({"mergingList":[{"name":"b"}],"mergeItemPtr":[{"name":"d"},{"name":"c"}]})"},
    };
    check_cases(cases, merge_item_meta);
}

TEST_CASE("strategic merge patch: what kubectl sends for a Pod", "[strategic_merge]") {
    const char* pod =
        R"({"metadata":{"name":"nginx","annotations":{"a":"1"},"finalizers":["a","b"]},
        "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"name":"http"}]},
                              {"name":"sidecar","image":"busybox"}],
                "volumes":[{"name":"v","emptyDir":{}}],
                "tolerations":[{"key":"a"}]}})";
    const Case cases[] = {
        {"kubectl apply with $setElementOrder", pod,
         R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},
             "spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}})",
         R"({"metadata":{"name":"nginx","annotations":{"a":"1","kubectl.kubernetes.io/last-applied-configuration":"{}\n"},"finalizers":["a","b"]},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.28","ports":[{"containerPort":80,"name":"http"}]},{"name":"sidecar","image":"busybox"}],
                     "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"a"}]}})"},
        {"ports merge by their integer key", pod,
         R"({"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":443,"name":"https"},{"containerPort":80,"protocol":"TCP"}]}]}})",
         R"({"metadata":{"name":"nginx","annotations":{"a":"1"},"finalizers":["a","b"]},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":443,"name":"https"},{"containerPort":80,"name":"http","protocol":"TCP"}]},{"name":"sidecar","image":"busybox"}],
                     "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"a"}]}})"},
        {"untagged tolerations are replaced; finalizers merge and delete", pod,
         R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]},"spec":{"tolerations":[{"key":"b"}]}})",
         R"({"metadata":{"name":"nginx","annotations":{"a":"1"},"finalizers":["c","b"]},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"name":"http"}]},{"name":"sidecar","image":"busybox"}],
                     "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"b"}]}})"},
        {"a volume switches source with $retainKeys", pod,
         R"({"spec":{"volumes":[{"$retainKeys":["configMap","name"],"name":"v","configMap":{"name":"c"}}]}})",
         R"({"metadata":{"name":"nginx","annotations":{"a":"1"},"finalizers":["a","b"]},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"name":"http"}]},{"name":"sidecar","image":"busybox"}],
                     "volumes":[{"name":"v","configMap":{"name":"c"}}],"tolerations":[{"key":"a"}]}})"},
        {"kubectl edit removes a container", pod,
         R"({"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"$patch":"delete","name":"sidecar"}]}})",
         R"({"metadata":{"name":"nginx","annotations":{"a":"1"},"finalizers":["a","b"]},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"name":"http"}]}],
                     "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"a"}]}})"},
    };
    check_cases(cases, pod_meta);

    SECTION("the lookup sees field paths with list items transparent") {
        std::vector<std::string> seen;
        PatchMetaLookup recording = [&](std::span<const std::string> path) {
            std::string joined;
            for (const auto& p : path) {
                joined += (joined.empty() ? "" : "/") + p;
            }
            seen.push_back(joined);
            return pod_meta(path);
        };
        auto got = apply_strategic_merge_patch(
            json::parse(pod),
            json::parse(
                R"({"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]}]}})"),
            recording);
        REQUIRE(got.ok());
        CHECK(std::find(seen.begin(), seen.end(), "spec/containers") != seen.end());
        CHECK(std::find(seen.begin(), seen.end(), "spec/containers/ports") != seen.end());
    }

    SECTION("without a lookup every list is replaced") {
        auto got = apply_strategic_merge_patch(
            json::parse(pod), json::parse(R"({"spec":{"containers":[{"name":"x"}]}})"),
            PatchMetaLookup{});
        REQUIRE(got.ok());
        CHECK(json::serialize(got->at("spec").at("containers")) == R"([{"name":"x"}])");
    }
}

TEST_CASE("strategic merge patch failures carry upstream's codes and the field path",
          "[strategic_merge]") {
    struct ErrorCase {
        const char* name;
        const char* original;
        const char* patch;
        Reason reason;
        int code;
        const char* message;  // exact when `exact`, else a substring
        bool exact;
    };
    const ErrorCase cases[] = {
        {"missing merge key", R"({"mergingList":[{"name":"1","value":"a"}]})",
         R"({"mergingList":[{"value":"b"}]})", Reason::Unknown, 500,
         R"(mergingList: map: {"value":"b"} does not contain declared merge key: name)", true},
        {"an existing item without the merge key", R"({"mergingList":[{"value":"a"}]})",
         R"({"mergingList":[{"name":"1"}]})", Reason::Unknown, 500,
         R"(mergingList: map: {"value":"a"} does not contain declared merge key: name)", true},
        {"order disagrees with the patch list",
         R"({"mergingList":[{"name":"1"},{"name":"3"},{"name":"2"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"1"},{"name":"2"},{"name":"3"}],"mergingList":[{"name":"3","value":"3"},{"name":"1","value":"1"}]})",
         Reason::Unknown, 500, "doesn't match $setElementOrder list", false},
        {"scalar order disagrees with the patch list", R"({"mergingIntList":[1,3,2]})",
         R"({"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]})", Reason::Unknown,
         500, "doesn't match $setElementOrder list", false},
        {"unknown $patch in a map", R"({"simpleMap":{"a":"1"}})",
         R"({"simpleMap":{"$patch":"foo"}})", Reason::Unknown, 500,
         R"(simpleMap: unknown patch type: foo in map: {"$patch":"foo"})", true},
        {"$patch: merge in a map (upstream rejects it)", R"({})", R"({"$patch":"merge","a":1})",
         Reason::Unknown, 500, R"(unknown patch type: merge in map: {"$patch":"merge","a":1})",
         true},
        {"$patch: merge in a list item", R"({"mergingList":[{"name":"1"}]})",
         R"({"mergingList":[{"name":"1","$patch":"merge"}]})", Reason::Unknown, 500,
         "mergingList: merging lists cannot yet be specified in the patch", true},
        {"an unknown directive", R"({"spec":{}})", R"({"spec":{"$foo":1}})", Reason::BadRequest,
         400, R"(spec: unknown strategic merge patch directive "$foo")", true},
        {"$retainKeys is not a list", R"({"retainKeysMap":{}})",
         R"({"retainKeysMap":{"$retainKeys":"name"}})", Reason::BadRequest, 400,
         "retainKeysMap: invalid patch format of retainKeys", true},
        {"$retainKeys misses a patched member", R"({"retainKeysMap":{}})",
         R"({"retainKeysMap":{"$retainKeys":["name"],"value":"x"}})", Reason::BadRequest, 400,
         R"(retainKeysMap: invalid patch format of retainKeys: "value" is not in the list)", true},
        {"$setElementOrder without a field", R"({})", R"({"$setElementOrder":[]})",
         Reason::BadRequest, 400, "invalid patch format of setElementOrder list", true},
        {"a misspelt $setElementOrder", R"({})", R"({"$setElementOrderX/mergingList":[]})",
         Reason::BadRequest, 400, "invalid patch format of setElementOrder list", true},
        {"$deleteFromPrimitiveList with a scalar", R"({"mergingIntList":[1]})",
         R"({"$deleteFromPrimitiveList/mergingIntList":1})", Reason::BadRequest, 400,
         "invalid patch format of primitive list", true},
        {"a list of lists", R"({"mergingIntList":[[1]]})", R"({"mergingIntList":[[2]]})",
         Reason::Invalid, 422, "mergingIntList: lists of lists are not supported", true},
        {"mixed element types", R"({"mergingIntList":[1]})", R"({"mergingIntList":["a"]})",
         Reason::Unknown, 500, "mergingIntList: list element types are not identical: [1] [\"a\"]",
         true},
        {"the patch is not an object", R"({})", R"([1])", Reason::BadRequest, 400,
         "strategic merge patch must be a JSON object, not list", true},
        {"the original is not an object", R"([1])", R"({})", Reason::BadRequest, 400,
         "invalid JSON document", false},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            auto got = apply_strategic_merge_patch(json::parse(c.original), json::parse(c.patch),
                                                   merge_item_meta);
            REQUIRE_FALSE(got.ok());
            CHECK(got.status().reason() == c.reason);
            CHECK(got.status().code() == c.code);
            if (c.exact) {
                CHECK(got.status().message() == c.message);
            } else {
                CHECK_THAT(got.status().message(), Catch::Contains(c.message));
            }
        }
    }
}

TEST_CASE("create_two_way_merge_patch computes kubectl's patches", "[strategic_merge]") {
    struct DiffCase {
        const char* name;
        const char* original;
        const char* modified;
        const char* want;  // compared with json_equal: member order free, list order not
        bool round_trip;   // applying the patch to original gives modified
    };
    const DiffCase cases[] = {
        {"no change", R"({"name":"1","mergingList":[{"name":"a"}]})",
         R"({"name":"1","mergingList":[{"name":"a"}]})", R"({})", true},
        {"member order does not matter", R"({"name":"1","value":{"a":1,"b":2}})",
         R"({"value":{"b":2,"a":1},"name":"1"})", R"({})", false},
        {"add a member", R"({"name":"1"})", R"({"name":"1","value":"1"})", R"({"value":"1"})",
         true},
        {"delete a member", R"({"name":"1","value":"1"})", R"({"value":"1"})", R"({"name":null})",
         true},
        {"nested maps", R"({"simpleMap":{"key1":"1","key2":"1"}})",
         R"({"simpleMap":{"key1":"1","key3":"3"}})", R"({"simpleMap":{"key2":null,"key3":"3"}})",
         true},
        {"an untagged list goes whole", R"({"nonMergingIntList":[1,2]})",
         R"({"nonMergingIntList":[2,3]})", R"({"nonMergingIntList":[2,3]})", true},
        {"add items to a merging list",
         R"({"mergingList":[{"name":"1"},{"name":"2","value":"2"}]})",
         R"({"mergingList":[{"name":"4","value":"4"},{"name":"1"},{"name":"2","value":"2"},{"name":"3","value":"3"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],
             "mergingList":[{"name":"4","value":"4"},{"name":"3","value":"3"}]})",
         true},
        {"delete an item", R"({"mergingList":[{"name":"1"},{"name":"2"}]})",
         R"({"mergingList":[{"name":"2"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"}],"mergingList":[{"name":"1","$patch":"delete"}]})",
         true},
        {"change a member of an item",
         R"({"mergingList":[{"name":"1","value":"1"},{"name":"2","value":"2"}]})",
         R"({"mergingList":[{"name":"1","value":"a"},{"name":"2","value":"2"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"1"},{"name":"2"}],"mergingList":[{"name":"1","value":"a"}]})",
         true},
        {"reorder only", R"({"mergingList":[{"name":"1"},{"name":"2"}]})",
         R"({"mergingList":[{"name":"2"},{"name":"1"}]})",
         R"({"$setElementOrder/mergingList":[{"name":"2"},{"name":"1"}]})", true},
        {"delete a scalar", R"({"mergingIntList":[1,2,3]})", R"({"mergingIntList":[1,2]})",
         R"({"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]})",
         true},
        {"add and delete scalars", R"({"mergingIntList":[1,2,3]})", R"({"mergingIntList":[1,2,4]})",
         R"({"$setElementOrder/mergingIntList":[1,2,4],"$deleteFromPrimitiveList/mergingIntList":[3],"mergingIntList":[4]})",
         true},
        {"an unchanged but unsorted scalar list still gets an order (upstream)",
         R"({"mergingIntList":[2,1]})", R"({"mergingIntList":[2,1]})",
         R"({"$setElementOrder/mergingIntList":[2,1]})", true},
        {"a merging list new to the object goes whole", R"({})",
         R"({"mergingList":[{"name":"1"}]})", R"({"mergingList":[{"name":"1"}]})", true},
        {"an empty original list", R"({"mergingIntList":[]})", R"({"mergingIntList":[1]})",
         R"({"mergingIntList":[1]})", true},
        {"retainKeys on a map", R"({"retainKeysMap":{"name":"foo"}})",
         R"({"retainKeysMap":{"name":"foo","value":"bar"}})",
         R"({"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}})", true},
        {"retainKeys map without change", R"({"retainKeysMap":{"name":"foo"}})",
         R"({"retainKeysMap":{"name":"foo"}})", R"({})", true},
        {"retainKeys on list items",
         R"({"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]})",
         R"({"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]})",
         R"({"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],
             "retainKeysMergingList":[{"$retainKeys":["name"],"name":"foo","value":null}]})",
         true},
        {"a replace-tagged map is always sent", R"({"replacingItem":{"a":1}})",
         R"({"replacingItem":{"a":1}})", R"({"replacingItem":{"a":1}})", true},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            const auto original = json::parse(c.original);
            const auto modified = json::parse(c.modified);
            auto patch = create_two_way_merge_patch(original, modified, merge_item_meta);
            INFO(skiff::base::to_string(patch.status()));
            REQUIRE(patch.ok());
            INFO(json::serialize(*patch));
            CHECK(skiff::api::json_equal(*patch, json::parse(c.want)));
            if (c.round_trip) {
                auto applied = apply_strategic_merge_patch(original, *patch, merge_item_meta);
                INFO(skiff::base::to_string(applied.status()));
                REQUIRE(applied.ok());
                CHECK(json::serialize(*applied) == json::serialize(modified));
            }
        }
    }

    SECTION("items of a merged list need the merge key") {
        auto got = create_two_way_merge_patch(json::parse(R"({"mergingList":[{"value":"a"}]})"),
                                              json::parse(R"({"mergingList":[{"name":"a"}]})"),
                                              merge_item_meta);
        REQUIRE_FALSE(got.ok());
        CHECK(got.status().code() == 500);
        CHECK_THAT(got.status().message(), Catch::Contains("does not contain declared merge key"));
    }
    SECTION("both sides must be objects") {
        auto got =
            create_two_way_merge_patch(json::parse("[]"), json::parse("{}"), merge_item_meta);
        REQUIRE_FALSE(got.ok());
        CHECK(got.status().reason() == Reason::BadRequest);
    }
}
