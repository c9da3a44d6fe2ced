// The scheduler's pure parts below the snapshot: resource arithmetic, pod parsing, and the
// default filter and score plugins, each following its upstream counterpart.
#include "skiff/scheduler/plugins.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/api/quantity.h"
#include "skiff/scheduler/pod_info.h"
#include "skiff/scheduler/resources.h"
#include "skiff/scheduler/snapshot.h"

namespace skiff::scheduler {

namespace json = boost::json;

namespace {

constexpr std::string_view kHostnameLabel = "kubernetes.io/hostname";
constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";

const json::object* object_at(const json::object* o, std::string_view key) {
    if (!o) {
        return nullptr;
    }
    const auto* v = o->if_contains(key);
    return v ? v->if_object() : nullptr;
}

const json::array* array_at(const json::object* o, std::string_view key) {
    if (!o) {
        return nullptr;
    }
    const auto* v = o->if_contains(key);
    return v ? v->if_array() : nullptr;
}

std::string string_at(const json::object* o, std::string_view key) {
    if (!o) {
        return {};
    }
    const auto* v = o->if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<std::int64_t> int_at(const json::object* o, std::string_view key) {
    if (!o) {
        return std::nullopt;
    }
    const auto* v = o->if_contains(key);
    if (!v) {
        return std::nullopt;
    }
    if (v->is_int64()) {
        return v->get_int64();
    }
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_double() && std::trunc(v->get_double()) == v->get_double()) {
        return static_cast<std::int64_t>(v->get_double());
    }
    return std::nullopt;
}

bool present(const json::object* o, std::string_view key) {
    if (!o) {
        return false;
    }
    const auto* v = o->if_contains(key);
    return v && !v->is_null();
}

Labels labels_of(const json::object* o) {
    Labels out;
    if (o) {
        for (const auto& [k, v] : *o) {
            if (v.is_string()) {
                out.emplace(std::string(k), std::string(v.get_string()));
            }
        }
    }
    return out;
}

std::vector<std::string> strings_of(const json::array* a) {
    std::vector<std::string> out;
    if (a) {
        for (const auto& v : *a) {
            if (v.is_string()) {
                out.emplace_back(v.get_string());
            }
        }
    }
    return out;
}

// ---- resources -------------------------------------------------------------------------------

using ResourceList = std::map<std::string, api::Quantity, std::less<>>;

ResourceList parse_list(const json::object* list) {
    ResourceList out;
    if (!list) {
        return out;
    }
    for (const auto& [name, value] : *list) {
        auto q = api::Quantity::from_json(value);
        if (q.ok()) {
            out.emplace(std::string(name), *q);
        }
    }
    return out;
}

void add_list(ResourceList& into, const ResourceList& from) {
    for (const auto& [name, q] : from) {
        auto it = into.find(name);
        if (it == into.end()) {
            into.emplace(name, q);
        } else {
            it->second += q;
        }
    }
}

void max_list(ResourceList& into, const ResourceList& from) {
    for (const auto& [name, q] : from) {
        auto it = into.find(name);
        if (it == into.end()) {
            into.emplace(name, q);
        } else if (q > it->second) {
            it->second = q;
        }
    }
}

// applyNonMissing: a container without a request for a defaulted resource counts the default.
ResourceList with_defaults(ResourceList list, const ResourceList& defaults) {
    for (const auto& [name, q] : defaults) {
        list.try_emplace(name, q);
    }
    return list;
}

bool is_pod_level_resource(std::string_view name) {
    return name == "cpu" || name == "memory" || name.starts_with("hugepages-");
}

Resources to_resources(const ResourceList& list, bool include_pods) {
    Resources r;
    for (const auto& [name, q] : list) {
        if (name == "cpu") {
            r.milli_cpu += q.milli_value();
        } else if (name == "memory") {
            r.memory += q.value();
        } else if (name == "ephemeral-storage") {
            r.ephemeral_storage += q.value();
        } else if (name == "pods") {
            if (include_pods) {
                r.pods += q.value();
            }
        } else if (is_scalar_resource(name)) {
            r.scalar[name] += q.value();
        }
    }
    return r;
}

ResourceList container_requests(const json::value& container) {
    const auto* c = container.if_object();
    return parse_list(object_at(object_at(c, "resources"), "requests"));
}

// resourcehelper.PodRequests; `non_zero` applies upstream's non-missing container defaults.
ResourceList aggregate_requests(const json::object& pod, bool non_zero) {
    const auto* spec = object_at(&pod, "spec");
    const auto* pod_requests = object_at(object_at(spec, "resources"), "requests");
    bool pod_level = false;
    if (pod_requests) {
        for (const auto& [name, value] : *pod_requests) {
            pod_level = pod_level || is_pod_level_resource(name);
        }
    }
    ResourceList defaults;
    if (non_zero) {
        // getNonMissingContainerRequests: with pod-level requests, only what they leave unset.
        if (!pod_level || !pod_requests->contains("cpu")) {
            defaults.emplace("cpu", api::Quantity::from_milli(kDefaultMilliCpuRequest));
        }
        if (!pod_level || !pod_requests->contains("memory")) {
            defaults.emplace("memory", api::Quantity::from_int(kDefaultMemoryRequest));
        }
    }
    ResourceList result;
    if (const auto* containers = array_at(spec, "containers")) {
        for (const auto& c : *containers) {
            add_list(result, with_defaults(container_requests(c), defaults));
        }
    }
    // Init containers run one at a time, each next to the sidecars started before it.
    ResourceList sidecars;
    ResourceList init_max;
    if (const auto* inits = array_at(spec, "initContainers")) {
        for (const auto& c : *inits) {
            ResourceList requests = with_defaults(container_requests(c), defaults);
            if (string_at(c.if_object(), "restartPolicy") == "Always") {
                add_list(result, requests);
                add_list(sidecars, requests);
                max_list(init_max, sidecars);
            } else {
                add_list(requests, sidecars);
                max_list(init_max, requests);
            }
        }
    }
    max_list(result, init_max);
    if (pod_level) {
        for (const auto& [name, q] : parse_list(pod_requests)) {
            if (is_pod_level_resource(name)) {
                result.insert_or_assign(name, q);
            }
        }
    }
    add_list(result, parse_list(object_at(spec, "overhead")));
    return result;
}

// ---- node selectors --------------------------------------------------------------------------

std::optional<api::SelectorOperator> node_selector_operator(std::string_view op) {
    if (op == "In") {
        return api::SelectorOperator::In;
    }
    if (op == "NotIn") {
        return api::SelectorOperator::NotIn;
    }
    if (op == "Exists") {
        return api::SelectorOperator::Exists;
    }
    if (op == "DoesNotExist") {
        return api::SelectorOperator::DoesNotExist;
    }
    if (op == "Gt") {
        return api::SelectorOperator::GreaterThan;
    }
    if (op == "Lt") {
        return api::SelectorOperator::LessThan;
    }
    return std::nullopt;
}

bool empty_node_selector_term(const json::object* term) {
    const auto* exprs = array_at(term, "matchExpressions");
    const auto* fields = array_at(term, "matchFields");
    return (!exprs || exprs->empty()) && (!fields || fields->empty());
}

// ---- pod affinity terms ----------------------------------------------------------------------

std::optional<AffinityTerm> parse_affinity_term(const json::object* term, const std::string& ns,
                                                std::vector<std::string>& errors) {
    AffinityTerm t;
    t.topology_key = string_at(term, "topologyKey");
    const json::value* selector = term ? term->if_contains("labelSelector") : nullptr;
    auto parsed = api::LabelSelector::from_json(selector);
    if (!parsed.ok()) {
        errors.push_back(parsed.status().message());
        return std::nullopt;
    }
    t.selector = std::move(*parsed);
    const json::value* ns_selector = term ? term->if_contains("namespaceSelector") : nullptr;
    auto parsed_ns = api::LabelSelector::from_json(ns_selector);
    if (!parsed_ns.ok()) {
        errors.push_back(parsed_ns.status().message());
        return std::nullopt;
    }
    t.namespace_selector = std::move(*parsed_ns);
    auto namespaces = strings_of(array_at(term, "namespaces"));
    if (namespaces.empty() && (!ns_selector || ns_selector->is_null())) {
        t.namespaces.insert(ns);
    } else {
        t.namespaces.insert(namespaces.begin(), namespaces.end());
    }
    return t;
}

// GetAffinityTerms: one bad term drops them all and reports the error.
std::vector<AffinityTerm> parse_affinity_terms(const json::array* terms, const std::string& ns,
                                               std::vector<std::string>& errors) {
    std::vector<AffinityTerm> out;
    if (!terms) {
        return out;
    }
    for (const auto& v : *terms) {
        auto t = parse_affinity_term(v.if_object(), ns, errors);
        if (!t) {
            return {};
        }
        out.push_back(std::move(*t));
    }
    return out;
}

std::vector<WeightedAffinityTerm> parse_weighted_terms(const json::array* terms,
                                                       const std::string& ns,
                                                       std::vector<std::string>& errors) {
    std::vector<WeightedAffinityTerm> out;
    if (!terms) {
        return out;
    }
    for (const auto& v : *terms) {
        const auto* o = v.if_object();
        auto t = parse_affinity_term(object_at(o, "podAffinityTerm"), ns, errors);
        if (!t) {
            return {};
        }
        out.push_back({std::move(*t), static_cast<std::int32_t>(int_at(o, "weight").value_or(0))});
    }
    return out;
}

// ---- topology spread -------------------------------------------------------------------------

std::vector<SpreadConstraint> parse_spread_constraints(const json::array* constraints,
                                                       const Labels& pod_labels,
                                                       std::vector<std::string>& errors) {
    std::vector<SpreadConstraint> out;
    if (!constraints) {
        return out;
    }
    for (const auto& v : *constraints) {
        const auto* o = v.if_object();
        SpreadConstraint c;
        c.max_skew = static_cast<std::int32_t>(int_at(o, "maxSkew").value_or(1));
        c.topology_key = string_at(o, "topologyKey");
        c.schedule_anyway = string_at(o, "whenUnsatisfiable") == "ScheduleAnyway";
        auto selector = api::LabelSelector::from_json(o ? o->if_contains("labelSelector") : nullptr);
        if (!selector.ok()) {
            errors.push_back(selector.status().message());
            continue;
        }
        c.selector = std::move(*selector);
        for (const auto& key : strings_of(array_at(o, "matchLabelKeys"))) {
            if (auto it = pod_labels.find(key); it != pod_labels.end()) {
                c.match_label_values.insert(*it);
            }
        }
        c.min_domains = static_cast<std::int32_t>(int_at(o, "minDomains").value_or(1));
        c.honor_node_affinity = string_at(o, "nodeAffinityPolicy") != "Ignore";
        c.honor_node_taints = string_at(o, "nodeTaintsPolicy") == "Honor";
        out.push_back(std::move(c));
    }
    return out;
}

bool is_do_not_schedule_taint(const Taint& t) {
    return t.effect == "NoSchedule" || t.effect == "NoExecute";
}

const Taint* first_untolerated(const std::vector<Taint>& taints,
                               const std::vector<Toleration>& tolerations) {
    for (const auto& t : taints) {
        if (is_do_not_schedule_taint(t) && !tolerated(tolerations, t)) {
            return &t;
        }
    }
    return nullptr;
}

bool node_has_all_keys(const NodeInfo& node, const std::vector<SpreadConstraint>& constraints) {
    return std::all_of(constraints.begin(), constraints.end(), [&](const SpreadConstraint& c) {
        return node.labels.contains(c.topology_key);
    });
}

bool inclusion_policies_admit(const SpreadConstraint& c, const PodInfo& pod,
                              const NodeInfo& node) {
    if (c.honor_node_affinity && !pod.required_node_affinity.matches(node.name, node.labels)) {
        return false;
    }
    if (c.honor_node_taints && first_untolerated(node.taints, pod.tolerations)) {
        return false;
    }
    return true;
}

// countPodsMatchSelector: same namespace, not terminating, selected.
int count_selected(const NodeInfo& node, const SpreadConstraint& c, const std::string& ns) {
    if (c.selector_empty()) {
        return 0;
    }
    int count = 0;
    for (const auto& p : node.pods) {
        if (!p->terminating && p->namespace_ == ns && c.selects(p->labels)) {
            ++count;
        }
    }
    return count;
}

// helper.DefaultNormalizeScore.
void default_normalize(std::vector<std::int64_t>& scores, bool reverse) {
    std::int64_t max_count = 0;
    for (auto s : scores) {
        max_count = std::max(max_count, s);
    }
    if (max_count == 0) {
        if (reverse) {
            std::fill(scores.begin(), scores.end(), kMaxNodeScore);
        }
        return;
    }
    for (auto& s : scores) {
        s = kMaxNodeScore * s / max_count;
        if (reverse) {
            s = kMaxNodeScore - s;
        }
    }
}

using PairCounts = std::map<std::pair<std::string, std::string>, std::int64_t>;

void count_pair(PairCounts& counts, const NodeInfo& node, const std::string& key,
                std::int64_t value) {
    auto it = node.labels.find(key);
    if (it == node.labels.end()) {
        return;
    }
    auto pair = std::make_pair(key, it->second);
    auto& n = counts[pair];
    n += value;
    if (n == 0) {
        counts.erase(pair);
    }
}

const Labels kNoLabels;

const Labels* labels_or_empty(const Labels* labels) {
    return labels ? labels : &kNoLabels;
}

bool matches_all_terms(const std::vector<AffinityTerm>& terms, const PodInfo& pod,
                       const Labels* ns_labels) {
    if (terms.empty()) {
        return false;
    }
    return std::all_of(terms.begin(), terms.end(), [&](const AffinityTerm& t) {
        return t.matches(pod.namespace_, pod.labels, ns_labels);
    });
}

}  // namespace

// ---- Resources -------------------------------------------------------------------------------

void Resources::add(const Resources& other) {
    milli_cpu += other.milli_cpu;
    memory += other.memory;
    ephemeral_storage += other.ephemeral_storage;
    pods += other.pods;
    for (const auto& [name, v] : other.scalar) {
        scalar[name] += v;
    }
}

void Resources::subtract(const Resources& other) {
    milli_cpu -= other.milli_cpu;
    memory -= other.memory;
    ephemeral_storage -= other.ephemeral_storage;
    pods -= other.pods;
    for (const auto& [name, v] : other.scalar) {
        scalar[name] -= v;
    }
}

bool Resources::empty() const {
    return milli_cpu == 0 && memory == 0 && ephemeral_storage == 0 && scalar.empty();
}

bool is_scalar_resource(std::string_view name) {
    if (name.starts_with("hugepages-") || name.starts_with("attachable-volumes-")) {
        return true;
    }
    if (name.find("kubernetes.io/") != std::string_view::npos) {
        return true;  // a prefixed native resource
    }
    // An extended resource: qualified with a domain, not a quota "requests." name.
    return name.find('/') != std::string_view::npos && !name.starts_with("requests.");
}

Resources resources_from_list(const json::object* list) {
    return to_resources(parse_list(list), true);
}

Resources node_allocatable(const json::object& node) {
    return resources_from_list(object_at(object_at(&node, "status"), "allocatable"));
}

Resources pod_requests(const json::object& pod) {
    return to_resources(aggregate_requests(pod, false), false);
}

Resources pod_non_zero_requests(const json::object& pod) {
    return to_resources(aggregate_requests(pod, true), false);
}

// ---- tolerations -----------------------------------------------------------------------------

bool Toleration::tolerates(const Taint& taint) const {
    if (!effect.empty() && effect != taint.effect) {
        return false;
    }
    if (!key.empty() && key != taint.key) {
        return false;
    }
    if (op.empty() || op == "Equal") {
        return value == taint.value;
    }
    return op == "Exists";
}

bool tolerated(const std::vector<Toleration>& tolerations, const Taint& taint) {
    return std::any_of(tolerations.begin(), tolerations.end(),
                       [&](const Toleration& t) { return t.tolerates(taint); });
}

// ---- node selector terms ---------------------------------------------------------------------

NodeSelectorTerm NodeSelectorTerm::from_json(const json::object& term) {
    NodeSelectorTerm t;
    if (const auto* exprs = array_at(&term, "matchExpressions"); exprs && !exprs->empty()) {
        t.has_expressions = true;
        for (const auto& e : *exprs) {
            const auto* o = e.if_object();
            auto op = node_selector_operator(string_at(o, "operator"));
            if (!op) {
                t.valid = false;
                continue;
            }
            auto r = api::make_requirement(string_at(o, "key"), *op,
                                           strings_of(array_at(o, "values")));
            if (!r.ok()) {
                t.valid = false;
                continue;
            }
            t.expressions.push_back(std::move(*r));
        }
    }
    if (const auto* fields = array_at(&term, "matchFields"); fields && !fields->empty()) {
        t.has_fields = true;
        for (const auto& f : *fields) {
            const auto* o = f.if_object();
            auto op = string_at(o, "operator");
            auto values = strings_of(array_at(o, "values"));
            if ((op != "In" && op != "NotIn") || values.size() != 1) {
                t.valid = false;
                continue;
            }
            t.fields.push_back({string_at(o, "key"), op == "In", values.front()});
        }
    }
    return t;
}

bool NodeSelectorTerm::matches(const std::string& node_name, const Labels& node_labels) const {
    if ((!has_expressions && !has_fields) || !valid) {
        return false;
    }
    for (const auto& r : expressions) {
        if (!r.matches(node_labels)) {
            return false;
        }
    }
    for (const auto& f : fields) {
        // The node's field set has metadata.name only; other keys read as "".
        const std::string& have = f.key == "metadata.name" ? node_name : std::string();
        if ((have == f.value) != f.equals) {
            return false;
        }
    }
    return true;
}

bool RequiredNodeAffinity::matches(const std::string& node_name,
                                   const Labels& node_labels) const {
    if (node_selector) {
        for (const auto& [k, v] : *node_selector) {
            auto it = node_labels.find(k);
            if (it == node_labels.end() || it->second != v) {
                return false;
            }
        }
    }
    if (terms) {
        return std::any_of(terms->begin(), terms->end(), [&](const NodeSelectorTerm& t) {
            return t.matches(node_name, node_labels);
        });
    }
    return true;
}

// ---- affinity terms and spread constraints ---------------------------------------------------

bool AffinityTerm::matches(const std::string& pod_namespace, const Labels& pod_labels,
                           const Labels* ns_labels) const {
    bool in_namespace = namespaces.contains(pod_namespace);
    if (!in_namespace && !namespace_selector.matches_nothing()) {
        if (namespace_selector.empty()) {
            in_namespace = true;
        } else if (ns_labels) {
            in_namespace = namespace_selector.matches(*ns_labels);
        }
    }
    return in_namespace && selector.matches(pod_labels);
}

bool SpreadConstraint::selects(const Labels& labels) const {
    for (const auto& [k, v] : match_label_values) {
        auto it = labels.find(k);
        if (it == labels.end() || it->second != v) {
            return false;
        }
    }
    return selector.matches(labels);
}

bool SpreadConstraint::selector_empty() const {
    return selector.empty() && match_label_values.empty();
}

// ---- PodInfo ---------------------------------------------------------------------------------

PodInfo PodInfo::from_json(const json::object& pod) {
    PodInfo p;
    const auto* meta = object_at(&pod, "metadata");
    const auto* spec = object_at(&pod, "spec");
    const auto* status = object_at(&pod, "status");
    p.namespace_ = string_at(meta, "namespace");
    p.name = string_at(meta, "name");
    p.uid = string_at(meta, "uid");
    p.labels = labels_of(object_at(meta, "labels"));
    p.terminating = present(meta, "deletionTimestamp");
    if (const auto* owners = array_at(meta, "ownerReferences")) {
        for (const auto& o : *owners) {
            const auto* ref = o.if_object();
            const auto* controller = ref ? ref->if_contains("controller") : nullptr;
            if (controller && controller->is_bool() && controller->get_bool()) {
                p.controller = ControllerRef{string_at(ref, "apiVersion"), string_at(ref, "kind"),
                                             string_at(ref, "name")};
                break;
            }
        }
    }
    p.node_name = string_at(spec, "nodeName");
    p.priority = static_cast<std::int32_t>(int_at(spec, "priority").value_or(0));
    p.preempt_never = string_at(spec, "preemptionPolicy") == "Never";
    p.nominated_node_name = string_at(status, "nominatedNodeName");
    p.start_time = string_at(status, "startTime");
    if (const auto* conditions = array_at(status, "conditions")) {
        for (const auto& c : *conditions) {
            const auto* o = c.if_object();
            if (string_at(o, "type") == "DisruptionTarget") {
                p.preempted = string_at(o, "status") == "True" &&
                              string_at(o, "reason") == "PreemptionByScheduler";
            }
        }
    }

    p.requests = pod_requests(pod);
    p.non_zero_requests = pod_non_zero_requests(pod);
    if (const auto* containers = array_at(spec, "containers")) {
        for (const auto& c : *containers) {
            if (const auto* ports = array_at(c.if_object(), "ports")) {
                for (const auto& port : *ports) {
                    const auto* o = port.if_object();
                    auto host_port = int_at(o, "hostPort").value_or(0);
                    if (host_port <= 0) {
                        continue;
                    }
                    HostPort hp;
                    hp.port = static_cast<std::int32_t>(host_port);
                    if (auto ip = string_at(o, "hostIP"); !ip.empty()) {
                        hp.ip = ip;
                    }
                    if (auto proto = string_at(o, "protocol"); !proto.empty()) {
                        hp.protocol = proto;
                    }
                    p.host_ports.push_back(std::move(hp));
                }
            }
        }
    }
    if (const auto* tolerations = array_at(spec, "tolerations")) {
        for (const auto& t : *tolerations) {
            const auto* o = t.if_object();
            p.tolerations.push_back({string_at(o, "key"), string_at(o, "operator"),
                                     string_at(o, "value"), string_at(o, "effect")});
        }
    }

    // Node affinity.
    if (const auto* selector = object_at(spec, "nodeSelector"); selector && !selector->empty()) {
        p.required_node_affinity.node_selector = labels_of(selector);
        p.has_required_node_affinity = true;
    }
    const auto* affinity = object_at(spec, "affinity");
    const auto* node_affinity = object_at(affinity, "nodeAffinity");
    if (const auto* required =
            object_at(node_affinity, "requiredDuringSchedulingIgnoredDuringExecution")) {
        std::vector<NodeSelectorTerm> terms;
        if (const auto* raw = array_at(required, "nodeSelectorTerms")) {
            for (const auto& t : *raw) {
                const auto* o = t.if_object();
                terms.push_back(NodeSelectorTerm::from_json(o ? *o : json::object()));
                std::optional<std::set<std::string>> names;
                if (const auto* fields = array_at(o, "matchFields")) {
                    for (const auto& f : *fields) {
                        const auto* fo = f.if_object();
                        if (string_at(fo, "key") != "metadata.name" ||
                            string_at(fo, "operator") != "In") {
                            continue;
                        }
                        auto values = strings_of(array_at(fo, "values"));
                        std::set<std::string> set(values.begin(), values.end());
                        if (!names) {
                            names = std::move(set);
                        } else {
                            std::set<std::string> both;
                            std::set_intersection(names->begin(), names->end(), set.begin(),
                                                  set.end(), std::inserter(both, both.end()));
                            names = std::move(both);
                        }
                    }
                }
                p.node_name_terms.push_back(std::move(names));
            }
        }
        p.required_node_affinity.terms = std::move(terms);
        p.has_required_node_affinity = true;
    }
    if (const auto* preferred =
            array_at(node_affinity, "preferredDuringSchedulingIgnoredDuringExecution")) {
        for (const auto& t : *preferred) {
            const auto* o = t.if_object();
            auto weight = int_at(o, "weight").value_or(0);
            const auto* preference = object_at(o, "preference");
            if (weight == 0 || empty_node_selector_term(preference)) {
                continue;
            }
            auto term = NodeSelectorTerm::from_json(*preference);
            if (!term.valid) {
                p.errors.push_back("invalid preferred node affinity term");
                continue;
            }
            p.preferred_node_affinity.push_back({static_cast<std::int32_t>(weight),
                                                 std::move(term)});
        }
    }

    // Pod (anti-)affinity.
    const auto* pod_affinity = object_at(affinity, "podAffinity");
    const auto* pod_anti_affinity = object_at(affinity, "podAntiAffinity");
    p.has_pod_affinity = pod_affinity != nullptr;
    p.has_pod_anti_affinity = pod_anti_affinity != nullptr;
    p.required_affinity = parse_affinity_terms(
        array_at(pod_affinity, "requiredDuringSchedulingIgnoredDuringExecution"), p.namespace_,
        p.errors);
    p.required_anti_affinity = parse_affinity_terms(
        array_at(pod_anti_affinity, "requiredDuringSchedulingIgnoredDuringExecution"),
        p.namespace_, p.errors);
    p.preferred_affinity = parse_weighted_terms(
        array_at(pod_affinity, "preferredDuringSchedulingIgnoredDuringExecution"), p.namespace_,
        p.errors);
    p.preferred_anti_affinity = parse_weighted_terms(
        array_at(pod_anti_affinity, "preferredDuringSchedulingIgnoredDuringExecution"),
        p.namespace_, p.errors);

    const auto* spread = array_at(spec, "topologySpreadConstraints");
    p.has_spread_constraints = spread && !spread->empty();
    p.spread_constraints = parse_spread_constraints(spread, p.labels, p.errors);
    return p;
}

// ---- FilterStatus ----------------------------------------------------------------------------

FilterStatus FilterStatus::fail(Code code, std::string_view plugin,
                                std::vector<std::string> reasons) {
    FilterStatus s;
    s.code = code;
    s.plugin = std::string(plugin);
    s.reasons = std::move(reasons);
    return s;
}

std::string FilterStatus::message() const {
    std::string out;
    for (const auto& r : reasons) {
        if (!out.empty()) {
            out += ", ";
        }
        out += r;
    }
    return out;
}

// ---- simple filters --------------------------------------------------------------------------

using Code = FilterStatus::Code;

FilterStatus filter_node_unschedulable(const PodInfo& pod, const NodeInfo& node) {
    if (!node.unschedulable) {
        return FilterStatus::success();
    }
    // Tolerating the unschedulable taint tolerates spec.unschedulable as well.
    if (tolerated(pod.tolerations, Taint{"node.kubernetes.io/unschedulable", "", "NoSchedule"})) {
        return FilterStatus::success();
    }
    return FilterStatus::fail(Code::UnschedulableAndUnresolvable, kNodeUnschedulable,
                              {std::string(kReasonUnschedulable)});
}

FilterStatus filter_node_name(const PodInfo& pod, const NodeInfo& node) {
    if (pod.node_name.empty() || pod.node_name == node.name) {
        return FilterStatus::success();
    }
    return FilterStatus::fail(Code::UnschedulableAndUnresolvable, kNodeName,
                              {std::string(kReasonNodeName)});
}

FilterStatus filter_taint_toleration(const PodInfo& pod, const NodeInfo& node) {
    const Taint* t = first_untolerated(node.taints, pod.tolerations);
    if (!t) {
        return FilterStatus::success();
    }
    return FilterStatus::fail(Code::UnschedulableAndUnresolvable, kTaintToleration,
                              {"node(s) had untolerated taint {" + t->key + ": " + t->value + "}"});
}

FilterStatus filter_node_affinity(const PodInfo& pod, const NodeInfo& node) {
    if (pod.required_node_affinity.matches(node.name, node.labels)) {
        return FilterStatus::success();
    }
    return FilterStatus::fail(Code::UnschedulableAndUnresolvable, kNodeAffinity,
                              {std::string(kReasonNodeAffinity)});
}

FilterStatus filter_node_ports(const PodInfo& pod, const NodeInfo& node) {
    for (const auto& p : pod.host_ports) {
        if (node.port_conflicts(p)) {
            return FilterStatus::fail(Code::Unschedulable, kNodePorts,
                                      {std::string(kReasonNodePorts)});
        }
    }
    return FilterStatus::success();
}

FilterStatus filter_node_resources_fit(const PodInfo& pod, const NodeInfo& node) {
    std::vector<std::string> reasons;
    bool unresolvable = false;
    if (static_cast<std::int64_t>(node.pods.size()) + 1 > node.allocatable.pods) {
        reasons.emplace_back(kReasonTooManyPods);
    }
    const Resources& want = pod.requests;
    if (!want.empty()) {
        auto check = [&](std::int64_t request, std::int64_t allocatable, std::int64_t used,
                         std::string_view name) {
            if (request > 0 && request > allocatable - used) {
                reasons.push_back("Insufficient " + std::string(name));
                unresolvable = unresolvable || request > allocatable;
            }
        };
        check(want.milli_cpu, node.allocatable.milli_cpu, node.requested.milli_cpu, "cpu");
        check(want.memory, node.allocatable.memory, node.requested.memory, "memory");
        check(want.ephemeral_storage, node.allocatable.ephemeral_storage,
              node.requested.ephemeral_storage, "ephemeral-storage");
        for (const auto& [name, request] : want.scalar) {
            if (request == 0) {
                continue;
            }
            auto alloc_it = node.allocatable.scalar.find(name);
            auto used_it = node.requested.scalar.find(name);
            std::int64_t alloc = alloc_it == node.allocatable.scalar.end() ? 0 : alloc_it->second;
            std::int64_t used = used_it == node.requested.scalar.end() ? 0 : used_it->second;
            if (request > alloc - used) {
                reasons.push_back("Insufficient " + name);
                unresolvable = unresolvable || request > alloc;
            }
        }
    }
    if (reasons.empty()) {
        return FilterStatus::success();
    }
    return FilterStatus::fail(unresolvable ? Code::UnschedulableAndUnresolvable
                                           : Code::Unschedulable,
                              kNodeResourcesFit, std::move(reasons));
}

std::optional<std::set<std::string>> node_affinity_node_names(const PodInfo& pod) {
    if (!pod.required_node_affinity.terms || pod.node_name_terms.empty()) {
        return std::nullopt;
    }
    std::set<std::string> names;
    for (const auto& term : pod.node_name_terms) {
        if (!term) {
            return std::nullopt;  // a term without names admits every node (terms are ORed)
        }
        names.insert(term->begin(), term->end());
    }
    return names;
}

// ---- PodTopologySpread -----------------------------------------------------------------------

SpreadState SpreadState::compute(const Snapshot& snapshot, const PodInfo& pod) {
    SpreadState s;
    for (const auto& c : pod.spread_constraints) {
        if (!c.schedule_anyway) {
            s.constraints.push_back(c);
        }
    }
    if (s.constraints.empty()) {
        return s;
    }
    for (const NodeInfo* node : snapshot.nodes()) {
        if (!node_has_all_keys(*node, s.constraints)) {
            continue;
        }
        for (const auto& c : s.constraints) {
            if (!inclusion_policies_admit(c, pod, *node)) {
                continue;
            }
            auto pair = std::make_pair(c.topology_key, node->labels.at(c.topology_key));
            s.pair_counts[pair] += count_selected(*node, c, pod.namespace_);
        }
    }
    for (const auto& [pair, count] : s.pair_counts) {
        ++s.domains[pair.first];
    }
    return s;
}

void SpreadState::update(const PodInfo& pod, const PodInfo& other, const NodeInfo& node,
                         int delta) {
    if (constraints.empty() || other.namespace_ != pod.namespace_ ||
        !node_has_all_keys(node, constraints)) {
        return;
    }
    for (const auto& c : constraints) {
        if (!c.selects(other.labels) || !inclusion_policies_admit(c, pod, node)) {
            continue;
        }
        pair_counts[{c.topology_key, node.labels.at(c.topology_key)}] += delta;
    }
}

int SpreadState::min_match(const std::string& key, std::int32_t min_domains) const {
    auto d = domains.find(key);
    if (d != domains.end() && d->second < min_domains) {
        return 0;
    }
    int best = std::numeric_limits<int>::max();
    for (auto it = pair_counts.lower_bound({key, std::string()});
         it != pair_counts.end() && it->first.first == key; ++it) {
        best = std::min(best, it->second);
    }
    return best;
}

FilterStatus filter_pod_topology_spread(const PodInfo& pod, const SpreadState& state,
                                        const NodeInfo& node) {
    for (const auto& c : state.constraints) {
        auto value = node.labels.find(c.topology_key);
        if (value == node.labels.end()) {
            return FilterStatus::fail(Code::UnschedulableAndUnresolvable, kPodTopologySpread,
                                      {std::string(kReasonSpreadMissingLabel)});
        }
        if (!state.domains.contains(c.topology_key)) {
            continue;  // no eligible domain at all: upstream skips the constraint
        }
        int min_match = state.min_match(c.topology_key, c.min_domains);
        int self_match = c.selects(pod.labels) ? 1 : 0;
        auto it = state.pair_counts.find({c.topology_key, value->second});
        int match = it == state.pair_counts.end() ? 0 : it->second;
        if (match + self_match - min_match > c.max_skew) {
            return FilterStatus::fail(Code::Unschedulable, kPodTopologySpread,
                                      {std::string(kReasonSpread)});
        }
    }
    return FilterStatus::success();
}

// ---- InterPodAffinity ------------------------------------------------------------------------

InterPodAffinityState InterPodAffinityState::compute(const Snapshot& snapshot,
                                                     const PodInfo& pod) {
    InterPodAffinityState s;
    const Labels* own_ns = snapshot.namespace_labels(pod.namespace_);
    bool has_terms = !pod.required_affinity.empty() || !pod.required_anti_affinity.empty();
    for (const NodeInfo* node : snapshot.nodes()) {
        if (node->pods_with_required_anti_affinity > 0) {
            for (const auto& existing : node->pods) {
                for (const auto& t : existing->required_anti_affinity) {
                    if (t.matches(pod.namespace_, pod.labels, labels_or_empty(own_ns))) {
                        count_pair(s.existing_anti_affinity, *node, t.topology_key, 1);
                    }
                }
            }
        }
        if (!has_terms) {
            continue;
        }
        for (const auto& existing : node->pods) {
            const Labels* ns = snapshot.namespace_labels(existing->namespace_);
            if (matches_all_terms(pod.required_affinity, *existing, ns)) {
                for (const auto& t : pod.required_affinity) {
                    count_pair(s.affinity, *node, t.topology_key, 1);
                }
            }
            for (const auto& t : pod.required_anti_affinity) {
                if (t.matches(existing->namespace_, existing->labels, ns)) {
                    count_pair(s.anti_affinity, *node, t.topology_key, 1);
                }
            }
        }
    }
    return s;
}

void InterPodAffinityState::update(const Snapshot& snapshot, const PodInfo& pod,
                                   const PodInfo& other, const NodeInfo& node, int delta) {
    const Labels* own_ns = labels_or_empty(snapshot.namespace_labels(pod.namespace_));
    for (const auto& t : other.required_anti_affinity) {
        if (t.matches(pod.namespace_, pod.labels, own_ns)) {
            count_pair(existing_anti_affinity, node, t.topology_key, delta);
        }
    }
    const Labels* ns = snapshot.namespace_labels(other.namespace_);
    if (matches_all_terms(pod.required_affinity, other, ns)) {
        for (const auto& t : pod.required_affinity) {
            count_pair(affinity, node, t.topology_key, delta);
        }
    }
    for (const auto& t : pod.required_anti_affinity) {
        if (t.matches(other.namespace_, other.labels, ns)) {
            count_pair(anti_affinity, node, t.topology_key, delta);
        }
    }
}

FilterStatus filter_inter_pod_affinity(const PodInfo& pod, const InterPodAffinityState& state,
                                       const NodeInfo& node) {
    // Required affinity: every term's topology must exist on the node and hold a matching pod,
    // except for the first pod of a group whose terms select itself.
    bool pods_exist = true;
    bool labels_missing = false;
    for (const auto& t : pod.required_affinity) {
        auto value = node.labels.find(t.topology_key);
        if (value == node.labels.end()) {
            labels_missing = true;
            break;
        }
        auto it = state.affinity.find({t.topology_key, value->second});
        if (it == state.affinity.end() || it->second <= 0) {
            pods_exist = false;
        }
    }
    bool affinity_ok = !labels_missing;
    if (affinity_ok && !pods_exist) {
        // Upstream matches the pod against its own terms with its namespace's labels unknown.
        affinity_ok = state.affinity.empty() &&
                      matches_all_terms(pod.required_affinity, pod, nullptr);
    }
    if (!affinity_ok) {
        return FilterStatus::fail(Code::UnschedulableAndUnresolvable, kInterPodAffinity,
                                  {std::string(kReasonPodAffinity)});
    }
    if (!state.anti_affinity.empty()) {
        for (const auto& t : pod.required_anti_affinity) {
            auto value = node.labels.find(t.topology_key);
            if (value == node.labels.end()) {
                continue;
            }
            auto it = state.anti_affinity.find({t.topology_key, value->second});
            if (it != state.anti_affinity.end() && it->second > 0) {
                return FilterStatus::fail(Code::Unschedulable, kInterPodAffinity,
                                          {std::string(kReasonPodAntiAffinity)});
            }
        }
    }
    if (!state.existing_anti_affinity.empty()) {
        for (const auto& [key, value] : node.labels) {
            auto it = state.existing_anti_affinity.find({key, value});
            if (it != state.existing_anti_affinity.end() && it->second > 0) {
                return FilterStatus::fail(Code::Unschedulable, kInterPodAffinity,
                                          {std::string(kReasonExistingAntiAffinity)});
            }
        }
    }
    return FilterStatus::success();
}

// ---- CycleState and the filter chain ---------------------------------------------------------

CycleState CycleState::compute(const Snapshot& snapshot, const PodInfo& pod) {
    return CycleState{SpreadState::compute(snapshot, pod),
                      InterPodAffinityState::compute(snapshot, pod)};
}

void CycleState::update(const Snapshot& snapshot, const PodInfo& pod, const PodInfo& other,
                        const NodeInfo& node, int delta) {
    spread.update(pod, other, node, delta);
    affinity.update(snapshot, pod, other, node, delta);
}

FilterStatus run_filters(const PodInfo& pod, const CycleState& state, const NodeInfo& node) {
    for (auto* filter : {filter_node_unschedulable, filter_node_name, filter_taint_toleration,
                         filter_node_affinity, filter_node_ports, filter_node_resources_fit}) {
        if (auto s = filter(pod, node); !s.ok()) {
            return s;
        }
    }
    if (auto s = filter_pod_topology_spread(pod, state.spread, node); !s.ok()) {
        return s;
    }
    return filter_inter_pod_affinity(pod, state.affinity, node);
}

// ---- scores ----------------------------------------------------------------------------------

std::vector<std::int64_t> score_least_allocated(const PodInfo& pod,
                                                const std::vector<const NodeInfo*>& nodes) {
    auto least = [](std::int64_t requested, std::int64_t capacity) -> std::int64_t {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * kMaxNodeScore / capacity;
    };
    std::vector<std::int64_t> scores;
    scores.reserve(nodes.size());
    for (const NodeInfo* node : nodes) {
        const std::pair<std::int64_t, std::int64_t> resources[] = {
            {node->allocatable.milli_cpu,
             node->non_zero_requested.milli_cpu + pod.non_zero_requests.milli_cpu},
            {node->allocatable.memory,
             node->non_zero_requested.memory + pod.non_zero_requests.memory},
        };
        std::int64_t total = 0;
        std::int64_t weights = 0;
        for (const auto& [allocatable, requested] : resources) {
            if (allocatable == 0) {
                continue;
            }
            total += least(requested, allocatable);
            ++weights;
        }
        scores.push_back(weights == 0 ? 0 : total / weights);
    }
    return scores;
}

std::vector<std::int64_t> score_balanced_allocation(const PodInfo& pod,
                                                    const std::vector<const NodeInfo*>& nodes) {
    if (pod.requests.milli_cpu == 0 && pod.requests.memory == 0) {
        return {};  // best-effort pods skip this plugin upstream
    }
    std::vector<std::int64_t> scores;
    scores.reserve(nodes.size());
    for (const NodeInfo* node : nodes) {
        const std::pair<std::int64_t, std::int64_t> resources[] = {
            {node->allocatable.milli_cpu, node->requested.milli_cpu + pod.requests.milli_cpu},
            {node->allocatable.memory, node->requested.memory + pod.requests.memory},
        };
        std::vector<double> fractions;
        for (const auto& [allocatable, requested] : resources) {
            if (allocatable == 0) {
                continue;
            }
            fractions.push_back(
                std::min(1.0, static_cast<double>(requested) / static_cast<double>(allocatable)));
        }
        double std_dev = 0;
        if (fractions.size() == 2) {
            std_dev = std::abs((fractions[0] - fractions[1]) / 2);
        }
        scores.push_back(static_cast<std::int64_t>((1 - std_dev) *
                                                   static_cast<double>(kMaxNodeScore)));
    }
    return scores;
}

std::vector<std::int64_t> score_taint_toleration(const PodInfo& pod,
                                                 const std::vector<const NodeInfo*>& nodes) {
    std::vector<Toleration> prefer;
    for (const auto& t : pod.tolerations) {
        if (t.effect.empty() || t.effect == "PreferNoSchedule") {
            prefer.push_back(t);
        }
    }
    std::vector<std::int64_t> scores;
    scores.reserve(nodes.size());
    for (const NodeInfo* node : nodes) {
        std::int64_t untolerated = 0;
        for (const auto& taint : node->taints) {
            if (taint.effect == "PreferNoSchedule" && !tolerated(prefer, taint)) {
                ++untolerated;
            }
        }
        scores.push_back(untolerated);
    }
    default_normalize(scores, true);
    return scores;
}

std::vector<std::int64_t> score_node_affinity(const PodInfo& pod,
                                              const std::vector<const NodeInfo*>& nodes) {
    if (pod.preferred_node_affinity.empty()) {
        return {};
    }
    std::vector<std::int64_t> scores;
    scores.reserve(nodes.size());
    for (const NodeInfo* node : nodes) {
        std::int64_t sum = 0;
        for (const auto& p : pod.preferred_node_affinity) {
            if (p.term.matches(node->name, node->labels)) {
                sum += p.weight;
            }
        }
        scores.push_back(sum);
    }
    default_normalize(scores, false);
    return scores;
}

std::vector<std::int64_t> score_pod_topology_spread(const Snapshot& snapshot, const PodInfo& pod,
                                                    const std::vector<const NodeInfo*>& nodes) {
    std::vector<SpreadConstraint> constraints;
    if (pod.has_spread_constraints) {
        for (const auto& c : pod.spread_constraints) {
            if (c.schedule_anyway) {
                constraints.push_back(c);
            }
        }
    } else {
        // The system defaults, over what services and the pod's controller select.
        auto selector = snapshot.default_spread_selector(pod);
        if (!selector.empty()) {
            SpreadConstraint hostname;
            hostname.max_skew = 3;
            hostname.topology_key = std::string(kHostnameLabel);
            hostname.selector = selector.selector;
            hostname.match_label_values = selector.labels;
            hostname.schedule_anyway = true;
            SpreadConstraint zone = hostname;
            zone.max_skew = 5;
            zone.topology_key = std::string(kZoneLabel);
            constraints = {hostname, zone};
        }
    }
    if (constraints.empty() || snapshot.num_nodes() == 0) {
        return {};
    }
    // Only explicit constraints require every topology key (nodes without a zone still spread
    // by hostname under the defaults).
    bool require_all = pod.has_spread_constraints;
    std::vector<bool> ignored(nodes.size(), false);
    std::size_t ignored_count = 0;
    std::vector<std::map<std::string, std::int64_t>> counts(constraints.size());
    std::vector<int> sizes(constraints.size(), 0);
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (require_all && !node_has_all_keys(*nodes[n], constraints)) {
            ignored[n] = true;
            ++ignored_count;
            continue;
        }
        for (std::size_t i = 0; i < constraints.size(); ++i) {
            if (constraints[i].topology_key == kHostnameLabel) {
                continue;  // counted per node while scoring
            }
            auto it = nodes[n]->labels.find(constraints[i].topology_key);
            std::string value = it == nodes[n]->labels.end() ? std::string() : it->second;
            if (counts[i].emplace(value, 0).second) {
                ++sizes[i];
            }
        }
    }
    std::vector<double> weights(constraints.size());
    for (std::size_t i = 0; i < constraints.size(); ++i) {
        int size = constraints[i].topology_key == kHostnameLabel
                       ? static_cast<int>(nodes.size() - ignored_count)
                       : sizes[i];
        weights[i] = std::log(static_cast<double>(size + 2));
    }
    for (const NodeInfo* node : snapshot.nodes()) {
        if (require_all && !node_has_all_keys(*node, constraints)) {
            continue;
        }
        for (std::size_t i = 0; i < constraints.size(); ++i) {
            if (!inclusion_policies_admit(constraints[i], pod, *node)) {
                continue;
            }
            auto it = node->labels.find(constraints[i].topology_key);
            std::string value = it == node->labels.end() ? std::string() : it->second;
            auto count = counts[i].find(value);
            if (count == counts[i].end()) {
                continue;
            }
            count->second += count_selected(*node, constraints[i], pod.namespace_);
        }
    }
    std::vector<std::int64_t> scores(nodes.size(), 0);
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (ignored[n]) {
            continue;
        }
        double score = 0;
        for (std::size_t i = 0; i < constraints.size(); ++i) {
            auto it = nodes[n]->labels.find(constraints[i].topology_key);
            if (it == nodes[n]->labels.end()) {
                continue;
            }
            std::int64_t cnt = constraints[i].topology_key == kHostnameLabel
                                   ? count_selected(*nodes[n], constraints[i], pod.namespace_)
                                   : counts[i][it->second];
            score += static_cast<double>(cnt) * weights[i] +
                     static_cast<double>(constraints[i].max_skew - 1);
        }
        scores[n] = static_cast<std::int64_t>(std::round(score));
    }
    // Fewer matching pods score higher; ignored nodes score 0.
    std::int64_t min_score = std::numeric_limits<std::int64_t>::max();
    std::int64_t max_score = 0;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (!ignored[n]) {
            min_score = std::min(min_score, scores[n]);
            max_score = std::max(max_score, scores[n]);
        }
    }
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (ignored[n]) {
            scores[n] = 0;
        } else if (max_score == 0) {
            scores[n] = kMaxNodeScore;
        } else {
            scores[n] = kMaxNodeScore * (max_score + min_score - scores[n]) / max_score;
        }
    }
    return scores;
}

std::vector<std::int64_t> score_inter_pod_affinity(const Snapshot& snapshot, const PodInfo& pod,
                                                   const std::vector<const NodeInfo*>& nodes) {
    constexpr std::int64_t kHardPodAffinityWeight = 1;
    // topology key → value → score.
    std::map<std::string, std::map<std::string, std::int64_t>> topology;
    const Labels* own_ns = labels_or_empty(snapshot.namespace_labels(pod.namespace_));
    auto process = [&](const AffinityTerm& t, std::int64_t weight, const PodInfo& target,
                       const Labels* ns_labels, const NodeInfo& node) {
        if (!t.matches(target.namespace_, target.labels, ns_labels)) {
            return;
        }
        if (auto it = node.labels.find(t.topology_key); it != node.labels.end()) {
            topology[t.topology_key][it->second] += weight;
        }
    };
    for (const NodeInfo* node : snapshot.nodes()) {
        if (node->labels.empty()) {
            continue;
        }
        for (const auto& existing : node->pods) {
            const Labels* ns = snapshot.namespace_labels(existing->namespace_);
            for (const auto& w : pod.preferred_affinity) {
                process(w.term, w.weight, *existing, ns, *node);
            }
            for (const auto& w : pod.preferred_anti_affinity) {
                process(w.term, -w.weight, *existing, ns, *node);
            }
            for (const auto& t : existing->required_affinity) {
                process(t, kHardPodAffinityWeight, pod, own_ns, *node);
            }
            for (const auto& w : existing->preferred_affinity) {
                process(w.term, w.weight, pod, own_ns, *node);
            }
            for (const auto& w : existing->preferred_anti_affinity) {
                process(w.term, -w.weight, pod, own_ns, *node);
            }
        }
    }
    if (topology.empty()) {
        return {};
    }
    std::vector<std::int64_t> scores;
    scores.reserve(nodes.size());
    for (const NodeInfo* node : nodes) {
        std::int64_t score = 0;
        for (const auto& [key, values] : topology) {
            if (auto it = node->labels.find(key); it != node->labels.end()) {
                if (auto v = values.find(it->second); v != values.end()) {
                    score += v->second;
                }
            }
        }
        scores.push_back(score);
    }
    auto [min_it, max_it] = std::minmax_element(scores.begin(), scores.end());
    std::int64_t min_score = scores.empty() ? 0 : *min_it;
    std::int64_t diff = scores.empty() ? 0 : *max_it - min_score;
    for (auto& s : scores) {
        double f = 0;
        if (diff > 0) {
            f = static_cast<double>(kMaxNodeScore) *
                (static_cast<double>(s - min_score) / static_cast<double>(diff));
        }
        s = static_cast<std::int64_t>(f);
    }
    return scores;
}

}  // namespace skiff::scheduler
