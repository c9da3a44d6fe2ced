// The scheduler's pure core: requests, each filter and score plugin, whole decisions and
// upstream's FailedScheduling messages.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "skiff/scheduler/plugins.h"
#include "skiff/scheduler/pod_info.h"
#include "skiff/scheduler/resources.h"
#include "skiff/scheduler/schedule.h"
#include "skiff/scheduler/snapshot.h"

namespace json = boost::json;
using namespace skiff::scheduler;

namespace {

json::object parse(std::string_view text) {
    return json::parse(text).as_object();
}

json::object requests(std::string_view cpu, std::string_view memory) {
    json::object r;
    if (!cpu.empty()) {
        r["cpu"] = cpu;
    }
    if (!memory.empty()) {
        r["memory"] = memory;
    }
    return r;
}

// A v1.Pod built field by field.
class PodBuilder {
public:
    explicit PodBuilder(std::string name, std::string ns = "default") {
        obj_["apiVersion"] = "v1";
        obj_["kind"] = "Pod";
        obj_["metadata"] = json::object{{"name", name}, {"namespace", ns}, {"uid", "uid-" + name}};
        obj_["spec"] = json::object{{"containers", json::array()}};
    }
    PodBuilder& container(std::string_view cpu, std::string_view memory) {
        json::object c{{"name", "c" + std::to_string(containers().size())}, {"image", "busybox"}};
        if (!cpu.empty() || !memory.empty()) {
            c["resources"] = json::object{{"requests", requests(cpu, memory)}};
        }
        containers().push_back(std::move(c));
        return *this;
    }
    PodBuilder& init(std::string_view cpu, std::string_view memory, bool sidecar = false) {
        auto& inits = spec()["initContainers"];
        if (!inits.is_array()) {
            inits = json::array();
        }
        json::object c{{"name", "i" + std::to_string(inits.as_array().size())},
                       {"resources", json::object{{"requests", requests(cpu, memory)}}}};
        if (sidecar) {
            c["restartPolicy"] = "Always";
        }
        inits.as_array().push_back(std::move(c));
        return *this;
    }
    PodBuilder& label(std::string_view k, std::string_view v) {
        auto& labels = meta()["labels"];
        if (!labels.is_object()) {
            labels = json::object();
        }
        labels.as_object()[k] = v;
        return *this;
    }
    PodBuilder& host_port(std::int64_t port, std::string_view ip = "",
                          std::string_view protocol = "") {
        if (containers().empty()) {
            container("", "");
        }
        json::object p{{"containerPort", port}, {"hostPort", port}};
        if (!ip.empty()) {
            p["hostIP"] = ip;
        }
        if (!protocol.empty()) {
            p["protocol"] = protocol;
        }
        auto& c = containers().back().as_object();
        if (!c["ports"].is_array()) {
            c["ports"] = json::array();
        }
        c["ports"].as_array().push_back(std::move(p));
        return *this;
    }
    PodBuilder& node(std::string_view name) {
        spec()["nodeName"] = name;
        return *this;
    }
    PodBuilder& priority(std::int64_t p) {
        spec()["priority"] = p;
        return *this;
    }
    PodBuilder& set_spec(std::string_view key, std::string_view json_text) {
        spec()[key] = json::parse(json_text);
        return *this;
    }
    PodBuilder& set_meta(std::string_view key, std::string_view json_text) {
        meta()[key] = json::parse(json_text);
        return *this;
    }
    PodBuilder& set_status(std::string_view key, std::string_view json_text) {
        auto& status = obj_["status"];
        if (!status.is_object()) {
            status = json::object();
        }
        status.as_object()[key] = json::parse(json_text);
        return *this;
    }
    json::object build() const { return obj_; }
    PodInfo info() const { return PodInfo::from_json(obj_); }

private:
    json::object& meta() { return obj_["metadata"].as_object(); }
    json::object& spec() { return obj_["spec"].as_object(); }
    json::array& containers() { return spec()["containers"].as_array(); }
    json::object obj_;
};

// A v1.Node with allocatable cpu/memory/pods, labels (hostname always) and taints.
class NodeBuilder {
public:
    explicit NodeBuilder(std::string name, std::string_view cpu = "4",
                         std::string_view memory = "8Gi") {
        obj_["apiVersion"] = "v1";
        obj_["kind"] = "Node";
        obj_["metadata"] = json::object{
            {"name", name}, {"labels", json::object{{"kubernetes.io/hostname", name}}}};
        obj_["spec"] = json::object();
        obj_["status"] = json::object{
            {"allocatable",
             json::object{{"cpu", cpu}, {"memory", memory}, {"pods", "110"},
                          {"ephemeral-storage", "100Gi"}}}};
    }
    NodeBuilder& label(std::string_view k, std::string_view v) {
        obj_["metadata"].as_object()["labels"].as_object()[k] = v;
        return *this;
    }
    NodeBuilder& taint(std::string_view key, std::string_view value, std::string_view effect) {
        auto& taints = obj_["spec"].as_object()["taints"];
        if (!taints.is_array()) {
            taints = json::array();
        }
        json::object t{{"key", key}, {"effect", effect}};
        if (!value.empty()) {
            t["value"] = value;
        }
        taints.as_array().push_back(std::move(t));
        return *this;
    }
    NodeBuilder& unschedulable() {
        obj_["spec"].as_object()["unschedulable"] = true;
        return *this;
    }
    NodeBuilder& allocatable(std::string_view name, std::string_view value) {
        obj_["status"].as_object()["allocatable"].as_object()[name] = value;
        return *this;
    }
    json::object build() const { return obj_; }

private:
    json::object obj_;
};

// One NodeInfo with the given bound pods, through a Snapshot.
struct OneNode {
    Snapshot snapshot;
    const NodeInfo* node = nullptr;
    OneNode(const NodeBuilder& n, const std::vector<PodBuilder>& pods = {}) {
        snapshot.set_node(n.build());
        for (const auto& p : pods) {
            snapshot.set_pod(p.build());
        }
        node = snapshot.nodes().front();
    }
};

std::vector<std::string> reasons(const FilterStatus& s) {
    return s.reasons;
}

}  // namespace

// ---- requests --------------------------------------------------------------------------------

TEST_CASE("effective pod requests follow resourcehelper.PodRequests", "[scheduler]") {
    SECTION("containers add up") {
        auto r = pod_requests(PodBuilder("p").container("100m", "1Gi").container("1", "").build());
        CHECK(r.milli_cpu == 1100);
        CHECK(r.memory == 1024LL * 1024 * 1024);
    }
    SECTION("the largest init container wins per resource") {
        // Upstream's example: IC 2/1G, IC 2/3G, C 2/1G, C 1/1G → 3 cpu, 3G.
        auto r = pod_requests(PodBuilder("p")
                                  .init("2", "1G")
                                  .init("2", "3G")
                                  .container("2", "1G")
                                  .container("1", "1G")
                                  .build());
        CHECK(r.milli_cpu == 3000);
        CHECK(r.memory == 3'000'000'000LL);
    }
    SECTION("sidecars run beside later init containers and the app") {
        // sidecar 1 cpu; init 2 cpu after it (3 in all); app 1 cpu + sidecar = 2 → 3.
        auto r = pod_requests(
            PodBuilder("p").init("1", "", true).init("2", "").container("1", "").build());
        CHECK(r.milli_cpu == 3000);
    }
    SECTION("overhead is added and pod-level requests replace the aggregate") {
        auto pod = PodBuilder("p")
                       .container("500m", "100Mi")
                       .set_spec("overhead", R"({"cpu":"250m","memory":"10Mi"})")
                       .build();
        CHECK(pod_requests(pod).milli_cpu == 750);
        auto level = PodBuilder("p")
                         .container("500m", "100Mi")
                         .set_spec("resources", R"({"requests":{"cpu":"2"}})")
                         .build();
        CHECK(pod_requests(level).milli_cpu == 2000);
        CHECK(pod_requests(level).memory == 100LL * 1024 * 1024);
    }
    SECTION("extended resources are scalar, unknown plain names dropped") {
        auto pod = PodBuilder("p").build();
        pod["spec"].as_object()["containers"] = json::parse(
            R"([{"name":"c","resources":{"requests":{"example.com/gpu":"2","hugepages-2Mi":"4Mi","storage":"1"}}}])");
        auto r = pod_requests(pod);
        CHECK(r.scalar.at("example.com/gpu") == 2);
        CHECK(r.scalar.at("hugepages-2Mi") == 4LL * 1024 * 1024);
        CHECK(r.scalar.size() == 2);
    }
    SECTION("requesting nothing is zero for fit, the defaults for scoring") {
        auto pod = PodBuilder("p").container("", "").container("", "64Mi").build();
        CHECK(pod_requests(pod).empty() == false);
        CHECK(pod_requests(pod).milli_cpu == 0);
        auto nz = pod_non_zero_requests(pod);
        CHECK(nz.milli_cpu == 2 * kDefaultMilliCpuRequest);
        CHECK(nz.memory == kDefaultMemoryRequest + 64LL * 1024 * 1024);
        // An explicit zero is not missing.
        CHECK(pod_non_zero_requests(PodBuilder("p").container("0", "0").build()).milli_cpu == 0);
    }
}

// ---- taints and tolerations ------------------------------------------------------------------

TEST_CASE("tolerations tolerate taints as upstream", "[scheduler]") {
    struct Case {
        Toleration toleration;
        Taint taint;
        bool tolerates;
    };
    const Case cases[] = {
        {{"k", "Equal", "v", "NoSchedule"}, {"k", "v", "NoSchedule"}, true},
        {{"k", "", "v", "NoSchedule"}, {"k", "v", "NoSchedule"}, true},
        {{"k", "Equal", "v", "NoSchedule"}, {"k", "w", "NoSchedule"}, false},
        {{"k", "Equal", "v", "NoExecute"}, {"k", "v", "NoSchedule"}, false},
        {{"k", "Exists", "", ""}, {"k", "anything", "NoExecute"}, true},
        {{"k", "Exists", "", "NoSchedule"}, {"other", "", "NoSchedule"}, false},
        {{"", "Exists", "", ""}, {"any", "x", "NoSchedule"}, true},       // empty key + Exists
        {{"", "Exists", "", "PreferNoSchedule"}, {"any", "", "NoSchedule"}, false},
        {{"k", "Equal", "", ""}, {"k", "", "NoSchedule"}, true},           // both values empty
        {{"k", "Gt", "1", ""}, {"k", "2", "NoSchedule"}, false},           // unknown operator
    };
    for (const auto& c : cases) {
        INFO(c.toleration.key << " " << c.toleration.op << " " << c.toleration.value << " "
                              << c.toleration.effect << " vs " << c.taint.key << "="
                              << c.taint.value << ":" << c.taint.effect);
        CHECK(c.toleration.tolerates(c.taint) == c.tolerates);
    }
}

TEST_CASE("TaintToleration filter names the first untolerated taint", "[scheduler]") {
    OneNode n(NodeBuilder("n1")
                  .taint("soft", "", "PreferNoSchedule")
                  .taint("node-role.kubernetes.io/control-plane", "", "NoSchedule")
                  .taint("dedicated", "gpu", "NoExecute"));
    auto plain = PodBuilder("p").info();
    auto s = filter_taint_toleration(plain, *n.node);
    CHECK(s.code == FilterStatus::Code::UnschedulableAndUnresolvable);
    CHECK(s.plugin == "TaintToleration");
    CHECK(reasons(s) == std::vector<std::string>{
                            "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"});

    auto cp = PodBuilder("p")
                  .set_spec("tolerations",
                            R"([{"key":"node-role.kubernetes.io/control-plane","operator":"Exists","effect":"NoSchedule"}])")
                  .info();
    CHECK(reasons(filter_taint_toleration(cp, *n.node)) ==
          std::vector<std::string>{"node(s) had untolerated taint {dedicated: gpu}"});

    auto all = PodBuilder("p").set_spec("tolerations", R"([{"operator":"Exists"}])").info();
    CHECK(filter_taint_toleration(all, *n.node).ok());
}

TEST_CASE("NodeUnschedulable and NodeName filters", "[scheduler]") {
    OneNode cordoned(NodeBuilder("n1").unschedulable());
    auto s = filter_node_unschedulable(PodBuilder("p").info(), *cordoned.node);
    CHECK(reasons(s) == std::vector<std::string>{"node(s) were unschedulable"});
    auto tolerant =
        PodBuilder("p")
            .set_spec("tolerations",
                      R"([{"key":"node.kubernetes.io/unschedulable","operator":"Exists","effect":"NoSchedule"}])")
            .info();
    CHECK(filter_node_unschedulable(tolerant, *cordoned.node).ok());

    OneNode n(NodeBuilder("n1"));
    auto pinned = PodBuilder("p").build();
    pinned["spec"].as_object()["nodeName"] = "n2";
    CHECK(reasons(filter_node_name(PodInfo::from_json(pinned), *n.node)) ==
          std::vector<std::string>{"node(s) didn't match the requested node name"});
    CHECK(filter_node_name(PodBuilder("p").info(), *n.node).ok());
}

// ---- node affinity ---------------------------------------------------------------------------

TEST_CASE("NodeAffinity filter: nodeSelector and required terms", "[scheduler]") {
    OneNode n(NodeBuilder("n1").label("zone", "a").label("cores", "8").label("disk", "ssd"));
    auto with_terms = [](std::string_view terms) {
        std::string affinity =
            R"({"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":)" +
            std::string(terms) + "}}}";
        return PodBuilder("p").set_spec("affinity", affinity).info();
    };
    struct Case {
        std::string_view terms;
        bool matches;
    };
    const Case cases[] = {
        {R"([{"matchExpressions":[{"key":"zone","operator":"In","values":["a","b"]}]}])", true},
        {R"([{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]}])", false},
        {R"([{"matchExpressions":[{"key":"zone","operator":"NotIn","values":["b"]}]}])", true},
        {R"([{"matchExpressions":[{"key":"gpu","operator":"NotIn","values":["x"]}]}])", true},
        {R"([{"matchExpressions":[{"key":"disk","operator":"Exists"}]}])", true},
        {R"([{"matchExpressions":[{"key":"disk","operator":"DoesNotExist"}]}])", false},
        {R"([{"matchExpressions":[{"key":"gpu","operator":"DoesNotExist"}]}])", true},
        {R"([{"matchExpressions":[{"key":"cores","operator":"Gt","values":["4"]}]}])", true},
        {R"([{"matchExpressions":[{"key":"cores","operator":"Gt","values":["8"]}]}])", false},
        {R"([{"matchExpressions":[{"key":"cores","operator":"Lt","values":["16"]}]}])", true},
        {R"([{"matchExpressions":[{"key":"zone","operator":"Gt","values":["1"]}]}])", false},
        // Expressions in a term are ANDed, terms ORed.
        {R"([{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]},{"key":"disk","operator":"In","values":["hdd"]}]}])",
         false},
        {R"([{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]},{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}])",
         true},
        {R"([{"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]}])", true},
        {R"([{"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["n1"]}]}])",
         false},
        // An empty term, a bad operator or a bad value count as no match.
        {R"([{}])", false},
        {R"([{"matchExpressions":[{"key":"zone","operator":"Near","values":["a"]}]}])", false},
        {R"([{"matchExpressions":[{"key":"cores","operator":"Gt","values":["x"]}]}])", false},
        {R"([{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]},{"matchExpressions":[{"key":"zone","operator":"Exists"}]}])",
         true},
    };
    for (const auto& c : cases) {
        INFO(c.terms);
        auto s = filter_node_affinity(with_terms(c.terms), *n.node);
        CHECK(s.ok() == c.matches);
        if (!c.matches) {
            CHECK(reasons(s) ==
                  std::vector<std::string>{"node(s) didn't match Pod's node affinity/selector"});
        }
    }

    SECTION("nodeSelector must match as well") {
        CHECK(filter_node_affinity(
                  PodBuilder("p").set_spec("nodeSelector", R"({"zone":"a","disk":"ssd"})").info(),
                  *n.node)
                  .ok());
        CHECK_FALSE(
            filter_node_affinity(PodBuilder("p").set_spec("nodeSelector", R"({"zone":"b"})").info(),
                                 *n.node)
                .ok());
        auto both = PodBuilder("p")
                        .set_spec("nodeSelector", R"({"zone":"b"})")
                        .set_spec("affinity",
                                  R"({"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"Exists"}]}]}}})")
                        .info();
        CHECK_FALSE(filter_node_affinity(both, *n.node).ok());
    }
}

TEST_CASE("NodeAffinity pre-filter pins pods to named nodes", "[scheduler]") {
    auto pod = [](std::string_view terms) {
        return PodBuilder("p")
            .set_spec("affinity",
                      R"({"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":)" +
                          std::string(terms) + "}}}")
            .info();
    };
    CHECK_FALSE(node_affinity_node_names(PodBuilder("p").info()));
    CHECK(*node_affinity_node_names(pod(
              R"([{"matchFields":[{"key":"metadata.name","operator":"In","values":["a","b"]}]},{"matchFields":[{"key":"metadata.name","operator":"In","values":["c"]}]}])")) ==
          std::set<std::string>{"a", "b", "c"});
    // A term without a name requirement admits every node.
    CHECK_FALSE(node_affinity_node_names(pod(
        R"([{"matchFields":[{"key":"metadata.name","operator":"In","values":["a"]}]},{"matchExpressions":[{"key":"x","operator":"Exists"}]}])")));
    // Requirements in one term intersect; disjoint ones conflict.
    CHECK(node_affinity_node_names(
              pod(R"([{"matchFields":[{"key":"metadata.name","operator":"In","values":["a"]},{"key":"metadata.name","operator":"In","values":["b"]}]}])"))
              ->empty());
}

// ---- ports and resources ---------------------------------------------------------------------

TEST_CASE("NodePorts filter finds host port conflicts", "[scheduler]") {
    OneNode n(NodeBuilder("n1"),
              {PodBuilder("web").node("n1").host_port(80),
               PodBuilder("dns").node("n1").host_port(53, "10.0.0.1", "UDP")});
    struct Case {
        std::int64_t port;
        std::string_view ip;
        std::string_view protocol;
        bool conflicts;
    };
    const Case cases[] = {
        {80, "", "", true},             // 0.0.0.0/TCP against 0.0.0.0/TCP
        {80, "10.0.0.2", "TCP", true},  // a specific address against 0.0.0.0
        {80, "", "UDP", false},         // another protocol
        {8080, "", "", false},
        {53, "10.0.0.1", "UDP", true},
        {53, "10.0.0.2", "UDP", false},  // another address
        {53, "", "UDP", true},           // 0.0.0.0 against any address
        {53, "", "TCP", false},
    };
    for (const auto& c : cases) {
        INFO(c.port << " " << c.ip << " " << c.protocol);
        auto s = filter_node_ports(PodBuilder("p").host_port(c.port, c.ip, c.protocol).info(),
                                   *n.node);
        CHECK(s.ok() == !c.conflicts);
        if (c.conflicts) {
            CHECK(s.code == FilterStatus::Code::Unschedulable);
            CHECK(reasons(s) == std::vector<std::string>{
                                    "node(s) didn't have free ports for the requested pod ports"});
        }
    }
    CHECK(filter_node_ports(PodBuilder("p").container("1", "").info(), *n.node).ok());
}

TEST_CASE("NodeResourcesFit filter", "[scheduler]") {
    // 4 cpu, 8Gi; 3 cpu and 2Gi used.
    OneNode n(NodeBuilder("n1", "4", "8Gi").allocatable("example.com/gpu", "1"),
              {PodBuilder("a").node("n1").container("3", "2Gi")});
    struct Case {
        PodBuilder pod;
        std::vector<std::string> reasons;
        FilterStatus::Code code;
    };
    const Case cases[] = {
        {PodBuilder("p").container("1", "6Gi"), {}, FilterStatus::Code::Success},
        {PodBuilder("p").container("1100m", ""),
         {"Insufficient cpu"},
         FilterStatus::Code::Unschedulable},
        {PodBuilder("p").container("2", "7Gi"),
         {"Insufficient cpu", "Insufficient memory"},
         FilterStatus::Code::Unschedulable},
        // The init container alone needs more than the node has: preemption cannot help.
        {PodBuilder("p").init("5", "").container("100m", ""),
         {"Insufficient cpu"},
         FilterStatus::Code::UnschedulableAndUnresolvable},
        // max(sum containers, max init) = 1 cpu: fits.
        {PodBuilder("p").init("1", "").container("500m", "").container("500m", ""),
         {},
         FilterStatus::Code::Success},
        {PodBuilder("p").init("1100m", "").container("500m", ""),
         {"Insufficient cpu"},
         FilterStatus::Code::Unschedulable},
        // Requesting nothing always fits.
        {PodBuilder("p").container("", ""), {}, FilterStatus::Code::Success},
    };
    for (const auto& c : cases) {
        auto s = filter_node_resources_fit(c.pod.info(), *n.node);
        INFO(s.message());
        CHECK(s.code == c.code);
        CHECK(s.reasons == c.reasons);
    }
    SECTION("extended resources") {
        auto gpu = PodBuilder("p").build();
        gpu["spec"].as_object()["containers"] = json::parse(
            R"([{"name":"c","resources":{"requests":{"example.com/gpu":"2"}}}])");
        auto s = filter_node_resources_fit(PodInfo::from_json(gpu), *n.node);
        CHECK(s.reasons == std::vector<std::string>{"Insufficient example.com/gpu"});
        CHECK(s.code == FilterStatus::Code::UnschedulableAndUnresolvable);
    }
    SECTION("too many pods") {
        OneNode full(NodeBuilder("n2").allocatable("pods", "1"), {PodBuilder("x").node("n2")});
        auto s = filter_node_resources_fit(PodBuilder("p").info(), *full.node);
        CHECK(s.reasons == std::vector<std::string>{"Too many pods"});
        CHECK(s.code == FilterStatus::Code::Unschedulable);
    }
}

// ---- topology spread -------------------------------------------------------------------------

namespace {

const char* kZoneSpread =
    R"([{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}])";

Snapshot zones_snapshot() {
    // Zones a, b, c with 2, 1 and 1 web pods; n4 has no zone label.
    Snapshot s;
    s.set_node(NodeBuilder("n1").label("topology.kubernetes.io/zone", "a").build());
    s.set_node(NodeBuilder("n2").label("topology.kubernetes.io/zone", "b").build());
    s.set_node(NodeBuilder("n3").label("topology.kubernetes.io/zone", "c").build());
    s.set_node(NodeBuilder("n4").build());
    s.set_pod(PodBuilder("w1").node("n1").label("app", "web").build());
    s.set_pod(PodBuilder("w2").node("n1").label("app", "web").build());
    s.set_pod(PodBuilder("w3").node("n2").label("app", "web").build());
    s.set_pod(PodBuilder("w4").node("n3").label("app", "web").build());
    s.set_pod(PodBuilder("other").node("n2").label("app", "db").build());
    s.set_pod(PodBuilder("elsewhere", "other-ns").node("n2").label("app", "web").build());
    return s;
}

std::map<std::string, std::string> spread_verdicts(const Snapshot& s, const PodInfo& pod) {
    auto state = SpreadState::compute(s, pod);
    std::map<std::string, std::string> out;
    for (const NodeInfo* n : s.nodes()) {
        auto st = filter_pod_topology_spread(pod, state, *n);
        out[n->name] = st.ok() ? "ok" : st.message();
    }
    return out;
}

}  // namespace

TEST_CASE("PodTopologySpread filter across zones", "[scheduler]") {
    auto s = zones_snapshot();
    const std::string skew = "node(s) didn't match pod topology spread constraints";
    const std::string missing =
        "node(s) didn't match pod topology spread constraints (missing required label)";

    SECTION("maxSkew 1: the fuller zone is refused") {
        auto pod = PodBuilder("p").label("app", "web").set_spec("topologySpreadConstraints",
                                                                kZoneSpread);
        auto v = spread_verdicts(s, pod.info());
        CHECK(v == std::map<std::string, std::string>{
                       {"n1", skew}, {"n2", "ok"}, {"n3", "ok"}, {"n4", missing}});
    }
    SECTION("a pod the selector does not match does not count itself") {
        auto pod = PodBuilder("p").label("app", "other").set_spec("topologySpreadConstraints",
                                                                  kZoneSpread);
        // Zone a: 2 + 0 - 1 = 1, within the skew.
        CHECK(spread_verdicts(s, pod.info())["n1"] == "ok");
    }
    SECTION("minDomains above the domain count makes the global minimum 0") {
        std::string c = kZoneSpread;
        c.insert(c.find("\"labelSelector\""), R"("minDomains":4,)");
        auto pod = PodBuilder("p").label("app", "web").set_spec("topologySpreadConstraints", c);
        auto v = spread_verdicts(s, pod.info());
        CHECK(v["n1"] == skew);
        CHECK(v["n2"] == skew);  // 1 + 1 - 0 > 1
    }
    SECTION("node affinity decides which domains count (nodeAffinityPolicy Honor)") {
        // Without zones b and c the only domain is a: 2 + 1 - 2 = 1.
        auto pod = PodBuilder("p")
                       .label("app", "web")
                       .set_spec("topologySpreadConstraints", kZoneSpread)
                       .set_spec("nodeSelector", R"({"kubernetes.io/hostname":"n1"})");
        CHECK(spread_verdicts(s, pod.info())["n1"] == "ok");
        std::string ignore = kZoneSpread;
        ignore.insert(ignore.find("\"labelSelector\""), R"("nodeAffinityPolicy":"Ignore",)");
        auto ignoring = PodBuilder("p")
                            .label("app", "web")
                            .set_spec("topologySpreadConstraints", ignore)
                            .set_spec("nodeSelector", R"({"kubernetes.io/hostname":"n1"})");
        CHECK(spread_verdicts(s, ignoring.info())["n1"] == skew);
    }
    SECTION("ScheduleAnyway constraints do not filter") {
        std::string soft = kZoneSpread;
        soft.replace(soft.find("DoNotSchedule"), 13, "ScheduleAnyway");
        auto pod = PodBuilder("p").label("app", "web").set_spec("topologySpreadConstraints", soft);
        auto v = spread_verdicts(s, pod.info());
        CHECK(v == std::map<std::string, std::string>{
                       {"n1", "ok"}, {"n2", "ok"}, {"n3", "ok"}, {"n4", "ok"}});
    }
    SECTION("end to end: the pod goes to the emptier zones") {
        auto d = schedule(s, PodBuilder("p")
                                 .label("app", "web")
                                 .set_spec("topologySpreadConstraints", kZoneSpread)
                                 .build());
        REQUIRE(d.ok());
        CHECK((d.node == "n2" || d.node == "n3"));
        CHECK(d.diagnosis.at("n1").plugin == "PodTopologySpread");
    }
}

TEST_CASE("PodTopologySpread scoring (ScheduleAnyway)", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("n1").label("topology.kubernetes.io/zone", "a").build());
    s.set_node(NodeBuilder("n2").label("topology.kubernetes.io/zone", "a").build());
    s.set_node(NodeBuilder("n3").label("topology.kubernetes.io/zone", "b").build());
    s.set_pod(PodBuilder("w1").node("n1").label("app", "web").build());
    s.set_pod(PodBuilder("w2").node("n1").label("app", "web").build());
    s.set_pod(PodBuilder("w3").node("n3").label("app", "web").build());
    std::string soft = kZoneSpread;
    soft.replace(soft.find("DoNotSchedule"), 13, "ScheduleAnyway");
    auto pod = PodBuilder("p").label("app", "web").set_spec("topologySpreadConstraints", soft);
    // Zone a has 2, zone b 1; weight ln(4): raw 3, 3, 1 → 100 * (3 + 1 - raw) / 3.
    CHECK(score_pod_topology_spread(s, pod.info(), s.nodes()) ==
          std::vector<std::int64_t>{33, 33, 100});
    CHECK(score_pod_topology_spread(s, PodBuilder("q").info(), s.nodes()).empty());
}

TEST_CASE("default spreading follows services and controllers", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("n1").build());
    s.set_node(NodeBuilder("n2").build());
    auto replica = [](std::string name) {
        return PodBuilder(std::move(name))
            .label("app", "web")
            .container("0", "0")
            .set_meta("ownerReferences",
                      R"([{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"rs","controller":true}])");
    };
    s.set_pod(replica("r1").node("n1").build());
    s.set_pod(replica("r2").node("n1").build());
    // Without the ReplicaSet the nodes tie (explicit zero requests) and the first name wins.
    CHECK(schedule(s, replica("r3").build()).node == "n1");
    s.set_controller(parse(
        R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"web"}}}})"));
    auto d = schedule(s, replica("r3").build());
    CHECK(d.node == "n2");
    // Hostname maxSkew 3: raw 2·ln(4)+2 ≈ 5 and 2 → 40 and 100.
    REQUIRE(d.scores.size() == 2);
    auto spread_of = [](const NodeScore& n) {
        for (const auto& p : n.plugins) {
            if (p.plugin == "PodTopologySpread") {
                return p.score;
            }
        }
        return std::int64_t{-1};
    };
    CHECK(spread_of(d.scores[0]) == 40);
    CHECK(spread_of(d.scores[1]) == 100);

    s.remove_controller("ReplicaSet", "default", "web-1");
    s.set_service(parse(
        R"({"kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{"selector":{"app":"web"}}})"));
    CHECK(schedule(s, replica("r3").build()).node == "n2");
}

// ---- inter-pod affinity ----------------------------------------------------------------------

namespace {

Snapshot hosts_snapshot() {
    Snapshot s;
    s.set_node(NodeBuilder("n1").label("zone", "a").build());
    s.set_node(NodeBuilder("n2").label("zone", "a").build());
    s.set_node(NodeBuilder("n3").label("zone", "b").build());
    s.set_pod(PodBuilder("db").node("n1").label("app", "db").build());
    return s;
}

std::map<std::string, std::string> affinity_verdicts(const Snapshot& s, const PodInfo& pod) {
    auto state = InterPodAffinityState::compute(s, pod);
    std::map<std::string, std::string> out;
    for (const NodeInfo* n : s.nodes()) {
        auto st = filter_inter_pod_affinity(pod, state, *n);
        out[n->name] = st.ok() ? "ok" : st.message();
    }
    return out;
}

}  // namespace

TEST_CASE("InterPodAffinity filter", "[scheduler]") {
    auto s = hosts_snapshot();
    SECTION("required anti-affinity on hostname keeps pods apart") {
        auto pod = PodBuilder("p").label("app", "db").set_spec(
            "affinity",
            R"({"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}})");
        CHECK(affinity_verdicts(s, pod.info()) ==
              std::map<std::string, std::string>{
                  {"n1", "node(s) didn't match pod anti-affinity rules"}, {"n2", "ok"}, {"n3", "ok"}});
        auto d = schedule(s, pod.build());
        CHECK(d.node == "n2");
        // Once assumed on n2, a third replica goes to n3.
        assume(s, pod.build(), d.node);
        CHECK(schedule(s, PodBuilder("p2")
                              .label("app", "db")
                              .set_spec("affinity",
                                        R"({"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}})")
                              .build())
                  .node == "n3");
    }
    SECTION("other namespaces do not count unless named") {
        auto pod = PodBuilder("p", "team").set_spec(
            "affinity",
            R"({"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"zone"}]}})");
        CHECK(affinity_verdicts(s, pod.info())["n1"] == "ok");
        auto named = PodBuilder("p", "team").set_spec(
            "affinity",
            R"({"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"db"}},"namespaces":["default"],"topologyKey":"zone"}]}})");
        CHECK(affinity_verdicts(s, named.info()) ==
              std::map<std::string, std::string>{
                  {"n1", "node(s) didn't match pod anti-affinity rules"},
                  {"n2", "node(s) didn't match pod anti-affinity rules"},
                  {"n3", "ok"}});
        s.set_namespace(parse(R"({"metadata":{"name":"default","labels":{"tier":"data"}}})"));
        auto by_selector = PodBuilder("p", "team").set_spec(
            "affinity",
            R"({"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"db"}},"namespaceSelector":{"matchLabels":{"tier":"data"}},"topologyKey":"zone"}]}})");
        CHECK(affinity_verdicts(s, by_selector.info())["n3"] == "ok");
        CHECK(affinity_verdicts(s, by_selector.info())["n2"] ==
              "node(s) didn't match pod anti-affinity rules");
    }
    SECTION("existing pods' anti-affinity repels the incoming pod") {
        s.set_pod(PodBuilder("loner")
                      .node("n3")
                      .set_spec("affinity",
                                R"({"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"zone"}]}})")
                      .build());
        auto v = affinity_verdicts(s, PodBuilder("p").label("app", "web").info());
        CHECK(v == std::map<std::string, std::string>{
                       {"n1", "ok"},
                       {"n2", "ok"},
                       {"n3", "node(s) didn't satisfy existing pods anti-affinity rules"}});
    }
    SECTION("required affinity needs a matching pod in the topology") {
        const char* affinity =
            R"({"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"zone"}]}})";
        auto v = affinity_verdicts(s, PodBuilder("p").set_spec("affinity", affinity).info());
        CHECK(v == std::map<std::string, std::string>{
                       {"n1", "ok"}, {"n2", "ok"}, {"n3", "node(s) didn't match pod affinity rules"}});
        // A node without the topology label never matches.
        s.set_node(NodeBuilder("n4").build());
        CHECK(affinity_verdicts(s, PodBuilder("p").set_spec("affinity", affinity).info())["n4"] ==
              "node(s) didn't match pod affinity rules");
    }
    SECTION("the first pod of a self-affine group may go anywhere with the label") {
        const char* affinity =
            R"({"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"cache"}},"topologyKey":"zone"}]}})";
        auto self = PodBuilder("p").label("app", "cache").set_spec("affinity", affinity);
        CHECK(affinity_verdicts(s, self.info()) ==
              std::map<std::string, std::string>{{"n1", "ok"}, {"n2", "ok"}, {"n3", "ok"}});
        auto other = PodBuilder("p").set_spec("affinity", affinity);
        CHECK(affinity_verdicts(s, other.info())["n1"] == "node(s) didn't match pod affinity rules");
    }
}

TEST_CASE("InterPodAffinity scoring", "[scheduler]") {
    auto s = hosts_snapshot();
    auto pod = PodBuilder("p").set_spec(
        "affinity",
        R"({"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":10,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"zone"}}]}})");
    CHECK(score_inter_pod_affinity(s, pod.info(), s.nodes()) ==
          std::vector<std::int64_t>{100, 100, 0});
    auto anti = PodBuilder("p").set_spec(
        "affinity",
        R"({"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":5,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}}]}})");
    CHECK(score_inter_pod_affinity(s, anti.info(), s.nodes()) ==
          std::vector<std::int64_t>{0, 100, 100});
    // Nothing to weigh: skipped.
    CHECK(score_inter_pod_affinity(s, PodBuilder("q").info(), s.nodes()).empty());
    // An existing pod's required affinity attracts pods it selects (hard weight 1).
    s.set_pod(PodBuilder("follower")
                  .node("n3")
                  .set_spec("affinity",
                            R"({"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"leader"}},"topologyKey":"zone"}]}})")
                  .build());
    CHECK(score_inter_pod_affinity(s, PodBuilder("q").label("app", "leader").info(), s.nodes()) ==
          std::vector<std::int64_t>{0, 0, 100});
}

// ---- scores ----------------------------------------------------------------------------------

TEST_CASE("LeastAllocated and BalancedAllocation scores", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("a", "4", "4Gi").build());
    s.set_node(NodeBuilder("b", "4", "4Gi").build());
    s.set_node(NodeBuilder("c", "16", "4Gi").build());
    // a: 2 cpu and no memory used; b: 1 cpu and 1Gi.
    s.set_pod(PodBuilder("x").node("a").container("2", "0").build());
    s.set_pod(PodBuilder("y").node("b").container("1", "1Gi").build());
    auto pod = PodBuilder("p").container("1", "1Gi").info();

    // a: cpu 3/4 → 25, memory 1/4 → 75; b: 2/4 and 2/4 → 50, 50; c: 1/16 → 93, 1/4 → 75.
    CHECK(score_least_allocated(pod, s.nodes()) == std::vector<std::int64_t>{50, 50, 84});
    // a: |0.75 - 0.25| / 2 → 75; b: balanced → 100; c: |0.0625 - 0.25| / 2 → 90.
    CHECK(score_balanced_allocation(pod, s.nodes()) == std::vector<std::int64_t>{75, 100, 90});
    // Best-effort pods skip BalancedAllocation, and count the non-zero defaults for
    // LeastAllocated: 100m and 200Mi on top of b's 1 cpu / 1Gi.
    auto best_effort = PodBuilder("q").container("", "").info();
    CHECK(score_balanced_allocation(best_effort, s.nodes()).empty());
    CHECK(score_least_allocated(best_effort, {s.node("b")}) ==
          std::vector<std::int64_t>{(72 + 70) / 2});

    SECTION("equal free room: the balanced node wins") {
        s.remove_node("c");
        // Totals: a 3·100 + 50 + 75, b 3·100 + 50 + 100.
        auto d = schedule(s, PodBuilder("p").container("1", "1Gi").build());
        CHECK(d.node == "b");
        REQUIRE(d.scores.size() == 2);
        CHECK(d.scores[0].total == 425);
        CHECK(d.scores[1].total == 450);
    }
    SECTION("much more free cpu outweighs balance") {
        // c: 3·100 + 84 + 90 = 474.
        auto d = schedule(s, PodBuilder("p").container("1", "1Gi").build());
        CHECK(d.node == "c");
        REQUIRE(d.scores.size() == 3);
        CHECK(d.scores[2].total == 474);
    }
}

TEST_CASE("TaintToleration and NodeAffinity scores", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("n1").taint("a", "", "PreferNoSchedule").taint("b", "", "PreferNoSchedule").build());
    s.set_node(NodeBuilder("n2").taint("a", "", "PreferNoSchedule").label("disk", "ssd").build());
    s.set_node(NodeBuilder("n3").label("disk", "ssd").label("gpu", "yes").build());
    CHECK(score_taint_toleration(PodBuilder("p").info(), s.nodes()) ==
          std::vector<std::int64_t>{0, 50, 100});
    auto tolerant = PodBuilder("p").set_spec(
        "tolerations", R"([{"key":"a","operator":"Exists","effect":"PreferNoSchedule"}])");
    CHECK(score_taint_toleration(tolerant.info(), s.nodes()) ==
          std::vector<std::int64_t>{0, 100, 100});
    // A NoSchedule-only toleration does not help with PreferNoSchedule.
    auto wrong = PodBuilder("p").set_spec(
        "tolerations", R"([{"key":"a","operator":"Exists","effect":"NoSchedule"}])");
    CHECK(score_taint_toleration(wrong.info(), s.nodes()) ==
          std::vector<std::int64_t>{0, 50, 100});

    auto preferring = PodBuilder("p").set_spec(
        "affinity",
        R"({"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":20,"preference":{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}},{"weight":60,"preference":{"matchExpressions":[{"key":"gpu","operator":"Exists"}]}},{"weight":0,"preference":{"matchExpressions":[{"key":"disk","operator":"Exists"}]}}]}})");
    CHECK(score_node_affinity(preferring.info(), s.nodes()) ==
          std::vector<std::int64_t>{0, 25, 100});
    CHECK(score_node_affinity(PodBuilder("p").info(), s.nodes()).empty());
    CHECK(schedule(s, preferring.build()).node == "n3");
}

// ---- whole decisions -------------------------------------------------------------------------

TEST_CASE("FailedScheduling messages", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("cp1").taint("node-role.kubernetes.io/control-plane", "", "NoSchedule").build());
    s.set_node(NodeBuilder("cp2").taint("node-role.kubernetes.io/control-plane", "", "NoSchedule").build());
    s.set_node(NodeBuilder("small", "1", "8Gi").build());

    SECTION("the mixed 3-node case, exactly as upstream words it") {
        auto d = schedule(s, PodBuilder("p").container("2", "").build());
        CHECK_FALSE(d.ok());
        CHECK_FALSE(d.error);
        CHECK(d.message ==
              "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
              "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 "
              "Preemption is not helpful for scheduling.");
        CHECK(d.diagnosis.size() == 3);
        CHECK(d.diagnosis.at("small").plugin == "NodeResourcesFit");
        CHECK_FALSE(d.preemption);
        ScheduleOptions no_preemption;
        no_preemption.preemption = false;
        CHECK(schedule(s, PodBuilder("p").container("2", "").build(), no_preemption).message ==
              "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
              "{node-role.kubernetes.io/control-plane: }.");
    }
    SECTION("resolvable shortage without victims") {
        s.set_pod(PodBuilder("busy").node("small").container("800m", "").build());
        auto d = schedule(s, PodBuilder("p").container("500m", "").build());
        CHECK(d.message ==
              "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
              "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 1 No "
              "preemption victims found for incoming pod, 2 Preemption is not helpful for "
              "scheduling.");
        auto never = PodBuilder("p").container("500m", "").priority(10).set_spec(
            "preemptionPolicy", R"("Never")");
        CHECK(schedule(s, never.build()).message ==
              "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
              "{node-role.kubernetes.io/control-plane: }. preemption: not eligible due to "
              "preemptionPolicy=Never.");
    }
    SECTION("a pod pinned by name, as DaemonSet pods are") {
        s.set_pod(PodBuilder("busy").node("small").container("800m", "").build());
        auto ds = PodBuilder("ds").container("500m", "").set_spec(
            "affinity",
            R"({"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["small"]}]}]}}})");
        auto d = schedule(s, ds.build());
        CHECK(d.message ==
              "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
              "[NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims "
              "found for incoming pod, 2 Preemption is not helpful for scheduling.");
        auto conflict = PodBuilder("c").set_spec(
            "affinity",
            R"({"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["a"]},{"key":"metadata.name","operator":"In","values":["b"]}]}]}}})");
        CHECK(schedule(s, conflict.build()).message ==
              "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are "
              "available: 3 Preemption is not helpful for scheduling.");
    }
    SECTION("no nodes at all") {
        CHECK(schedule(Snapshot(), PodBuilder("p").build()).message ==
              "no nodes available to schedule pods");
    }
    SECTION("counts sort as strings, as upstream's sort.Strings does") {
        std::map<std::string, FilterStatus> statuses;
        for (int i = 0; i < 12; ++i) {
            statuses["n" + std::to_string(i)] = FilterStatus::fail(
                FilterStatus::Code::Unschedulable, "x", {i < 10 ? "b reason" : "a reason"});
        }
        CHECK(fit_error_message(12, "", statuses, {}, "") ==
              "0/12 nodes are available: 10 b reason, 2 a reason.");
    }
    SECTION("a pod spec the scheduler cannot parse is an error") {
        auto bad = PodBuilder("p").set_spec(
            "affinity",
            R"({"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchExpressions":[{"key":"a","operator":"Near"}]},"topologyKey":"zone"}]}})");
        auto d = schedule(s, bad.build());
        CHECK(d.error);
        CHECK_FALSE(d.message.empty());
    }
}

TEST_CASE("preemption picks victims and a node", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("n1", "2", "8Gi").build());
    s.set_node(NodeBuilder("n2", "2", "8Gi").build());
    s.set_pod(PodBuilder("low1").node("n1").priority(1).container("1500m", "").build());
    s.set_pod(PodBuilder("low2").node("n2").priority(5).container("1500m", "").build());
    s.set_pod(PodBuilder("tiny").node("n2").priority(0).container("100m", "").build());
    auto urgent = PodBuilder("urgent").priority(100).container("1", "");

    auto d = schedule(s, urgent.build());
    CHECK_FALSE(d.ok());
    CHECK(d.message == "0/2 nodes are available: 2 Insufficient cpu.");
    REQUIRE(d.preemption);
    // n1's victim has the lower priority.
    CHECK(d.preemption->node == "n1");
    REQUIRE(d.preemption->victims.size() == 1);
    CHECK(d.preemption->victims[0].name == "low1");
    CHECK(d.preemption->victims[0].uid == "uid-low1");

    SECTION("a disruption budget steers preemption elsewhere") {
        s.set_pod(PodBuilder("low1").node("n1").priority(1).label("app", "guarded").container("1500m", "").build());
        s.set_disruption_budget(parse(
            R"({"kind":"PodDisruptionBudget","metadata":{"name":"guard","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"guarded"}}},"status":{"disruptionsAllowed":0}})"));
        auto again = schedule(s, urgent.build());
        REQUIRE(again.preemption);
        CHECK(again.preemption->node == "n2");
        // Only low2 must go; tiny (100m) is reprieved.
        REQUIRE(again.preemption->victims.size() == 1);
        CHECK(again.preemption->victims[0].name == "low2");
    }
    SECTION("the nominated pod then holds its room against lower priorities") {
        s.remove_pod("default", "low1");
        auto nominated = urgent;
        nominated.set_status("nominatedNodeName", R"("n1")");
        s.set_pod(nominated.build());
        // A lower-priority pod no longer fits on n1 while urgent is nominated there...
        auto later = schedule(s, PodBuilder("later").priority(1).container("1500m", "").build());
        CHECK_FALSE(later.ok());
        // ...but the nominated pod itself does.
        CHECK(schedule(s, nominated.build()).node == "n1");
    }
}

TEST_CASE("ties break by name unless a tie-breaker says otherwise", "[scheduler]") {
    Snapshot s({NodeBuilder("b").build(), NodeBuilder("a").build(), NodeBuilder("c").build()}, {});
    CHECK(schedule(s, PodBuilder("p").build()).node == "a");
    ScheduleOptions options;
    options.tie_breaker = [](std::size_t n) { return n - 1; };
    CHECK(schedule(s, PodBuilder("p").build(), options).node == "c");
    // One feasible node: chosen without scoring.
    s.set_node(NodeBuilder("a").unschedulable().build());
    s.set_node(NodeBuilder("b").unschedulable().build());
    auto d = schedule(s, PodBuilder("p").build());
    CHECK(d.node == "c");
    CHECK(d.scores.empty());
}

TEST_CASE("snapshot accounting", "[scheduler]") {
    Snapshot s;
    s.set_node(NodeBuilder("n1").build());
    auto p = PodBuilder("p").container("1", "1Gi").host_port(80);

    SECTION("bound, terminal and unbound pods") {
        s.set_pod(p.node("n1").build());
        CHECK(s.node("n1")->requested.milli_cpu == 1000);
        CHECK(s.node("n1")->used_ports.size() == 1);
        CHECK(s.node_of("default", "p") == "n1");
        auto done = p.build();
        done["status"] = json::object{{"phase", "Succeeded"}};
        s.set_pod(done);
        CHECK(s.node("n1")->pods.empty());
        CHECK(s.node("n1")->requested.milli_cpu == 0);
        CHECK(s.node("n1")->used_ports.empty());
        CHECK_FALSE(s.node_of("default", "p"));
    }
    SECTION("pods bound to a node not seen yet wait for it") {
        s.set_pod(PodBuilder("early").node("n2").container("2", "").build());
        CHECK(s.num_nodes() == 1);
        s.set_node(NodeBuilder("n2").build());
        CHECK(s.node("n2")->requested.milli_cpu == 2000);
        s.remove_node("n2");
        s.set_node(NodeBuilder("n2").build());
        CHECK(s.node("n2")->requested.milli_cpu == 2000);
        s.remove_pod("default", "early");
        CHECK(s.node("n2")->pods.empty());
    }
    SECTION("assume, then the informer's events") {
        auto unbound = PodBuilder("q").container("3", "");
        assume(s, unbound.build(), "n1");
        CHECK(s.node("n1")->requested.milli_cpu == 3000);
        // A status update of the still unbound pod keeps the assumption.
        s.set_pod(unbound.build());
        CHECK(s.node("n1")->requested.milli_cpu == 3000);
        // The bound pod replaces it.
        s.set_pod(PodBuilder("q").container("3", "").node("n1").build());
        CHECK(s.node("n1")->pods.size() == 1);
        forget(s, unbound.build());
        CHECK(s.node("n1")->pods.empty());
        // A failed binding is forgotten.
        assume(s, unbound.build(), "n1");
        forget(s, unbound.build());
        CHECK(s.node("n1")->requested.milli_cpu == 0);
    }
    SECTION("a copy is independent") {
        CHECK(s.nodes().front() == s.node("n1"));
        Snapshot copy = s;
        assume(copy, PodBuilder("q").container("3", "").build(), "n1");
        CHECK(copy.nodes().front() == copy.node("n1"));
        CHECK(copy.nodes().front()->requested.milli_cpu == 3000);
        CHECK(s.nodes().front()->requested.milli_cpu == 0);
        copy = s;
        CHECK(copy.nodes().front() == copy.node("n1"));
        CHECK(copy.nodes().front()->pods.empty());
    }
}

TEST_CASE("which pods the default scheduler takes", "[scheduler]") {
    CHECK(is_schedulable(PodBuilder("p").build()));
    CHECK(is_schedulable(
        PodBuilder("p").set_spec("schedulerName", R"("default-scheduler")").build()));
    CHECK_FALSE(is_schedulable(PodBuilder("p").set_spec("schedulerName", R"("other")").build()));
    CHECK(is_schedulable(PodBuilder("p").set_spec("schedulerName", R"("other")").build(), "other"));
    CHECK_FALSE(is_schedulable(PodBuilder("p").node("n1").build()));
    CHECK_FALSE(
        is_schedulable(PodBuilder("p").set_meta("deletionTimestamp", R"("2024-01-01T00:00:00Z")").build()));
    CHECK_FALSE(is_schedulable(PodBuilder("p").set_status("phase", R"("Failed")").build()));
    CHECK_FALSE(
        is_schedulable(PodBuilder("p").set_spec("schedulingGates", R"([{"name":"wait"}])").build()));

    auto high = PodBuilder("b").priority(10).build();
    auto low = PodBuilder("a").build();
    CHECK(schedules_before(high, low));
    CHECK_FALSE(schedules_before(low, high));
    auto older = PodBuilder("z").set_meta("creationTimestamp", R"("2024-01-01T00:00:00Z")").build();
    auto newer = PodBuilder("y").set_meta("creationTimestamp", R"("2024-01-02T00:00:00Z")").build();
    CHECK(schedules_before(older, newer));
}
