// OpenAPI documents: the v3 index, per-group-version documents as kubectl reads them, schema
// names and sources, and the protobuf v2 stub.
#include "skiff/api/openapi.h"

#include <functional>
#include <set>
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "skiff/api/discovery.h"

using namespace skiff::api;
namespace json = boost::json;

namespace {

const Registry& reg() {
    static const Registry r = Registry::builtin();
    return r;
}

const json::value& core_doc() {
    static const json::value d = openapi_v3_document(reg(), {"", "v1"});
    return d;
}

const json::value& apps_doc() {
    static const json::value d = openapi_v3_document(reg(), {"apps", "v1"});
    return d;
}

std::set<std::string> param_names(const json::value& op) {
    std::set<std::string> out;
    if (const auto* params = op.as_object().if_contains("parameters")) {
        for (const auto& p : params->as_array()) {
            out.insert(std::string(p.at("name").as_string()));
        }
    }
    return out;
}

/// Calls `f` on every operation (method, op) of a document.
void for_each_operation(const json::value& doc,
                        const std::function<void(std::string_view path, std::string_view method,
                                                 const json::value& op)>& f) {
    for (const auto& [path, item] : doc.at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            if (method != "parameters") {
                f(path, method, op);
            }
        }
    }
}

void collect_refs(const json::value& v, std::set<std::string>& out) {
    if (v.is_object()) {
        for (const auto& [k, child] : v.as_object()) {
            if (k == "$ref" && child.is_string()) {
                out.insert(std::string(child.as_string()));
            } else {
                collect_refs(child, out);
            }
        }
    } else if (v.is_array()) {
        for (const auto& child : v.as_array()) {
            collect_refs(child, out);
        }
    }
}

}  // namespace

TEST_CASE("openapi v3 paths and schema names follow upstream", "[openapi]") {
    CHECK(openapi_v3_path({"", "v1"}) == "api/v1");
    CHECK(openapi_v3_path({"apps", "v1"}) == "apis/apps/v1");
    CHECK(openapi_schema_name({"", "v1"}, "Pod") == "io.k8s.api.core.v1.Pod");
    CHECK(openapi_schema_name({"apps", "v1"}, "Deployment") == "io.k8s.api.apps.v1.Deployment");
    CHECK(openapi_schema_name({"autoscaling", "v1"}, "Scale") == "io.k8s.api.autoscaling.v1.Scale");
    CHECK(openapi_schema_name({"rbac.authorization.k8s.io", "v1"}, "Role") ==
          "io.k8s.api.rbac.v1.Role");
    CHECK(openapi_schema_name({"networking.k8s.io", "v1"}, "Ingress") ==
          "io.k8s.api.networking.v1.Ingress");
    CHECK(openapi_schema_name({"apiextensions.k8s.io", "v1"}, "CustomResourceDefinition") ==
          "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
    CHECK(openapi_schema_name({"stable.example.com", "v1"}, "CronTab") ==
          "com.example.stable.v1.CronTab");
}

TEST_CASE("the v3 index points at every group version with its hash", "[openapi]") {
    const auto set = build_openapi_v3(reg());
    const auto& paths = set.index.at("paths").as_object();
    for (const auto& gv : reg().group_versions()) {
        INFO(gv.api_version());
        CHECK(paths.contains(openapi_v3_path(gv)));
    }
    REQUIRE(paths.contains("api/v1"));
    REQUIRE(paths.contains("apis/apps/v1"));
    const auto& doc = set.documents.at("api/v1");
    CHECK(doc.hash == document_hash(doc.body));
    CHECK(doc.hash == document_hash(core_doc()));
    CHECK(paths.at("api/v1").at("serverRelativeURL").as_string() ==
          "/openapi/v3/api/v1?hash=" + doc.hash);
    CHECK(paths.at("apis/apps/v1").at("serverRelativeURL").as_string() ==
          "/openapi/v3/apis/apps/v1?hash=" + set.documents.at("apis/apps/v1").hash);
    CHECK(set.index_body == json::serialize(set.index));
    CHECK(openapi_v3_index(reg()) == set.index);
    // Deterministic: a second build hashes the same.
    CHECK(build_openapi_v3(Registry::builtin()).index_hash == set.index_hash);
}

TEST_CASE("the document header is OpenAPI 3.0", "[openapi]") {
    CHECK(core_doc().at("openapi") == "3.0.0");
    CHECK(core_doc().at("info").at("title") == "Kubernetes");
    CHECK(core_doc().at("info").at("version") == "v1.32.4");
    OpenApiOptions options;
    options.version = "v1.32.9";
    CHECK(openapi_v3_document(reg(), {"", "v1"}, options).at("info").at("version") == "v1.32.9");
}

TEST_CASE("the pod item patch operation is what kubectl checks", "[openapi]") {
    const auto& paths = core_doc().at("paths").as_object();
    REQUIRE(paths.contains("/api/v1/namespaces/{namespace}/pods/{name}"));
    const auto& item = paths.at("/api/v1/namespaces/{namespace}/pods/{name}");
    const auto& patch = item.at("patch");
    CHECK(patch.at("x-kubernetes-action") == "patch");
    CHECK(json::serialize(patch.at("x-kubernetes-group-version-kind")) ==
          R"({"group":"","kind":"Pod","version":"v1"})");
    CHECK(patch.at("operationId") == "patchCoreV1NamespacedPod");
    const auto params = param_names(patch);
    for (const char* p : {"dryRun", "fieldManager", "fieldValidation", "force"}) {
        INFO(p);
        CHECK(params.contains(p));
    }
    for (const auto& p : patch.at("parameters").as_array()) {
        CHECK(p.at("in") == "query");
    }
    const auto& content = patch.at("requestBody").at("content").as_object();
    for (const char* type :
         {"application/apply-patch+yaml", "application/json-patch+json",
          "application/merge-patch+json", "application/strategic-merge-patch+json"}) {
        INFO(type);
        CHECK(content.contains(type));
    }
    CHECK(item.at("get").at("x-kubernetes-action") == "get");
    CHECK(item.at("put").at("x-kubernetes-action") == "put");
    CHECK(item.at("delete").at("x-kubernetes-action") == "delete");
    CHECK(param_names(item.at("put")) ==
          std::set<std::string>{"dryRun", "fieldManager", "fieldValidation"});
    CHECK(param_names(item.at("delete")).contains("propagationPolicy"));
    // Path parameters sit on the path item.
    CHECK(param_names(item) == std::set<std::string>{"name", "namespace", "pretty"});
}

TEST_CASE("collections list, create and delete collections", "[openapi]") {
    const auto& paths = core_doc().at("paths").as_object();
    const auto& coll = paths.at("/api/v1/namespaces/{namespace}/pods");
    CHECK(coll.at("get").at("x-kubernetes-action") == "list");
    CHECK(param_names(coll.at("get")).contains("labelSelector"));
    CHECK(param_names(coll.at("get")).contains("watch"));
    CHECK(coll.at("post").at("x-kubernetes-action") == "post");
    CHECK(param_names(coll.at("post")) ==
          std::set<std::string>{"dryRun", "fieldManager", "fieldValidation"});
    CHECK(coll.at("post").at("requestBody").at("content").at("*/*").at("schema").at("$ref") ==
          "#/components/schemas/io.k8s.api.core.v1.Pod");
    CHECK(coll.at("delete").at("x-kubernetes-action") == "deletecollection");
    CHECK(coll.at("delete").at("operationId") == "deleteCoreV1CollectionNamespacedPod");
    CHECK(coll.at("get")
              .at("responses")
              .at("200")
              .at("content")
              .at("application/json")
              .at("schema")
              .at("$ref") == "#/components/schemas/io.k8s.api.core.v1.PodList");

    REQUIRE(paths.contains("/api/v1/pods"));
    const auto& all = paths.at("/api/v1/pods").at("get");
    CHECK(all.at("x-kubernetes-action") == "list");
    CHECK(all.at("operationId") == "listCoreV1PodForAllNamespaces");
}

TEST_CASE("cluster-scoped kinds have no namespace paths", "[openapi]") {
    const auto& paths = core_doc().at("paths").as_object();
    CHECK(paths.contains("/api/v1/nodes"));
    CHECK(paths.contains("/api/v1/nodes/{name}"));
    CHECK(paths.contains("/api/v1/nodes/{name}/status"));
    CHECK_FALSE(paths.contains("/api/v1/namespaces/{namespace}/nodes"));
    CHECK_FALSE(paths.contains("/api/v1/namespaces/{namespace}/nodes/{name}"));
    CHECK(param_names(paths.at("/api/v1/nodes/{name}")) == std::set<std::string>{"name", "pretty"});
    CHECK(paths.at("/api/v1/nodes/{name}").at("patch").at("operationId") == "patchCoreV1Node");
    // Namespaces are cluster-scoped too; the namespace path is the namespace object itself.
    CHECK(paths.contains("/api/v1/namespaces/{name}"));
    CHECK(paths.contains("/api/v1/namespaces/{name}/finalize"));
}

TEST_CASE("subresources have their own operations", "[openapi]") {
    const auto& core = core_doc().at("paths").as_object();
    const auto& status = core.at("/api/v1/namespaces/{namespace}/pods/{name}/status");
    CHECK(status.at("patch").at("x-kubernetes-group-version-kind").at("kind") == "Pod");
    CHECK(param_names(status.at("patch")).contains("fieldValidation"));
    CHECK(status.at("patch").at("operationId") == "patchCoreV1NamespacedPodStatus");

    const auto& exec = core.at("/api/v1/namespaces/{namespace}/pods/{name}/exec");
    CHECK(exec.at("get").at("x-kubernetes-action") == "connect");
    CHECK(exec.at("post").at("x-kubernetes-action") == "connect");
    CHECK(exec.at("get").at("operationId") == "connectCoreV1GetNamespacedPodExec");
    CHECK(exec.at("get").at("x-kubernetes-group-version-kind").at("kind") == "PodExecOptions");
    CHECK(param_names(exec.at("get")).contains("command"));

    const auto& log = core.at("/api/v1/namespaces/{namespace}/pods/{name}/log");
    CHECK(log.at("get").at("x-kubernetes-action") == "get");
    CHECK(param_names(log.at("get")).contains("follow"));
    CHECK_FALSE(log.as_object().contains("patch"));

    const auto& eviction = core.at("/api/v1/namespaces/{namespace}/pods/{name}/eviction");
    CHECK(json::serialize(eviction.at("post").at("x-kubernetes-group-version-kind")) ==
          R"({"group":"policy","kind":"Eviction","version":"v1"})");

    const auto& apps = apps_doc().at("paths").as_object();
    const auto& scale = apps.at("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
    CHECK(json::serialize(scale.at("patch").at("x-kubernetes-group-version-kind")) ==
          R"({"group":"autoscaling","kind":"Scale","version":"v1"})");
    CHECK(param_names(scale.at("patch")).contains("fieldValidation"));
    CHECK(param_names(scale.at("put")).contains("fieldValidation"));
    CHECK(scale.at("get")
              .at("responses")
              .at("200")
              .at("content")
              .at("application/json")
              .at("schema")
              .at("$ref") == "#/components/schemas/io.k8s.api.autoscaling.v1.Scale");
    CHECK(scale.at("patch").at("operationId") == "patchAppsV1NamespacedDeploymentScale");
}

TEST_CASE("every patch operation declares fieldValidation", "[openapi]") {
    // kubectl stops at the first PATCH operation with the kind's GVK it meets, in map order.
    for (const auto& gv : reg().group_versions()) {
        const auto doc = openapi_v3_document(reg(), gv);
        std::size_t patches = 0;
        for_each_operation(
            doc, [&](std::string_view path, std::string_view method, const json::value& op) {
                INFO(path << " " << method);
                CHECK(op.at("operationId").is_string());
                CHECK(op.at("x-kubernetes-action").is_string());
                CHECK(op.at("x-kubernetes-group-version-kind").at("kind").is_string());
                if (method == "patch") {
                    ++patches;
                    CHECK(param_names(op).contains("fieldValidation"));
                    CHECK(op.at("x-kubernetes-action") == "patch");
                }
            });
        INFO(gv.api_version());
        CHECK(patches > 0);
    }
}

TEST_CASE("operation ids are unique within a document", "[openapi]") {
    for (const auto& gv : reg().group_versions()) {
        std::set<std::string> ids;
        for_each_operation(openapi_v3_document(reg(), gv),
                           [&](std::string_view, std::string_view, const json::value& op) {
                               const std::string id(op.at("operationId").as_string());
                               INFO(id);
                               CHECK(ids.insert(id).second);
                           });
    }
}

TEST_CASE("component schemas carry GVKs and every reference resolves", "[openapi]") {
    for (const auto& gv : reg().group_versions()) {
        INFO(gv.api_version());
        const auto doc = openapi_v3_document(reg(), gv);
        const auto& schemas = doc.at("components").at("schemas").as_object();
        std::set<std::string> refs;
        collect_refs(doc, refs);
        for (const auto& ref : refs) {
            INFO(ref);
            REQUIRE(ref.starts_with("#/components/schemas/"));
            CHECK(schemas.contains(ref.substr(std::string_view("#/components/schemas/").size())));
        }
        for (const auto& t : reg().all()) {
            if (t.gv != gv) {
                continue;
            }
            const auto name = openapi_schema_name(gv, t.kind);
            INFO(name);
            REQUIRE(schemas.contains(name));
            const auto& s = schemas.at(name);
            CHECK(s.at("type") == "object");
            CHECK(s.at("x-kubernetes-group-version-kind").as_array().at(0) ==
                  json::parse(json::serialize(json::object{
                      {"group", gv.group}, {"kind", t.kind}, {"version", gv.version}})));
            CHECK(s.at("properties").at("metadata").at("allOf").at(0).at("$ref") ==
                  "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
            CHECK_FALSE(s.at("description").as_string().empty());
        }
    }
}

TEST_CASE("the generic pod schema", "[openapi]") {
    const auto& schemas = core_doc().at("components").at("schemas").as_object();
    const auto& pod = schemas.at("io.k8s.api.core.v1.Pod");
    const auto& props = pod.at("properties").as_object();
    CHECK(props.at("apiVersion").at("type") == "string");
    CHECK(props.at("kind").at("type") == "string");
    CHECK(props.at("spec").at("type") == "object");
    CHECK(props.at("spec").at("x-kubernetes-preserve-unknown-fields") == true);
    CHECK(props.at("status").at("x-kubernetes-preserve-unknown-fields") == true);
    // ConfigMaps keep their data at the top level: no spec, no status.
    const auto& cm = schemas.at("io.k8s.api.core.v1.ConfigMap").at("properties").as_object();
    CHECK_FALSE(cm.contains("spec"));
    CHECK_FALSE(cm.contains("status"));
    CHECK(schemas.at("io.k8s.api.core.v1.ConfigMap").at("x-kubernetes-preserve-unknown-fields") ==
          true);
    const auto& list = schemas.at("io.k8s.api.core.v1.PodList");
    CHECK(list.at("x-kubernetes-group-version-kind").at(0).at("kind") == "PodList");
    CHECK(list.at("properties").at("items").at("items").at("$ref") ==
          "#/components/schemas/io.k8s.api.core.v1.Pod");
    const auto& meta = schemas.at("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    CHECK(meta.at("properties").at("labels").at("additionalProperties").at("type") == "string");
    CHECK(schemas.contains("io.k8s.api.policy.v1.Eviction"));

    const auto& apps = apps_doc().at("components").at("schemas").as_object();
    CHECK(apps.contains("io.k8s.api.apps.v1.Deployment"));
    CHECK(apps.at("io.k8s.api.autoscaling.v1.Scale")
              .at("x-kubernetes-group-version-kind")
              .at(0)
              .at("group") == "autoscaling");
}

TEST_CASE("custom resources take their schema from a source", "[openapi]") {
    auto r = Registry::builtin();
    ResourceType crd;
    crd.gv = {"stable.example.com", "v1"};
    crd.kind = "CronTab";
    crd.resource = "crontabs";
    crd.singular = "crontab";
    crd.verbs = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"};
    crd.custom = true;
    crd.subresources.push_back({"status", crd.gv, "CronTab", {"get", "patch", "update"}});
    r.put(crd);

    std::map<std::string, json::value> schemas;
    schemas[gvk_key(crd.gv, "CronTab")] = json::parse(R"({
        "type": "object",
        "properties": {
            "metadata": {"type": "object"},
            "spec": {"type": "object", "properties": {"cronSpec": {"type": "string"}}}
        }
    })");
    OpenApiOptions options;
    options.schemas = schema_map(std::move(schemas));
    const auto doc = openapi_v3_document(r, crd.gv, options);
    const auto& s = doc.at("components").at("schemas").at("com.example.stable.v1.CronTab");
    CHECK(s.at("properties").at("spec").at("properties").at("cronSpec").at("type") == "string");
    CHECK(s.at("properties").at("metadata").at("allOf").at(0).at("$ref") ==
          "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    CHECK(s.at("properties").at("apiVersion").at("type") == "string");
    CHECK(s.at("x-kubernetes-group-version-kind").at(0).at("group") == "stable.example.com");
    const auto& paths = doc.at("paths").as_object();
    const auto& patch =
        paths.at("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}").at("patch");
    CHECK(param_names(patch).contains("fieldValidation"));
    CHECK(patch.at("operationId") == "patchStableExampleComV1NamespacedCronTab");
    CHECK(build_openapi_v3(r, options).documents.contains("apis/stable.example.com/v1"));

    // Without a source, the generic schema.
    const auto plain = openapi_v3_document(r, crd.gv);
    CHECK(plain.at("components")
              .at("schemas")
              .at("com.example.stable.v1.CronTab")
              .at("properties")
              .at("spec")
              .at("x-kubernetes-preserve-unknown-fields") == true);
}

TEST_CASE("a schema source can add definitions", "[openapi]") {
    OpenApiOptions options;
    options.schemas = [](const GroupVersion& gv,
                         std::string_view kind) -> std::optional<KindSchema> {
        if (gv.group != "" || kind != "ConfigMap") {
            return std::nullopt;
        }
        KindSchema k;
        k.schema = json::parse(R"({"description": "data holder", "properties": {
            "data": {"$ref": "#/components/schemas/test.Data"}}})");
        k.definitions["test.Data"] = json::parse(R"({"type": "object"})");
        return k;
    };
    const auto doc = openapi_v3_document(reg(), {"", "v1"}, options);
    const auto& schemas = doc.at("components").at("schemas");
    CHECK(schemas.at("io.k8s.api.core.v1.ConfigMap").at("description") == "data holder");
    CHECK(schemas.at("io.k8s.api.core.v1.ConfigMap").at("type") == "object");
    CHECK(schemas.at("test.Data").at("type") == "object");
    CHECK(schemas.at("io.k8s.api.core.v1.Pod").at("properties").at("spec").is_object());
}

TEST_CASE("supplied definitions win over generated ones", "[openapi]") {
    OpenApiOptions options;
    options.schemas = [](const GroupVersion& gv,
                         std::string_view kind) -> std::optional<KindSchema> {
        KindSchema k;
        if (gv.group == "apps" && kind == "StatefulSet") {
            // Deployments' scale subresource has had a generic Scale filled in by now.
            k.schema = json::object{{"type", "object"}};
            k.definitions["io.k8s.api.autoscaling.v1.Scale"] =
                json::parse(R"({"type": "object", "description": "real scale"})");
            return k;
        }
        if (gv.group != "apps" || kind != "Deployment") {
            return std::nullopt;
        }
        k.schema = json::parse(R"({"type": "object", "properties": {
            "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}],
                         "description": "theirs"},
            "spec": {"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}}})");
        k.definitions["io.k8s.api.apps.v1.DeploymentSpec"] = json::parse(R"({"type": "object"})");
        k.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] =
            json::parse(R"({"type": "object", "description": "rich"})");
        return k;
    };
    const auto doc = openapi_v3_document(reg(), {"apps", "v1"}, options);
    const auto& schemas = doc.at("components").at("schemas");
    CHECK(schemas.at("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").at("description") ==
          "rich");
    CHECK(schemas.at("io.k8s.api.apps.v1.Deployment")
              .at("properties")
              .at("metadata")
              .at("description") == "theirs");
    CHECK(schemas.at("io.k8s.api.autoscaling.v1.Scale").at("description") == "real scale");
    CHECK(schemas.at("io.k8s.api.apps.v1.DeploymentSpec").at("type") == "object");
}

TEST_CASE("the v2 protobuf document", "[openapi]") {
    const auto bytes = openapi_v2_protobuf();
    REQUIRE(bytes.size() > 5);
    CHECK(bytes.substr(0, 5) == std::string("\x0a\x03"
                                            "2.0",
                                            5));
    const std::string expected = std::string(
                                     "\x0a\x03"
                                     "2.0"
                                     "\x12\x15",
                                     7) +
                                 std::string(
                                     "\x0a\x0a"
                                     "Kubernetes"
                                     "\x12\x07"
                                     "v1.32.4",
                                     21);
    CHECK(bytes == expected);
    CHECK(openapi_v2_protobuf("t", "v").size() == 5 + 2 + 6);
    // No '@' in what we answer with: Go's mime.ParseMediaType rejects it.
    CHECK(kOpenApiV2ProtobufContentType ==
          "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    CHECK(kOpenApiV2ProtobufContentType.find('@') == std::string_view::npos);
    CHECK(kOpenApiV2ProtobufAcceptType ==
          "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
}
