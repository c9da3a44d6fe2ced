// Deployment reconcile core: first rollout, rolling and Recreate steps, pause, revisions and
// history, conditions and deadlines, and whole rollouts against a simulated cluster that end in
// what `kubectl rollout status` and `kubectl wait --for=condition=Available` wait for.
#include "skiff/controllers/deployment.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "skiff/controllers/replicaset.h"

using namespace skiff::controllers;
namespace json = boost::json;
using std::chrono::seconds;

namespace {

const TimePoint kNow = TimePoint(seconds(1'700'000'000));

json::object parse(std::string_view text) {
    return json::parse(text).as_object();
}
std::string at(TimePoint t) {
    return format_time(t);
}

json::object& meta(json::object& o) {
    return o["metadata"].as_object();
}
json::object& spec(json::object& o) {
    return o["spec"].as_object();
}
const json::object& cmeta(const json::object& o) {
    return o.at("metadata").as_object();
}
std::string name_of(const json::object& o) {
    return std::string(cmeta(o).at("name").as_string());
}
std::int64_t replicas_of(const json::object& rs) {
    return rs.at("spec").as_object().at("replicas").to_number<std::int64_t>();
}
std::string annotation(const json::object& o, std::string_view key) {
    const auto* a = cmeta(o).if_contains("annotations");
    if (!a || !a->as_object().contains(key)) {
        return "<none>";
    }
    return std::string(a->as_object().at(key).as_string());
}
std::int64_t count(const json::object& status, std::string_view key) {
    const auto* v = status.if_contains(key);
    return v ? v->to_number<std::int64_t>() : 0;
}
const json::object* condition(const json::object& status, std::string_view type) {
    const auto* conds = status.if_contains("conditions");
    if (!conds) {
        return nullptr;
    }
    for (const auto& c : conds->as_array()) {
        if (c.at("type").as_string() == type) {
            return &c.as_object();
        }
    }
    return nullptr;
}
std::string reason(const json::object& status, std::string_view type) {
    const auto* c = condition(status, type);
    return c ? std::string(c->at("reason").as_string()) : "<none>";
}

json::value rolling(json::value surge, json::value unavailable) {
    return json::object{
        {"type", "RollingUpdate"},
        {"rollingUpdate", json::object{{"maxSurge", surge}, {"maxUnavailable", unavailable}}}};
}
const json::value kRecreate = json::object{{"type", "Recreate"}};

json::object make_deployment(std::string image, int replicas = 4,
                             json::value strategy = rolling(1, 1)) {
    auto d = parse(R"({
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "ns", "uid": "d-uid", "generation": 1,
                   "annotations": {"team": "blue"}},
      "spec": {"selector": {"matchLabels": {"app": "web"}},
               "template": {"metadata": {"labels": {"app": "web"}},
                            "spec": {"containers": [{"name": "c", "image": ""}]}},
               "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600}
    })");
    spec(d)["replicas"] = replicas;
    spec(d)["strategy"] = std::move(strategy);
    spec(d)["template"]
        .as_object()["spec"]
        .as_object()["containers"]
        .as_array()[0]
        .as_object()["image"] = image;
    return d;
}

void set_image(json::object& d, std::string image) {
    spec(d)["template"]
        .as_object()["spec"]
        .as_object()["containers"]
        .as_array()[0]
        .as_object()["image"] = image;
    meta(d)["generation"] = cmeta(d).at("generation").as_int64() + 1;
}

// A ReplicaSet of `d`'s template as the controller creates it, then as the API serves it with
// the given size, availability and revision.
json::object rs_of(const json::object& d, std::int64_t replicas, std::int64_t available,
                   std::string revision, std::string uid, seconds age) {
    auto a = deployment::reconcile(d, {}, {}, kNow - age);
    REQUIRE(a.creates.size() == 1);
    auto rs = a.creates[0];
    meta(rs)["uid"] = uid;
    meta(rs)["creationTimestamp"] = at(kNow - age);
    meta(rs)["generation"] = 1;
    meta(rs)["resourceVersion"] = "7";
    meta(rs)["annotations"].as_object()[deployment::kRevisionAnnotation] = revision;
    spec(rs)["replicas"] = replicas;
    rs["status"] = json::object{{"replicas", replicas},
                                {"readyReplicas", available},
                                {"availableReplicas", available},
                                {"observedGeneration", 1}};
    return rs;
}

std::map<std::string, std::int64_t> sizes(const std::vector<json::object>& sets) {
    std::map<std::string, std::int64_t> out;
    for (const auto& rs : sets) {
        out[name_of(rs)] = replicas_of(rs);
    }
    return out;
}

// kubectl rollout status (deployment): done when observed, not timed out, and all updated and
// available (contract §10).
bool rollout_done(const json::object& d) {
    const auto& s = d.at("status").as_object();
    auto want = d.at("spec").as_object().at("replicas").as_int64();
    return count(s, "observedGeneration") >= cmeta(d).at("generation").as_int64() &&
           reason(s, "Progressing") != "ProgressDeadlineExceeded" &&
           count(s, "updatedReplicas") >= want &&
           count(s, "replicas") <= count(s, "updatedReplicas") &&
           count(s, "availableReplicas") >= count(s, "updatedReplicas");
}

// kubectl wait --for=condition=Available.
bool available(const json::object& d) {
    const auto* c = condition(d.at("status").as_object(), "Available");
    return c && c->at("status") == "True";
}

// A small cluster: the Deployment and ReplicaSet cores, the API applying their actions, and a
// kubelet that starts pods (Running a step after creation, Ready a step later) and finishes
// deletions a step after they were asked for.
struct Cluster {
    TimePoint now = kNow;
    json::object d;
    std::vector<json::object> sets;
    std::vector<json::object> pods;
    int seq = 0;

    std::string next_uid() { return "uid-" + std::to_string(++seq); }

    json::object* find(std::vector<json::object>& v, const std::string& name) {
        for (auto& o : v) {
            if (name_of(o) == name) {
                return &o;
            }
        }
        return nullptr;
    }

    bool sync_deployment() {
        auto a = deployment::reconcile(d, sets, pods, now);
        REQUIRE(a.patches.empty());
        for (auto rs : a.creates) {
            meta(rs)["uid"] = next_uid();
            meta(rs)["creationTimestamp"] = at(now);
            meta(rs)["generation"] = 1;
            meta(rs)["resourceVersion"] = std::to_string(seq);
            REQUIRE_FALSE(find(sets, name_of(rs)));
            sets.push_back(std::move(rs));
        }
        for (auto rs : a.updates) {
            auto* cur = find(sets, name_of(rs));
            REQUIRE(cur);
            REQUIRE(cmeta(rs).at("resourceVersion") == cmeta(*cur).at("resourceVersion"));
            if (rs.at("spec") != cur->at("spec")) {
                meta(rs)["generation"] = cmeta(*cur).at("generation").as_int64() + 1;
            }
            meta(rs)["resourceVersion"] = next_uid();
            if (const auto* s = cur->if_contains("status")) {
                rs["status"] = *s;  // a PUT does not touch the status
            }
            *cur = std::move(rs);
        }
        for (const auto& n : a.deletes) {
            sets.erase(std::remove_if(sets.begin(), sets.end(),
                                      [&](const auto& rs) { return name_of(rs) == n; }),
                       sets.end());
        }
        if (a.deployment_patch) {
            auto& ann = meta(d)["annotations"].as_object();
            for (const auto& [k, v] :
                 a.deployment_patch->at("metadata").at("annotations").as_object()) {
                ann[k] = v;
            }
        }
        if (a.status) {
            d["status"] = *a.status;
        }
        return !a.creates.empty() || !a.updates.empty() || !a.deletes.empty() ||
               a.deployment_patch || a.status;
    }

    bool sync_replicasets() {
        bool changed = false;
        for (auto& rs : sets) {
            replicaset::Options opts;
            opts.related_replicasets = sets;
            auto a = replicaset::reconcile(rs, pods, now, opts);
            REQUIRE(a.patches.empty());
            for (auto pod : a.creates) {
                auto& m = meta(pod);
                m["name"] = std::string(m.at("generateName").as_string()) + std::to_string(++seq);
                m["uid"] = "pod-" + std::to_string(seq);
                m["creationTimestamp"] = at(now);
                pod["status"] = json::object{{"phase", "Pending"}};
                pods.push_back(std::move(pod));
            }
            for (const auto& n : a.deletes) {
                meta(*find(pods, n))["deletionTimestamp"] = at(now);
            }
            if (a.status) {
                rs["status"] = *a.status;
            }
            changed = changed || !a.creates.empty() || !a.deletes.empty() || a.status;
        }
        return changed;
    }

    bool kubelet() {
        bool changed = false;
        auto gone = std::remove_if(pods.begin(), pods.end(), [](const json::object& p) {
            return cmeta(p).contains("deletionTimestamp");
        });
        changed = gone != pods.end();
        pods.erase(gone, pods.end());
        for (auto& p : pods) {
            // Pending → Running (starting) → Running and Ready, one step each.
            if (p.at("status").at("phase") == "Pending") {
                spec(p)["nodeName"] = "n1";
                p["status"] = json::object{{"phase", "Running"}};
                changed = true;
            } else if (!pod_ready(p)) {
                p["status"].as_object()["conditions"] = json::array{json::object{
                    {"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", at(now)}}};
                changed = true;
            }
        }
        return changed;
    }

    std::set<std::string> hashes() const {
        std::set<std::string> out;
        for (const auto& p : pods) {
            out.insert(std::string(
                cmeta(p).at("labels").at(deployment::kPodTemplateHashLabel).as_string()));
        }
        return out;
    }

    int ready_pods() const {
        int n = 0;
        for (const auto& p : pods) {
            if (!cmeta(p).contains("deletionTimestamp") && pod_ready(p)) {
                ++n;
            }
        }
        return n;
    }

    // Steps until nothing changes; `check` runs after every step.
    template <typename Check>
    int settle(Check check) {
        for (int step = 0; step < 100; ++step) {
            bool changed = sync_deployment();
            changed = sync_replicasets() || changed;
            changed = kubelet() || changed;
            check(*this);
            now += seconds(1);
            if (!changed) {
                return step;
            }
        }
        FAIL("the rollout did not settle");
        return -1;
    }
    int settle() {
        return settle([](const Cluster&) {});
    }
};

}  // namespace

TEST_CASE("deployment's first rollout creates the new ReplicaSet", "[controllers]") {
    auto d = make_deployment("nginx:1", 3, rolling("25%", "25%"));
    auto a = deployment::reconcile(d, {}, {}, kNow);

    REQUIRE(a.creates.size() == 1);
    CHECK(a.updates.empty());
    CHECK(a.deletes.empty());
    const auto& rs = a.creates[0];
    auto hash = deployment::pod_template_hash(d.at("spec").at("template"), std::nullopt);
    CHECK(name_of(rs) == "web-" + hash);
    CHECK(rs.at("apiVersion") == "apps/v1");
    CHECK(rs.at("kind") == "ReplicaSet");
    CHECK(cmeta(rs).at("namespace") == "ns");
    CHECK(cmeta(rs).at("labels") == json::object{{"app", "web"}, {"pod-template-hash", hash}});
    CHECK(cmeta(rs).at("ownerReferences") ==
          json::parse(R"([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                           "uid": "d-uid", "controller": true, "blockOwnerDeletion": true}])"));
    CHECK(cmeta(rs).at("annotations") ==
          json::object{{"team", "blue"},
                       {"deployment.kubernetes.io/revision", "1"},
                       {"deployment.kubernetes.io/desired-replicas", "3"},
                       {"deployment.kubernetes.io/max-replicas", "4"}});
    // 25% surge of 3 rounds up to 1, so all 3 fit at once.
    CHECK(replicas_of(rs) == 3);
    CHECK(
        rs.at("spec").at("selector") ==
        json::parse(R"({"matchLabels": {"app": "web", "pod-template-hash": ")" + hash + R"("}})"));
    CHECK(rs.at("spec").at("template").at("metadata").at("labels") ==
          json::object{{"app", "web"}, {"pod-template-hash", hash}});

    REQUIRE(a.deployment_patch);
    CHECK(*a.deployment_patch ==
          parse(R"({"metadata": {"annotations": {"deployment.kubernetes.io/revision": "1"}}})"));
    REQUIRE(a.status);
    CHECK(count(*a.status, "observedGeneration") == 1);
    CHECK(count(*a.status, "unavailableReplicas") == 3);
    CHECK(reason(*a.status, "Progressing") == "NewReplicaSetCreated");
    CHECK(condition(*a.status, "Progressing")->at("message") ==
          json::value("Created new replica set \"web-" + hash + "\""));
    CHECK(reason(*a.status, "Available") == "MinimumReplicasUnavailable");
    CHECK(condition(*a.status, "Available")->at("lastUpdateTime") == "2023-11-14T22:13:20Z");
}

TEST_CASE("deployment rolling update steps honour maxSurge and maxUnavailable", "[controllers]") {
    // replicas 4, maxSurge 1, maxUnavailable 1: at most 5 pods, at least 3 available.
    auto v1 = make_deployment("nginx:1");
    auto v2 = make_deployment("nginx:1");
    set_image(v2, "nginx:2");
    struct Case {
        std::string what;
        std::int64_t old_replicas, old_available, new_replicas, new_available;
        std::int64_t want_old, want_new;
    };
    const std::vector<Case> cases = {
        {"scale up the new set to the surge", 3, 3, 1, 0, 3, 2},
        {"at the surge with new pods unavailable: wait", 3, 3, 2, 0, 3, 2},
        {"new pods available: scale old down", 3, 3, 2, 2, 1, 2},
        {"room again: scale new up", 1, 1, 2, 2, 1, 4},
        {"new pods still starting: wait", 1, 1, 4, 2, 1, 4},
        {"all new available: old to zero", 1, 1, 4, 4, 0, 4},
        {"unhealthy old replicas go first", 4, 2, 1, 1, 2, 1},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto old_rs = rs_of(v1, c.old_replicas, c.old_available, "1", "old", seconds(3600));
        auto new_rs = rs_of(v2, c.new_replicas, c.new_available, "2", "new", seconds(60));
        std::vector<json::object> sets{old_rs, new_rs};
        auto a = deployment::reconcile(v2, sets, {}, kNow);
        CHECK(a.creates.empty());
        auto want = sizes(sets);
        want[name_of(old_rs)] = c.want_old;
        want[name_of(new_rs)] = c.want_new;
        auto got = sizes(sets);
        for (const auto& [n, r] : sizes(a.updates)) {
            got[n] = r;
        }
        CHECK(got == want);
    }
}

TEST_CASE("deployment template change creates the next revision and starts the surge",
          "[controllers]") {
    SECTION("integers: one surge pod, one old pod down in the same sync") {
        auto v1 = make_deployment("nginx:1");
        auto old_rs = rs_of(v1, 4, 4, "1", "old", seconds(3600));
        auto v2 = v1;
        set_image(v2, "nginx:2");
        meta(v2)["annotations"].as_object()[deployment::kRevisionAnnotation] = "1";
        std::vector<json::object> sets{old_rs};
        auto a = deployment::reconcile(v2, sets, {}, kNow);
        REQUIRE(a.creates.size() == 1);
        CHECK(replicas_of(a.creates[0]) == 1);
        CHECK(annotation(a.creates[0], deployment::kRevisionAnnotation) == "2");
        CHECK(annotation(a.creates[0], deployment::kMaxReplicasAnnotation) == "5");
        REQUIRE(a.updates.size() == 1);
        CHECK(name_of(a.updates[0]) == name_of(old_rs));
        CHECK(replicas_of(a.updates[0]) == 3);
        CHECK(cmeta(a.updates[0]).at("resourceVersion") == "7");
        REQUIRE(a.deployment_patch);
        CHECK(a.deployment_patch->at("metadata")
                  .at("annotations")
                  .at(deployment::kRevisionAnnotation) == "2");
    }
    SECTION("percentages: surge rounds up, unavailability down") {
        // 3 replicas, 25%/25%: surge 1, unavailable 0 — nothing old may go yet.
        auto v1 = make_deployment("nginx:1", 3, rolling("25%", "25%"));
        auto old_rs = rs_of(v1, 3, 3, "1", "old", seconds(3600));
        auto v2 = v1;
        set_image(v2, "nginx:2");
        std::vector<json::object> sets{old_rs};
        auto a = deployment::reconcile(v2, sets, {}, kNow);
        REQUIRE(a.creates.size() == 1);
        CHECK(replicas_of(a.creates[0]) == 1);
        CHECK(a.updates.empty());
    }
}

TEST_CASE("deployment int-or-percent values scale as upstream rounds them", "[controllers]") {
    struct Case {
        json::value v;
        std::int64_t total;
        std::int64_t up, down;
    };
    const std::vector<Case> cases = {
        {2, 10, 2, 2},     {"25%", 3, 1, 0}, {"25%", 4, 1, 1},
        {"50%", 5, 3, 2},  {"0%", 7, 0, 0},  {"100%", 7, 7, 7},
        {"abc", 10, 0, 0}, {"10", 10, 0, 0}, {nullptr, 10, 0, 0},
    };
    for (const auto& c : cases) {
        INFO(json::serialize(c.v) << " of " << c.total);
        CHECK(deployment::scaled_value(&c.v, c.total, true) == c.up);
        CHECK(deployment::scaled_value(&c.v, c.total, false) == c.down);
    }
}

TEST_CASE("deployment Recreate scales old to zero and waits for its pods", "[controllers]") {
    auto v1 = make_deployment("nginx:1", 3, kRecreate);
    auto v2 = v1;
    set_image(v2, "nginx:2");
    auto old_pod = parse(R"({"metadata": {"name": "old-1", "namespace": "ns", "uid": "p1",
        "labels": {"app": "web"}, "ownerReferences": [{"apiVersion": "apps/v1",
        "kind": "ReplicaSet", "name": "x", "uid": "old", "controller": true}]},
        "spec": {}, "status": {"phase": "Running"}})");

    SECTION("old ReplicaSet still sized: scale it to zero, create nothing") {
        std::vector<json::object> sets{rs_of(v1, 3, 3, "1", "old", seconds(3600))};
        auto a = deployment::reconcile(v2, sets, {}, kNow);
        CHECK(a.creates.empty());
        REQUIRE(a.updates.size() == 1);
        CHECK(replicas_of(a.updates[0]) == 0);
    }
    SECTION("old ReplicaSet still reports pods: wait") {
        auto old_rs = rs_of(v1, 0, 0, "1", "old", seconds(3600));
        old_rs["status"].as_object()["replicas"] = 2;
        std::vector<json::object> sets{old_rs};
        auto a = deployment::reconcile(v2, sets, {}, kNow);
        CHECK(a.creates.empty());
        CHECK(a.updates.empty());
    }
    SECTION("an old pod is still terminating: wait") {
        meta(old_pod)["deletionTimestamp"] = at(kNow);
        std::vector<json::object> sets{rs_of(v1, 0, 0, "1", "old", seconds(3600))};
        std::vector<json::object> pods{old_pod};
        auto a = deployment::reconcile(v2, sets, pods, kNow);
        CHECK(a.creates.empty());
    }
    SECTION("old pods gone (or finished): create the new ReplicaSet at full size") {
        old_pod["status"].as_object()["phase"] = "Succeeded";
        std::vector<json::object> sets{rs_of(v1, 0, 0, "1", "old", seconds(3600))};
        std::vector<json::object> pods{old_pod};
        auto a = deployment::reconcile(v2, sets, pods, kNow);
        REQUIRE(a.creates.size() == 1);
        CHECK(replicas_of(a.creates[0]) == 3);
        CHECK(annotation(a.creates[0], deployment::kMaxReplicasAnnotation) == "3");
        CHECK(annotation(a.creates[0], deployment::kRevisionAnnotation) == "2");
    }
}

TEST_CASE("paused deployment does not roll out but still scales", "[controllers]") {
    auto v1 = make_deployment("nginx:1");
    SECTION("a new template waits, Progressing is Unknown") {
        auto v2 = v1;
        set_image(v2, "nginx:2");
        spec(v2)["paused"] = true;
        std::vector<json::object> sets{rs_of(v1, 4, 4, "1", "old", seconds(3600))};
        auto a = deployment::reconcile(v2, sets, {}, kNow);
        CHECK(a.creates.empty());
        CHECK(a.updates.empty());
        REQUIRE(a.status);
        CHECK(reason(*a.status, "Progressing") == "DeploymentPaused");
        CHECK(condition(*a.status, "Progressing")->at("status") == "Unknown");

        // Resuming says so, then the rollout proceeds.
        auto resumed = v2;
        resumed["status"] = *a.status;
        spec(resumed)["paused"] = false;
        auto b = deployment::reconcile(resumed, sets, {}, kNow + seconds(5));
        CHECK(b.creates.size() == 1);
        REQUIRE(b.status);
        CHECK(reason(*b.status, "Progressing") == "NewReplicaSetCreated");
    }
    SECTION("scaling a paused deployment mid-rollout is proportional") {
        auto v2 = v1;
        set_image(v2, "nginx:2");
        auto old_rs = rs_of(v1, 3, 3, "1", "old", seconds(3600));
        auto new_rs = rs_of(v2, 1, 1, "2", "new", seconds(60));
        auto scaled = make_deployment("nginx:2", 8, rolling("25%", "25%"));
        spec(scaled)["paused"] = true;
        // Both sets were made for 4 replicas with max 4 + 1 surge... recorded as 4 here.
        meta(old_rs)["annotations"].as_object()[deployment::kMaxReplicasAnnotation] = "4";
        meta(new_rs)["annotations"].as_object()[deployment::kMaxReplicasAnnotation] = "4";
        std::vector<json::object> sets{old_rs, new_rs};
        auto a = deployment::reconcile(scaled, sets, {}, kNow);
        CHECK(a.creates.empty());
        // 8 + 2 surge = 10 allowed, 6 to add: old 3·10/4 = 7.5 → 8, new gets the rest.
        CHECK(sizes(a.updates) ==
              std::map<std::string, std::int64_t>{{name_of(old_rs), 8}, {name_of(new_rs), 2}});
        for (const auto& rs : a.updates) {
            CHECK(annotation(rs, deployment::kDesiredReplicasAnnotation) == "8");
            CHECK(annotation(rs, deployment::kMaxReplicasAnnotation) == "10");
        }
    }
    SECTION("a scaling event with one active ReplicaSet resizes it") {
        auto d = make_deployment("nginx:1", 6);
        std::vector<json::object> sets{rs_of(v1, 4, 4, "1", "only", seconds(3600))};
        auto a = deployment::reconcile(d, sets, {}, kNow);
        REQUIRE(a.updates.size() == 1);
        CHECK(replicas_of(a.updates[0]) == 6);
        CHECK(annotation(a.updates[0], deployment::kDesiredReplicasAnnotation) == "6");
        CHECK(annotation(a.updates[0], deployment::kMaxReplicasAnnotation) == "7");
    }
}

TEST_CASE("deployment revisions: rollback reuses the old ReplicaSet, history is trimmed",
          "[controllers]") {
    auto v1 = make_deployment("nginx:1");
    auto v2 = make_deployment("nginx:2");
    SECTION("kubectl rollout undo: the template of revision 1 becomes revision 3") {
        auto rev1 = rs_of(v1, 0, 0, "1", "r1", seconds(7200));
        auto rev2 = rs_of(v2, 4, 4, "2", "r2", seconds(3600));
        auto undone = v1;
        meta(undone)["generation"] = 3;
        meta(undone)["annotations"].as_object()[deployment::kRevisionAnnotation] = "2";
        std::vector<json::object> sets{rev1, rev2};
        auto a = deployment::reconcile(undone, sets, {}, kNow);
        CHECK(a.creates.empty());
        json::object updated_rev1;
        for (const auto& rs : a.updates) {
            if (name_of(rs) == name_of(rev1)) {
                updated_rev1 = rs;
            }
        }
        REQUIRE_FALSE(updated_rev1.empty());
        CHECK(annotation(updated_rev1, deployment::kRevisionAnnotation) == "3");
        CHECK(annotation(updated_rev1, deployment::kRevisionHistoryAnnotation) == "1");
        CHECK(replicas_of(updated_rev1) == 1);  // the surge pod
        REQUIRE(a.deployment_patch);
        CHECK(a.deployment_patch->at("metadata")
                  .at("annotations")
                  .at(deployment::kRevisionAnnotation) == "3");
    }
    SECTION("revisionHistoryLimit deletes the oldest idle ReplicaSets once complete") {
        auto v0 = make_deployment("nginx:0");
        auto d = v2;
        spec(d)["revisionHistoryLimit"] = 1;
        d["status"] = parse(R"({"observedGeneration": 1, "replicas": 4, "updatedReplicas": 4,
                                "readyReplicas": 4, "availableReplicas": 4})");
        auto rev1 = rs_of(v0, 0, 0, "1", "r1", seconds(9000));
        auto rev2 = rs_of(v1, 0, 0, "2", "r2", seconds(7200));
        auto rev3 = rs_of(v2, 4, 4, "3", "r3", seconds(3600));
        std::vector<json::object> sets{rev3, rev2, rev1};
        auto a = deployment::reconcile(d, sets, {}, kNow);
        CHECK(a.deletes == std::vector<std::string>{name_of(rev1)});

        // A ReplicaSet that still reports pods is kept.
        sets[2]["status"].as_object()["replicas"] = 1;
        CHECK(deployment::reconcile(d, sets, {}, kNow).deletes.empty());
    }
}

TEST_CASE("deployment Progressing condition reports progress, completion and the deadline",
          "[controllers]") {
    auto v1 = make_deployment("nginx:1");
    auto v2 = make_deployment("nginx:2");
    // Stuck: at the surge, new pods never become available.
    std::vector<json::object> sets{rs_of(v1, 3, 3, "1", "old", seconds(3600)),
                                   rs_of(v2, 2, 0, "2", "new", seconds(600))};
    auto first = deployment::reconcile(v2, sets, {}, kNow);
    REQUIRE(first.status);
    auto d = v2;
    d["status"] = *first.status;
    meta(d)["annotations"].as_object()[deployment::kRevisionAnnotation] = "2";
    auto& progressing =
        const_cast<json::object&>(*condition(d["status"].as_object(), "Progressing"));
    progressing["reason"] = "ReplicaSetUpdated";
    progressing["lastUpdateTime"] = at(kNow - seconds(100));

    SECTION("no progress within the deadline: nothing to write, come back at the deadline") {
        auto a = deployment::reconcile(d, sets, {}, kNow);
        CHECK_FALSE(a.status);
        CHECK(a.requeue_after == seconds(501));
    }
    SECTION("no progress past the deadline: ProgressDeadlineExceeded") {
        auto a = deployment::reconcile(d, sets, {}, kNow + seconds(600));
        REQUIRE(a.status);
        const auto* c = condition(*a.status, "Progressing");
        CHECK(c->at("status") == "False");
        CHECK(c->at("reason") == "ProgressDeadlineExceeded");
        CHECK(c->at("message") ==
              json::value("ReplicaSet \"" + name_of(sets[1]) + "\" has timed out progressing."));
        CHECK(c->at("lastTransitionTime") == json::value(at(kNow + seconds(600))));
        auto timed_out = d;
        timed_out["status"] = *a.status;
        CHECK_FALSE(rollout_done(timed_out));
        // Once recorded, it stays and nothing is requeued.
        auto again = deployment::reconcile(timed_out, sets, {}, kNow + seconds(700));
        CHECK_FALSE(again.status);
        CHECK_FALSE(again.requeue_after);
    }
    SECTION("progress refreshes lastUpdateTime and keeps lastTransitionTime") {
        sets[1]["status"].as_object()["readyReplicas"] = 1;
        sets[1]["status"].as_object()["availableReplicas"] = 1;
        auto a = deployment::reconcile(d, sets, {}, kNow + seconds(30));
        REQUIRE(a.status);
        const auto* c = condition(*a.status, "Progressing");
        CHECK(c->at("reason") == "ReplicaSetUpdated");
        CHECK(c->at("lastUpdateTime") == json::value(at(kNow + seconds(30))));
        CHECK(c->at("lastTransitionTime") == progressing.at("lastTransitionTime"));
    }
    SECTION("a ReplicaSet's ReplicaFailure surfaces on the deployment") {
        sets[1]["status"].as_object()["conditions"] = json::parse(R"([{"type": "ReplicaFailure",
            "status": "True", "reason": "FailedCreate", "message": "quota",
            "lastTransitionTime": "2023-11-14T22:00:00Z"}])");
        auto a = deployment::reconcile(d, sets, {}, kNow);
        REQUIRE(a.status);
        CHECK(reason(*a.status, "ReplicaFailure") == "FailedCreate");
        CHECK(condition(*a.status, "ReplicaFailure")->at("lastUpdateTime") ==
              "2023-11-14T22:00:00Z");
    }
}

TEST_CASE("deployment collisions, adoption and an empty selector", "[controllers]") {
    auto d = make_deployment("nginx:1");
    auto hash = deployment::pod_template_hash(d.at("spec").at("template"), std::nullopt);
    SECTION("a foreign ReplicaSet holding the name bumps collisionCount") {
        auto squatter = rs_of(make_deployment("other"), 1, 1, "1", "x", seconds(10));
        meta(squatter)["name"] = "web-" + hash;
        meta(squatter).erase("ownerReferences");
        meta(squatter)["labels"] = json::object{{"app", "other"}};
        std::vector<json::object> sets{squatter};
        auto a = deployment::reconcile(d, sets, {}, kNow);
        CHECK(a.creates.empty());
        REQUIRE(a.status);
        CHECK(count(*a.status, "collisionCount") == 1);

        d["status"] = *a.status;
        auto b = deployment::reconcile(d, sets, {}, kNow);
        REQUIRE(b.creates.size() == 1);
        CHECK(name_of(b.creates[0]) ==
              "web-" + deployment::pod_template_hash(d.at("spec").at("template"), 1));
        CHECK(name_of(b.creates[0]) != "web-" + hash);
    }
    SECTION("a matching orphan ReplicaSet is adopted and used") {
        auto orphan = rs_of(d, 4, 4, "1", "orphan", seconds(100));
        meta(orphan).erase("ownerReferences");
        std::vector<json::object> sets{orphan};
        auto a = deployment::reconcile(d, sets, {}, kNow);
        REQUIRE(a.patches.size() == 1);
        CHECK(a.patches[0].name == name_of(orphan));
        CHECK(a.patches[0].body.at("metadata").at("ownerReferences").as_array()[0].at("uid") ==
              "d-uid");
        CHECK(a.creates.empty());
    }
    SECTION("an owned ReplicaSet the selector no longer matches is released") {
        auto strayed = rs_of(d, 0, 0, "1", "s", seconds(100));
        meta(strayed)["labels"] = json::object{{"app", "other"}};
        std::vector<json::object> sets{strayed};
        auto a = deployment::reconcile(d, sets, {}, kNow);
        REQUIRE(a.patches.size() == 1);
        CHECK(a.patches[0].body.at("metadata").at("ownerReferences").as_array()[0].at("$patch") ==
              "delete");
    }
    SECTION("a selector that selects everything only records the generation") {
        spec(d)["selector"] = json::object{};
        meta(d)["generation"] = 4;
        auto a = deployment::reconcile(d, {}, {}, kNow);
        CHECK(a.creates.empty());
        REQUIRE(a.status);
        CHECK(*a.status == parse(R"({"observedGeneration": 4})"));
    }
}

TEST_CASE("deployment pod-template-hash is stable and ignores Go round-trip noise",
          "[controllers]") {
    auto t = json::parse(R"({"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1"}]}})");
    auto noisy = json::parse(R"({"spec": {"containers": [{"resources": {}, "image": "nginx:1",
        "name": "c"}]}, "metadata": {"creationTimestamp": null, "labels": {"app": "web"}}})");
    auto other = json::parse(R"({"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:2"}]}})");
    auto h = deployment::pod_template_hash(t, std::nullopt);
    CHECK(h == deployment::pod_template_hash(noisy, std::nullopt));
    CHECK(h != deployment::pod_template_hash(other, std::nullopt));
    CHECK(h != deployment::pod_template_hash(t, 0));
    CHECK(deployment::pod_template_hash(t, 0) != deployment::pod_template_hash(t, 1));
    CHECK(h.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
    CHECK(h.size() >= 1);
    CHECK(h.size() <= 10);

    auto hashed = t;
    hashed.at("metadata").at("labels").as_object()["pod-template-hash"] = h;
    CHECK(deployment::templates_equal_ignoring_hash(hashed, noisy));
    CHECK_FALSE(deployment::templates_equal_ignoring_hash(hashed, other));
}

TEST_CASE("deployment rolling update against a simulated cluster", "[controllers]") {
    Cluster c;
    c.d = make_deployment("nginx:1");
    c.settle();
    REQUIRE(c.sets.size() == 1);
    CHECK(c.ready_pods() == 4);
    CHECK(rollout_done(c.d));
    CHECK(available(c.d));
    CHECK(annotation(c.d, deployment::kRevisionAnnotation) == "1");
    CHECK(reason(c.d.at("status").as_object(), "Progressing") == "NewReplicaSetAvailable");

    set_image(c.d, "nginx:2");
    int max_pods = 0, min_ready = 4;
    bool saw_two_hashes = false;
    int steps = c.settle([&](const Cluster& k) {
        int active = 0;
        for (const auto& p : k.pods) {
            active += cmeta(p).contains("deletionTimestamp") ? 0 : 1;
        }
        max_pods = std::max(max_pods, active);
        min_ready = std::min(min_ready, k.ready_pods());
        saw_two_hashes = saw_two_hashes || k.hashes().size() == 2;
    });
    CHECK(steps > 3);
    CHECK(max_pods <= 5);   // replicas + maxSurge
    CHECK(min_ready >= 3);  // replicas - maxUnavailable
    CHECK(saw_two_hashes);
    CHECK(c.hashes().size() == 1);
    CHECK(c.ready_pods() == 4);
    REQUIRE(c.sets.size() == 2);
    CHECK(annotation(c.d, deployment::kRevisionAnnotation) == "2");
    const auto& s = c.d.at("status").as_object();
    CHECK(count(s, "observedGeneration") == 2);
    CHECK(count(s, "replicas") == 4);
    CHECK(count(s, "updatedReplicas") == 4);
    CHECK(count(s, "readyReplicas") == 4);
    CHECK(count(s, "availableReplicas") == 4);
    CHECK(count(s, "unavailableReplicas") == 0);
    CHECK(reason(s, "Progressing") == "NewReplicaSetAvailable");
    CHECK(reason(s, "Available") == "MinimumReplicasAvailable");
    CHECK(rollout_done(c.d));
    CHECK(available(c.d));

    // Converged: every core stays quiet.
    auto quiet = deployment::reconcile(c.d, c.sets, c.pods, c.now + seconds(3600));
    CHECK(quiet.empty());
    for (const auto& rs : c.sets) {
        replicaset::Options opts;
        opts.related_replicasets = c.sets;
        CHECK(replicaset::reconcile(rs, c.pods, c.now + seconds(3600), opts).empty());
    }
}

TEST_CASE("deployment Recreate against a simulated cluster never mixes versions", "[controllers]") {
    Cluster c;
    c.d = make_deployment("nginx:1", 3, kRecreate);
    c.settle();
    CHECK(rollout_done(c.d));
    set_image(c.d, "nginx:2");
    bool mixed = false, went_to_zero = false;
    c.settle([&](const Cluster& k) {
        mixed = mixed || k.hashes().size() > 1;
        went_to_zero = went_to_zero || k.pods.empty();
    });
    CHECK_FALSE(mixed);
    CHECK(went_to_zero);
    CHECK(c.ready_pods() == 3);
    CHECK(rollout_done(c.d));
    CHECK(available(c.d));
    CHECK(deployment::reconcile(c.d, c.sets, c.pods, c.now + seconds(60)).empty());

    // Scaling down a settled deployment is a scaling event, done in one sync.
    spec(c.d)["replicas"] = 1;
    meta(c.d)["generation"] = 3;
    c.settle();
    CHECK(c.ready_pods() == 1);
    CHECK(rollout_done(c.d));
}
