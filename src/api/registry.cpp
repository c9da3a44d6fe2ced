// The built-in kinds of skiff, as one table, and the Registry over it.
#include "skiff/api/registry.h"

#include <algorithm>
#include <cstdlib>
#include <initializer_list>

#include "skiff/base/check.h"

namespace skiff::api {

std::string GroupVersion::api_version() const {
    return group.empty() ? version : group + "/" + version;
}

const Subresource* ResourceType::subresource(std::string_view name) const {
    for (const auto& s : subresources) {
        if (s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

PatchMetaLookup ResourceType::patch_meta_lookup() const {
    if (patch_meta.empty()) {
        return {};
    }
    return [meta = &patch_meta](std::span<const std::string> path) -> std::optional<PatchMeta> {
        std::string dotted;
        for (const auto& p : path) {
            if (!dotted.empty()) {
                dotted += '.';
            }
            dotted += p;
        }
        auto it = meta->find(dotted);
        if (it == meta->end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

std::string ResourceType::key_prefix() const {
    return gv.group.empty() ? "/registry/" + resource + "/"
                            : "/registry/" + gv.group + "/" + resource + "/";
}

namespace {

using Strings = std::vector<std::string>;

const Strings kCrud = {"create", "delete", "deletecollection", "get",
                       "list",   "patch",  "update",           "watch"};
const Strings kGetUpdate = {"get", "patch", "update"};
const GroupVersion kCore{"", "v1"};
const GroupVersion kApps{"apps", "v1"};
const GroupVersion kBatch{"batch", "v1"};
const GroupVersion kAutoscaling{"autoscaling", "v1"};
const GroupVersion kPolicy{"policy", "v1"};

Subresource status_of(const ResourceType& t) {
    return {"status", t.gv, t.kind, kGetUpdate};
}
Subresource scale() {
    return {"scale", kAutoscaling, "Scale", kGetUpdate};
}

/// Strategic-merge tags of a PodSpec under `prefix` (k8s.io/api's struct tags).
void pod_spec_meta(std::map<std::string, PatchMeta>& meta, const std::string& prefix) {
    for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
        const auto c = prefix + "." + list;
        meta[c] = {"merge", "name"};
        meta[c + ".ports"] = {"merge", "containerPort"};
        meta[c + ".env"] = {"merge", "name"};
        meta[c + ".volumeMounts"] = {"merge", "mountPath"};
        meta[c + ".volumeDevices"] = {"merge", "devicePath"};
        meta[c + ".resizePolicy"] = {"", ""};
    }
    meta[prefix + ".volumes"] = {"merge,retainKeys", "name"};
    meta[prefix + ".imagePullSecrets"] = {"merge", "name"};
    meta[prefix + ".hostAliases"] = {"merge", "ip"};
    meta[prefix + ".topologySpreadConstraints"] = {"merge", "topologyKey"};
    meta[prefix + ".schedulingGates"] = {"merge", "name"};
    meta[prefix + ".resourceClaims"] = {"merge,retainKeys", "name"};
}

/// Builds the table: one call per kind.
class Builder {
public:
    ResourceType& add(const GroupVersion& gv, std::string kind, std::string resource,
                      bool namespaced, Strings short_names = {}) {
        ResourceType t;
        t.gv = gv;
        t.kind = std::move(kind);
        t.resource = std::move(resource);
        t.singular = t.kind;
        std::transform(t.singular.begin(), t.singular.end(), t.singular.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        t.namespaced = namespaced;
        t.verbs = kCrud;
        t.short_names = std::move(short_names);
        t.patch_meta["metadata.finalizers"] = {"merge", ""};
        t.patch_meta["metadata.ownerReferences"] = {"merge", "uid"};
        types.push_back(std::move(t));
        return types.back();
    }

    std::vector<ResourceType> types;
};

ResourceType& with_status(ResourceType& t) {
    t.subresources.push_back(status_of(t));
    t.patch_meta["status.conditions"] = {"merge", "type"};
    return t;
}

ResourceType& all_category(ResourceType& t) {
    t.categories = {"all"};
    return t;
}

std::vector<ResourceType> builtin_types() {
    Builder b;
    // core/v1
    {
        auto& t = with_status(b.add(kCore, "Namespace", "namespaces", false, {"ns"}));
        t.subresources.push_back({"finalize", kCore, "Namespace", {"update"}});
        t.field_selectors = {"status.phase"};
        t.patch_meta["spec.finalizers"] = {"", ""};
    }
    {
        auto& t = all_category(with_status(b.add(kCore, "Pod", "pods", true, {"po"})));
        t.subresources.push_back({"binding", kCore, "Binding", {"create"}});
        t.subresources.push_back({"eviction", kPolicy, "Eviction", {"create"}});
        t.subresources.push_back({"log", kCore, "Pod", {"get"}});
        t.subresources.push_back({"exec", kCore, "PodExecOptions", {"create", "get"}});
        t.subresources.push_back({"attach", kCore, "PodAttachOptions", {"create", "get"}});
        t.subresources.push_back(
            {"portforward", kCore, "PodPortForwardOptions", {"create", "get"}});
        t.subresources.push_back({"ephemeralcontainers", kCore, "Pod", kGetUpdate});
        t.field_selectors = {"spec.nodeName",           "spec.restartPolicy",
                             "spec.schedulerName",      "spec.serviceAccountName",
                             "spec.hostNetwork",        "status.phase",
                             "status.podIP",            "status.nominatedNodeName"};
        pod_spec_meta(t.patch_meta, "spec");
    }
    {
        auto& t = b.add(kCore, "Binding", "bindings", true);
        t.verbs = {"create"};
    }
    {
        auto& t = all_category(with_status(b.add(kCore, "Service", "services", true, {"svc"})));
        t.field_selectors = {"spec.clusterIP", "spec.type"};
        t.patch_meta["spec.ports"] = {"merge", "port"};
    }
    b.add(kCore, "Endpoints", "endpoints", true, {"ep"}).singular = "endpoints";
    b.add(kCore, "ConfigMap", "configmaps", true, {"cm"});
    b.add(kCore, "Secret", "secrets", true).field_selectors = {"type"};
    {
        auto& t = b.add(kCore, "ServiceAccount", "serviceaccounts", true, {"sa"});
        t.subresources.push_back({"token", {"authentication.k8s.io", "v1"}, "TokenRequest",
                                  {"create"}});
        t.patch_meta["secrets"] = {"merge", "name"};
    }
    {
        auto& t = with_status(b.add(kCore, "Node", "nodes", false, {"no"}));
        t.field_selectors = {"spec.unschedulable"};
        t.patch_meta["spec.podCIDRs"] = {"merge", ""};
        t.patch_meta["spec.taints"] = {"", ""};
        t.patch_meta["status.addresses"] = {"merge", "type"};
    }
    {
        auto& t = b.add(kCore, "Event", "events", true, {"ev"});
        t.field_selectors = {"involvedObject.kind",      "involvedObject.namespace",
                             "involvedObject.name",      "involvedObject.uid",
                             "involvedObject.apiVersion", "involvedObject.resourceVersion",
                             "involvedObject.fieldPath", "reason",
                             "reportingComponent",       "source",
                             "type"};
    }
    with_status(b.add(kCore, "PersistentVolume", "persistentvolumes", false, {"pv"}));
    with_status(b.add(kCore, "PersistentVolumeClaim", "persistentvolumeclaims", true, {"pvc"}));
    b.add(kCore, "LimitRange", "limitranges", true, {"limits"});
    with_status(b.add(kCore, "ResourceQuota", "resourcequotas", true, {"quota"}));
    b.add(kCore, "PodTemplate", "podtemplates", true);
    {
        auto& t = all_category(with_status(
            b.add(kCore, "ReplicationController", "replicationcontrollers", true, {"rc"})));
        t.subresources.push_back(scale());
        t.field_selectors = {"status.replicas"};
        pod_spec_meta(t.patch_meta, "spec.template.spec");
    }
    // apps/v1
    {
        auto& t = all_category(with_status(b.add(kApps, "Deployment", "deployments", true,
                                                 {"deploy"})));
        t.subresources.push_back(scale());
        t.patch_meta["spec.strategy"] = {"retainKeys", ""};
        pod_spec_meta(t.patch_meta, "spec.template.spec");
    }
    {
        auto& t = all_category(
            with_status(b.add(kApps, "ReplicaSet", "replicasets", true, {"rs"})));
        t.subresources.push_back(scale());
        t.field_selectors = {"status.replicas"};
        pod_spec_meta(t.patch_meta, "spec.template.spec");
    }
    {
        auto& t = all_category(
            with_status(b.add(kApps, "DaemonSet", "daemonsets", true, {"ds"})));
        pod_spec_meta(t.patch_meta, "spec.template.spec");
    }
    {
        auto& t = all_category(
            with_status(b.add(kApps, "StatefulSet", "statefulsets", true, {"sts"})));
        t.subresources.push_back(scale());
        pod_spec_meta(t.patch_meta, "spec.template.spec");
    }
    b.add(kApps, "ControllerRevision", "controllerrevisions", true);
    // batch/v1
    {
        auto& t = all_category(with_status(b.add(kBatch, "Job", "jobs", true)));
        t.field_selectors = {"status.successful"};
        pod_spec_meta(t.patch_meta, "spec.template.spec");
    }
    {
        auto& t = all_category(with_status(b.add(kBatch, "CronJob", "cronjobs", true, {"cj"})));
        pod_spec_meta(t.patch_meta, "spec.jobTemplate.spec.template.spec");
    }
    // autoscaling/v1
    all_category(with_status(b.add(kAutoscaling, "HorizontalPodAutoscaler",
                                   "horizontalpodautoscalers", true, {"hpa"})));
    // discovery.k8s.io/v1, coordination.k8s.io/v1, events.k8s.io/v1
    b.add({"discovery.k8s.io", "v1"}, "EndpointSlice", "endpointslices", true);
    b.add({"coordination.k8s.io", "v1"}, "Lease", "leases", true);
    b.add({"events.k8s.io", "v1"}, "Event", "events", true, {"ev"});
    // networking.k8s.io/v1
    b.add({"networking.k8s.io", "v1"}, "NetworkPolicy", "networkpolicies", true, {"netpol"});
    with_status(b.add({"networking.k8s.io", "v1"}, "Ingress", "ingresses", true, {"ing"}));
    b.add({"networking.k8s.io", "v1"}, "IngressClass", "ingressclasses", false);
    // storage.k8s.io/v1
    b.add({"storage.k8s.io", "v1"}, "StorageClass", "storageclasses", false, {"sc"});
    // rbac.authorization.k8s.io/v1
    const GroupVersion rbac{"rbac.authorization.k8s.io", "v1"};
    b.add(rbac, "Role", "roles", true);
    b.add(rbac, "RoleBinding", "rolebindings", true);
    b.add(rbac, "ClusterRole", "clusterroles", false);
    b.add(rbac, "ClusterRoleBinding", "clusterrolebindings", false);
    // certificates.k8s.io/v1
    {
        auto& t = with_status(b.add({"certificates.k8s.io", "v1"}, "CertificateSigningRequest",
                                    "certificatesigningrequests", false, {"csr"}));
        t.subresources.push_back(
            {"approval", t.gv, "CertificateSigningRequest", kGetUpdate});
        t.field_selectors = {"spec.signerName"};
    }
    // policy/v1, scheduling.k8s.io/v1, apiextensions.k8s.io/v1
    with_status(b.add(kPolicy, "PodDisruptionBudget", "poddisruptionbudgets", true, {"pdb"}));
    b.add({"scheduling.k8s.io", "v1"}, "PriorityClass", "priorityclasses", false, {"pc"});
    {
        auto& t = with_status(b.add({"apiextensions.k8s.io", "v1"}, "CustomResourceDefinition",
                                    "customresourcedefinitions", false, {"crd", "crds"}));
        t.patch_meta["status.conditions"] = {"merge", "type"};
    }
    return std::move(b.types);
}

}  // namespace

Registry Registry::builtin() {
    Registry r;
    r.types_ = builtin_types();
    return r;
}

const ResourceType& Registry::builtin_type(std::string_view group, std::string_view resource) {
    static const Registry registry = builtin();
    for (const auto& t : registry.types_) {
        if (t.gv.group == group && t.resource == resource) {
            return t;
        }
    }
    SKIFF_BUG("no built-in resource " + std::string(resource) + " in group \"" +
              std::string(group) + "\"");
    std::abort();
}

const ResourceType* Registry::find(const GroupVersion& gv, std::string_view resource) const {
    for (const auto& t : types_) {
        if (t.gv == gv && t.resource == resource) {
            return &t;
        }
    }
    return nullptr;
}

const ResourceType* Registry::find_kind(const GroupVersion& gv, std::string_view kind) const {
    for (const auto& t : types_) {
        if (t.gv == gv && t.kind == kind) {
            return &t;
        }
    }
    return nullptr;
}

std::vector<GroupVersion> Registry::group_versions() const {
    std::vector<GroupVersion> out;
    for (const auto& t : types_) {
        if (std::find(out.begin(), out.end(), t.gv) == out.end()) {
            out.push_back(t.gv);
        }
    }
    return out;
}

void Registry::put(ResourceType type) {
    for (auto& t : types_) {
        if (t.gv == type.gv && t.resource == type.resource) {
            t = std::move(type);
            return;
        }
    }
    types_.push_back(std::move(type));
}

bool Registry::remove(const GroupVersion& gv, std::string_view resource) {
    auto it = std::find_if(types_.begin(), types_.end(), [&](const ResourceType& t) {
        return t.gv == gv && t.resource == resource;
    });
    if (it == types_.end()) {
        return false;
    }
    types_.erase(it);
    return true;
}

}  // namespace skiff::api
