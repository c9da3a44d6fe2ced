// Tables: HumanDuration, upstream's printer cells per kind, CRD JSONPath columns, Table shape.
#include "skiff/api/table.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::api;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Every test runs at this instant; objects are aged relative to it.
const WallClock::time_point kNow = *parse_timestamp("2024-05-01T12:00:00Z");

json::object obj(std::string_view text) {
    return json::parse(text).as_object();
}

const ResourceType& type_of(std::string_view group, std::string_view resource) {
    static const Registry registry = Registry::builtin();
    const auto* t = registry.find({std::string(group), "v1"}, resource);
    REQUIRE(t != nullptr);
    return *t;
}

json::array cells(std::string_view group, std::string_view resource, std::string_view text) {
    return table_cells(type_of(group, resource), obj(text), kNow);
}

std::vector<std::string> names(const std::vector<PrinterColumn>& columns) {
    std::vector<std::string> out;
    for (const auto& c : columns) {
        out.push_back(c.name + (c.priority > 0 ? "*" : ""));
    }
    return out;
}

json::array arr(std::string_view text) {
    return json::parse(text).as_array();
}

// A pod with the given status (JSON members of "status"), spec containers "app".
json::array pod(std::string_view status, std::string_view extra_meta = "",
                std::string_view spec = R"("containers":[{"name":"app","image":"nginx"}])") {
    std::string text = R"({"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:00:00Z")";
    text += extra_meta;
    text += R"(},"spec":{)";
    text += spec;
    text += R"(},"status":{)";
    text += status;
    text += "}}";
    return cells("", "pods", text);
}

}  // namespace

TEST_CASE("human_duration follows upstream's HumanDuration", "[table]") {
    const std::pair<std::chrono::nanoseconds, std::string_view> cases[] = {
        {-2s, "<invalid>"},
        {-1500ms, "0s"},
        {-1s, "0s"},
        {0s, "0s"},
        {5s, "5s"},
        {119s, "119s"},
        {120s, "2m"},
        {200s, "3m20s"},
        {9min + 59s, "9m59s"},
        {10min, "10m"},
        {179min, "179m"},
        {3h, "3h"},
        {3h + 5min, "3h5m"},
        {7h + 59min, "7h59m"},
        {8h, "8h"},
        {47h, "47h"},
        {48h, "2d"},
        {51h, "2d3h"},
        {7 * 24h + 23h, "7d23h"},
        {8 * 24h, "8d"},
        {729 * 24h, "729d"},
        {730 * 24h, "2y"},
        {731 * 24h, "2y1d"},
        {8 * 365 * 24h, "8y"},
        {10 * 365 * 24h + 100 * 24h, "10y"},
    };
    for (const auto& [d, want] : cases) {
        INFO(d.count() << "ns");
        CHECK(human_duration(d) == want);
    }
}

TEST_CASE("timestamps parse as RFC 3339 and age as upstream prints them", "[table]") {
    CHECK(parse_timestamp("2024-05-01T11:59:30Z") == kNow - 30s);
    CHECK(parse_timestamp("2024-05-01T11:59:30.123456Z") == kNow - 30s + 123456us);
    CHECK(parse_timestamp("2024-05-01T13:59:30+02:00") == kNow - 30s);
    CHECK(parse_timestamp("1970-01-01T00:00:00Z") == WallClock::time_point{});
    CHECK_FALSE(parse_timestamp("2024-05-01 11:59:30Z"));
    CHECK_FALSE(parse_timestamp("2024-05-01T11:59:30"));
    CHECK_FALSE(parse_timestamp(""));
    CHECK(translate_timestamp_since("2024-05-01T11:56:40Z", kNow) == "3m20s");
    CHECK(translate_timestamp_since("", kNow) == "<unknown>");
    CHECK(translate_timestamp_since("yesterday", kNow) == "<unknown>");
    // Years are 365 days: four calendar years with a leap day are "4y1d".
    CHECK(translate_timestamp_since("2020-05-01T12:00:00Z", kNow) == "4y1d");
}

TEST_CASE("pod columns are upstream's, wide ones with priority 1", "[table]") {
    CHECK(names(table_columns(type_of("", "pods"))) ==
          std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP*", "Node*",
                                   "Nominated Node*", "Readiness Gates*"});
    const auto columns = table_columns(type_of("", "pods"));
    CHECK(columns[0].format == "name");
    CHECK(columns[0].type == "string");
    CHECK(columns[3].type == "string");
    CHECK_FALSE(columns[1].description.empty());
}

TEST_CASE("pod status, ready and restarts are computed as upstream's printer does", "[table]") {
    SECTION("pending without statuses") {
        CHECK(pod(R"("phase":"Pending")") ==
              arr(R"(["p","0/1","Pending","0","60m","<none>","<none>","<none>","<none>"])"));
    }
    SECTION("container creating") {
        auto c = pod(R"("phase":"Pending","containerStatuses":[{"name":"app","ready":false,
            "restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}])");
        CHECK(c[1] == "0/1");
        CHECK(c[2] == "ContainerCreating");
    }
    SECTION("running and ready, with IP and node") {
        auto c = pod(
            R"("phase":"Running","podIP":"10.42.0.7","podIPs":[{"ip":"10.42.0.7"}],
            "containerStatuses":[{"name":"app","ready":true,"restartCount":0,
            "state":{"running":{"startedAt":"2024-05-01T11:00:05Z"}}}])",
            "", R"("nodeName":"n1","containers":[{"name":"app","image":"nginx"}])");
        CHECK(c == arr(R"(["p","1/1","Running","0","60m","10.42.0.7","n1","<none>","<none>"])"));
    }
    SECTION("podIP alone still fills the IP column") {
        CHECK(pod(R"("phase":"Running","podIP":"10.42.0.8")")[5] == "10.42.0.8");
    }
    SECTION("crash loop with the last restart's age") {
        auto c = pod(R"("phase":"Running","containerStatuses":[{"name":"app","ready":false,
            "restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
            "lastState":{"terminated":{"exitCode":1,"reason":"Error",
            "finishedAt":"2024-05-01T11:55:00Z"}}}])");
        CHECK(c[1] == "0/1");
        CHECK(c[2] == "CrashLoopBackOff");
        CHECK(c[3] == "3 (5m ago)");
    }
    SECTION("restarts without a termination time have no age") {
        auto c = pod(R"("phase":"Running","containerStatuses":[{"name":"app","ready":true,
            "restartCount":2,"state":{"running":{}}}])");
        CHECK(c[2] == "Running");
        CHECK(c[3] == "2");
    }
    SECTION("completed") {
        auto c = pod(R"("phase":"Succeeded","containerStatuses":[{"name":"app","ready":false,
            "restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}])");
        CHECK(c[1] == "0/1");
        CHECK(c[2] == "Completed");
    }
    SECTION("a completed container next to a running one") {
        const auto spec = R"("containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}])";
        const auto statuses = R"("containerStatuses":[
            {"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
            {"name":"b","ready":true,"state":{"running":{}}}])";
        auto running = pod(std::string(R"("phase":"Running","conditions":[{"type":"Ready",
            "status":"True"}],)") +
                               statuses,
                           "", spec);
        CHECK(running[1] == "1/2");
        CHECK(running[2] == "Running");
        auto not_ready = pod(std::string(R"("phase":"Running",)") + statuses, "", spec);
        CHECK(not_ready[2] == "NotReady");
    }
    SECTION("terminated without a reason shows the exit code or signal") {
        CHECK(pod(R"("phase":"Running","containerStatuses":[{"name":"app",
            "state":{"terminated":{"exitCode":137}}}])")[2] == "ExitCode:137");
        CHECK(pod(R"("phase":"Running","containerStatuses":[{"name":"app",
            "state":{"terminated":{"exitCode":137,"signal":9}}}])")[2] == "Signal:9");
    }
    const auto init_spec =
        R"("initContainers":[{"name":"init","image":"busybox"}],
           "containers":[{"name":"app","image":"nginx"}])";
    SECTION("init containers") {
        CHECK(pod(R"("phase":"Pending","initContainerStatuses":[{"name":"init","ready":false,
            "state":{"waiting":{"reason":"PodInitializing"}}}])",
                  "", init_spec)[2] == "Init:0/1");
        CHECK(pod(R"("phase":"Pending","initContainerStatuses":[{"name":"init",
            "state":{"running":{}}}])",
                  "", init_spec)[2] == "Init:0/1");
        CHECK(pod(R"("phase":"Pending","initContainerStatuses":[{"name":"init",
            "restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}])",
                  "", init_spec) ==
              arr(R"(["p","0/1","Init:CrashLoopBackOff","4","60m","<none>","<none>","<none>",
                      "<none>"])"));
        CHECK(pod(R"("phase":"Pending","initContainerStatuses":[{"name":"init",
            "state":{"terminated":{"exitCode":1,"reason":"Error"}}}])",
                  "", init_spec)[2] == "Init:Error");
        CHECK(pod(R"("phase":"Pending","initContainerStatuses":[{"name":"init",
            "state":{"terminated":{"exitCode":2}}}])",
                  "", init_spec)[2] == "Init:ExitCode:2");
        // Done initializing: the main containers decide.
        CHECK(pod(R"("phase":"Running","initContainerStatuses":[{"name":"init",
            "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}],
            "containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}])",
                  "", init_spec)[2] == "Running");
    }
    SECTION("sidecars count as containers once started") {
        const auto spec = R"("initContainers":[{"name":"proxy","image":"envoy",
            "restartPolicy":"Always"}],"containers":[{"name":"app","image":"nginx"}])";
        auto c = pod(R"("phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
            "initContainerStatuses":[{"name":"proxy","ready":true,"started":true,
            "restartCount":1,"state":{"running":{}}}],
            "containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}])",
                     "", spec);
        CHECK(c[1] == "2/2");
        CHECK(c[2] == "Running");
        CHECK(c[3] == "1");
    }
    SECTION("terminating, evicted, node lost, scheduling gated") {
        const auto deleting = R"(,"deletionTimestamp":"2024-05-01T11:59:00Z")";
        CHECK(pod(R"("phase":"Running","containerStatuses":[{"name":"app","ready":true,
            "state":{"running":{}}}])",
                  deleting)[2] == "Terminating");
        CHECK(pod(R"("phase":"Failed","reason":"Evicted",
            "message":"The node was low on resource: memory.")")[2] == "Evicted");
        CHECK(pod(R"("phase":"Failed","reason":"Evicted")", deleting)[2] == "Evicted");
        CHECK(pod(R"("phase":"Running","reason":"NodeLost")", deleting)[2] == "Unknown");
        CHECK(pod(R"("phase":"Pending","conditions":[{"type":"PodScheduled","status":"False",
            "reason":"SchedulingGated"}])")[2] == "SchedulingGated");
    }
    SECTION("readiness gates and the nominated node") {
        auto c = pod(R"("phase":"Running","nominatedNodeName":"n2","conditions":[
            {"type":"example.com/a","status":"True"},{"type":"example.com/b","status":"False"}])",
                     "", R"("containers":[{"name":"app"}],"readinessGates":[
            {"conditionType":"example.com/a"},{"conditionType":"example.com/b"}])");
        CHECK(c[7] == "n2");
        CHECK(c[8] == "1/2");
    }
}

TEST_CASE("service cells: type, addresses and ports", "[table]") {
    CHECK(names(table_columns(type_of("", "services"))) ==
          std::vector<std::string>{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age",
                                   "Selector*"});
    CHECK(cells("", "services", R"({"metadata":{"name":"web",
        "creationTimestamp":"2024-04-29T09:00:00Z"},"spec":{"type":"ClusterIP",
        "clusterIP":"10.43.0.10","clusterIPs":["10.43.0.10"],"selector":{"app":"web","tier":"fe"},
        "ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}})") ==
          arr(R"(["web","ClusterIP","10.43.0.10","<none>","80/TCP,53/UDP","2d3h",
                  "app=web,tier=fe"])"));
    CHECK(cells("", "services", R"({"metadata":{"name":"np"},"spec":{"type":"NodePort",
        "clusterIPs":["10.43.0.11"],"ports":[{"port":80,"nodePort":30080}]}})") ==
          arr(R"(["np","NodePort","10.43.0.11","<none>","80:30080/TCP","<unknown>","<none>"])"));
    CHECK(cells("", "services", R"({"metadata":{"name":"h"},"spec":{"clusterIP":"None"}})") ==
          arr(R"(["h","ClusterIP","None","<none>","<none>","<unknown>","<none>"])"));
    const auto lb = [](std::string_view extra) {
        return cells("", "services",
                     std::string(R"({"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer",
                     "clusterIPs":["10.43.0.12"],"ports":[{"port":443,"nodePort":31443}])") +
                         std::string(extra) + "}")[3];
    };
    CHECK(lb("}") == "<pending>");
    CHECK(lb(R"(},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.9"},
        {"hostname":"lb.example.com"},{"ip":"192.0.2.1"}]}})") ==
          "192.0.2.1,192.0.2.9,lb.example.com");
    CHECK(lb(R"(,"externalIPs":["198.51.100.1"]},"status":{"loadBalancer":{"ingress":[
        {"ip":"192.0.2.1"}]}})") == "192.0.2.1,198.51.100.1");
    CHECK(cells("", "services", R"({"metadata":{"name":"x"},"spec":{"type":"ExternalName",
        "externalName":"db.example.com"}})")[3] == "db.example.com");
    CHECK(cells("", "services", R"({"metadata":{"name":"x"},"spec":{
        "externalIPs":["198.51.100.2","198.51.100.3"]}})")[3] == "198.51.100.2,198.51.100.3");
}

TEST_CASE("node cells: status, roles, version and addresses", "[table]") {
    CHECK(names(table_columns(type_of("", "nodes"))) ==
          std::vector<std::string>{"Name", "Status", "Roles", "Age", "Version", "Internal-IP*",
                                   "External-IP*", "OS-Image*", "Kernel-Version*",
                                   "Container-Runtime*"});
    CHECK(cells("", "nodes", R"({"metadata":{"name":"n1","creationTimestamp":
        "2024-04-01T12:00:00Z","labels":{"node-role.kubernetes.io/control-plane":"",
        "node-role.kubernetes.io/master":"true","kubernetes.io/hostname":"n1"}},
        "status":{"conditions":[{"type":"MemoryPressure","status":"False"},
        {"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP",
        "address":"192.168.1.10"},{"type":"Hostname","address":"n1"}],
        "nodeInfo":{"kubeletVersion":"v1.32.4+skiff","osImage":"Debian GNU/Linux 12",
        "kernelVersion":"6.1.0","containerRuntimeVersion":"skiff://0.1.0"}}})") ==
          arr(R"(["n1","Ready","control-plane,master","30d","v1.32.4+skiff","192.168.1.10",
                  "<none>","Debian GNU/Linux 12","6.1.0","skiff://0.1.0"])"));
    CHECK(cells("", "nodes", R"({"metadata":{"name":"n2","labels":{"kubernetes.io/role":"edge",
        "node-role.kubernetes.io/":""}},"spec":{"unschedulable":true},"status":{"conditions":[
        {"type":"Ready","status":"Unknown"}]}})") ==
          arr(R"(["n2","NotReady,SchedulingDisabled","edge","<unknown>","","<none>","<none>",
                  "<unknown>","<unknown>","<unknown>"])"));
    CHECK(cells("", "nodes", R"({"metadata":{"name":"n3"}})")[1] == "Unknown");
    CHECK(cells("", "nodes", R"({"metadata":{"name":"n3"}})")[2] == "<none>");
    CHECK(cells("", "nodes", R"({"metadata":{"name":"n3"},"spec":{"unschedulable":true},
        "status":{"conditions":[{"type":"Ready","status":"True"}]}})")[1] ==
          "Ready,SchedulingDisabled");
}

TEST_CASE("workload cells: deployments, replica sets, daemon sets, stateful sets", "[table]") {
    CHECK(names(table_columns(type_of("apps", "deployments"))) ==
          std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers*",
                                   "Images*", "Selector*"});
    CHECK(cells("apps", "deployments", R"({"metadata":{"name":"web",
        "creationTimestamp":"2024-05-01T11:59:15Z"},"spec":{"replicas":3,"selector":{
        "matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In",
        "values":["fe","be"]}]},"template":{"spec":{"containers":[{"name":"nginx",
        "image":"nginx:1.27"},{"name":"log","image":"busybox"}]}}},"status":{"replicas":3,
        "updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}})") ==
          arr(R"j(["web","2/3",3,2,"45s","nginx,log","nginx:1.27,busybox",
                  "app=web,tier in (be,fe)"])j"));
    // Defaults: one replica; no status yet.
    CHECK(cells("apps", "deployments", R"({"metadata":{"name":"d"},"spec":{"selector":{
        "matchLabels":{"app":"d"}}}})") == arr(R"(["d","0/1",0,0,"<unknown>","","","app=d"])"));

    CHECK(names(table_columns(type_of("apps", "replicasets"))) ==
          std::vector<std::string>{"Name", "Desired", "Current", "Ready", "Age", "Containers*",
                                   "Images*", "Selector*"});
    CHECK(cells("apps", "replicasets", R"({"metadata":{"name":"web-5d8f"},"spec":{"replicas":2,
        "selector":{"matchLabels":{"app":"web","pod-template-hash":"5d8f"}},"template":{"spec":{
        "containers":[{"name":"nginx","image":"nginx"}]}}},"status":{"replicas":2,
        "readyReplicas":1}})") == arr(R"(["web-5d8f",2,2,1,"<unknown>","nginx","nginx",
                  "app=web,pod-template-hash=5d8f"])"));

    CHECK(names(table_columns(type_of("apps", "daemonsets"))) ==
          std::vector<std::string>{"Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                                   "Node Selector", "Age", "Containers*", "Images*", "Selector*"});
    CHECK(cells("apps", "daemonsets", R"({"metadata":{"name":"ds"},"spec":{"selector":{
        "matchLabels":{"app":"ds"}},"template":{"spec":{"nodeSelector":{
        "kubernetes.io/os":"linux"},"containers":[{"name":"c","image":"i"}]}}},"status":{
        "desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
        "updatedNumberScheduled":3,"numberAvailable":2}})") ==
          arr(R"(["ds",3,3,2,3,2,"kubernetes.io/os=linux","<unknown>","c","i","app=ds"])"));

    CHECK(names(table_columns(type_of("apps", "statefulsets"))) ==
          std::vector<std::string>{"Name", "Ready", "Age", "Containers*", "Images*"});
    CHECK(cells("apps", "statefulsets", R"({"metadata":{"name":"db"},"spec":{"replicas":3,
        "template":{"spec":{"containers":[{"name":"pg","image":"postgres:16"}]}}},
        "status":{"readyReplicas":1}})") == arr(R"(["db","1/3","<unknown>","pg","postgres:16"])"));
}

TEST_CASE("batch cells: jobs and cron jobs", "[table]") {
    CHECK(names(table_columns(type_of("batch", "jobs"))) ==
          std::vector<std::string>{"Name", "Status", "Completions", "Duration", "Age",
                                   "Containers*", "Images*", "Selector*"});
    CHECK(cells("batch", "jobs", R"({"metadata":{"name":"pi",
        "creationTimestamp":"2024-05-01T11:50:00Z"},"spec":{"completions":1,"parallelism":1,
        "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},
        "template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},"status":{
        "succeeded":1,"startTime":"2024-05-01T11:50:00Z","completionTime":
        "2024-05-01T11:50:42Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},
        {"type":"Complete","status":"True"}]}})") ==
          arr(R"(["pi","Complete","1/1","42s","10m","pi","perl",
                  "batch.kubernetes.io/controller-uid=u1"])"));
    const auto job = [](std::string_view spec, std::string_view status,
                        std::string_view meta = "") {
        return cells("batch", "jobs",
                     std::string(R"({"metadata":{"name":"j")") + std::string(meta) +
                         R"(},"spec":{)" + std::string(spec) + R"(},"status":{)" +
                         std::string(status) + "}}");
    };
    auto running = job(R"("parallelism":3)", R"("startTime":"2024-05-01T11:59:30Z")");
    CHECK(running[1] == "Running");
    CHECK(running[2] == "0/1 of 3");
    CHECK(running[3] == "30s");
    CHECK(job("", "")[2] == "0/1");
    CHECK(job("", "")[3] == "");
    CHECK(job("", R"("conditions":[{"type":"Failed","status":"True"}])")[1] == "Failed");
    CHECK(job("", R"("conditions":[{"type":"Suspended","status":"True"}])")[1] == "Suspended");
    CHECK(job("", "", R"(,"deletionTimestamp":"2024-05-01T11:59:00Z")")[1] == "Terminating");

    CHECK(names(table_columns(type_of("batch", "cronjobs"))) ==
          std::vector<std::string>{"Name", "Schedule", "Timezone", "Suspend", "Active",
                                   "Last Schedule", "Age", "Containers*", "Images*", "Selector*"});
    CHECK(cells("batch", "cronjobs", R"({"metadata":{"name":"hello"},"spec":{
        "schedule":"*/5 * * * *","suspend":false,"jobTemplate":{"spec":{"template":{"spec":{
        "containers":[{"name":"hello","image":"busybox"}]}}}}},"status":{"active":[{"name":"a"}],
        "lastScheduleTime":"2024-05-01T11:58:00Z"}})") ==
          arr(R"(["hello","*/5 * * * *","<none>","False",1,"2m","<unknown>","hello","busybox",
                  "<none>"])"));
}

TEST_CASE("cells of configuration, storage, RBAC and other built-in kinds", "[table]") {
    CHECK(cells("", "configmaps", R"({"metadata":{"name":"cm"},"data":{"a":"1","b":"2"},
        "binaryData":{"c":"AA=="}})") == arr(R"(["cm",3,"<unknown>"])"));
    CHECK(cells("", "secrets", R"({"metadata":{"name":"s"},"type":"kubernetes.io/tls",
        "data":{"tls.crt":"","tls.key":""}})") ==
          arr(R"(["s","kubernetes.io/tls",2,"<unknown>"])"));
    CHECK(cells("", "serviceaccounts", R"({"metadata":{"name":"default"}})") ==
          arr(R"(["default",0,"<unknown>"])"));
    CHECK(cells("", "namespaces", R"({"metadata":{"name":"kube-system"},
        "status":{"phase":"Active"}})") == arr(R"(["kube-system","Active","<unknown>"])"));
    CHECK(cells("coordination.k8s.io", "leases", R"({"metadata":{"name":"kube-scheduler"},
        "spec":{"holderIdentity":"n1_abc"}})") ==
          arr(R"(["kube-scheduler","n1_abc","<unknown>"])"));
    CHECK(cells("", "endpoints", R"({"metadata":{"name":"web"},"subsets":[{"addresses":[
        {"ip":"10.42.0.5"},{"ip":"10.42.0.6"},{"ip":"fd00::7"}],"ports":[{"port":80},
        {"port":443}]}]})") ==
          arr(R"(["web","10.42.0.5:80,10.42.0.6:80,[fd00::7]:80 + 3 more...","<unknown>"])"));
    CHECK(cells("", "endpoints", R"({"metadata":{"name":"e"}})")[1] == "<none>");
    CHECK(cells("discovery.k8s.io", "endpointslices", R"({"metadata":{"name":"web-abc"},
        "addressType":"IPv4","ports":[{"name":"http","port":80},{"name":"x"}],
        "endpoints":[{"addresses":["10.42.0.5"]},{"addresses":["10.42.0.6"]}]})") ==
          arr(R"(["web-abc","IPv4","80,x","10.42.0.5,10.42.0.6","<unknown>"])"));
    CHECK(cells("", "persistentvolumes", R"({"metadata":{"name":"pv1"},"spec":{"capacity":{
        "storage":"1024Mi"},"accessModes":["ReadWriteMany","ReadWriteOnce"],
        "persistentVolumeReclaimPolicy":"Retain","storageClassName":"local-path",
        "claimRef":{"namespace":"default","name":"data"},"volumeMode":"Filesystem"},
        "status":{"phase":"Bound"}})") ==
          arr(R"(["pv1","1Gi","RWO,RWX","Retain","Bound","default/data","local-path","<unset>",
                  "","<unknown>","Filesystem"])"));
    CHECK(cells("", "persistentvolumeclaims", R"({"metadata":{"name":"data"},"spec":{
        "volumeName":"pv1","storageClassName":"local-path","resources":{"requests":{
        "storage":"1Gi"}}},"status":{"phase":"Bound","accessModes":["ReadWriteOnce"],
        "capacity":{"storage":"1Gi"}}})") ==
          arr(R"(["data","Bound","pv1","1Gi","RWO","local-path","<unset>","<unknown>",
                  "<unset>"])"));
    CHECK(cells("", "persistentvolumeclaims", R"({"metadata":{"name":"p",
        "deletionTimestamp":"2024-05-01T11:00:00Z"},"status":{"phase":"Pending"}})")[1] ==
          "Terminating");
    CHECK(cells("", "resourcequotas", R"({"metadata":{"name":"q"},"status":{"hard":{
        "pods":"10","limits.memory":"2Gi","requests.cpu":"1"},"used":{"pods":"3",
        "requests.cpu":"500m"}}})") ==
          arr(R"(["q","pods: 3/10, requests.cpu: 500m/1","limits.memory: 0/2Gi","<unknown>"])"));
    CHECK(cells("rbac.authorization.k8s.io", "rolebindings", R"({"metadata":{"name":"rb"},
        "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
        "subjects":[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},
        {"kind":"ServiceAccount","namespace":"ci","name":"bot"},{"kind":"User","name":"bob"}]})") ==
          arr(R"(["rb","ClusterRole/view","<unknown>","alice, bob","devs","ci/bot"])"));
    CHECK(cells("storage.k8s.io", "storageclasses", R"({"metadata":{"name":"local-path",
        "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
        "provisioner":"rancher.io/local-path","volumeBindingMode":"WaitForFirstConsumer"})") ==
          arr(R"j(["local-path (default)","rancher.io/local-path","Delete",
                  "WaitForFirstConsumer",false,"<unknown>"])j"));
    CHECK(cells("scheduling.k8s.io", "priorityclasses", R"({"metadata":{"name":"high"},
        "value":1000000,"globalDefault":false,"preemptionPolicy":"PreemptLowerPriority"})") ==
          arr(R"(["high",1000000,false,"<unknown>","PreemptLowerPriority"])"));
    CHECK(cells("policy", "poddisruptionbudgets", R"({"metadata":{"name":"pdb"},"spec":{
        "minAvailable":"50%"},"status":{"disruptionsAllowed":1}})") ==
          arr(R"(["pdb","50%","N/A",1,"<unknown>"])"));
    CHECK(cells("certificates.k8s.io", "certificatesigningrequests", R"({"metadata":{
        "name":"csr-1"},"spec":{"signerName":"kubernetes.io/kube-apiserver-client",
        "username":"system:admin","expirationSeconds":86400},"status":{"conditions":[
        {"type":"Approved","status":"True"}],"certificate":"LS0t"}})") ==
          arr(R"(["csr-1","<unknown>","kubernetes.io/kube-apiserver-client","system:admin",
                  "24h","Approved,Issued"])"));
    CHECK(cells("networking.k8s.io", "ingresses", R"({"metadata":{"name":"ing"},"spec":{
        "ingressClassName":"traefik","rules":[{"host":"a.example.com"},{"host":"b.example.com"}],
        "tls":[{"hosts":["a.example.com"]}]},"status":{"loadBalancer":{"ingress":[
        {"ip":"192.0.2.5"}]}}})") ==
          arr(R"(["ing","traefik","a.example.com,b.example.com","192.0.2.5","80, 443",
                  "<unknown>"])"));
    CHECK(cells("networking.k8s.io", "ingressclasses", R"({"metadata":{"name":"traefik"},
        "spec":{"controller":"traefik.io/ingress-controller","parameters":{
        "apiGroup":"k8s.example.com","kind":"IngressParameters","name":"p"}}})") ==
          arr(R"(["traefik","traefik.io/ingress-controller","IngressParameters.k8s.example.com/p",
                  "<unknown>"])"));
    CHECK(cells("networking.k8s.io", "networkpolicies", R"({"metadata":{"name":"deny"},
        "spec":{"podSelector":{}}})") == arr(R"(["deny","<none>","<unknown>"])"));
    CHECK(cells("apps", "controllerrevisions", R"({"metadata":{"name":"ds-7f9","ownerReferences":[
        {"apiVersion":"apps/v1","kind":"DaemonSet","name":"ds","uid":"u","controller":true}]},
        "revision":2})") == arr(R"(["ds-7f9","daemonset.apps/ds",2,"<unknown>"])"));
    CHECK(cells("autoscaling", "horizontalpodautoscalers", R"({"metadata":{"name":"web"},
        "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
        "minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":60},
        "status":{"currentReplicas":3,"currentCPUUtilizationPercentage":45}})") ==
          arr(R"(["web","Deployment/web","cpu: 45%/60%","2",10,3,"<unknown>"])"));
}

TEST_CASE("event cells: Last Seen first, Name last", "[table]") {
    CHECK(names(table_columns(type_of("", "events"))) ==
          std::vector<std::string>{"Last Seen", "Type", "Reason", "Object", "Subobject*", "Source*",
                                   "Message", "First Seen*", "Count*", "Name*"});
    CHECK(table_columns(type_of("", "events")).back().format == "name");
    CHECK(cells("", "events", R"({"metadata":{"name":"web.17c"},"involvedObject":{
        "kind":"Pod","name":"web","fieldPath":"spec.containers{nginx}"},"reason":"Pulled",
        "message":"Successfully pulled image \"nginx\"\n","type":"Normal","source":{
        "component":"kubelet","host":"n1"},"firstTimestamp":"2024-05-01T11:50:00Z",
        "lastTimestamp":"2024-05-01T11:59:00Z","count":4})") ==
          arr(R"(["60s","Normal","Pulled","pod/web","spec.containers{nginx}","kubelet, n1",
                  "Successfully pulled image \"nginx\"","10m",4,"web.17c"])"));
    // The new API's fields: eventTime, series, reporting controller.
    CHECK(cells("events.k8s.io", "events", R"({"metadata":{"name":"e"},"regarding":{
        "kind":"Node","name":"n1"},"reason":"Starting","note":"Starting kubelet.",
        "type":"Normal","reportingController":"kubelet","reportingInstance":"n1",
        "eventTime":"2024-05-01T11:00:00.000000Z","series":{"count":7,
        "lastObservedTime":"2024-05-01T11:59:50.123456Z"}})") ==
          arr(R"(["9s","Normal","Starting","node/n1","","kubelet, n1","Starting kubelet.",
                  "60m",7,"e"])"));
}

TEST_CASE("kinds without an upstream printer get Name and Created At", "[table]") {
    const auto& roles = type_of("rbac.authorization.k8s.io", "roles");
    const auto columns = table_columns(roles);
    CHECK(names(columns) == std::vector<std::string>{"Name", "Created At"});
    CHECK(columns[1].type == "date");
    CHECK(table_cells(roles, obj(R"({"metadata":{"name":"r",
        "creationTimestamp":"2024-05-01T13:00:00+02:00"}})"),
                      kNow) == arr(R"(["r","2024-05-01T11:00:00Z"])"));
    CHECK(names(table_columns(type_of("apiextensions.k8s.io", "customresourcedefinitions"))) ==
          std::vector<std::string>{"Name", "Created At"});
}

TEST_CASE("every built-in kind has a cell per column, even for an empty object", "[table]") {
    const auto registry = Registry::builtin();
    for (const auto& t : registry.all()) {
        INFO(t.gv.api_version() << " " << t.kind);
        const auto columns = table_columns(t);
        REQUIRE_FALSE(columns.empty());
        CHECK(table_cells(t, obj(R"({"metadata":{"name":"x"}})"), kNow).size() == columns.size());
        CHECK(table_cells(t, obj("{}"), kNow).size() == columns.size());
        CHECK(std::count_if(columns.begin(), columns.end(),
                            [](const PrinterColumn& c) { return c.format == "name"; }) == 1);
    }
}

TEST_CASE("JSONPath subset of printer columns", "[table]") {
    const auto doc = json::parse(R"({"metadata":{"labels":{"app.kubernetes.io/name":"x"}},
        "spec":{"replicas":3,"items":[{"name":"a"},{"name":"b"},{"name":"c"}]},
        "status":{"conditions":[{"type":"Synced","status":"False"},
        {"type":"Ready","status":"True","count":2}]}})");
    const auto eval = [&](std::string_view path) {
        auto p = JsonPath::parse(path);
        INFO(path << ": " << p.status().message());
        REQUIRE(p.ok());
        auto r = p->find(doc);
        REQUIRE(r.ok());
        json::array out;
        for (const auto* v : *r) {
            out.push_back(*v);
        }
        return out;
    };
    CHECK(eval(".spec.replicas") == arr("[3]"));
    CHECK(eval("{.spec.replicas}") == arr("[3]"));
    CHECK(eval("$.spec.replicas") == arr("[3]"));
    CHECK(eval(".spec.items[0].name") == arr(R"(["a"])"));
    CHECK(eval(".spec.items[-1].name") == arr(R"(["c"])"));
    CHECK(eval(".spec.items[*].name") == arr(R"(["a","b","c"])"));
    CHECK(eval(".spec.items[0:2].name") == arr(R"(["a","b"])"));
    CHECK(eval(".spec.items[::2].name") == arr(R"(["a","c"])"));
    CHECK(eval(R"(.status.conditions[?(@.type=="Ready")].status)") == arr(R"(["True"])"));
    CHECK(eval(R"(.status.conditions[?(@.type != 'Ready')].type)") == arr(R"(["Synced"])"));
    CHECK(eval(".status.conditions[?(@.count > 1)].type") == arr(R"(["Ready"])"));
    CHECK(eval(".status.conditions[?(@.count)].type") == arr(R"(["Ready"])"));
    CHECK(eval(R"(.metadata.labels.app\.kubernetes\.io/name)") == arr(R"(["x"])"));
    CHECK(eval(".metadata.labels['app.kubernetes.io/name']") == arr(R"(["x"])"));
    CHECK(eval(".spec.missing.deeper") == arr("[]"));
    CHECK_FALSE(JsonPath::parse(".spec.items[0").ok());
    CHECK_FALSE(JsonPath::parse("..name").ok());
    CHECK_FALSE(JsonPath::parse("").ok());
    CHECK(JsonPath::parse(".a[").status().message() == R"(unrecognized column definition ".a[")");
    auto p = JsonPath::parse(".spec.items[5]");
    REQUIRE(p.ok());
    CHECK_FALSE(p->find(doc).ok());
}

TEST_CASE("CRD printer columns: JSONPath cells typed as upstream's convertor does", "[table]") {
    ResourceType crd;
    crd.gv = {"example.com", "v1"};
    crd.kind = "Widget";
    crd.resource = "widgets";
    crd.custom = true;
    const auto column = [](std::string name, std::string type, std::string path, int priority = 0) {
        PrinterColumn c;
        c.name = std::move(name);
        c.type = std::move(type);
        c.json_path = std::move(path);
        c.priority = priority;
        return c;
    };

    SECTION("no columns: the CRD default Age column") {
        const auto columns = table_columns(crd);
        CHECK(names(columns) == std::vector<std::string>{"Name", "Age"});
        CHECK(columns[1].type == "date");
        CHECK(table_cells(crd, obj(R"({"metadata":{"name":"w",
            "creationTimestamp":"2024-05-01T11:58:00Z"}})"),
                          kNow) == arr(R"(["w","2m"])"));
    }
    SECTION("columns in order, no Age added") {
        crd.columns = {
            column("Replicas", "integer", ".spec.replicas"),
            column("Ready", "string", R"(.status.conditions[?(@.type=="Ready")].status)"),
            column("Ratio", "number", ".spec.ratio"),
            column("Paused", "boolean", ".spec.paused", 1),
            column("Created", "date", ".metadata.creationTimestamp"),
            column("Items", "string", ".spec.items[1]"),
            column("Labels", "string", ".metadata.labels"),
            column("Broken", "string", ".spec["),
        };
        crd.columns[0].description = "Desired widgets.";
        const auto columns = table_columns(crd);
        CHECK(names(columns) == std::vector<std::string>{"Name", "Replicas", "Ready", "Ratio",
                                                         "Paused*", "Created", "Items", "Labels",
                                                         "Broken"});
        CHECK(columns[1].description == "Desired widgets.");
        CHECK_FALSE(columns[2].description.empty());
        const auto full = obj(R"({"metadata":{"name":"w","creationTimestamp":
            "2024-05-01T09:00:00Z","labels":{"b":"2","a":"1"}},"spec":{"replicas":2,
            "ratio":1.5,"paused":true,"items":["x",{"k":[1,2.5,null]}]},"status":{"conditions":[
            {"type":"Ready","status":"True"}]}})");
        CHECK(table_cells(crd, full, kNow) ==
              arr(R"(["w",2,"True",1.5,true,"3h","map[k:[1 2.5 <nil>]]","map[a:1 b:2]",null])"));
        // Missing fields and wrong types are null cells; a bad date is "<invalid>".
        const auto sparse = obj(R"({"metadata":{"name":"v","creationTimestamp":"soon"},
            "spec":{"replicas":"two","ratio":3,"paused":"yes","items":[]}})");
        CHECK(table_cells(crd, sparse, kNow) ==
              arr(R"(["v",null,null,3.0,null,"<invalid>",null,null,null])"));
    }
    SECTION("string columns print numbers as Go does") {
        crd.columns = {column("N", "string", ".n")};
        const auto cell = [&](std::string_view n) {
            return table_cells(crd, obj(std::string(R"({"n":)") + std::string(n) + "}"), kNow)[1];
        };
        CHECK(cell("42") == "42");
        CHECK(cell("0.5") == "0.5");
        CHECK(cell("1e21") == "1e+21");
        CHECK(cell("1e20") == "100000000000000000000");
        CHECK(cell("0.00001") == "1e-05");
        CHECK(cell("true") == "true");
        CHECK(cell("null") == "<no value>");
        CHECK(cell(R"("text")") == "text");
    }
}

TEST_CASE("includeObject and Accept negotiation", "[table]") {
    CHECK(*parse_include_object("") == IncludeObject::Metadata);
    CHECK(*parse_include_object("Metadata") == IncludeObject::Metadata);
    CHECK(*parse_include_object("None") == IncludeObject::None);
    CHECK(*parse_include_object("Object") == IncludeObject::Object);
    auto bad = parse_include_object("object");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().reason() == skiff::base::Reason::BadRequest);
    CHECK(bad.status().message() == R"(unrecognized includeObject value: "object")");

    CHECK(table_api_version("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;"
                            "as=Table;v=v1beta1;g=meta.k8s.io,application/json") ==
          "meta.k8s.io/v1");
    CHECK(table_api_version("application/json;as=Table;v=v1beta1;g=meta.k8s.io") ==
          "meta.k8s.io/v1beta1");
    CHECK(table_api_version("application/json; as=Table; v=v1; g=meta.k8s.io") == "meta.k8s.io/v1");
    CHECK_FALSE(table_api_version("application/json"));
    CHECK_FALSE(table_api_version(""));
    CHECK_FALSE(table_api_version("*/*"));
    CHECK_FALSE(
        table_api_version("application/json,application/json;as=Table;v=v1;"
                          "g=meta.k8s.io"));
    CHECK(table_api_version("application/json;as=Table;v=v2;g=meta.k8s.io,"
                            "application/json;as=Table;v=v1;g=meta.k8s.io") == "meta.k8s.io/v1");
    CHECK(table_api_version("application/json;q=0.5,application/json;as=Table;v=v1;"
                            "g=meta.k8s.io") == "meta.k8s.io/v1");
    CHECK(table_api_version("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
                            "application/json;as=Table;v=v1;g=meta.k8s.io") == "meta.k8s.io/v1");
}

TEST_CASE("make_table: shape, metadata, includeObject and column definitions", "[table]") {
    const auto& pods = type_of("", "pods");
    const auto a = obj(R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"a",
        "namespace":"default","uid":"u1","resourceVersion":"7","labels":{"app":"web"},
        "creationTimestamp":"2024-05-01T11:59:00Z"},"spec":{"containers":[{"name":"c"}]},
        "status":{"phase":"Succeeded"}})");
    const auto b = obj(R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"b"},
        "spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}})");
    const std::vector<const json::object*> objects{&a, &b};

    TableOptions options;
    options.resource_version = "42";
    options.continue_token = "tok";
    options.now = kNow;
    auto table = make_table(pods, objects, options);
    CHECK(table.at("kind") == "Table");
    CHECK(table.at("apiVersion") == "meta.k8s.io/v1");
    CHECK(table.at("metadata") == json::parse(R"({"resourceVersion":"42","continue":"tok"})"));
    const auto& defs = table.at("columnDefinitions").as_array();
    REQUIRE(defs.size() == 9);
    CHECK(defs[0].as_object().at("name") == "Name");
    CHECK(defs[0].as_object().at("format") == "name");
    CHECK(defs[5].as_object().at("priority") == 1);
    CHECK(defs[5].as_object().size() == 5);  // name, type, format, description, priority
    CHECK(defs[5].as_object().at("format") == "");
    const auto& rows = table.at("rows").as_array();
    REQUIRE(rows.size() == 2);
    const auto& row = rows[0].as_object();
    CHECK(row.at("cells").as_array()[0] == "a");
    CHECK(row.at("cells").as_array()[4] == "60s");
    CHECK(row.at("object") ==
          json::parse(R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
              "metadata":{"name":"a","namespace":"default","uid":"u1","resourceVersion":"7",
              "labels":{"app":"web"},"creationTimestamp":"2024-05-01T11:59:00Z"}})"));
    // A finished pod's row says so.
    REQUIRE(row.contains("conditions"));
    CHECK(row.at("conditions").as_array()[0].as_object().at("type") == "Completed");
    CHECK(row.at("conditions").as_array()[0].as_object().at("reason") == "Succeeded");
    CHECK_FALSE(rows[1].as_object().contains("conditions"));

    SECTION("Object, v1beta1 and no metadata fields") {
        TableOptions o;
        o.api_version = "meta.k8s.io/v1beta1";
        o.include_object = IncludeObject::Object;
        o.now = kNow;
        auto t = make_table(pods, objects, o);
        CHECK(t.at("apiVersion") == "meta.k8s.io/v1beta1");
        CHECK(t.at("metadata") == json::object());
        CHECK(t.at("rows").as_array()[1].as_object().at("object") == b);
        o.include_object = IncludeObject::Metadata;
        t = make_table(pods, objects, o);
        CHECK(t.at("rows").as_array()[1].as_object().at("object").as_object().at("apiVersion") ==
              "meta.k8s.io/v1beta1");
    }
    SECTION("None and watch events without column definitions") {
        TableOptions o;
        o.include_object = IncludeObject::None;
        o.with_columns = false;
        o.remaining_item_count = 3;
        o.now = kNow;
        auto t = make_table(pods, std::span<const json::object* const>(objects).subspan(1), o);
        CHECK(t.at("columnDefinitions") == json::array());
        CHECK(t.at("metadata") == json::parse(R"({"remainingItemCount":3})"));
        REQUIRE(t.at("rows").as_array().size() == 1);
        CHECK_FALSE(t.at("rows").as_array()[0].as_object().contains("object"));
        CHECK(t.at("rows").as_array()[0].as_object().at("cells").as_array()[0] == "b");
    }
    SECTION("no objects") {
        auto t = make_table(pods, {}, options);
        CHECK(t.at("rows") == json::array());
        CHECK(t.at("columnDefinitions").as_array().size() == 9);
    }
}
