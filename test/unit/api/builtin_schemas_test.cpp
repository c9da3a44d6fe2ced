// The built-in kinds' schemas: structure, references, coverage of the registry, spot checks of
// fields and defaults, derived patch metadata, and their use as an openapi schema source.
#include "skiff/api/builtin_schemas.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "skiff/api/openapi.h"
#include "skiff/api/registry.h"
#include "skiff/api/schema.h"

using namespace skiff::api;
namespace json = boost::json;

namespace {

constexpr std::string_view kRefPrefix = "#/components/schemas/";
constexpr std::string_view kIntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
constexpr std::string_view kQuantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";

const GroupVersion kCore{"", "v1"};
const GroupVersion kApps{"apps", "v1"};
const GroupVersion kBatch{"batch", "v1"};

const json::object& def(std::string_view name) {
    const auto* d = builtin_definitions().if_contains(name);
    INFO(name);
    REQUIRE(d);
    REQUIRE(d->is_object());
    return d->as_object();
}

const json::object& core(std::string_view kind) {
    return def("io.k8s.api.core.v1." + std::string(kind));
}

const json::object& apps(std::string_view kind) {
    return def("io.k8s.api.apps.v1." + std::string(kind));
}

const json::object& prop(const json::object& schema, std::string_view name) {
    const auto* props = schema.if_contains("properties");
    REQUIRE(props);
    const auto* f = props->as_object().if_contains(name);
    INFO(name);
    REQUIRE(f);
    return f->as_object();
}

/// The definition name a reference node ({"allOf": [{"$ref"}]}) points at, or "".
std::string ref_of(const json::object& node) {
    const auto* all_of = node.if_contains("allOf");
    if (!all_of || !all_of->is_array() || all_of->as_array().size() != 1) {
        return {};
    }
    const auto* ref = all_of->as_array()[0].as_object().if_contains("$ref");
    if (!ref || !ref->is_string()) {
        return {};
    }
    std::string_view s = ref->as_string();
    return s.starts_with(kRefPrefix) ? std::string(s.substr(kRefPrefix.size())) : std::string(s);
}

/// Problems that make `node` not structural, with their paths.
void check_structural(const json::object& node, const std::string& path,
                      std::vector<std::string>& problems) {
    if (!ref_of(node).empty()) {
        for (const auto& kv : node) {
            if (kv.key() != "allOf" && kv.key() != "description" && kv.key() != "default" &&
                !kv.key().starts_with("x-kubernetes-")) {
                problems.push_back(path + ": reference with " + std::string(kv.key()));
            }
        }
        return;
    }
    if (node.contains("$ref") || node.contains("allOf") || node.contains("anyOf") ||
        node.contains("oneOf")) {
        problems.push_back(path + ": composition other than a single allOf reference");
        return;
    }
    if (const auto* ios = node.if_contains("x-kubernetes-int-or-string")) {
        if (!ios->is_bool() || !ios->as_bool() || node.contains("type")) {
            problems.push_back(path + ": int-or-string with a type");
        }
        return;
    }
    const auto* type = node.if_contains("type");
    if (!type || !type->is_string()) {
        problems.push_back(path + ": no type");
        return;
    }
    const std::string t(type->as_string());
    static const std::set<std::string> kTypes = {"object", "array", "string", "integer",
                                                 "number", "boolean"};
    if (!kTypes.contains(t)) {
        problems.push_back(path + ": unknown type " + t);
    }
    if (t == "array") {
        const auto* items = node.if_contains("items");
        if (!items || !items->is_object()) {
            problems.push_back(path + ": array without items");
        } else {
            check_structural(items->as_object(), path + "[]", problems);
        }
    }
    if (t == "object") {
        const auto* props = node.if_contains("properties");
        const auto* values = node.if_contains("additionalProperties");
        if (props && values) {
            problems.push_back(path + ": both properties and additionalProperties");
        }
        if (props) {
            for (const auto& kv : props->as_object()) {
                check_structural(kv.value().as_object(), path + "." + std::string(kv.key()),
                                 problems);
            }
        }
        if (values) {
            check_structural(values->as_object(), path + "{}", problems);
        }
        if (const auto* required = node.if_contains("required")) {
            for (const auto& r : required->as_array()) {
                if (!props || !props->as_object().contains(r.as_string())) {
                    problems.push_back(path + ": required " + std::string(r.as_string()) +
                                       " is not a property");
                }
            }
        }
    } else if (node.contains("properties") || node.contains("additionalProperties")) {
        problems.push_back(path + ": properties on a " + t);
    }
    if (const auto* e = node.if_contains("enum")) {
        for (const auto& v : e->as_array()) {
            if (!(t == "string" ? v.is_string() : v.is_number())) {
                problems.push_back(path + ": enum value of the wrong type");
            }
        }
    }
}

/// Every "$ref" below v.
void refs(const json::value& v, std::vector<std::string>& out) {
    if (v.is_object()) {
        for (const auto& kv : v.as_object()) {
            if (kv.key() == "$ref") {
                std::string_view s = kv.value().as_string();
                REQUIRE(s.starts_with(kRefPrefix));
                out.emplace_back(s.substr(kRefPrefix.size()));
            } else {
                refs(kv.value(), out);
            }
        }
    } else if (v.is_array()) {
        for (const auto& e : v.as_array()) {
            refs(e, out);
        }
    }
}

/// Whether the dotted field path (list items transparent) exists in the kind's schema.
bool has_path(const json::object& schema, std::string_view path) {
    const json::object* node = &schema;
    while (true) {
        if (const auto name = ref_of(*node); !name.empty()) {
            node = &def(name);
            continue;
        }
        if (const auto* items = node->if_contains("items")) {
            node = &items->as_object();
            continue;
        }
        if (path.empty()) {
            return true;
        }
        const auto dot = path.find('.');
        const auto* props = node->if_contains("properties");
        const auto* next = props ? props->as_object().if_contains(path.substr(0, dot)) : nullptr;
        if (!next) {
            return false;
        }
        node = &next->as_object();
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
}

}  // namespace

TEST_CASE("every definition is a structural object schema", "[builtin_schemas]") {
    const auto& defs = builtin_definitions();
    REQUIRE(defs.size() > 200);
    std::vector<std::string> problems;
    CHECK(defs.at(kIntOrString).at("x-kubernetes-int-or-string") == true);
    CHECK(defs.at(kQuantity).at("oneOf") ==
          json::parse(R"([{"type": "string"}, {"type": "number"}])"));
    for (const auto& kv : defs) {
        if (kv.key() == kIntOrString || kv.key() == kQuantity) {
            continue;
        }
        const auto& d = kv.value().as_object();
        CHECK(d.at("type") == "object");
        CHECK(d.contains("description"));
        check_structural(d, std::string(kv.key()), problems);
    }
    CAPTURE(problems);
    CHECK(problems.empty());
}

TEST_CASE("every reference resolves and every definition is used", "[builtin_schemas]") {
    const auto& defs = builtin_definitions();
    std::vector<std::string> unresolved;
    for (const auto& kv : defs) {
        std::vector<std::string> r;
        refs(kv.value(), r);
        for (const auto& name : r) {
            if (!defs.contains(name)) {
                unresolved.push_back(std::string(kv.key()) + " -> " + name);
            }
        }
    }
    CAPTURE(unresolved);
    CHECK(unresolved.empty());

    std::set<std::string> used;
    for (const auto& [gv, kind] : builtin_schema_kinds()) {
        used.insert(openapi_schema_name(gv, kind));
        for (const auto& name : builtin_schema_references(*builtin_schema(gv, kind))) {
            used.insert(name);
        }
    }
    std::vector<std::string> unused;
    for (const auto& kv : defs) {
        if (!used.contains(std::string(kv.key()))) {
            unused.emplace_back(kv.key());
        }
    }
    CAPTURE(unused);
    CHECK(unused.empty());
}

TEST_CASE("every kind of the registry and every subresource kind has a schema",
          "[builtin_schemas]") {
    const auto registry = Registry::builtin();
    std::vector<std::string> missing;
    const auto check = [&](const GroupVersion& gv, const std::string& kind) {
        const auto* schema = builtin_schema(gv, kind);
        if (!schema) {
            missing.push_back(gvk_key(gv, kind));
            return;
        }
        const auto& s = schema->as_object();
        CHECK(s.at("type") == "object");
        const auto& props = s.at("properties").as_object();
        CHECK(props.at("apiVersion").at("type") == "string");
        CHECK(props.at("kind").at("type") == "string");
        CHECK(ref_of(props.at("metadata").as_object()) ==
              "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        const auto& gvk = s.at("x-kubernetes-group-version-kind").as_array().at(0).as_object();
        CHECK(gvk.at("group") == json::value(gv.group));
        CHECK(gvk.at("version") == json::value(gv.version));
        CHECK(gvk.at("kind") == json::value(kind));
        // The kind's definition is the schema itself, under upstream's name.
        CHECK(schema == builtin_definitions().if_contains(openapi_schema_name(gv, kind)));
    };
    for (const auto& t : registry.all()) {
        check(t.gv, t.kind);
        if (t.has_subresource("status")) {
            INFO(t.kind);
            CHECK(builtin_schema(t.gv, t.kind)->as_object().at("properties").as_object().contains(
                "status"));
        }
        for (const auto& sub : t.subresources) {
            check(sub.response_group_version, sub.response_kind);
        }
    }
    CAPTURE(missing);
    CHECK(missing.empty());
    CHECK(builtin_schema(kCore, "PodSpec") == nullptr);
    CHECK(builtin_schema(kCore, "NoSuchKind") == nullptr);
    CHECK(builtin_schema({"example.com", "v1"}, "Pod") == nullptr);
}

TEST_CASE("pod fields: merge keys, types, enums and defaults", "[builtin_schemas]") {
    const auto& spec = core("PodSpec");
    const auto& containers = prop(spec, "containers");
    CHECK(containers.at("type") == "array");
    CHECK(containers.at("x-kubernetes-patch-strategy") == "merge");
    CHECK(containers.at("x-kubernetes-patch-merge-key") == "name");
    CHECK(ref_of(containers.at("items").as_object()) == "io.k8s.api.core.v1.Container");
    CHECK(spec.at("required").as_array() == json::array{"containers"});
    CHECK(prop(spec, "volumes").at("x-kubernetes-patch-strategy") == "merge,retainKeys");

    CHECK(prop(spec, "restartPolicy").at("enum") == json::array{"Always", "OnFailure", "Never"});
    CHECK(prop(spec, "restartPolicy").at("default") == "Always");
    CHECK(prop(spec, "dnsPolicy").at("default") == "ClusterFirst");
    CHECK(prop(spec, "terminationGracePeriodSeconds").at("default") == 30);
    CHECK(prop(spec, "terminationGracePeriodSeconds").at("format") == "int64");
    CHECK(prop(spec, "schedulerName").at("default") == "default-scheduler");
    CHECK(prop(spec, "securityContext").at("default") == json::object{});
    CHECK(ref_of(prop(spec, "securityContext")) == "io.k8s.api.core.v1.PodSecurityContext");
    CHECK(prop(spec, "nodeSelector").at("additionalProperties").at("type") == "string");
    CHECK(ref_of(prop(spec, "overhead").at("additionalProperties").as_object()) == kQuantity);
    // Pod-only defaults are computed in code, not in the shared PodSpec.
    CHECK_FALSE(prop(spec, "enableServiceLinks").contains("default"));

    const auto& c = core("Container");
    CHECK(prop(c, "image").at("type") == "string");
    CHECK(c.at("required").as_array() == json::array{"name"});
    CHECK(prop(c, "terminationMessagePath").at("default") == "/dev/termination-log");
    CHECK(prop(c, "terminationMessagePolicy").at("default") == "File");
    CHECK(prop(c, "imagePullPolicy").at("enum") == json::array{"Always", "Never", "IfNotPresent"});
    CHECK_FALSE(prop(c, "imagePullPolicy").contains("default"));
    CHECK(prop(c, "command").at("x-kubernetes-list-type") == "atomic");
    const auto& ports = prop(c, "ports");
    CHECK(ports.at("x-kubernetes-patch-merge-key") == "containerPort");
    CHECK(ports.at("x-kubernetes-list-type") == "map");
    CHECK(ports.at("x-kubernetes-list-map-keys") == json::array{"containerPort", "protocol"});
    CHECK(prop(c, "env").at("x-kubernetes-patch-merge-key") == "name");
    CHECK(prop(c, "volumeMounts").at("x-kubernetes-patch-merge-key") == "mountPath");

    const auto& port = core("ContainerPort");
    CHECK(prop(port, "protocol").at("default") == "TCP");
    CHECK(prop(port, "protocol").at("enum") == json::array{"TCP", "UDP", "SCTP"});
    CHECK(prop(port, "containerPort").at("format") == "int32");

    const auto& ephemeral = core("EphemeralContainer");
    CHECK(prop(ephemeral, "image").at("type") == "string");
    CHECK(prop(ephemeral, "targetContainerName").at("type") == "string");
    CHECK(ephemeral.at("required").as_array() == json::array{"name"});

    const auto& probe = core("Probe");
    CHECK(prop(probe, "timeoutSeconds").at("default") == 1);
    CHECK(prop(probe, "periodSeconds").at("default") == 10);
    CHECK(prop(probe, "successThreshold").at("default") == 1);
    CHECK(prop(probe, "failureThreshold").at("default") == 3);
    CHECK(ref_of(prop(core("HTTPGetAction"), "port")) == kIntOrString);
    CHECK(prop(core("HTTPGetAction"), "path").at("default") == "/");
    CHECK(ref_of(prop(core("ResourceRequirements"), "limits").at("additionalProperties")
                     .as_object()) == kQuantity);
    CHECK(prop(core("SecretVolumeSource"), "defaultMode").at("default") == 420);
    CHECK(prop(core("HostPathVolumeSource"), "type").at("enum").as_array().front() == "");
    CHECK(core("AzureDiskVolumeSource").at("x-kubernetes-preserve-unknown-fields") == true);
    CHECK(prop(core("PodStatus"), "startTime").at("format") == "date-time");
    CHECK(prop(core("PodStatus"), "conditions").at("x-kubernetes-patch-merge-key") == "type");
    CHECK(core("LocalObjectReference").at("x-kubernetes-map-type") == "atomic");
    CHECK(def("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").at("x-kubernetes-map-type") ==
          "atomic");
}

TEST_CASE("core kinds: services, secrets, volumes, namespaces", "[builtin_schemas]") {
    const auto& svc = core("ServiceSpec");
    CHECK(prop(svc, "type").at("enum") ==
          json::array{"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"});
    CHECK(prop(svc, "type").at("default") == "ClusterIP");
    CHECK(prop(svc, "sessionAffinity").at("default") == "None");
    CHECK(prop(svc, "ports").at("x-kubernetes-patch-merge-key") == "port");
    CHECK(prop(svc, "ports").at("x-kubernetes-list-map-keys") == json::array{"port", "protocol"});
    CHECK_FALSE(prop(svc, "externalTrafficPolicy").contains("default"));
    CHECK(prop(core("ServicePort"), "protocol").at("default") == "TCP");
    CHECK_FALSE(prop(core("ServicePort"), "targetPort").contains("default"));
    CHECK(ref_of(prop(core("ServicePort"), "targetPort")) == kIntOrString);

    const auto& secret = core("Secret");
    CHECK(prop(secret, "type").at("default") == "Opaque");
    CHECK(prop(secret, "data").at("additionalProperties").at("format") == "byte");
    CHECK(prop(core("ConfigMap"), "binaryData").at("additionalProperties").at("format") ==
          "byte");

    CHECK(prop(core("PersistentVolumeSpec"), "persistentVolumeReclaimPolicy").at("default") ==
          "Retain");
    CHECK(prop(core("PersistentVolumeClaimSpec"), "volumeMode").at("default") == "Filesystem");
    CHECK(prop(core("PersistentVolumeClaimSpec"), "accessModes").at("items").at("enum").as_array()
              .size() == 4);
    CHECK(prop(core("NamespaceStatus"), "phase").at("default") == "Active");
    CHECK(prop(core("NodeSpec"), "podCIDRs").at("x-kubernetes-patch-strategy") == "merge");
    CHECK(prop(core("NodeStatus"), "addresses").at("x-kubernetes-patch-merge-key") == "type");
    CHECK(prop(core("DaemonEndpoint"), "Port").at("format") == "int32");
    CHECK(prop(core("ReplicationControllerSpec"), "replicas").at("default") == 1);
}

TEST_CASE("workload defaults", "[builtin_schemas]") {
    const auto& deploy = apps("DeploymentSpec");
    CHECK(prop(deploy, "replicas").at("default") == 1);
    CHECK(prop(deploy, "revisionHistoryLimit").at("default") == 10);
    CHECK(prop(deploy, "progressDeadlineSeconds").at("default") == 600);
    CHECK(prop(deploy, "strategy").at("default") ==
          json::parse(R"({"type":"RollingUpdate","rollingUpdate":
                            {"maxUnavailable":"25%","maxSurge":"25%"}})"));
    CHECK(prop(deploy, "strategy").at("x-kubernetes-patch-strategy") == "retainKeys");
    CHECK(prop(apps("DeploymentStrategy"), "type").at("default") == "RollingUpdate");
    CHECK(prop(apps("RollingUpdateDeployment"), "maxSurge").at("default") == "25%");
    CHECK(ref_of(prop(deploy, "template")) == "io.k8s.api.core.v1.PodTemplateSpec");
    CHECK(deploy.at("required").as_array() == json::array{"selector", "template"});

    CHECK(prop(apps("ReplicaSetSpec"), "replicas").at("default") == 1);

    const auto& sts = apps("StatefulSetSpec");
    CHECK(prop(sts, "replicas").at("default") == 1);
    CHECK(prop(sts, "podManagementPolicy").at("default") == "OrderedReady");
    CHECK(prop(sts, "updateStrategy").at("default").at("type") == "RollingUpdate");
    CHECK(prop(sts, "revisionHistoryLimit").at("default") == 10);
    CHECK(ref_of(prop(sts, "volumeClaimTemplates").at("items").as_object()) ==
          "io.k8s.api.core.v1.PersistentVolumeClaim");

    const auto& ds = apps("DaemonSetSpec");
    CHECK(prop(ds, "updateStrategy").at("default") ==
          json::parse(R"({"type": "RollingUpdate",
                          "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})"));
    CHECK(prop(ds, "revisionHistoryLimit").at("default") == 10);
    CHECK(prop(apps("RollingUpdateDaemonSet"), "maxUnavailable").at("default") == 1);

    CHECK(prop(apps("ControllerRevision"), "data").at("x-kubernetes-preserve-unknown-fields") ==
          true);

    // Job defaults belong to the Job kind only (a CronJob's jobTemplate gets none upstream), and
    // several are conditional: all are computed in code.
    const auto& job = def("io.k8s.api.batch.v1.JobSpec");
    for (const char* f : {"parallelism", "completions", "backoffLimit", "completionMode",
                          "suspend", "podReplacementPolicy"}) {
        INFO(f);
        CHECK_FALSE(prop(job, f).contains("default"));
    }
    CHECK(prop(job, "completionMode").at("enum") == json::array{"NonIndexed", "Indexed"});
    const auto& cron = def("io.k8s.api.batch.v1.CronJobSpec");
    CHECK(prop(cron, "concurrencyPolicy").at("default") == "Allow");
    CHECK(prop(cron, "suspend").at("default") == false);
    CHECK(prop(cron, "successfulJobsHistoryLimit").at("default") == 3);
    CHECK(prop(cron, "failedJobsHistoryLimit").at("default") == 1);
    CHECK(prop(def("io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec"), "minReplicas")
              .at("default") == 1);
}

TEST_CASE("other groups", "[builtin_schemas]") {
    CHECK(prop(def("io.k8s.api.storage.v1.StorageClass"), "reclaimPolicy").at("default") ==
          "Delete");
    CHECK(prop(def("io.k8s.api.storage.v1.StorageClass"), "volumeBindingMode").at("default") ==
          "Immediate");
    CHECK(prop(def("io.k8s.api.scheduling.v1.PriorityClass"), "preemptionPolicy")
              .at("default") == "PreemptLowerPriority");
    CHECK(prop(def("io.k8s.api.rbac.v1.RoleRef"), "apiGroup").at("default") ==
          "rbac.authorization.k8s.io");
    CHECK(prop(def("io.k8s.api.rbac.v1.ClusterRole"), "rules").at("type") == "array");
    CHECK(prop(def("io.k8s.api.rbac.v1.ClusterRole"), "aggregationRule").contains("allOf"));
    CHECK(prop(def("io.k8s.api.rbac.v1.ClusterRoleBinding"), "roleRef").contains("allOf"));
    CHECK(def("io.k8s.api.rbac.v1.ClusterRoleBinding").at("required") == json::array{"roleRef"});
    CHECK(prop(def("io.k8s.api.discovery.v1.EndpointPort"), "protocol").at("default") == "TCP");
    CHECK(prop(def("io.k8s.api.networking.v1.NetworkPolicyPort"), "protocol").at("default") ==
          "TCP");
    CHECK(prop(def("io.k8s.api.authentication.v1.TokenRequestSpec"), "expirationSeconds")
              .at("default") == 3600);
    const auto usages =
        prop(def("io.k8s.api.certificates.v1.CertificateSigningRequestSpec"), "usages")
            .at("items")
            .at("enum")
            .as_array();
    CHECK(std::find(usages.begin(), usages.end(), json::value("digital signature")) !=
          usages.end());
    const auto& crd = def("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."
                          "CustomResourceValidation");
    CHECK(ref_of(prop(crd, "openAPIV3Schema")) ==
          "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps");
    CHECK(def("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps")
              .at("x-kubernetes-preserve-unknown-fields") == true);
}

TEST_CASE("patch metadata derived from the schemas matches the registry", "[builtin_schemas]") {
    const auto registry = Registry::builtin();
    for (const auto& t : registry.all()) {
        const auto derived = builtin_patch_meta(t.gv, t.kind);
        REQUIRE_FALSE(derived.empty());
        const auto& schema = builtin_schema(t.gv, t.kind)->as_object();
        for (const auto& [path, meta] : t.patch_meta) {
            INFO(t.kind << " " << path);
            // The registry tags status.conditions of every kind with a status, though some
            // statuses have no conditions (PersistentVolume's) or upstream gives them no
            // patch strategy (CertificateSigningRequest's, CustomResourceDefinition's); and it
            // knows resizePolicy, an alpha field the schemas leave out.
            if (path == "status.conditions" || path.ends_with(".resizePolicy")) {
                continue;
            }
            REQUIRE(has_path(schema, path));
            const auto it = derived.find(path);
            if (meta.strategy.empty()) {
                CHECK((it == derived.end() || it->second.strategy.empty()));
            } else {
                REQUIRE(it != derived.end());
                CHECK(it->second.strategy == meta.strategy);
                CHECK(it->second.merge_key == meta.merge_key);
            }
        }
    }
    const auto pod = builtin_patch_meta(kCore, "Pod");
    CHECK(pod.at("spec.containers").merge_key == "name");
    CHECK(pod.at("spec.containers.ports").merge_key == "containerPort");
    CHECK(pod.at("metadata.ownerReferences").merge_key == "uid");
    const auto deploy = builtin_patch_meta(kApps, "Deployment");
    CHECK(deploy.at("spec.template.spec.volumes").strategy == "merge,retainKeys");
    CHECK(deploy.at("spec.strategy").strategy == "retainKeys");
    const auto cron = builtin_patch_meta(kBatch, "CronJob");
    CHECK(cron.at("spec.jobTemplate.spec.template.spec.containers.env").merge_key == "name");
    CHECK(builtin_patch_meta({"example.com", "v1"}, "Widget").empty());
}

TEST_CASE("the schema source fills openapi documents with self-contained schemas",
          "[builtin_schemas]") {
    const auto registry = Registry::builtin();
    OpenApiOptions options;
    options.schemas = builtin_schema_source();
    for (const auto& gv : registry.group_versions()) {
        INFO(gv.api_version());
        const auto doc = openapi_v3_document(registry, gv, options);
        const auto& schemas = doc.at("components").at("schemas").as_object();
        std::vector<std::string> r;
        refs(doc, r);
        std::vector<std::string> unresolved;
        for (const auto& name : r) {
            if (!schemas.contains(name)) {
                unresolved.push_back(name);
            }
        }
        CAPTURE(unresolved);
        CHECK(unresolved.empty());
    }
    const auto core_doc = openapi_v3_document(registry, kCore, options);
    const auto& schemas = core_doc.at("components").at("schemas").as_object();
    const auto& pod = schemas.at("io.k8s.api.core.v1.Pod").as_object();
    CHECK(ref_of(pod.at("properties").at("spec").as_object()) == "io.k8s.api.core.v1.PodSpec");
    CHECK(schemas.contains("io.k8s.api.core.v1.Container"));
    CHECK(schemas.contains("io.k8s.api.core.v1.PodList"));
    const auto apps_doc = openapi_v3_document(registry, kApps, options);
    CHECK(apps_doc.at("components").at("schemas").as_object().contains(
        "io.k8s.api.core.v1.PodSpec"));

    const auto source = builtin_schema_source();
    const auto scale = source({"autoscaling", "v1"}, "Scale");
    REQUIRE(scale);
    CHECK(scale->definitions.contains("io.k8s.api.autoscaling.v1.ScaleSpec"));
    CHECK_FALSE(scale->definitions.contains("io.k8s.api.autoscaling.v1.Scale"));
    CHECK_FALSE(source(kCore, "NoSuchKind"));
}

namespace {

/// What the apiserver does to a request body of a built-in kind, in upstream's order; returns
/// the unknown fields and the validation errors as strings.
struct Checked {
    json::value object;
    std::vector<std::string> unknown;
    std::vector<std::string> errors;
};

Checked run_engine(const GroupVersion& gv, std::string_view kind, std::string_view manifest) {
    const auto* schema = builtin_schema(gv, kind);
    REQUIRE(schema);
    auto compiled = Schema::compile(*schema, builtin_definitions());
    INFO(skiff::base::to_string(compiled.status()));
    REQUIRE(compiled.ok());
    Checked out{json::parse(manifest), {}, {}};
    prune_non_nullable_nulls(out.object, *compiled);
    apply_defaults(out.object, *compiled);
    out.unknown = unknown_fields(out.object, *compiled);
    for (const auto& e : validate(out.object, *compiled)) {
        out.errors.push_back(e.to_string());
    }
    return out;
}

}  // namespace

TEST_CASE("every kind schema compiles in the schema engine", "[builtin_schemas]") {
    for (const auto& [gv, kind] : builtin_schema_kinds()) {
        INFO(gvk_key(gv, kind));
        const auto compiled = Schema::compile(*builtin_schema(gv, kind), builtin_definitions());
        INFO(skiff::base::to_string(compiled.status()));
        CHECK(compiled.ok());
    }
}

TEST_CASE("a typical pod passes the engine and gets upstream's defaults", "[builtin_schemas]") {
    const auto r = run_engine(kCore, "Pod", R"({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "containers": [{
                "name": "nginx", "image": "nginx:1.27",
                "command": ["nginx"], "args": ["-g", "daemon off;"],
                "ports": [{"name": "http", "containerPort": 80}],
                "env": [{"name": "A", "value": "1"},
                        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                              "limits": {"cpu": 0.5, "memory": "128Mi"}},
                "volumeMounts": [{"name": "data", "mountPath": "/data"},
                                 {"name": "cfg", "mountPath": "/etc/cfg", "readOnly": true}],
                "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                "livenessProbe": {"tcpSocket": {"port": 80}, "initialDelaySeconds": 5},
                "securityContext": {"runAsNonRoot": true, "capabilities": {"drop": ["ALL"]}}
            }],
            "volumes": [{"name": "data", "emptyDir": {}},
                        {"name": "cfg", "configMap": {"name": "web-config"}}],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "zone", "operator": "In", "values": ["a"]}]}]}}}
        }
    })");
    CAPTURE(r.unknown, r.errors);
    CHECK(r.unknown.empty());
    CHECK(r.errors.empty());
    const auto& spec = r.object.at("spec").as_object();
    CHECK(spec.at("restartPolicy") == "Always");
    CHECK(spec.at("dnsPolicy") == "ClusterFirst");
    CHECK(spec.at("terminationGracePeriodSeconds") == 30);
    CHECK(spec.at("schedulerName") == "default-scheduler");
    CHECK(spec.at("securityContext") == json::object{});
    CHECK_FALSE(spec.contains("enableServiceLinks"));  // computed in code, for pods only
    const auto& c = spec.at("containers").at(0).as_object();
    CHECK(c.at("terminationMessagePath") == "/dev/termination-log");
    CHECK(c.at("terminationMessagePolicy") == "File");
    CHECK_FALSE(c.contains("imagePullPolicy"));  // computed in code from the image tag
    CHECK(c.at("ports").at(0).at("protocol") == "TCP");
    CHECK(r.object.at("spec").at("containers").at(0).at("readinessProbe") ==
          json::parse(R"({"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                          "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                          "failureThreshold": 3})"));
    CHECK(spec.at("volumes").at(1).at("configMap").at("defaultMode") == 420);
    CHECK(r.object.at("spec").at("containers").at(0).at("env").at(1).at("valueFrom")
              .at("fieldRef").at("apiVersion") == "v1");
}

TEST_CASE("the engine reports unknown and invalid pod fields", "[builtin_schemas]") {
    const auto r = run_engine(kCore, "Pod", R"({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"restartPolicy": "Sometimes",
                 "containers": [{"name": "c", "image": "busybox", "imagee": "x",
                                 "ports": [{"containerPort": "eighty"}],
                                 "resources": {"limits": {"cpu": true}}}],
                 "volumes": [{"name": "v", "hostPath": {"path": "/x", "typo": 1}}]}
    })");
    CHECK(r.unknown ==
          std::vector<std::string>{"spec.containers[0].imagee", "spec.volumes[0].hostPath.typo"});
    CAPTURE(r.errors);
    const auto has = [&](std::string_view needle) {
        return std::any_of(r.errors.begin(), r.errors.end(), [&](const std::string& e) {
            return e.find(needle) != std::string::npos;
        });
    };
    CHECK(has("spec.restartPolicy: Unsupported value: \"Sometimes\""));
    CHECK(has("spec.containers[0].ports[0].containerPort: Invalid value"));
    CHECK(has("spec.containers[0].resources.limits.cpu"));
}

TEST_CASE("a typical deployment and service pass the engine with their defaults",
          "[builtin_schemas]") {
    const auto d = run_engine(kApps, "Deployment", R"({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]}
            }
        }
    })");
    CAPTURE(d.unknown, d.errors);
    CHECK(d.unknown.empty());
    CHECK(d.errors.empty());
    const auto& spec = d.object.at("spec").as_object();
    CHECK(spec.at("replicas") == 1);
    CHECK(spec.at("revisionHistoryLimit") == 10);
    CHECK(spec.at("progressDeadlineSeconds") == 600);
    CHECK(spec.at("strategy") ==
          json::parse(R"({"type":"RollingUpdate",
                          "rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}})"));
    const auto& pod = spec.at("template").at("spec").as_object();
    CHECK(pod.at("restartPolicy") == "Always");
    CHECK(pod.at("dnsPolicy") == "ClusterFirst");
    CHECK(pod.at("securityContext") == json::object{});
    CHECK(pod.at("containers").at(0).at("terminationMessagePolicy") == "File");

    const auto s = run_engine(kCore, "Service", R"({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}
    })");
    CAPTURE(s.unknown, s.errors);
    CHECK(s.unknown.empty());
    CHECK(s.errors.empty());
    CHECK(s.object.at("spec").at("type") == "ClusterIP");
    CHECK(s.object.at("spec").at("sessionAffinity") == "None");
    CHECK(s.object.at("spec").at("ports").at(0).at("protocol") == "TCP");

    const auto sts = run_engine(kApps, "StatefulSet", R"({
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
        "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                 "template": {"metadata": {"labels": {"app": "db"}},
                              "spec": {"containers": [{"name": "db", "image": "postgres"}]}},
                 "volumeClaimTemplates": [{"metadata": {"name": "data"},
                     "spec": {"accessModes": ["ReadWriteOnce"],
                              "resources": {"requests": {"storage": "1Gi"}}}}]}
    })");
    CAPTURE(sts.unknown, sts.errors);
    CHECK(sts.unknown.empty());
    CHECK(sts.errors.empty());
    CHECK(sts.object.at("spec").at("updateStrategy") ==
          json::parse(R"({"type":"RollingUpdate","rollingUpdate":{"partition":0}})"));
    CHECK(sts.object.at("spec").at("podManagementPolicy") == "OrderedReady");
    const auto& claim = sts.object.at("spec").at("volumeClaimTemplates").at(0).as_object();
    CHECK(claim.at("spec").at("volumeMode") == "Filesystem");
    CHECK(claim.at("status").at("phase") == "Pending");

    const auto cj = run_engine(kBatch, "CronJob", R"({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick"},
        "spec": {"schedule": "*/5 * * * *",
                 "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                     "containers": [{"name": "t", "image": "busybox"}]}}}}}
    })");
    CAPTURE(cj.unknown, cj.errors);
    CHECK(cj.unknown.empty());
    CHECK(cj.errors.empty());
    CHECK(cj.object.at("spec").at("concurrencyPolicy") == "Allow");
    CHECK(cj.object.at("spec").at("successfulJobsHistoryLimit") == 3);
    CHECK_FALSE(cj.object.at("spec").at("jobTemplate").at("spec").as_object().contains(
        "backoffLimit"));

    const auto rb = run_engine({"rbac.authorization.k8s.io", "v1"}, "RoleBinding", R"({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "rb", "namespace": "default"},
        "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}],
        "roleRef": {"kind": "Role", "name": "reader"}
    })");
    CAPTURE(rb.unknown, rb.errors);
    CHECK(rb.unknown.empty());
    CHECK(rb.errors.empty());
    CHECK(rb.object.at("roleRef").at("apiGroup") == "rbac.authorization.k8s.io");
}
