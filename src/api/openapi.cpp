// OpenAPI v3 documents per group version, their index, and the protobuf v2 stub.
#include "skiff/api/openapi.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "skiff/api/discovery.h"

namespace skiff::api {

namespace json = boost::json;

namespace {

constexpr std::string_view kMetaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";

std::string meta_name(std::string_view kind) {
    return std::string(kMetaPrefix) + std::string(kind);
}

std::string ref_to(std::string_view schema_name) {
    return "#/components/schemas/" + std::string(schema_name);
}

json::object ref_schema(std::string_view schema_name) {
    return {{"$ref", ref_to(schema_name)}};
}

/// A field pointing at another schema; allOf keeps the description next to the reference,
/// which a bare $ref would not allow in OpenAPI 3.0.
json::object ref_field(std::string_view schema_name, std::string_view description) {
    return {{"allOf", json::array{ref_schema(schema_name)}}, {"description", description}};
}

json::object typed(std::string_view type, std::string_view description) {
    return {{"type", type}, {"description", description}};
}

json::object gvk(const GroupVersion& gv, std::string_view kind) {
    return {{"group", gv.group}, {"kind", kind}, {"version", gv.version}};
}

bool has(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string capitalized(std::string_view s) {
    std::string out(s);
    if (!out.empty()) {
        out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    }
    return out;
}

/// The group as operation ids and tags spell it: ".k8s.io" dropped, labels camel-cased
/// ("rbac.authorization.k8s.io" → "RbacAuthorization"); "Core" for the core group.
std::string group_camel(const GroupVersion& gv) {
    if (gv.group.empty()) {
        return "Core";
    }
    std::string_view g = gv.group;
    constexpr std::string_view kSuffix = ".k8s.io";
    if (g.size() > kSuffix.size() && g.ends_with(kSuffix)) {
        g.remove_suffix(kSuffix.size());
    }
    std::string out;
    bool upper = true;
    for (char c : g) {
        if (c == '.' || c == '-') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

// ---- parameters ----

json::object parameter(std::string_view name, std::string_view in, std::string_view type,
                       std::string_view description, bool required = false) {
    json::object p{{"description", description}, {"in", in}, {"name", name}};
    if (required) {
        p["required"] = true;
    }
    p["schema"] = json::object{{"type", type}, {"uniqueItems", true}};
    return p;
}

json::object query(std::string_view name, std::string_view type, std::string_view description) {
    return parameter(name, "query", type, description);
}

json::object pretty_param() {
    return query("pretty", "string", "When 'true', the response is indented.");
}

json::object namespace_param() {
    return parameter("namespace", "path", "string", "The namespace the object lives in.", true);
}

json::object name_param(std::string_view kind) {
    return parameter("name", "path", "string", "The name of the " + std::string(kind) + ".", true);
}

json::object dry_run_param() {
    return query("dryRun", "string",
                 "'All' runs every stage of the request without persisting its outcome.");
}

json::object field_manager_param() {
    return query("fieldManager", "string",
                 "The name of the actor making the change, recorded in managedFields; required "
                 "for apply patches.");
}

json::object field_validation_param() {
    return query("fieldValidation", "string",
                 "What the server does with unknown or duplicate fields in the body: 'Strict' "
                 "rejects the request, 'Warn' answers with warnings, 'Ignore' drops them.");
}

json::object force_param() {
    return query("force", "boolean",
                 "For apply patches: take over fields other managers own instead of failing "
                 "with a conflict. Must be unset for other patch types.");
}

/// POST and PUT.
json::array write_params() {
    return {dry_run_param(), field_manager_param(), field_validation_param()};
}

/// PATCH: kubectl looks for `fieldValidation` here to leave validation to the server.
json::array patch_params() {
    return {dry_run_param(), field_manager_param(), field_validation_param(), force_param()};
}

json::array selector_params() {
    return {
        query("continue", "string", "The token of the next page, from a previous list's metadata."),
        query("fieldSelector", "string",
              "Only objects whose fields match, e.g. metadata.name=x; all when empty."),
        query("labelSelector", "string", "Only objects whose labels match; all when empty."),
        query("limit", "integer",
              "The most objects to return; more remain when metadata.continue is set."),
        query("resourceVersion", "string",
              "The resource version the answer must be at least as new as."),
        query("resourceVersionMatch", "string",
              "How resourceVersion is applied to a list: NotOlderThan or Exact."),
        query("sendInitialEvents", "boolean",
              "With watch: first send the current objects as ADDED events, then a bookmark."),
        query("timeoutSeconds", "integer", "End the list or watch after this many seconds."),
    };
}

json::array list_params() {
    json::array out{query("allowWatchBookmarks", "boolean",
                          "With watch: the server may send BOOKMARK events.")};
    for (auto& p : selector_params()) {
        out.push_back(std::move(p));
    }
    out.push_back(query("watch", "boolean",
                        "Stream changes after resourceVersion instead of returning a list."));
    return out;
}

json::array delete_params() {
    return {
        dry_run_param(),
        query("gracePeriodSeconds", "integer",
              "Seconds to wait before the object is removed; 0 removes it at once."),
        query("orphanDependents", "boolean",
              "Deprecated: use propagationPolicy. True orphans the dependents."),
        query("propagationPolicy", "string",
              "What happens to dependents: 'Orphan', 'Background' or 'Foreground'."),
    };
}

json::array delete_collection_params() {
    auto out = delete_params();
    for (auto& p : selector_params()) {
        out.push_back(std::move(p));
    }
    return out;
}

/// Query parameters of the streaming and connect subresources of pods.
json::array subresource_params(std::string_view sub) {
    if (sub == "log") {
        return {
            query("container", "string", "The container to read; optional with one container."),
            query("follow", "boolean", "Keep the stream open and send new lines."),
            query("insecureSkipTLSVerifyBackend", "boolean",
                  "Do not verify the kubelet's serving certificate."),
            query("limitBytes", "integer", "Stop after this many bytes."),
            query("previous", "boolean", "Read the previous, terminated instance."),
            query("sinceSeconds", "integer", "Only lines newer than this many seconds."),
            query("sinceTime", "string", "Only lines after this RFC 3339 time."),
            query("tailLines", "integer", "Start this many lines before the end."),
            query("timestamps", "boolean", "Prefix every line with its RFC 3339 timestamp."),
        };
    }
    if (sub == "exec" || sub == "attach") {
        json::array out;
        if (sub == "exec") {
            out.push_back(query("command", "string", "One argument of the command per value."));
        }
        out.push_back(query("container", "string", "The container to connect to."));
        out.push_back(query("stderr", "boolean", "Stream standard error."));
        out.push_back(query("stdin", "boolean", "Stream standard input."));
        out.push_back(query("stdout", "boolean", "Stream standard output."));
        out.push_back(query("tty", "boolean", "Allocate a terminal."));
        return out;
    }
    if (sub == "portforward") {
        return {query("ports", "integer", "A port of the pod to forward to.")};
    }
    return {};
}

bool is_connect(std::string_view sub) {
    return sub == "exec" || sub == "attach" || sub == "portforward" || sub == "proxy";
}

// ---- request bodies and responses ----

json::object media(const json::object& schema, std::initializer_list<std::string_view> types) {
    json::object out;
    for (auto t : types) {
        out[t] = json::object{{"schema", schema}};
    }
    return out;
}

json::object object_content(const json::object& schema) {
    return media(schema,
                 {"application/json", "application/vnd.kubernetes.protobuf", "application/yaml"});
}

json::object responses(const json::object& schema, std::initializer_list<std::string_view> codes,
                       bool streaming = false) {
    json::object out;
    for (auto code : codes) {
        std::string_view text = code == "200" ? "OK" : code == "201" ? "Created" : "Accepted";
        auto content = streaming
                           ? media(schema, {"application/json", "application/json;stream=watch",
                                            "application/vnd.kubernetes.protobuf",
                                            "application/vnd.kubernetes.protobuf;stream=watch",
                                            "application/yaml"})
                           : object_content(schema);
        out[code] = json::object{{"content", std::move(content)}, {"description", text}};
    }
    out["401"] = json::object{{"description", "Unauthorized"}};
    return out;
}

json::object body_of(const json::object& schema, bool required = true) {
    json::object b{{"content", media(schema, {"*/*"})}};
    if (required) {
        b["required"] = true;
    }
    return b;
}

json::object patch_body() {
    return {{"content",
             media(ref_schema(meta_name("Patch")),
                   {"application/apply-patch+yaml", "application/json-patch+json",
                    "application/merge-patch+json", "application/strategic-merge-patch+json"})},
            {"required", true}};
}

// ---- schemas ----

/// Kinds whose objects have no spec (their data sits at the top level).
bool without_spec(std::string_view kind) {
    static const std::set<std::string_view> kKinds = {
        "Binding",
        "ClusterRole",
        "ClusterRoleBinding",
        "ConfigMap",
        "ControllerRevision",
        "EndpointSlice",
        "Endpoints",
        "Event",
        "Eviction",
        "PodAttachOptions",
        "PodExecOptions",
        "PodPortForwardOptions",
        "PodTemplate",
        "PriorityClass",
        "Role",
        "RoleBinding",
        "Secret",
        "ServiceAccount",
        "StorageClass",
    };
    return kKinds.contains(kind);
}

json::object object_meta_schema() {
    json::object string_map{{"type", "object"},
                            {"additionalProperties", json::object{{"type", "string"}}}};
    auto labels = string_map;
    labels["description"] = "Key-value pairs used to select and group objects.";
    auto annotations = string_map;
    annotations["description"] = "Key-value pairs for tools and people; not used for selection.";
    json::object owner{
        {"type", "object"},
        {"properties",
         json::object{
             {"apiVersion", typed("string", "The owner's API version.")},
             {"blockOwnerDeletion",
              typed("boolean", "The owner waits for this object in foreground deletion.")},
             {"controller", typed("boolean", "This owner is the managing controller.")},
             {"kind", typed("string", "The owner's kind.")},
             {"name", typed("string", "The owner's name.")},
             {"uid", typed("string", "The owner's uid.")},
         }},
        {"required", json::array{"apiVersion", "kind", "name", "uid"}},
    };
    auto timestamp = [](std::string_view description) {
        return json::object{
            {"type", "string"}, {"format", "date-time"}, {"description", description}};
    };
    json::object int64{{"type", "integer"}, {"format", "int64"}};
    auto generation = int64;
    generation["description"] = "Bumped by the server on every change of the desired state.";
    auto grace = int64;
    grace["description"] = "The grace period of a pending deletion, in seconds.";
    return {
        {"description",
         "Identity and bookkeeping every stored object carries: name, namespace, labels, "
         "owners, versions and timestamps."},
        {"type", "object"},
        {"properties",
         json::object{
             {"annotations", std::move(annotations)},
             {"creationTimestamp", timestamp("When the server stored the object first.")},
             {"deletionGracePeriodSeconds", std::move(grace)},
             {"deletionTimestamp", timestamp("When deletion was requested; set by the server.")},
             {"finalizers",
              json::object{{"type", "array"},
                           {"items", json::object{{"type", "string"}}},
                           {"description", "Keys that must be removed before the object goes."},
                           {"x-kubernetes-list-type", "set"},
                           {"x-kubernetes-patch-strategy", "merge"}}},
             {"generateName", typed("string", "A prefix the server completes into a unique name.")},
             {"generation", std::move(generation)},
             {"labels", std::move(labels)},
             {"managedFields",
              json::object{
                  {"type", "array"},
                  {"description", "Which manager owns which fields."},
                  {"items", json::object{{"type", "object"},
                                         {"x-kubernetes-preserve-unknown-fields", true}}}}},
             {"name", typed("string", "Unique within the namespace (or cluster) and kind.")},
             {"namespace", typed("string", "The namespace of a namespaced object.")},
             {"ownerReferences",
              json::object{{"type", "array"},
                           {"description", "Objects this one depends on, for garbage collection."},
                           {"items", std::move(owner)},
                           {"x-kubernetes-list-map-keys", json::array{"uid"}},
                           {"x-kubernetes-list-type", "map"},
                           {"x-kubernetes-patch-merge-key", "uid"},
                           {"x-kubernetes-patch-strategy", "merge"}}},
             {"resourceVersion",
              typed("string",
                    "Opaque version of this state, for concurrency control and watches.")},
             {"selfLink", typed("string", "Deprecated and not set.")},
             {"uid", typed("string", "Unique for the object's whole lifetime; set by the server.")},
         }},
    };
}

json::object list_meta_schema() {
    json::object remaining{{"type", "integer"},
                           {"format", "int64"},
                           {"description", "How many objects the following pages hold, if known."}};
    return {
        {"description", "The resource version and paging state of a list."},
        {"type", "object"},
        {"properties",
         json::object{
             {"continue", typed("string", "Pass as ?continue= to read the next page.")},
             {"remainingItemCount", std::move(remaining)},
             {"resourceVersion", typed("string", "The version the list was read at.")},
             {"selfLink", typed("string", "Deprecated and not set.")},
         }},
    };
}

json::object status_schema() {
    json::object code{
        {"type", "integer"}, {"format", "int32"}, {"description", "The HTTP status."}};
    return {
        {"description", "The outcome of a request that returns no object, usually an error."},
        {"type", "object"},
        {"properties",
         json::object{
             {"apiVersion", typed("string", "v1")},
             {"code", std::move(code)},
             {"details", json::object{{"type", "object"},
                                      {"description", "The object concerned and the causes."},
                                      {"x-kubernetes-preserve-unknown-fields", true}}},
             {"kind", typed("string", "Status")},
             {"message", typed("string", "What went wrong, for people.")},
             {"metadata", ref_field(meta_name("ListMeta"), "Unused.")},
             {"reason", typed("string", "What went wrong, for programs, e.g. NotFound.")},
             {"status", typed("string", "Success or Failure.")},
         }},
        {"x-kubernetes-group-version-kind", json::array{gvk({"", "v1"}, "Status")}},
    };
}

json::object delete_options_schema(const GroupVersion& gv) {
    json::array gvks{gvk({"", "v1"}, "DeleteOptions")};
    if (!gv.group.empty()) {
        gvks.push_back(gvk(gv, "DeleteOptions"));
    }
    json::object grace{{"type", "integer"},
                       {"format", "int64"},
                       {"description", "Seconds to wait before the object is removed."}};
    return {
        {"description", "How a delete request is carried out."},
        {"type", "object"},
        {"properties",
         json::object{
             {"apiVersion", typed("string", "The API version of this object.")},
             {"dryRun", json::object{{"type", "array"},
                                     {"items", json::object{{"type", "string"}}},
                                     {"description", "['All'] deletes nothing for real."}}},
             {"gracePeriodSeconds", std::move(grace)},
             {"kind", typed("string", "DeleteOptions")},
             {"orphanDependents", typed("boolean", "Deprecated: use propagationPolicy.")},
             {"preconditions",
              json::object{{"type", "object"},
                           {"description", "Delete only if uid and resourceVersion still match."},
                           {"properties", json::object{{"resourceVersion", typed("string", "")},
                                                       {"uid", typed("string", "")}}}}},
             {"propagationPolicy", typed("string", "Orphan, Background or Foreground.")},
         }},
        {"x-kubernetes-group-version-kind", std::move(gvks)},
    };
}

/// Builds one group version's document.
class DocumentBuilder {
public:
    DocumentBuilder(const Registry& registry, const GroupVersion& gv, const OpenApiOptions& options)
        : registry_(registry), gv_(gv), options_(options) {
        prefix_ = gv.group.empty() ? "/api/" + gv.version : "/apis/" + gv.api_version();
        id_group_ = group_camel(gv) + capitalized(gv.version);
        auto tag_group = group_camel(gv);
        tag_group[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(tag_group[0])));
        tag_ = tag_group + "_" + gv.version;
    }

    json::value build() {
        for (const auto& t : registry_.all()) {
            if (t.gv == gv_) {
                add_resource(t);
            }
        }
        // A schema source may have brought richer versions of these along.
        schemas_.emplace(meta_name("ObjectMeta"), object_meta_schema());
        schemas_.emplace(meta_name("ListMeta"), list_meta_schema());
        schemas_.emplace(meta_name("Status"), status_schema());
        schemas_.emplace(meta_name("DeleteOptions"), delete_options_schema(gv_));
        schemas_.emplace(
            meta_name("Patch"),
            json::object{
                {"description", "A patch body; its media type says which kind of patch it is."},
                {"type", "object"}});
        // Members sorted by name, as upstream documents are, so the text is stable.
        return json::object{
            {"openapi", "3.0.0"},
            {"info", json::object{{"title", options_.title}, {"version", options_.version}}},
            {"paths", sorted(std::move(paths_))},
            {"components", json::object{{"schemas", sorted(std::move(schemas_))}}},
        };
    }

private:
    static json::object sorted(json::object in) {
        std::vector<std::pair<std::string, json::value>> members;
        members.reserve(in.size());
        for (auto& kv : in) {
            members.emplace_back(std::string(kv.key()), std::move(kv.value()));
        }
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        json::object out;
        out.reserve(members.size());
        for (auto& [k, v] : members) {
            out.emplace(k, std::move(v));
        }
        return out;
    }

    json::object operation(std::string_view description, std::string id, std::string_view action,
                           const GroupVersion& gv, std::string_view kind) {
        return {
            {"description", description},
            {"operationId", std::move(id)},
            {"tags", json::array{tag_}},
            {"x-kubernetes-action", action},
            {"x-kubernetes-group-version-kind", gvk(gv, kind)},
        };
    }

    /// Upstream's scheme: verb, group and version, infix ("Collection", "Get"), scope, kind,
    /// subresource: deleteCoreV1CollectionNamespacedPod, connectCoreV1GetNamespacedPodExec.
    std::string op_id(std::string_view verb, const ResourceType& t, std::string_view suffix = {},
                      bool all_namespaces = false, std::string_view infix = {}) {
        std::string id(verb);
        id += id_group_;
        id += infix;
        if (t.namespaced && !all_namespaces) {
            id += "Namespaced";
        }
        id += t.kind;
        id += suffix;
        if (all_namespaces) {
            id += "ForAllNamespaces";
        }
        return id;
    }

    void add_resource(const ResourceType& t) {
        const auto kind_ref = ref_schema(ensure_kind_schema(t.gv, t.kind, &t));
        const std::string ns_segment = t.namespaced ? "/namespaces/{namespace}" : "";
        const auto collection = prefix_ + ns_segment + "/" + t.resource;
        const auto item = collection + "/{name}";
        const auto& verbs = t.verbs;
        const auto a = article(t.kind);

        // Collection: list, create, deletecollection.
        json::object coll;
        if (has(verbs, "list")) {
            const auto list_ref = ref_schema(ensure_list_schema(t));
            auto op = operation("Lists or watches objects of kind " + t.kind + ".",
                                op_id("list", t), "list", t.gv, t.kind);
            op["parameters"] = list_params();
            op["responses"] = responses(list_ref, {"200"}, true);
            coll["get"] = std::move(op);
            if (t.namespaced) {
                auto all =
                    operation("Lists or watches objects of kind " + t.kind + " in every namespace.",
                              op_id("list", t, {}, true), "list", t.gv, t.kind);
                all["parameters"] = list_params();
                all["responses"] = responses(list_ref, {"200"}, true);
                json::object path{{"get", std::move(all)},
                                  {"parameters", json::array{pretty_param()}}};
                paths_[prefix_ + "/" + t.resource] = std::move(path);
            }
        }
        if (has(verbs, "create")) {
            auto op = operation("Creates " + a + " " + t.kind + ".", op_id("create", t), "post",
                                t.gv, t.kind);
            op["parameters"] = write_params();
            op["requestBody"] = body_of(kind_ref);
            op["responses"] = responses(kind_ref, {"200", "201", "202"});
            coll["post"] = std::move(op);
        }
        if (has(verbs, "deletecollection")) {
            auto op = operation("Deletes every " + t.kind + " the selectors match.",
                                op_id("delete", t, {}, false, "Collection"), "deletecollection",
                                t.gv, t.kind);
            op["parameters"] = delete_collection_params();
            op["requestBody"] = body_of(ref_schema(meta_name("DeleteOptions")), false);
            op["responses"] = responses(ref_schema(meta_name("Status")), {"200"});
            coll["delete"] = std::move(op);
        }
        if (!coll.empty()) {
            coll["parameters"] = path_params(t, false);
            paths_[collection] = std::move(coll);
        }

        // Item: read, replace, patch, delete.
        json::object one;
        if (has(verbs, "get")) {
            auto op = operation("Reads the " + t.kind + " of the given name.", op_id("read", t),
                                "get", t.gv, t.kind);
            op["responses"] = responses(kind_ref, {"200"});
            one["get"] = std::move(op);
        }
        if (has(verbs, "update")) {
            auto op = operation("Replaces the " + t.kind + " of the given name.",
                                op_id("replace", t), "put", t.gv, t.kind);
            op["parameters"] = write_params();
            op["requestBody"] = body_of(kind_ref);
            op["responses"] = responses(kind_ref, {"200", "201"});
            one["put"] = std::move(op);
        }
        if (has(verbs, "patch")) {
            auto op = operation("Applies a patch to the " + t.kind + " of the given name.",
                                op_id("patch", t), "patch", t.gv, t.kind);
            op["parameters"] = patch_params();
            op["requestBody"] = patch_body();
            op["responses"] = responses(kind_ref, {"200", "201"});
            one["patch"] = std::move(op);
        }
        if (has(verbs, "delete")) {
            auto op = operation("Deletes the " + t.kind + " of the given name.", op_id("delete", t),
                                "delete", t.gv, t.kind);
            op["parameters"] = delete_params();
            op["requestBody"] = body_of(ref_schema(meta_name("DeleteOptions")), false);
            auto resp = responses(ref_schema(meta_name("Status")), {"200", "202"});
            // The deleted object itself comes back when it is gone at once; Status otherwise.
            resp["200"].as_object()["content"] = object_content(
                json::object{{"oneOf", json::array{kind_ref, ref_schema(meta_name("Status"))}}});
            op["responses"] = std::move(resp);
            one["delete"] = std::move(op);
        }
        if (!one.empty()) {
            one["parameters"] = path_params(t, true);
            paths_[item] = std::move(one);
        }

        for (const auto& s : t.subresources) {
            add_subresource(t, s, item + "/" + s.name);
        }
    }

    void add_subresource(const ResourceType& t, const Subresource& s, const std::string& path) {
        const bool connect = is_connect(s.name);
        const bool log = s.name == "log";
        const auto& rgv = s.response_group_version;
        const auto suffix = capitalized(s.name);
        json::object response_schema;
        if (connect || log) {
            response_schema = json::object{{"type", "string"}};
            // The options kind names the operation's GVK; give it a schema too.
            ensure_kind_schema(rgv, s.response_kind, nullptr);
        } else {
            response_schema = ref_schema(ensure_kind_schema(rgv, s.response_kind, nullptr));
        }
        const std::string what = s.name + " of the " + t.kind + " of the given name";
        json::object ops;
        if (has(s.verbs, "get")) {
            auto op = connect ? operation("Connects to the " + what + " with GET.",
                                          op_id("connect", t, suffix, false, "Get"), "connect", rgv,
                                          s.response_kind)
                              : operation("Reads the " + what + ".", op_id("read", t, suffix),
                                          "get", rgv, s.response_kind);
            auto params = subresource_params(s.name);
            if (!params.empty()) {
                op["parameters"] = std::move(params);
            }
            if (log) {
                json::object ok{{"content", media(response_schema, {"text/plain"})},
                                {"description", "OK"}};
                op["responses"] = json::object{
                    {"200", std::move(ok)}, {"401", json::object{{"description", "Unauthorized"}}}};
            } else {
                op["responses"] = responses(response_schema, {"200"});
            }
            ops["get"] = std::move(op);
        }
        if (has(s.verbs, "create")) {
            if (connect) {
                auto op = operation("Connects to the " + what + " with POST.",
                                    op_id("connect", t, suffix, false, "Post"), "connect", rgv,
                                    s.response_kind);
                auto params = subresource_params(s.name);
                if (!params.empty()) {
                    op["parameters"] = std::move(params);
                }
                op["responses"] = responses(response_schema, {"200"});
                ops["post"] = std::move(op);
            } else {
                auto op = operation("Creates the " + what + ".", op_id("create", t, suffix), "post",
                                    rgv, s.response_kind);
                op["parameters"] = write_params();
                op["requestBody"] = body_of(response_schema);
                op["responses"] = responses(response_schema, {"200", "201", "202"});
                ops["post"] = std::move(op);
            }
        }
        if (has(s.verbs, "update")) {
            auto op = operation("Replaces the " + what + ".", op_id("replace", t, suffix), "put",
                                rgv, s.response_kind);
            op["parameters"] = write_params();
            op["requestBody"] = body_of(response_schema);
            op["responses"] = responses(response_schema, {"200", "201"});
            ops["put"] = std::move(op);
        }
        if (has(s.verbs, "patch")) {
            auto op = operation("Applies a patch to the " + what + ".", op_id("patch", t, suffix),
                                "patch", rgv, s.response_kind);
            op["parameters"] = patch_params();
            op["requestBody"] = patch_body();
            op["responses"] = responses(response_schema, {"200", "201"});
            ops["patch"] = std::move(op);
        }
        if (ops.empty()) {
            return;
        }
        ops["parameters"] = path_params(t, true, s.name);
        paths_[path] = std::move(ops);
    }

    static json::array path_params(const ResourceType& t, bool item, std::string_view sub = {}) {
        json::array out;
        if (item) {
            out.push_back(name_param(t.kind));
        }
        if (t.namespaced) {
            out.push_back(namespace_param());
        }
        if (!is_connect(sub)) {
            out.push_back(pretty_param());
        }
        return out;
    }

    static std::string article(std::string_view kind) {
        return !kind.empty() && std::string_view("AEIOU").find(kind[0]) != std::string_view::npos
                   ? "an"
                   : "a";
    }

    /// Adds the schema of a kind once; returns its name. `type` is null for kinds that are not
    /// resources (subresource responses such as Scale).
    std::string ensure_kind_schema(const GroupVersion& gv, std::string_view kind,
                                   const ResourceType* type) {
        auto name = openapi_schema_name(gv, kind);
        if (schemas_.contains(name)) {
            return name;
        }
        std::optional<KindSchema> supplied;
        if (options_.schemas) {
            supplied = options_.schemas(gv, kind);
        }
        json::object schema;
        if (supplied && supplied->schema.is_object()) {
            schema = std::move(supplied->schema.as_object());
            for (auto& kv : supplied->definitions) {
                // A supplied definition beats a generic schema filled in before it.
                if (!schemas_.contains(kv.key()) || generic_.erase(std::string(kv.key())) > 0) {
                    schemas_[kv.key()] = std::move(kv.value());
                }
            }
        } else {
            schema = generic_schema(gv, kind, type);
            generic_.insert(name);
        }
        complete(schema, gv, kind);
        schemas_[name] = std::move(schema);
        return name;
    }

    std::string ensure_list_schema(const ResourceType& t) {
        const auto list_kind = t.kind + "List";
        auto name = openapi_schema_name(t.gv, list_kind);
        if (schemas_.contains(name)) {
            return name;
        }
        json::object items{{"type", "array"},
                           {"description", "The objects of the list."},
                           {"items", ref_schema(openapi_schema_name(t.gv, t.kind))}};
        schemas_[name] = json::object{
            {"description", "A list of " + t.kind + " objects."},
            {"type", "object"},
            {"properties",
             json::object{
                 {"apiVersion", typed("string", api_version_text)},
                 {"items", std::move(items)},
                 {"kind", typed("string", kind_text)},
                 {"metadata",
                  ref_field(meta_name("ListMeta"), "The list's version and paging state.")},
             }},
            {"required", json::array{"items"}},
            {"x-kubernetes-group-version-kind", json::array{gvk(t.gv, list_kind)}},
        };
        return name;
    }

    static constexpr std::string_view api_version_text =
        "The group and version of the object's schema, e.g. apps/v1.";
    static constexpr std::string_view kind_text = "The object's kind, in CamelCase.";
    static constexpr std::string_view metadata_text =
        "Name, namespace, labels and the other data every object carries.";

    json::object generic_schema(const GroupVersion& gv, std::string_view kind,
                                const ResourceType* type) {
        std::string where =
            type ? std::string(type->namespaced ? "a namespaced" : "a cluster-wide") +
                       " resource served as " + type->resource + " in " + gv.api_version()
                 : "a kind of " + gv.api_version() + " used by subresources";
        json::object props;
        const auto open = [](std::string_view description) {
            return json::object{{"type", "object"},
                                {"description", description},
                                {"x-kubernetes-preserve-unknown-fields", true}};
        };
        if (!without_spec(kind)) {
            props["spec"] = open("The desired state, as its owner writes it.");
        }
        if ((type && type->has_subresource("status")) || (!type && !without_spec(kind))) {
            props["status"] = open("The observed state, as the system reports it.");
        }
        return {
            {"description", std::string(kind) + " is " + where +
                                ". Its fields are not described in detail yet: any field "
                                "besides apiVersion, kind and metadata is accepted as sent."},
            {"type", "object"},
            {"properties", std::move(props)},
            {"x-kubernetes-preserve-unknown-fields", true},
        };
    }

    /// What every kind schema carries, whatever its source.
    static void complete(json::object& schema, const GroupVersion& gv, std::string_view kind) {
        if (!schema.contains("type")) {
            schema["type"] = "object";
        }
        auto& props_value = schema["properties"];
        if (!props_value.is_object()) {
            props_value = json::object{};
        }
        auto& props = props_value.as_object();
        if (!props.contains("apiVersion")) {
            props["apiVersion"] = typed("string", api_version_text);
        }
        if (!props.contains("kind")) {
            props["kind"] = typed("string", kind_text);
        }
        // Custom resource schemas describe metadata loosely at best (the server owns it); a
        // schema that already points metadata somewhere keeps it.
        const auto* meta = props.if_contains("metadata");
        if (!meta || !meta->is_object() ||
            !(meta->as_object().contains("$ref") || meta->as_object().contains("allOf"))) {
            props["metadata"] = ref_field(meta_name("ObjectMeta"), metadata_text);
        }
        props = sorted(std::move(props));
        schema["x-kubernetes-group-version-kind"] = json::array{gvk(gv, kind)};
    }

    const Registry& registry_;
    GroupVersion gv_;
    const OpenApiOptions& options_;
    std::string prefix_;
    std::string id_group_;
    std::string tag_;
    json::object paths_;
    json::object schemas_;
    std::set<std::string> generic_;  // kind schemas filled in generically
};

void put_varint(std::string& out, std::size_t n) {
    while (n >= 0x80) {
        out += static_cast<char>((n & 0x7f) | 0x80);
        n >>= 7;
    }
    out += static_cast<char>(n);
}

/// A length-delimited protobuf field (wire type 2).
void put_bytes(std::string& out, int field, std::string_view bytes) {
    out += static_cast<char>((field << 3) | 2);
    put_varint(out, bytes.size());
    out += bytes;
}

}  // namespace

std::string gvk_key(const GroupVersion& gv, std::string_view kind) {
    return gv.group + "/" + gv.version + "/" + std::string(kind);
}

SchemaSource schema_map(std::map<std::string, json::value> schemas) {
    return [schemas = std::move(schemas)](const GroupVersion& gv,
                                          std::string_view kind) -> std::optional<KindSchema> {
        auto it = schemas.find(gvk_key(gv, kind));
        if (it == schemas.end()) {
            return std::nullopt;
        }
        return KindSchema{it->second, {}};
    };
}

std::string openapi_v3_path(const GroupVersion& gv) {
    return gv.group.empty() ? "api/" + gv.version : "apis/" + gv.group + "/" + gv.version;
}

std::string openapi_schema_name(const GroupVersion& gv, std::string_view kind) {
    const std::string tail = "." + gv.version + "." + std::string(kind);
    if (gv.group.empty()) {
        return "io.k8s.api.core" + tail;
    }
    if (gv.group == "apiextensions.k8s.io") {
        return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions" + tail;
    }
    if (gv.group == "apiregistration.k8s.io") {
        return "io.k8s.kube-aggregator.pkg.apis.apiregistration" + tail;
    }
    std::string_view g = gv.group;
    if (g.find('.') == std::string_view::npos || g.ends_with(".k8s.io")) {
        return "io.k8s.api." + std::string(g.substr(0, g.find('.'))) + tail;
    }
    // Custom groups: the labels reversed, as upstream names CRD schemas.
    std::string reversed;
    while (!g.empty()) {
        const auto dot = g.rfind('.');
        const auto label = dot == std::string_view::npos ? g : g.substr(dot + 1);
        if (!reversed.empty()) {
            reversed += '.';
        }
        reversed += label;
        g = dot == std::string_view::npos ? std::string_view{} : g.substr(0, dot);
    }
    return reversed + tail;
}

json::value openapi_v3_document(const Registry& registry, const GroupVersion& gv,
                                const OpenApiOptions& options) {
    return DocumentBuilder(registry, gv, options).build();
}

OpenApiV3Set build_openapi_v3(const Registry& registry, const OpenApiOptions& options) {
    OpenApiV3Set set;
    json::object paths;
    for (const auto& gv : registry.group_versions()) {
        auto path = openapi_v3_path(gv);
        OpenApiV3Set::Document doc;
        doc.body = json::serialize(openapi_v3_document(registry, gv, options));
        doc.hash = document_hash(doc.body);
        paths[path] =
            json::object{{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + doc.hash}};
        set.documents.emplace(std::move(path), std::move(doc));
    }
    set.index = json::object{{"paths", std::move(paths)}};
    set.index_body = json::serialize(set.index);
    set.index_hash = document_hash(set.index_body);
    return set;
}

json::value openapi_v3_index(const Registry& registry, const OpenApiOptions& options) {
    return build_openapi_v3(registry, options).index;
}

std::string openapi_v2_protobuf(std::string_view title, std::string_view version) {
    std::string info;
    put_bytes(info, 1, title);
    put_bytes(info, 2, version);
    std::string doc;
    put_bytes(doc, 1, "2.0");  // swagger
    put_bytes(doc, 2, info);
    return doc;
}

}  // namespace skiff::api
