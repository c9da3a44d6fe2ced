// HollowNode: registration, Lease renewal and instant pod start-up over a Client.
#include "skiff/hollow/hollow_node.h"

#include <ctime>

#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/base/log.h"
#include "skiff/base/time_format.h"
#include "skiff/base/task_group.h"
#include "skiff/base/wake_signal.h"

namespace skiff::hollow {
namespace asio = boost::asio;
namespace json = boost::json;
namespace log = base::log;
using base::Reason;
using base::Status;

namespace {

json::object condition(std::string_view type, std::string_view status, const std::string& now,
                       std::string_view reason, std::string_view message) {
    return {{"type", type},
            {"status", status},
            {"lastHeartbeatTime", now},
            {"lastTransitionTime", now},
            {"reason", reason},
            {"message", message}};
}

}  // namespace

struct HollowNode::State {
    State(client::Client& c, base::Clock& k, HollowNodeOptions o, asio::any_io_executor ex)
        : client(c), clock(k), options(std::move(o)), tasks(std::move(ex)) {}

    client::Client& client;
    base::Clock& clock;
    HollowNodeOptions options;
    base::TaskGroup tasks;
    base::WakeSignal stopped_signal;
    bool stopped = false;
    std::int64_t started = 0;

    std::string now(bool micro = false) const {
        return micro ? base::format_micro_time(clock.now()) : base::format_time(clock.now());
    }

    json::object node_status() const {
        const auto t = now();
        json::object resources{{"cpu", options.cpu},
                               {"memory", options.memory},
                               {"pods", options.pods},
                               {"ephemeral-storage", "100Gi"}};
        return {
            {"capacity", resources},
            {"allocatable", resources},
            {"conditions",
             json::array{condition("MemoryPressure", "False", t, "KubeletHasSufficientMemory",
                                   "hollow node has sufficient memory available"),
                         condition("DiskPressure", "False", t, "KubeletHasNoDiskPressure",
                                   "hollow node has no disk pressure"),
                         condition("PIDPressure", "False", t, "KubeletHasSufficientPID",
                                   "hollow node has sufficient PID available"),
                         condition("Ready", "True", t, "KubeletReady",
                                   "hollow node is posting ready status")}},
            {"addresses", json::array{json::object{{"type", "InternalIP"},
                                                   {"address", options.address}},
                                      json::object{{"type", "Hostname"},
                                                   {"address", options.name}}}},
            {"nodeInfo", json::object{{"kubeletVersion", "v1.32.4-skiff-hollow"},
                                      {"kubeProxyVersion", "v1.32.4-skiff-hollow"},
                                      {"containerRuntimeVersion", "hollow://1"},
                                      {"osImage", "skiff hollow node"},
                                      {"kernelVersion", "hollow"},
                                      {"operatingSystem", "linux"},
                                      {"architecture", "amd64"},
                                      {"machineID", ""},
                                      {"systemUUID", ""},
                                      {"bootID", ""}}}};
    }

    asio::awaitable<Status> register_node() {
        const auto& nodes = api::Registry::builtin_type("", "nodes");
        json::object node{
            {"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata",
             json::object{{"name", options.name},
                          {"labels", json::object{{"kubernetes.io/hostname", options.name},
                                                  {"kubernetes.io/os", "linux"},
                                                  {"kubernetes.io/arch", "amd64"},
                                                  {"node.kubernetes.io/instance-type",
                                                   "hollow"}}}}},
            {"spec", json::object{}},
            {"status", node_status()}};
        auto created = co_await client.create(nodes, "", std::move(node));
        if (created.ok()) {
            co_return Status{};
        }
        if (created.status().reason() != Reason::AlreadyExists) {
            co_return created.status();
        }
        // Registered before: refresh its status.
        json::object patch{{"status", node_status()}};
        std::string body = json::serialize(patch);
        std::string subresource = "status";
        std::string no_namespace;
        auto patched = co_await client.patch_with(nodes, std::move(no_namespace), options.name,
                                                  api::PatchType::Merge, std::move(body),
                                                  std::move(subresource));
        co_return patched.status();
    }

    asio::awaitable<void> renew_lease() {
        const auto& leases = api::Registry::builtin_type("coordination.k8s.io", "leases");
        while (!stopped) {
            json::object spec{{"holderIdentity", options.name},
                              {"leaseDurationSeconds", options.lease_duration_seconds},
                              {"renewTime", now(true)}};
            json::object patch{{"spec", spec}};
            auto renewed = co_await client.patch(leases, "kube-node-lease", options.name,
                                                 api::PatchType::Merge, json::serialize(patch));
            if (!renewed.ok() && renewed.status().reason() == Reason::NotFound) {
                json::object lease{{"apiVersion", "coordination.k8s.io/v1"},
                                   {"kind", "Lease"},
                                   {"metadata", json::object{{"name", options.name}}},
                                   {"spec", spec}};
                auto created = co_await client.create(leases, "kube-node-lease", std::move(lease));
                if (!created.ok()) {
                    log::warn("hollow node lease", {{"node", options.name},
                                                    {"error", created.status().message()}});
                }
            } else if (!renewed.ok()) {
                log::warn("hollow node lease",
                          {{"node", options.name}, {"error", renewed.status().message()}});
            }
            co_await clock.sleep_until(clock.monotonic() + options.lease_interval);
        }
    }

    /// Marks a pod bound here Running and Ready, its containers started.
    asio::awaitable<void> start(const json::object& pod) {
        const json::value whole(pod);
        if (base::string_at(whole, {"status", "phase"}) == "Running" ||
            !base::string_at(whole, {"metadata", "deletionTimestamp"}).empty()) {
            co_return;
        }
        const auto t = now();
        json::array statuses;
        if (const auto* containers = base::find(whole, {"spec", "containers"});
            containers && containers->is_array()) {
            for (const auto& c : containers->as_array()) {
                const auto name = base::string_at(c, {"name"});
                const auto image = base::string_at(c, {"image"});
                statuses.push_back(json::object{
                    {"name", name},
                    {"image", image},
                    {"imageID", "hollow://" + std::string(image)},
                    {"containerID", "hollow://" + std::string(base::string_at(whole, {"metadata", "uid"})) +
                                        "/" + std::string(name)},
                    {"ready", true},
                    {"started", true},
                    {"restartCount", 0},
                    {"state", json::object{{"running", json::object{{"startedAt", t}}}}}});
            }
        }
        auto ready = [&](std::string_view type) {
            return json::object{{"type", type},
                                {"status", "True"},
                                {"lastProbeTime", nullptr},
                                {"lastTransitionTime", t}};
        };
        json::object status{
            {"phase", "Running"},
            {"hostIP", options.address},
            {"hostIPs", json::array{json::object{{"ip", options.address}}}},
            {"podIP", options.address},
            {"podIPs", json::array{json::object{{"ip", options.address}}}},
            {"startTime", t},
            {"qosClass", "BestEffort"},
            {"conditions", json::array{ready("PodReadyToStartContainers"), ready("Initialized"),
                                       ready("Ready"), ready("ContainersReady"),
                                       ready("PodScheduled")}},
            {"containerStatuses", std::move(statuses)}};
        json::object patch{{"status", std::move(status)}};
        // Named arguments: g++ 12 miscompiles string literals in some co_await calls.
        const auto& pods = api::Registry::builtin_type("", "pods");
        std::string ns(base::string_at(whole, {"metadata", "namespace"}));
        std::string name(base::string_at(whole, {"metadata", "name"}));
        std::string body = json::serialize(patch);
        std::string subresource = "status";
        auto patched = co_await client.patch_with(pods, std::move(ns), std::move(name),
                                                  api::PatchType::Merge, std::move(body),
                                                  std::move(subresource));
        if (patched.ok()) {
            ++started;
        } else if (patched.status().reason() != Reason::NotFound) {
            log::warn("hollow node could not start a pod", {{"node", options.name},
                                                            {"error", patched.status().message()}});
        }
    }

    /// Lists, then watches, the pods bound here; relists when the watch is too old.
    asio::awaitable<void> run_pods() {
        const auto& pods = api::Registry::builtin_type("", "pods");
        api::ListOptions options_list;
        options_list.field_selector = "spec.nodeName=" + options.name;
        while (!stopped) {
            auto listed = co_await client.list(pods, "", options_list);
            if (!listed.ok()) {
                co_await clock.sleep_until(clock.monotonic() + std::chrono::seconds(1));
                continue;
            }
            for (auto& item : listed->at("items").as_array()) {
                co_await start(item.as_object());
            }
            api::ListOptions watch_options = options_list;
            watch_options.resource_version =
                std::string(base::string_at(json::value(*listed), {"metadata", "resourceVersion"}));
            for (;;) {
                auto stream = co_await client.watch(pods, "", watch_options);
                if (!stream.ok()) {
                    break;
                }
                bool relist = false;
                for (;;) {
                    auto e = co_await (*stream)->next();
                    if (!e.ok()) {
                        break;  // ended (timeout): watch again from the last revision
                    }
                    if (e->type == "ERROR") {
                        relist = true;  // too old: start over with a list
                        break;
                    }
                    watch_options.resource_version = std::string(
                        base::string_at(json::value(e->object), {"metadata", "resourceVersion"}));
                    if (e->type == "ADDED" || e->type == "MODIFIED") {
                        co_await start(e->object);
                    }
                }
                if (relist || stopped) {
                    break;
                }
            }
        }
    }
};

HollowNode::HollowNode(asio::any_io_executor executor, client::Client& client,
                       base::Clock& clock, HollowNodeOptions options)
    : state_(std::make_shared<State>(client, clock, std::move(options), std::move(executor))) {}

HollowNode::~HollowNode() = default;

asio::awaitable<Status> HollowNode::run() {
    auto state = state_;
    if (auto st = co_await state->register_node(); !st.ok()) {
        co_return st.prepend("registering node " + state->options.name);
    }
    log::info("hollow node registered", {{"node", state->options.name}});
    state->tasks.spawn(state->renew_lease(), "lease " + state->options.name);
    state->tasks.spawn(state->run_pods(), "pods " + state->options.name);
    while (!state->stopped) {
        co_await state->stopped_signal.wait();
    }
    co_await state->tasks.stop(std::chrono::seconds(2));
    co_return Status{};
}

void HollowNode::stop() {
    state_->stopped = true;
    state_->stopped_signal.notify();
}

std::int64_t HollowNode::pods_started() const {
    return state_->started;
}

}  // namespace skiff::hollow
