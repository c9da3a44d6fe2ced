// ReplicaSet reconcile core: scaling with upstream's deletion ranking, adoption and release,
// status counts with readiness and minReadySeconds, failures, and the quiet converged case.
#include "skiff/controllers/replicaset.h"

#include <algorithm>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::controllers;
namespace json = boost::json;
using std::chrono::seconds;

namespace {

const TimePoint kNow = TimePoint(seconds(1'700'000'000));

json::object parse(std::string_view text) {
    return json::parse(text).as_object();
}

std::string at(seconds ago) {
    return format_time(kNow - ago);
}

json::object make_rs(int replicas, int min_ready = 0) {
    auto rs = parse(R"({
      "apiVersion": "apps/v1", "kind": "ReplicaSet",
      "metadata": {"name": "web", "namespace": "ns", "uid": "rs-uid", "generation": 2},
      "spec": {"replicas": 0,
               "selector": {"matchLabels": {"app": "web"}},
               "template": {"metadata": {"labels": {"app": "web", "tier": "fe"},
                                         "annotations": {"a": "b"}},
                            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
      "status": {"replicas": 0}
    })");
    rs["spec"].as_object()["replicas"] = replicas;
    if (min_ready > 0) {
        rs["spec"].as_object()["minReadySeconds"] = min_ready;
    }
    return rs;
}

struct PodSpec {
    std::string name;
    std::string owner = "rs-uid";  // "" = orphan
    std::string node = "n1";
    std::string phase = "Running";
    bool ready = true;
    seconds ready_for = seconds(3600);
    seconds age = seconds(7200);
    std::string labels = R"({"app": "web", "tier": "fe"})";
    int restarts = 0;
    bool deleting = false;
    std::string deletion_cost;
};

json::object make_pod(const PodSpec& p) {
    json::object meta{{"name", p.name},
                      {"namespace", "ns"},
                      {"uid", "uid-" + p.name},
                      {"creationTimestamp", at(p.age)},
                      {"labels", json::parse(p.labels)}};
    if (!p.owner.empty()) {
        meta["ownerReferences"] = json::array{json::object{{"apiVersion", "apps/v1"},
                                                           {"kind", "ReplicaSet"},
                                                           {"name", "web"},
                                                           {"uid", p.owner},
                                                           {"controller", true}}};
    }
    if (p.deleting) {
        meta["deletionTimestamp"] = at(seconds(1));
    }
    if (!p.deletion_cost.empty()) {
        meta["annotations"] =
            json::object{{"controller.kubernetes.io/pod-deletion-cost", p.deletion_cost}};
    }
    json::object spec{{"containers", json::array{json::object{{"name", "c"}}}}};
    if (!p.node.empty()) {
        spec["nodeName"] = p.node;
    }
    json::object status{{"phase", p.phase}};
    status["conditions"] = json::array{json::object{{"type", "Ready"},
                                                    {"status", p.ready ? "True" : "False"},
                                                    {"lastTransitionTime", at(p.ready_for)}}};
    status["containerStatuses"] =
        json::array{json::object{{"name", "c"}, {"restartCount", p.restarts}}};
    return json::object{{"apiVersion", "v1"},
                        {"kind", "Pod"},
                        {"metadata", std::move(meta)},
                        {"spec", std::move(spec)},
                        {"status", std::move(status)}};
}

std::vector<json::object> make_pods(const std::vector<PodSpec>& specs) {
    std::vector<json::object> out;
    for (const auto& s : specs) {
        out.push_back(make_pod(s));
    }
    return out;
}

// The RS as the API would serve it after writing `status`.
json::object with_status(json::object rs, const std::optional<json::object>& status) {
    if (status) {
        rs["status"] = *status;
    }
    return rs;
}

}  // namespace

TEST_CASE("replicaset creates missing pods from its template", "[controllers]") {
    auto rs = make_rs(3);
    auto pods = make_pods({{.name = "p1"}});
    auto a = replicaset::reconcile(rs, pods, kNow);

    REQUIRE(a.creates.size() == 2);
    CHECK(a.deletes.empty());
    CHECK(a.patches.empty());
    const auto& pod = a.creates[0];
    CHECK(pod.at("apiVersion") == "v1");
    CHECK(pod.at("kind") == "Pod");
    const auto& meta = pod.at("metadata").as_object();
    CHECK(meta.at("generateName") == "web-");
    CHECK(meta.at("namespace") == "ns");
    CHECK(meta.at("labels") == json::parse(R"({"app": "web", "tier": "fe"})"));
    CHECK(meta.at("annotations") == json::parse(R"({"a": "b"})"));
    CHECK(meta.at("ownerReferences") == json::parse(R"([{"apiVersion": "apps/v1",
        "kind": "ReplicaSet", "name": "web", "uid": "rs-uid", "controller": true,
        "blockOwnerDeletion": true}])"));
    CHECK(pod.at("spec") == json::parse(R"({"containers": [{"name": "c", "image": "nginx"}]})"));
    REQUIRE(a.status);
    CHECK(*a.status == parse(R"({"replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 1,
                                 "availableReplicas": 1, "observedGeneration": 2})"));
}

TEST_CASE("replicaset creation is capped by the burst and batched by slow start", "[controllers]") {
    auto rs = make_rs(1000);
    auto a = replicaset::reconcile(rs, {}, kNow);
    CHECK(a.creates.size() == 500);

    using V = std::vector<std::size_t>;
    CHECK(replicaset::slow_start_batches(0) == V{});
    CHECK(replicaset::slow_start_batches(1) == V{1});
    CHECK(replicaset::slow_start_batches(10) == V{1, 2, 4, 3});
    CHECK(replicaset::slow_start_batches(15) == V{1, 2, 4, 8});
}

TEST_CASE("replicaset deletes surplus pods in upstream's ranking order", "[controllers]") {
    struct Case {
        std::string what;
        std::vector<PodSpec> pods;
        int replicas;
        std::vector<std::string> deleted;
    };
    const std::vector<Case> cases = {
        {"unassigned before assigned",
         {{.name = "a"}, {.name = "b", .node = "", .phase = "Pending", .ready = false}},
         1,
         {"b"}},
        {"pending before unknown before running",
         {{.name = "run"},
          {.name = "unk", .phase = "Unknown", .ready = false},
          {.name = "pend", .phase = "Pending", .ready = false}},
         1,
         {"pend", "unk"}},
        {"not ready before ready", {{.name = "r"}, {.name = "nr", .ready = false}}, 1, {"nr"}},
        {"lower deletion cost first",
         {{.name = "cheap", .deletion_cost = "-5"}, {.name = "dear", .deletion_cost = "10"}},
         1,
         {"cheap"}},
        {"doubled up on a node first",
         {{.name = "alone", .node = "n2"},
          {.name = "pair1"},
          {.name = "pair2", .age = seconds(8000)}},
         1,
         {"pair1", "pair2"}},
        {"ready for less time first (log2 buckets)",
         {{.name = "old", .ready_for = seconds(4000)}, {.name = "fresh", .ready_for = seconds(10)}},
         1,
         {"fresh"}},
        {"more restarts first",
         {{.name = "stable"}, {.name = "flaky", .restarts = 7}},
         1,
         {"flaky"}},
        {"newer first",
         {{.name = "older", .age = seconds(100000)}, {.name = "newer", .age = seconds(60)}},
         1,
         {"newer"}},
        {"same log2 bucket ties by uid",
         {{.name = "y", .age = seconds(5000)}, {.name = "x", .age = seconds(5001)}},
         1,
         {"x"}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto rs = make_rs(c.replicas);
        auto pods = make_pods(c.pods);
        // A controller makes all of the ReplicaSet's pods related, so doubled-up pods rank.
        rs["metadata"].as_object()["ownerReferences"] = json::parse(
            R"([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "d-uid",
                 "controller": true}])");
        auto a = replicaset::reconcile(rs, pods, kNow);
        CHECK(a.creates.empty());
        CHECK(a.deletes == c.deleted);
    }
}

TEST_CASE("replicaset without a controller does not rank by node", "[controllers]") {
    auto rs = make_rs(1);
    auto pods = make_pods({{.name = "pair1", .age = seconds(100)},
                           {.name = "pair2", .age = seconds(100000)},
                           {.name = "alone", .node = "n2", .age = seconds(100000)}});
    auto a = replicaset::reconcile(rs, pods, kNow);
    // Without ranks, age decides: the newest pod goes first.
    REQUIRE(a.deletes.size() == 2);
    CHECK(a.deletes[0] == "pair1");
}

TEST_CASE("replicaset ranks pods of sibling ReplicaSets of the same controller", "[controllers]") {
    auto rs = make_rs(1);
    const auto owner = json::parse(R"([{"apiVersion": "apps/v1", "kind": "Deployment",
        "name": "d", "uid": "d-uid", "controller": true}])");
    rs["metadata"].as_object()["ownerReferences"] = owner;
    auto sibling = make_rs(1);
    auto& smeta = sibling["metadata"].as_object();
    smeta["name"] = "web-old";
    smeta["uid"] = "rs-old";
    smeta["ownerReferences"] = owner;
    sibling["spec"].as_object()["selector"] = json::parse(R"({"matchLabels": {"app": "old"}})");
    auto pods = make_pods(
        {{.name = "mine-n1", .age = seconds(60)},
         {.name = "mine-n2", .node = "n2", .age = seconds(100000)},
         {.name = "theirs-n2", .owner = "rs-old", .node = "n2", .labels = R"({"app": "old"})"}});
    replicaset::Options opts;
    std::vector<json::object> siblings{sibling};
    opts.related_replicasets = siblings;
    auto a = replicaset::reconcile(rs, pods, kNow, opts);
    // n2 holds two related pods: its pod goes first although it is the oldest.
    CHECK(a.deletes == std::vector<std::string>{"mine-n2"});
}

TEST_CASE("replicaset adopts matching orphans and releases pods it no longer selects",
          "[controllers]") {
    auto rs = make_rs(3);
    auto pods = make_pods({
        {.name = "owned"},
        {.name = "orphan", .owner = ""},
        {.name = "strayed", .labels = R"({"app": "other"})"},
        {.name = "foreign", .owner = "other-uid"},
        {.name = "orphan-other-app", .owner = "", .labels = R"({"app": "db"})"},
        {.name = "orphan-deleting", .owner = "", .deleting = true},
        {.name = "done", .phase = "Succeeded", .ready = false},
        {.name = "failed", .phase = "Failed", .ready = false},
    });
    auto a = replicaset::reconcile(rs, pods, kNow);

    REQUIRE(a.patches.size() == 2);
    CHECK(a.patches[0].name == "orphan");
    CHECK(a.patches[0].type == skiff::api::PatchType::StrategicMerge);
    CHECK(a.patches[0].body == parse(R"({"metadata": {"ownerReferences": [{"apiVersion": "apps/v1",
        "kind": "ReplicaSet", "name": "web", "uid": "rs-uid", "controller": true,
        "blockOwnerDeletion": true}], "uid": "uid-orphan"}})"));
    CHECK(a.patches[1].name == "strayed");
    CHECK(a.patches[1].body == parse(R"({"metadata": {"ownerReferences": [{"$patch": "delete",
        "uid": "rs-uid"}], "uid": "uid-strayed"}})"));
    // owned + adopted = 2 of 3: one more; finished pods count for nothing.
    CHECK(a.creates.size() == 1);
    REQUIRE(a.status);
    CHECK(a.status->at("replicas") == 2);
}

TEST_CASE("replicaset being deleted or awaiting expectations only syncs status", "[controllers]") {
    auto pods = make_pods(
        {{.name = "orphan", .owner = ""}, {.name = "strayed", .labels = R"({"app": "x"})"}});
    SECTION("deleting: no adoption, no release, no creates") {
        auto rs = make_rs(3);
        rs["metadata"].as_object()["deletionTimestamp"] = at(seconds(1));
        auto a = replicaset::reconcile(rs, pods, kNow);
        CHECK(a.patches.empty());
        CHECK(a.creates.empty());
        REQUIRE(a.status);
        CHECK(a.status->at("replicas") == 0);
    }
    SECTION("expectations pending: claims, no creates") {
        auto rs = make_rs(3);
        auto a = replicaset::reconcile(rs, pods, kNow, {.expectations_satisfied = false});
        CHECK(a.patches.size() == 2);
        CHECK(a.creates.empty());
        CHECK(a.deletes.empty());
    }
}

TEST_CASE("replicaset status counts readiness, labels and minReadySeconds", "[controllers]") {
    struct Case {
        std::string what;
        int min_ready;
        std::vector<PodSpec> pods;
        std::string status;
        std::optional<seconds> requeue;
    };
    const std::vector<Case> cases = {
        {"ready pods are available without minReadySeconds",
         0,
         {{.name = "a"}, {.name = "b", .ready = false}},
         R"({"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 1,
             "availableReplicas": 1, "observedGeneration": 2})",
         std::nullopt},
        {"minReadySeconds holds freshly ready pods back",
         30,
         {{.name = "a", .ready_for = seconds(100)}, {.name = "b", .ready_for = seconds(10)}},
         R"({"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 2,
             "availableReplicas": 1, "observedGeneration": 2})",
         seconds(21)},
        {"exactly minReadySeconds is not yet available",
         30,
         {{.name = "a", .ready_for = seconds(30)}},
         R"({"replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 1,
             "observedGeneration": 2})",
         seconds(1)},
        {"pods missing a template label are not fully labeled",
         0,
         {{.name = "a", .labels = R"({"app": "web"})"}, {.name = "b"}},
         R"({"replicas": 2, "fullyLabeledReplicas": 1, "readyReplicas": 2,
             "availableReplicas": 2, "observedGeneration": 2})",
         std::nullopt},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto rs = make_rs(static_cast<int>(c.pods.size()), c.min_ready);
        auto pods = make_pods(c.pods);
        auto a = replicaset::reconcile(rs, pods, kNow);
        CHECK(a.creates.empty());
        CHECK(a.deletes.empty());
        REQUIRE(a.status);
        CHECK(*a.status == parse(c.status));
        CHECK(a.requeue_after == c.requeue);
    }
}

TEST_CASE("replicaset records create and delete failures as ReplicaFailure", "[controllers]") {
    auto rs = make_rs(2);
    auto a = replicaset::reconcile(rs, {}, kNow);
    replicaset::record_failure(a, rs, "pods \"web-x\" is forbidden: exceeded quota", kNow);
    REQUIRE(a.status);
    CHECK(a.status->at("conditions") == json::parse(R"([{"type": "ReplicaFailure",
        "status": "True", "lastTransitionTime": "2023-11-14T22:13:20Z", "reason": "FailedCreate",
        "message": "pods \"web-x\" is forbidden: exceeded quota"}])"));

    // The next sync succeeds: the condition goes away.
    auto failed = with_status(rs, a.status);
    auto ok = replicaset::reconcile(failed, {}, kNow + seconds(10));
    REQUIRE(ok.status);
    CHECK_FALSE(ok.status->contains("conditions"));

    // It fails again later: the recorded condition is kept as it was.
    replicaset::record_failure(ok, failed, "still forbidden", kNow + seconds(10));
    CHECK_FALSE(ok.status);  // nothing to write: the status already says so

    auto pods = make_pods({{.name = "a"}, {.name = "b"}, {.name = "c"}});
    auto del = replicaset::reconcile(rs, pods, kNow);
    replicaset::record_failure(del, rs, "boom", kNow);
    CHECK(del.status->at("conditions").as_array()[0].at("reason") == "FailedDelete");
}

TEST_CASE("replicaset in agreement with its pods produces no actions", "[controllers]") {
    auto rs = make_rs(2, 10);
    auto pods = make_pods({{.name = "a"}, {.name = "b"}, {.name = "other", .owner = "x"}});
    auto first = replicaset::reconcile(rs, pods, kNow);
    REQUIRE(first.status);
    auto converged = with_status(rs, first.status);
    auto again = replicaset::reconcile(converged, pods, kNow + seconds(60));
    CHECK(again.empty());
}

TEST_CASE("replicaset with an invalid selector does nothing", "[controllers]") {
    auto rs = make_rs(2);
    rs["spec"].as_object()["selector"] =
        json::parse(R"({"matchExpressions": [{"key": "a", "operator": "Bogus"}]})");
    CHECK(replicaset::reconcile(rs, {}, kNow).empty());
}
