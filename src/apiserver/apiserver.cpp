// ApiServer: routing, REST verbs over the Store, watch streams; see apiserver.h.
#include "skiff/apiserver/apiserver.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "crd.h"
#include "defaults.h"
#include "objects.h"
#include "request_info.h"
#include "skiff/api/builtin_schemas.h"
#include "skiff/api/discovery.h"
#include "skiff/api/json_patch.h"
#include "skiff/api/merge_patch.h"
#include "skiff/api/openapi.h"
#include "skiff/api/protobuf.h"
#include "skiff/api/rest.h"
#include "skiff/api/schema.h"
#include "skiff/api/strategic_merge.h"
#include "skiff/api/table.h"
#include "skiff/api/validation.h"
#include "skiff/base/json.h"
#include "skiff/base/log.h"
#include "skiff/base/time_format.h"
#include "skiff/base/yaml.h"
#include "skiff/pki/digest.h"
#include "skiff/store/errors.h"

namespace skiff::apiserver {
namespace asio = boost::asio;
namespace json = boost::json;
namespace log = base::log;
using base::Reason;
using base::Result;
using base::Status;

namespace {

constexpr int kPatchRetries = 5;

Status unsupported_media(std::string message) {
    return Status(Reason::UnsupportedMediaType, std::move(message));
}

Status forbidden(std::string message) {
    return Status(Reason::Forbidden, std::move(message));
}

Status conflict_modified(const api::ResourceType& type, std::string_view name) {
    return base::conflict(type.gv.group, type.resource, name,
                          "the object has been modified; please apply your changes to the latest "
                          "version and try again");
}

std::string content_type(const http::Request& r) {
    auto ct = std::string(r.headers.get("Content-Type").value_or(""));
    if (auto semi = ct.find(';'); semi != std::string::npos) {
        ct.resize(semi);
    }
    while (!ct.empty() && ct.back() == ' ') {
        ct.pop_back();
    }
    return ct;
}

/// A request body as JSON: JSON (also without a Content-Type), YAML or Kubernetes protobuf.
Result<json::value> decode_text(const std::string& ct, std::string_view body) {
    if (ct == "application/vnd.kubernetes.protobuf") {
        return api::decode_protobuf(body);  // typed kubectl commands send these
    }
    if (ct.empty() || ct == "application/json" || ct.ends_with("+json")) {
        auto v = base::parse_json(body);
        if (!v.ok()) {
            return base::bad_request("the body of the request could not be decoded as JSON: " +
                                     v.status().message());
        }
        return v;
    }
    if (ct == "application/yaml" || ct.ends_with("+yaml")) {
        auto v = base::yaml_to_json(body);
        if (!v.ok()) {
            return base::bad_request("the body of the request could not be decoded as YAML: " +
                                     v.status().message());
        }
        return v;
    }
    return unsupported_media("the body of the request was in an unknown format (Content-Type " +
                             ct + "); send application/json, application/yaml or "
                             "application/vnd.kubernetes.protobuf");
}

Result<json::value> decode_body(const http::Request& r) {
    return decode_text(content_type(r), r.body);
}

bool dry_run(const http::Request& r) {
    for (const auto& v : r.query_params("dryRun")) {
        if (v == "All") {
            return true;
        }
    }
    return false;
}

/// DeleteOptions.dryRun: ["All"] or nothing.
bool delete_dry_run(const json::object& options) {
    if (const auto* d = options.if_contains("dryRun"); d && d->is_array()) {
        for (const auto& v : d->as_array()) {
            if (v.is_string() && v.as_string() == "All") {
                return true;
            }
        }
    }
    return false;
}

Status check_dry_run(const http::Request& r) {
    for (const auto& v : r.query_params("dryRun")) {
        if (v != "All") {
            return base::bad_request("invalid dry run value \"" + v + "\": only \"All\" is supported");
        }
    }
    return {};
}

/// apiVersion and kind of a body must be the URL's (when given), and are set when missing.
Status check_type(const api::ResourceType& type, json::object& object, std::string_view expect_kind) {
    const auto api_version = type.api_version();
    if (auto* v = object.if_contains("apiVersion"); v && v->is_string() && v->as_string() != api_version) {
        return base::bad_request("the API version in the data (" + std::string(v->as_string()) +
                                 ") does not match the expected API version (" + api_version + ")");
    }
    if (auto* k = object.if_contains("kind"); k && k->is_string() && k->as_string() != expect_kind) {
        return base::bad_request("the kind in the data (" + std::string(k->as_string()) +
                                 ") does not match the expected kind (" +
                                 std::string(expect_kind) + ") of " + type.resource);
    }
    object["apiVersion"] = api_version;
    object["kind"] = expect_kind;
    return {};
}

api::NameValidator name_rule(const api::ResourceType& type) {
    if (type.kind == "Namespace") {
        return api::name_is_dns_label;
    }
    if (type.kind == "Service") {
        return api::name_is_dns1035_label;
    }
    if (type.gv.group == "rbac.authorization.k8s.io") {
        return api::validate_path_segment_name;
    }
    return api::name_is_dns_subdomain;
}

std::string now_string(base::Clock& clock) {
    return base::format_time(clock.now());
}

json::object success_status(const api::ResourceType& type, std::string_view name,
                            std::string_view uid) {
    json::object details{{"name", name}, {"group", type.gv.group}, {"kind", type.resource}};
    if (!uid.empty()) {
        details["uid"] = uid;
    }
    return {{"kind", "Status"},      {"apiVersion", "v1"}, {"metadata", json::object{}},
            {"status", "Success"}, {"details", details}};
}

http::Response json_response(int code, const json::value& body) {
    return http::Response::json(code, json::serialize(body));
}
/// For objects: serialized in place (a json::value parameter would deep-copy a whole list).
http::Response json_response(int code, const json::object& body) {
    return http::Response::json(code, json::serialize(body));
}

const json::value* member(const json::object& o, std::string_view key) {
    return o.if_contains(key);
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    if (s.empty() || s.size() > 19) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

/// fieldValidation: what to do with fields the kind's schema does not know.
enum class FieldValidation { Ignore, Warn, Strict };

/// One write's options and what it has to say back.
struct WriteContext {
    bool dry = false;
    FieldValidation validation = FieldValidation::Ignore;
    std::vector<std::string> warnings;  // sent as Warning headers over HTTP
};

Result<FieldValidation> field_validation(const http::Request& r) {
    const auto v = r.query_param("fieldValidation").value_or("");
    if (v.empty() || v == "Warn") {
        return FieldValidation::Warn;  // upstream's default
    }
    if (v == "Strict") {
        return FieldValidation::Strict;
    }
    if (v == "Ignore") {
        return FieldValidation::Ignore;
    }
    return base::bad_request("fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", not \"" +
                             v + "\"");
}

/// Warnings as upstream sends them: `Warning: 299 - "<text>"`, one header each.
http::Response with_warnings(http::Response response, const WriteContext& wc) {
    for (const auto& w : wc.warnings) {
        std::string quoted;
        for (char c : w) {
            if (c == '"' || c == '\\') {
                quoted += '\\';
            }
            quoted += c;
        }
        response.headers.add("Warning", "299 - \"" + quoted + "\"");
    }
    return response;
}

struct ApiServer::Impl {
    Impl(store::Store& s, base::Clock& c, ApiServerOptions o)
        : store(s), clock(c), options(std::move(o)), registry(api::Registry::builtin()) {}

    store::Store& store;
    base::Clock& clock;
    ApiServerOptions options;
    api::Registry registry;
    std::optional<api::OpenApiV3Set> openapi;  // built on first use; reset when types change
    /// openAPIV3Schema of each served custom resource version, by api::gvk_key.
    std::map<std::string, json::value> crd_schemas;

    Ipv4Cidr service_cidr;  // parsed from the options by bootstrap()

    static std::uint32_t random_u32() {
        const auto b = pki::random_bytes(4);
        std::uint32_t v = 0;
        for (unsigned char c : b) {
            v = (v << 8) | c;
        }
        return v;
    }

    asio::awaitable<Result<bool>> exists(std::string key) {
        store::RangeRequest request{.key = std::move(key), .count_only = true};
        auto r = co_await store.range(std::move(request));
        if (!r.ok()) {
            co_return r.status();
        }
        co_return r->count > 0;
    }

    static bool is_crd(const api::ResourceType& type) {
        return type.kind == "CustomResourceDefinition" && type.gv.group == "apiextensions.k8s.io";
    }

    /// Serves the kinds of a CRD (replacing what an older version of it served).
    void register_crd(const json::object* old_crd, const json::object& crd) {
        if (old_crd) {
            unregister_crd(*old_crd);
        }
        const json::value whole(crd);
        for (auto& t : crd_types(crd)) {
            if (const auto* versions = base::find(whole, {"spec", "versions"})) {
                for (const auto& v : versions->as_array()) {
                    if (base::string_at(v, {"name"}) != t.gv.version) {
                        continue;
                    }
                    if (const auto* schema = base::find(v, {"schema", "openAPIV3Schema"})) {
                        crd_schemas[api::gvk_key(t.gv, t.kind)] = *schema;
                        auto compiled = api::Schema::compile(*schema);
                        if (compiled.ok()) {
                            schemas.insert_or_assign(api::gvk_key(t.gv, t.kind), std::move(*compiled));
                        }
                    }
                }
            }
            log::info("serving a custom resource",
                      {{"resource", t.resource}, {"group", t.gv.group}, {"version", t.gv.version}});
            registry.put(std::move(t));
        }
        openapi.reset();
    }

    void unregister_crd(const json::object& crd) {
        for (const auto& t : crd_types(crd)) {
            crd_schemas.erase(api::gvk_key(t.gv, t.kind));
            schemas.erase(api::gvk_key(t.gv, t.kind));
            registry.remove(t.gv, t.resource);
        }
        openapi.reset();
    }

    /// Deleting a CRD deletes its objects (every version shares one key prefix).
    asio::awaitable<Status> remove_custom_objects(const json::object& crd) {
        auto types = crd_types(crd);
        if (types.empty()) {
            co_return Status{};
        }
        const auto prefix = types.front().key_prefix();
        store::DeleteRangeRequest del{.key = prefix, .range_end = store::prefix_end(prefix)};
        auto r = co_await store.delete_range(std::move(del));
        co_return r.status();
    }

    // ---- storage ----

    asio::awaitable<Result<std::optional<json::object>>> read(std::string key,
                                                              std::int64_t revision = 0) {
        store::RangeRequest request{.key = std::move(key), .revision = revision};
        auto r = co_await store.range(std::move(request));
        if (!r.ok()) {
            co_return r.status();
        }
        if (r->kvs.empty()) {
            co_return std::optional<json::object>{};
        }
        auto object = decode_stored(r->kvs.front());
        if (!object.ok()) {
            co_return object.status();
        }
        co_return std::optional<json::object>(std::move(*object));
    }

    asio::awaitable<Result<json::object>> get(const api::ResourceType& type, std::string ns,
                                              std::string name) {
        auto found = co_await read(object_key(type, ns, name));
        if (!found.ok()) {
            co_return found.status();
        }
        if (!*found) {
            co_return base::not_found(type.gv.group, type.resource, name);
        }
        co_return std::move(**found);
    }

    /// Writes `object` if the key's mod revision is still `expect` (0: the key must not
    /// exist). Returns the new revision, or nullopt when the compare failed.
    /// `claims`: keys created with the object, which must not exist yet either (allocated
    /// ClusterIPs and node ports); their value is the object's key.
    asio::awaitable<Result<std::optional<std::int64_t>>> write(
        std::string key, std::int64_t expect, json::object object,
        std::vector<std::string> claims = {}) {
        store::TxnRequest txn;
        txn.compare.push_back(expect == 0
                                  ? store::Compare::create_revision(key, store::Compare::Op::Equal, 0)
                                  : store::Compare::mod_revision(key, store::Compare::Op::Equal,
                                                                 expect));
        for (const auto& claim : claims) {
            txn.compare.push_back(
                store::Compare::create_revision(claim, store::Compare::Op::Equal, 0));
            store::PutRequest claim_put{.key = claim, .value = key};
            txn.success.emplace_back(std::move(claim_put));
        }
        store::PutRequest put{.key = key, .value = encode_for_store(std::move(object))};
        txn.success.emplace_back(std::move(put));
        auto r = co_await store.txn(std::move(txn));
        if (!r.ok()) {
            co_return r.status();
        }
        if (!r->succeeded) {
            co_return std::optional<std::int64_t>{};
        }
        co_return std::optional<std::int64_t>(r->revision);
    }

    /// Deletes the object and the claims it holds, in one revision.
    asio::awaitable<Result<bool>> remove(std::string key, std::int64_t expect,
                                         std::vector<std::string> claims = {}) {
        store::TxnRequest txn;
        txn.compare.push_back(store::Compare::mod_revision(key, store::Compare::Op::Equal, expect));
        store::DeleteRangeRequest del{.key = key};
        txn.success.emplace_back(std::move(del));
        for (auto& claim : claims) {
            store::DeleteRangeRequest del_claim{.key = std::move(claim)};
            txn.success.emplace_back(std::move(del_claim));
        }
        auto r = co_await store.txn(std::move(txn));
        if (!r.ok()) {
            co_return r.status();
        }
        co_return r->succeeded;
    }

    // ---- schemas ----

    /// Compiled schemas by api::gvk_key: custom resources' from their CRDs.
    std::map<std::string, api::Schema> schemas;

    /// The compiled schema of a kind: a CRD's, or the built-in one (compiled on first use).
    const api::Schema* schema_of(const api::ResourceType& type) {
        const auto key = api::gvk_key(type.gv, type.kind);
        if (auto it = schemas.find(key); it != schemas.end()) {
            return &it->second;
        }
        if (type.custom) {
            return nullptr;
        }
        const auto* schema = api::builtin_schema(type.gv, type.kind);
        if (!schema) {
            return nullptr;
        }
        auto compiled = api::Schema::compile(*schema, api::builtin_definitions());
        if (!compiled.ok()) {
            log::error("a built-in schema does not compile",
                       {{"kind", type.kind}, {"error", compiled.status().message()}});
            return nullptr;
        }
        return &schemas.insert_or_assign(key, std::move(*compiled)).first->second;
    }

    /// Unknown fields (refused with Strict, warned about with Warn, dropped), defaults and
    /// validation against the kind's schema, where it has one.
    Status admit(const api::ResourceType& type, json::object& object, WriteContext& wc) {
        const auto* schema = schema_of(type);
        if (!schema) {
            return {};
        }
        json::value whole(std::move(object));
        auto unknown = api::unknown_fields(whole, *schema);
        if (!unknown.empty() && wc.validation == FieldValidation::Strict) {
            std::sort(unknown.begin(), unknown.end());
            object = std::move(whole.as_object());
            return api::strict_decoding_status(type.kind, type.gv.version, unknown);
        }
        if (wc.validation == FieldValidation::Warn) {
            for (const auto& path : unknown) {
                wc.warnings.push_back(api::unknown_field_message(path));
            }
        }
        api::prune(whole, *schema);
        api::prune_non_nullable_nulls(whole, *schema);
        api::apply_defaults(whole, *schema);
        auto errors = api::validate(whole, *schema);
        object = std::move(whole.as_object());
        if (!errors.empty()) {
            return api::invalid_status(type.gv.group, type.kind,
                                       meta_string(object, "name"), errors);
        }
        return {};
    }

    // ---- create ----

    asio::awaitable<Result<json::object>> create(const api::ResourceType& type, std::string ns,
                                                 json::object object, WriteContext& wc) {
        if (type.kind == "Binding" && type.gv.group.empty()) {
            co_return co_await bind(std::move(ns), std::move(object), wc);  // not stored
        }
        const bool dry = wc.dry;
        if (auto st = check_type(type, object, type.kind); !st.ok()) {
            co_return st;
        }
        apply_computed_defaults(type, object);
        if (auto st = admit(type, object, wc); !st.ok()) {
            co_return st;
        }
        auto& meta = metadata_of(object);
        if (type.namespaced) {
            const auto* body_ns = meta.if_contains("namespace");
            if (body_ns && body_ns->is_string() && !body_ns->as_string().empty() &&
                body_ns->as_string() != ns) {
                co_return base::bad_request(
                    "the namespace of the provided object does not match the namespace sent on "
                    "the request");
            }
            meta["namespace"] = ns;
        } else {
            meta.erase("namespace");
        }
        const auto* name_v = meta.if_contains("name");
        std::string name = name_v && name_v->is_string() ? std::string(name_v->as_string()) : "";
        const auto* gen_v = meta.if_contains("generateName");
        if (name.empty() && gen_v && gen_v->is_string() && !gen_v->as_string().empty()) {
            name = generate_name(gen_v->as_string());
            meta["name"] = name;
        }
        for (const char* system : {"uid", "resourceVersion", "creationTimestamp",
                                   "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"}) {
            meta.erase(system);
        }
        meta["generation"] = 1;
        const json::value meta_value(meta);
        auto errors = api::validate_object_meta(
            meta_value, api::ObjectMetaRules{.namespaced = type.namespaced, .name = name_rule(type)});
        if (!errors.empty()) {
            co_return api::invalid_status(type.gv.group, type.kind, name, errors);
        }
        if (!tracks_generation(type)) {
            meta.erase("generation");
        }
        if (type.namespaced) {
            auto* ns_type = registry.find({"", "v1"}, "namespaces");
            auto found = co_await read(object_key(*ns_type, "", ns));
            if (!found.ok()) {
                co_return found.status();
            }
            if (!*found) {
                co_return base::not_found("", "namespaces", ns);
            }
            if (!meta_string(**found, "deletionTimestamp").empty()) {
                co_return forbidden(type.resource + " \"" + name +
                                    "\" is forbidden: unable to create new content in namespace " +
                                    ns + " because it is being terminated");
            }
        }
        meta["uid"] = new_uid();
        meta["creationTimestamp"] = now_string(clock);
        if (is_crd(type)) {
            auto crd_errors = validate_crd(object);
            auto schema_errors = api::validate_crd_schemas(json::value(object));
            crd_errors.insert(crd_errors.end(), schema_errors.begin(), schema_errors.end());
            if (!crd_errors.empty()) {
                co_return api::invalid_status(type.gv.group, type.kind, name, crd_errors);
            }
            object["status"] = crd_status(object, now_string(clock));
        }
        if (type.kind == "Namespace") {
            object["status"] = json::object{{"phase", "Active"}};
        } else if (type.kind == "Pod") {
            object["status"] = json::object{{"phase", "Pending"}};  // as upstream's strategy
        }
        if (dry) {
            co_return object;
        }
        auto key = object_key(type, ns, name);
        std::optional<std::int64_t> revision;
        if (type.kind == "Service" && !type.custom) {
            auto r = co_await create_service(key, name, object);
            if (!r.ok()) {
                co_return r.status();
            }
            revision = *r;
        } else {
            auto written = co_await write(key, 0, object);
            if (!written.ok()) {
                co_return written.status();
            }
            if (!*written) {
                co_return base::already_exists(type.gv.group, type.resource, name);
            }
            revision = **written;
        }
        metadata_of(object)["resourceVersion"] = std::to_string(*revision);
        if (is_crd(type)) {
            register_crd(nullptr, object);
        }
        co_return object;
    }

    // ---- services ----

    /// The ClusterIP and node-port claims of a stored service.
    static std::vector<std::string> service_claims(const json::object& service) {
        std::vector<std::string> claims;
        const json::value whole(service);
        const auto ip = base::string_at(whole, {"spec", "clusterIP"});
        if (parse_ipv4(ip)) {
            claims.push_back(cluster_ip_key(ip));
        }
        if (const auto* ports = base::find(whole, {"spec", "ports"}); ports && ports->is_array()) {
            for (const auto& p : ports->as_array()) {
                if (const auto np = base::int_at(p, {"nodePort"}); np > 0) {
                    claims.push_back(node_port_key(static_cast<int>(np)));
                }
            }
        }
        return claims;
    }

    /// Creates a Service with its ClusterIP (from the service CIDR; the first address is
    /// kept for "kubernetes") and node ports (NodePort and LoadBalancer types) claimed in the
    /// same transaction. Addresses and ports the user chose must be free and in range.
    asio::awaitable<Result<std::int64_t>> create_service(std::string key, std::string name,
                                                         json::object& object) {
        auto& spec = object["spec"].as_object();
        const std::string svc_type(spec.at("type").as_string());
        const auto invalid = [&](std::string path, json::value bad, std::string why) {
            api::ErrorList errors{api::field::invalid(std::move(path), std::move(bad), std::move(why))};
            return api::invalid_status("", "Service", name, errors);
        };
        std::string fixed_ip;
        if (const auto* ip = spec.if_contains("clusterIP"); ip && ip->is_string() && !ip->as_string().empty()) {
            fixed_ip = std::string(ip->as_string());
        }
        const bool wants_ip = svc_type != "ExternalName" && fixed_ip != "None";
        if (wants_ip && !fixed_ip.empty()) {
            auto ip = parse_ipv4(fixed_ip);
            if (!ip || !service_cidr.contains(*ip) || *ip < service_cidr.first() ||
                *ip > service_cidr.last()) {
                co_return invalid("spec.clusterIPs", json::array{json::value(fixed_ip)},
                                  "failed to allocate IP " + fixed_ip +
                                      ": the provided IP (" + fixed_ip +
                                      ") is not in the valid range. The range of valid IPs is " +
                                      format_ipv4(service_cidr.network) + "/" +
                                      std::to_string(service_cidr.prefix));
            }
        }
        const bool wants_node_ports = svc_type == "NodePort" || svc_type == "LoadBalancer";
        // What the user chose must be free; what we chose is picked again on a collision.
        std::set<std::string> chosen_by_user;
        if (wants_ip && !fixed_ip.empty()) {
            chosen_by_user.insert(cluster_ip_key(fixed_ip));
        }
        std::vector<bool> user_port;
        if (const auto* ports = spec.if_contains("ports"); ports && ports->is_array()) {
            for (const auto& p : ports->as_array()) {
                const auto np = base::int_at(p, {"nodePort"});
                user_port.push_back(np > 0);
                if (np > 0) {
                    chosen_by_user.insert(node_port_key(static_cast<int>(np)));
                }
            }
        }
        for (int attempt = 0; attempt < 32; ++attempt) {
            std::vector<std::string> claims;
            if (wants_ip) {
                std::string ip = fixed_ip;
                if (ip.empty()) {
                    // Random, skipping the first address (kubernetes.default's).
                    const auto span = service_cidr.last() - service_cidr.first();
                    ip = format_ipv4(service_cidr.first() + 1 +
                                     random_u32() % std::max<std::uint32_t>(span, 1));
                }
                claims.push_back(cluster_ip_key(ip));
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = json::array{json::value(ip)};
            } else if (fixed_ip == "None") {
                spec["clusterIPs"] = json::array{"None"};
            }
            if (auto* ports = spec.if_contains("ports"); ports && ports->is_array()) {
                auto& list = ports->as_array();
                for (std::size_t i = 0; i < list.size(); ++i) {
                    auto& port = list[i].as_object();
                    if (wants_node_ports && !user_port[i]) {
                        port["nodePort"] = kNodePortMin + static_cast<int>(
                                                              random_u32() %
                                                              (kNodePortMax - kNodePortMin + 1));
                    }
                    if (const auto np = base::int_at(json::value(port), {"nodePort"}); np > 0) {
                        claims.push_back(node_port_key(static_cast<int>(np)));
                    }
                }
            }
            auto written = co_await write(key, 0, object, claims);
            if (!written.ok()) {
                co_return written.status();
            }
            if (*written) {
                co_return **written;
            }
            // Why did it fail: the service exists, or a claim is taken.
            auto existing = co_await exists(key);
            if (!existing.ok()) {
                co_return existing.status();
            }
            if (*existing) {
                co_return base::already_exists("", "services", name);
            }
            for (const auto& claim : claims) {
                if (!chosen_by_user.contains(claim)) {
                    continue;
                }
                auto taken = co_await exists(claim);
                if (!taken.ok()) {
                    co_return taken.status();
                }
                if (!*taken) {
                    continue;
                }
                if (claim == cluster_ip_key(fixed_ip)) {
                    co_return invalid("spec.clusterIPs", json::array{json::value(fixed_ip)},
                                      "failed to allocate IP " + fixed_ip +
                                          ": provided IP is already allocated");
                }
                const auto port = std::stoll(claim.substr(claim.rfind('/') + 1));
                co_return invalid("spec.ports[*].nodePort", json::value(port),
                                  "provided port is already allocated");
            }
        }
        co_return Status(Reason::InternalError, "could not allocate a ClusterIP or node port");
    }

    // ---- pods/binding and pods/eviction ----

    /// Assigns a pod to a node (what the scheduler does): spec.nodeName from the Binding's
    /// target, and the PodScheduled condition. Conflict when the pod is already assigned.
    asio::awaitable<Result<json::object>> bind(std::string ns, json::object binding,
                                               WriteContext& wc) {
        const auto& pods = *registry.find({"", "v1"}, "pods");
        const json::value b(binding);
        const auto name = std::string(base::string_at(b, {"metadata", "name"}));
        const auto node = std::string(base::string_at(b, {"target", "name"}));
        if (name.empty() || node.empty()) {
            api::ErrorList errors;
            if (name.empty()) {
                errors.push_back(api::field::required("metadata.name"));
            }
            if (node.empty()) {
                errors.push_back(api::field::required("target.name"));
            }
            co_return api::invalid_status("", "Binding", name, errors);
        }
        for (int attempt = 0;; ++attempt) {
            auto pod = co_await get(pods, ns, name);
            if (!pod.ok()) {
                co_return pod.status();
            }
            const json::value whole(*pod);
            if (const auto assigned = base::string_at(whole, {"spec", "nodeName"}); !assigned.empty()) {
                co_return base::conflict("", "pods", name,
                                         "pod " + name + " is already assigned to node \"" +
                                             std::string(assigned) + "\"");
            }
            if (!meta_string(*pod, "deletionTimestamp").empty()) {
                co_return base::conflict("", "pods", name, "pod " + name + " is being deleted");
            }
            json::object next = *pod;
            next["spec"].as_object()["nodeName"] = node;
            auto& status = next["status"];
            if (!status.is_object()) {
                status = json::object{};
            }
            auto& conditions = status.as_object()["conditions"];
            if (!conditions.is_array()) {
                conditions = json::array{};
            }
            conditions.as_array().push_back(json::object{{"type", "PodScheduled"},
                                                         {"status", "True"},
                                                         {"lastProbeTime", nullptr},
                                                         {"lastTransitionTime", now_string(clock)}});
            auto updated = co_await commit_update(pods, *pod, std::move(next), wc);
            if (!updated.ok() && updated.status().reason() == Reason::Conflict &&
                attempt + 1 < kPatchRetries) {
                continue;
            }
            if (!updated.ok()) {
                co_return updated.status();
            }
            co_return created_status();
        }
    }

    /// Deletes a pod as an Eviction asks (its deleteOptions apply). PodDisruptionBudgets are
    /// not consulted yet: their status comes with the disruption controller.
    asio::awaitable<Result<json::object>> evict(std::string ns, json::object eviction,
                                                WriteContext& wc) {
        const auto& pods = *registry.find({"", "v1"}, "pods");
        const json::value e(eviction);
        json::object options;
        if (const auto* o = base::find(e, {"deleteOptions"}); o && o->is_object()) {
            options = o->as_object();
        }
        wc.dry = wc.dry || delete_dry_run(options);
        std::string name(base::string_at(e, {"metadata", "name"}));
        auto removed = co_await remove_object(pods, std::move(ns), std::move(name), options, wc);
        if (!removed.ok()) {
            co_return removed.status();
        }
        co_return created_status();
    }

    static json::object created_status() {
        return {{"kind", "Status"},
                {"apiVersion", "v1"},
                {"metadata", json::object{}},
                {"status", "Success"},
                {"code", 201}};
    }

    /// A service's ClusterIP is kept when an update leaves it out, and may not change.
    static Status keep_cluster_ip(const json::object& current, json::object& next) {
        const json::value cur(current);
        const auto ip = base::string_at(cur, {"spec", "clusterIP"});
        auto& spec_v = next["spec"];
        if (!spec_v.is_object()) {
            spec_v = json::object{};
        }
        auto& spec = spec_v.as_object();
        const auto* given = spec.if_contains("clusterIP");
        if (!given || (given->is_string() && given->as_string().empty())) {
            if (!ip.empty()) {
                spec["clusterIP"] = ip;
                if (const auto* ips = base::find(cur, {"spec", "clusterIPs"})) {
                    spec["clusterIPs"] = *ips;
                }
            }
            return {};
        }
        if (!given->is_string() || given->as_string() != ip) {
            api::ErrorList errors{api::field::invalid("spec.clusterIPs[0]", *given,
                                                      "may not change once set")};
            return api::invalid_status("", "Service", base::string_at(cur, {"metadata", "name"}),
                                       errors);
        }
        return {};
    }

    // ---- update (PUT and the end of PATCH) ----

    /// Stores `next` over `current` (read at its resourceVersion) after the metadata rules;
    /// unchanged objects are not written. Conflict when the object changed meanwhile.
    /// `deleting`: the server itself sets deletionTimestamp (not a client update).
    asio::awaitable<Result<json::object>> commit_update(const api::ResourceType& type,
                                                        const json::object& current,
                                                        json::object next, WriteContext& wc,
                                                        bool deleting = false) {
        const bool dry = wc.dry;
        const auto name = std::string(meta_string(current, "name"));
        const auto ns = std::string(meta_string(current, "namespace"));
        const auto current_rv = std::string(meta_string(current, "resourceVersion"));
        if (!deleting) {
            if (auto st = admit(type, next, wc); !st.ok()) {
                co_return st;
            }
        }
        auto& meta = metadata_of(next);
        const auto* cur_meta = metadata_of(current);
        // System fields the client may omit come from the stored object.
        for (const char* field : {"uid", "creationTimestamp", "deletionTimestamp",
                                  "deletionGracePeriodSeconds", "generation", "namespace",
                                  "name"}) {
            if (!meta.contains(field) && cur_meta && cur_meta->contains(field)) {
                meta[field] = cur_meta->at(field);
            }
        }
        meta["resourceVersion"] = current_rv;
        if (!type.namespaced) {
            meta.erase("namespace");
        }
        if (type.kind == "Service" && !type.custom) {
            if (auto st = keep_cluster_ip(current, next); !st.ok()) {
                co_return st;
            }
        }
        const json::value meta_value(meta);
        const json::value cur_meta_value(cur_meta ? *cur_meta : json::object{});
        auto errors = deleting ? api::ErrorList{}
                               : api::validate_object_meta_update(meta_value, cur_meta_value);
        auto more = api::validate_object_meta(
            meta_value, api::ObjectMetaRules{.namespaced = type.namespaced, .name = name_rule(type)});
        errors.insert(errors.end(), more.begin(), more.end());
        if (is_crd(type)) {
            auto crd_errors = validate_crd(next);
            auto schema_errors = api::validate_crd_schemas(json::value(next));
            errors.insert(errors.end(), crd_errors.begin(), crd_errors.end());
            errors.insert(errors.end(), schema_errors.begin(), schema_errors.end());
        }
        if (!errors.empty()) {
            co_return api::invalid_status(type.gv.group, type.kind, name, errors);
        }
        if (tracks_generation(type)) {
            const auto* old_spec = member(current, "spec");
            const auto* new_spec = member(next, "spec");
            const bool changed = (old_spec == nullptr) != (new_spec == nullptr) ||
                                 (old_spec && !api::json_equal(*old_spec, *new_spec));
            const auto gen = base::int_at(json::value(current), {"metadata", "generation"}, 1);
            meta["generation"] = changed ? gen + 1 : gen;
        }
        const auto key = object_key(type, ns, name);
        const auto expect = parse_int(current_rv).value_or(0);
        // The last finalizer gone from an object being deleted: it goes.
        const auto* finalizers = meta.if_contains("finalizers");
        const bool no_finalizers =
            !finalizers || !finalizers->is_array() || finalizers->as_array().empty();
        if (meta.contains("deletionTimestamp") && no_finalizers) {
            if (!dry) {
                auto removed = co_await remove(key, expect);
                if (!removed.ok()) {
                    co_return removed.status();
                }
                if (!*removed) {
                    co_return conflict_modified(type, name);
                }
            }
            co_return next;
        }
        if (api::json_equal(json::value(current), json::value(next)) || dry) {
            co_return next;
        }
        auto written = co_await write(key, expect, next);
        if (!written.ok()) {
            co_return written.status();
        }
        if (!*written) {
            co_return conflict_modified(type, name);
        }
        metadata_of(next)["resourceVersion"] = std::to_string(**written);
        if (is_crd(type)) {
            register_crd(&current, next);
        }
        co_return next;
    }

    /// The object to store for an update of `subresource` ("" or "status") from `body`.
    static json::object merge_subresource(const api::ResourceType& type, std::string_view sub,
                                          const json::object& current, json::object body) {
        if (sub == "status") {
            json::object next = current;
            if (auto* s = body.if_contains("status")) {
                next["status"] = *s;
            } else {
                next.erase("status");
            }
            return next;
        }
        if (type.has_subresource("status")) {
            if (const auto* s = current.if_contains("status")) {
                body["status"] = *s;
            } else {
                body.erase("status");
            }
        }
        return body;
    }

    asio::awaitable<Result<json::object>> update(const api::ResourceType& type,
                                                 const RequestInfo& info, json::object body,
                                                 WriteContext& wc) {
        if (auto st = check_type(type, body, type.kind); !st.ok()) {
            co_return st;
        }
        auto& meta = metadata_of(body);
        if (const auto* n = meta.if_contains("name"); n && n->is_string() && n->as_string() != info.name) {
            co_return base::bad_request("the name of the object (" + std::string(n->as_string()) +
                                        ") does not match the name on the URL (" + info.name + ")");
        }
        if (const auto* n = meta.if_contains("namespace");
            type.namespaced && n && n->is_string() && !n->as_string().empty() &&
            n->as_string() != info.namespace_) {
            co_return base::bad_request(
                "the namespace of the provided object does not match the namespace sent on the "
                "request");
        }
        auto current = co_await get(type, info.namespace_, info.name);
        if (!current.ok()) {
            co_return current.status();
        }
        if (const auto* rv = meta.if_contains("resourceVersion");
            rv && rv->is_string() && !rv->as_string().empty() &&
            rv->as_string() != meta_string(*current, "resourceVersion")) {
            co_return conflict_modified(type, info.name);
        }
        auto next = merge_subresource(type, info.subresource, *current, std::move(body));
        co_return co_await commit_update(type, *current, std::move(next), wc);
    }

    // ---- patch ----

    Result<json::value> apply_patch(const api::ResourceType& type, const std::string& ct,
                                    const json::value& current, const json::value& patch) {
        if (ct == "application/json-patch+json") {
            return api::apply_json_patch(current, patch);
        }
        if (ct == "application/merge-patch+json" || ct == "application/apply-patch+yaml") {
            return api::apply_merge_patch(current, patch);
        }
        if (ct == "application/strategic-merge-patch+json") {
            if (type.custom) {
                return unsupported_media(
                    "strategic merge patch is not supported for custom resources; use "
                    "--type=merge or --type=json");
            }
            return api::apply_strategic_merge_patch(current, patch, type.patch_meta_lookup());
        }
        return unsupported_media("the patch type " + ct +
                                 " is not supported: use application/json-patch+json, "
                                 "application/merge-patch+json, "
                                 "application/strategic-merge-patch+json or "
                                 "application/apply-patch+yaml");
    }

    asio::awaitable<Result<std::pair<json::object, bool>>> patch(const api::ResourceType& type,
                                                                 const RequestInfo& info,
                                                                 std::string ct,
                                                                 std::string body, WriteContext& wc) {
        json::value patch_doc;
        if (ct == "application/apply-patch+yaml") {
            auto v = base::yaml_to_json(body);
            if (!v.ok()) {
                co_return base::bad_request("the apply configuration could not be decoded: " +
                                            v.status().message());
            }
            patch_doc = std::move(*v);
        } else {
            auto v = base::parse_json(body);
            if (!v.ok()) {
                co_return base::bad_request("the patch could not be decoded as JSON: " +
                                            v.status().message());
            }
            patch_doc = std::move(*v);
        }
        for (int attempt = 0;; ++attempt) {
            auto current = co_await get(type, info.namespace_, info.name);
            if (!current.ok()) {
                // Server-side apply creates what does not exist.
                if (current.status().reason() == Reason::NotFound &&
                    ct == "application/apply-patch+yaml" && info.subresource.empty() &&
                    patch_doc.is_object()) {
                    auto created =
                        co_await create(type, info.namespace_, patch_doc.as_object(), wc);
                    if (!created.ok()) {
                        co_return created.status();
                    }
                    co_return std::pair{std::move(*created), true};
                }
                co_return current.status();
            }
            auto patched = apply_patch(type, ct, json::value(*current), patch_doc);
            if (!patched.ok()) {
                co_return patched.status();
            }
            if (!patched->is_object()) {
                co_return base::bad_request("the patched object is not a JSON object");
            }
            auto& next = patched->as_object();
            // A resourceVersion the patch sets is a precondition.
            if (meta_string(next, "resourceVersion") != meta_string(*current, "resourceVersion")) {
                co_return conflict_modified(type, info.name);
            }
            if (auto st = check_type(type, next, type.kind); !st.ok()) {
                co_return st;
            }
            auto merged = merge_subresource(type, info.subresource, *current, std::move(next));
            auto result = co_await commit_update(type, *current, std::move(merged), wc);
            if (!result.ok() && result.status().reason() == Reason::Conflict &&
                attempt + 1 < kPatchRetries) {
                continue;  // someone else wrote first: patch the newer object
            }
            if (!result.ok()) {
                co_return result.status();
            }
            co_return std::pair{std::move(*result), false};
        }
    }

    // ---- delete ----

    asio::awaitable<Result<json::object>> remove_object(const api::ResourceType& type,
                                                        std::string ns, std::string name,
                                                        const json::object& options, WriteContext& wc) {
        const bool dry = wc.dry;
        auto current = co_await get(type, ns, name);
        if (!current.ok()) {
            co_return current.status();
        }
        const auto uid = std::string(meta_string(*current, "uid"));
        if (const auto* pre = options.if_contains("preconditions"); pre && pre->is_object()) {
            const auto want_uid = base::string_at(*pre, {"uid"});
            if (!want_uid.empty() && want_uid != uid) {
                co_return base::conflict(type.gv.group, type.resource, name,
                                         "Precondition failed: UID in precondition: " +
                                             std::string(want_uid) +
                                             ", UID in object meta: " + uid);
            }
            const auto want_rv = base::string_at(*pre, {"resourceVersion"});
            if (!want_rv.empty() && want_rv != meta_string(*current, "resourceVersion")) {
                co_return base::conflict(type.gv.group, type.resource, name,
                                         "Precondition failed: ResourceVersion in precondition: " +
                                             std::string(want_rv) + ", ResourceVersion in object meta: " +
                                             std::string(meta_string(*current, "resourceVersion")));
            }
        }
        json::object next = *current;
        auto& meta = metadata_of(next);
        // Foreground and Orphan deletion hand the object to the garbage collector.
        const std::string policy(base::string_at(json::value(options), {"propagationPolicy"}));
        if (policy == "Foreground" || policy == "Orphan") {
            auto& fins = meta["finalizers"];
            if (!fins.is_array()) {
                fins = json::array{};
            }
            const char* f = policy == "Foreground" ? "foregroundDeletion" : "orphan";
            if (std::find(fins.as_array().begin(), fins.as_array().end(), json::value(f)) ==
                fins.as_array().end()) {
                fins.as_array().push_back(json::value(f));
            }
        }
        const auto* fins = meta.if_contains("finalizers");
        if (fins && fins->is_array() && !fins->as_array().empty()) {
            if (meta.contains("deletionTimestamp") && json::value(next) == json::value(*current)) {
                co_return next;  // already being deleted
            }
            const bool marking = !meta.contains("deletionTimestamp");
            if (marking) {
                meta["deletionTimestamp"] = now_string(clock);
                meta["deletionGracePeriodSeconds"] = 0;
            }
            co_return co_await commit_update(type, *current, std::move(next), wc, marking);
        }
        if (type.kind == "Namespace" && !dry) {
            if (auto st = co_await remove_namespace_content(name); !st.ok()) {
                co_return st;
            }
        }
        if (is_crd(type) && !dry) {
            if (auto st = co_await remove_custom_objects(*current); !st.ok()) {
                co_return st;
            }
            unregister_crd(*current);
        }
        if (!dry) {
            std::vector<std::string> claims;
            if (type.kind == "Service" && !type.custom) {
                claims = service_claims(*current);
            }
            auto removed = co_await remove(object_key(type, ns, name),
                                           parse_int(meta_string(*current, "resourceVersion")).value_or(0),
                                           std::move(claims));
            if (!removed.ok()) {
                co_return removed.status();
            }
            if (!*removed) {
                co_return conflict_modified(type, name);
            }
        }
        co_return success_status(type, name, uid);
    }

    /// Until the namespace controller exists: a deleted namespace's objects go with it, now.
    asio::awaitable<Status> remove_namespace_content(std::string ns) {
        std::vector<std::string> prefixes;  // the registry may change while we delete
        for (const auto& t : registry.all()) {
            if (t.namespaced) {
                prefixes.push_back(collection_prefix(t, ns));
            }
        }
        for (const auto& prefix : prefixes) {
            store::DeleteRangeRequest del{.key = prefix, .range_end = store::prefix_end(prefix)};
            auto r = co_await store.delete_range(std::move(del));
            if (!r.ok()) {
                co_return r.status();
            }
        }
        co_return Status{};
    }

    // ---- list ----

    struct ListResult {
        std::vector<json::object> items;
        std::int64_t revision = 0;
        std::string continue_token;
    };

    asio::awaitable<Result<ListResult>> list(const api::ResourceType& type, std::string ns,
                                             const Selectors& selectors, std::int64_t limit,
                                             std::optional<std::string> continue_text,
                                             std::int64_t at_revision) {
        const auto prefix = collection_prefix(type, ns);
        std::string start = prefix;
        std::int64_t revision = at_revision;
        if (continue_text && !continue_text->empty()) {
            auto token = decode_continue(*continue_text);
            if (!token.ok()) {
                co_return token.status();
            }
            if (!token->start.starts_with(prefix)) {
                co_return base::bad_request("continue key is not valid: it is for another list");
            }
            start = token->start;
            revision = token->revision;
        }
        ListResult out;
        for (;;) {
            store::RangeRequest request{.key = start,
                                        .range_end = store::prefix_end(prefix),
                                        .revision = revision,
                                        .limit = limit > 0 ? limit + 1 : 0};
            auto r = co_await store.range(std::move(request));
            if (!r.ok()) {
                if (store::is_compacted(r.status()) && continue_text) {
                    co_return Status(Reason::Expired,
                                     "The provided continue parameter is too old to display a "
                                     "consistent list result. You can start a new list without "
                                     "the continue parameter.");
                }
                if (store::is_compacted(r.status())) {
                    co_return Status(Reason::Expired, "too old resource version: " +
                                                          std::to_string(revision));
                }
                co_return r.status();
            }
            if (revision == 0) {
                revision = r->revision;
            }
            out.revision = revision;
            std::string last;
            for (const auto& kv : r->kvs) {
                if (limit > 0 && static_cast<std::int64_t>(out.items.size()) == limit) {
                    out.continue_token = encode_continue({revision, last + std::string(1, '\0')});
                    co_return out;
                }
                last = kv.key;
                auto object = decode_stored(kv);
                if (!object.ok()) {
                    co_return object.status();
                }
                if (selectors.matches(*object)) {
                    out.items.push_back(std::move(*object));
                }
            }
            if (!r->more || r->kvs.empty()) {
                co_return out;
            }
            start = last + std::string(1, '\0');
        }
    }

    // ---- HTTP ----

    asio::awaitable<void> respond(http::Exchange& ex, const Status& status) {
        co_await ex.respond(http::from_status(status));
    }

    /// Until authorization lands (issue 5): a client certificate the cluster's client CA
    /// signed is enough for everything; anyone else gets 401.
    asio::awaitable<bool> authenticated(http::Exchange& ex) {
        if (ex.request().peer) {
            co_return true;
        }
        const Status unauthorized(Reason::Unauthorized, "Unauthorized");
        co_await respond(ex, unauthorized);
        co_return false;
    }

    asio::awaitable<void> serve(http::Exchange& ex) {
        const auto& request = ex.request();
        if (!co_await authenticated(ex)) {
            co_return;
        }
        const bool watch_flag = [&] {
            auto w = request.query_param("watch");
            // Go's strconv.ParseBool, as upstream (python's client sends "True").
            return w && (*w == "true" || *w == "1" || *w == "t" || *w == "T" || *w == "TRUE" ||
                         *w == "True");
        }();
        auto info = parse_request_info(request.method, request.path, watch_flag);
        if (!info) {
            co_await respond(ex, base::not_found("", "", request.path).set_code(404));
            co_return;
        }
        if (info->verb == "discovery") {
            auto list = api::api_resource_list(registry, info->gv);
            if (!list) {
                co_await respond(ex, Status(Reason::NotFound,
                                            "the server could not find the requested resource"));
            } else {
                co_await ex.respond(json_response(200, *list));
            }
            co_return;
        }
        const auto* type = registry.find(info->gv, info->resource);
        if (!type) {
            co_await respond(ex, Status(Reason::NotFound, "the server could not find the requested resource"));
            co_return;
        }
        if (!info->subresource.empty() && !type->has_subresource(info->subresource)) {
            co_await respond(ex, Status(Reason::NotFound, "the server could not find the requested resource"));
            co_return;
        }
        // Subresources discovery lists whose handlers come with later issues (the kubelet's
        // log/exec/attach/portforward, tokens, CSR approval): say so instead of answering
        // with the parent object.
        if (const auto& sub = info->subresource;
            !sub.empty() && sub != "status" && sub != "scale" && sub != "binding" &&
            sub != "eviction") {
            const Status later(Reason::NotFound, "the " + sub + " subresource of " +
                                                     type->resource +
                                                     " is not served by this skiff build yet");
            co_await respond(ex, later);
            co_return;
        }
        if (type->namespaced && info->namespace_.empty() && !info->name.empty()) {
            co_await respond(ex, Status(Reason::NotFound, "the server could not find the requested resource"));
            co_return;
        }
        if (auto st = check_dry_run(request); !st.ok()) {
            co_await respond(ex, st);
            co_return;
        }
        // A copy: CRDs change the registry while requests are suspended.
        const api::ResourceType type_copy = *type;
        std::string failure;
        try {
            co_await dispatch(ex, type_copy, *info);
        } catch (const boost::system::system_error&) {
            throw;  // cancellation at stop
        } catch (const std::exception& e) {
            failure = e.what();
        }
        if (!failure.empty()) {
            log::error("api request failed", {{"path", request.path}, {"error", failure}});
            if (!ex.responded()) {
                co_await respond(ex, base::internal_error(failure));
            }
        }
    }

    /// GET /api and /apis: legacy or aggregated by the Accept header, with an ETag.
    asio::awaitable<void> serve_discovery_root(http::Exchange& ex, bool core) {
        if (!co_await authenticated(ex)) {
            co_return;
        }
        const auto negotiated =
            api::negotiate_discovery(ex.request().headers.get("Accept").value_or(""));
        json::value body;
        if (negotiated.format == api::DiscoveryFormat::Legacy) {
            body = core ? api::api_versions(registry, options.server_address)
                        : api::api_group_list(registry);
        } else {
            body = core ? api::aggregated_core(registry, negotiated.format)
                        : api::aggregated_groups(registry, negotiated.format);
        }
        auto text = json::serialize(body);
        http::Response response = http::Response::json(200, {});
        response.headers.set("Content-Type", negotiated.content_type);
        response.headers.set("Vary", "Accept");
        response.headers.set("ETag", api::quoted_etag(api::document_hash(text)));
        response.body = std::move(text);
        co_await ex.respond(std::move(response));
    }

    /// GET /openapi/v2 (the minimal protobuf document), /openapi/v3 and /openapi/v3/<gv>.
    asio::awaitable<void> serve_openapi(http::Exchange& ex) {
        const auto& request = ex.request();
        if (!co_await authenticated(ex)) {
            co_return;
        }
        if (request.path == "/openapi/v2") {
            http::Response response;
            response.headers.set("Content-Type", std::string(api::kOpenApiV2ProtobufContentType));
            response.body = api::openapi_v2_protobuf();
            co_await ex.respond(std::move(response));
            co_return;
        }
        if (!openapi) {
            api::OpenApiOptions openapi_options;
            // Custom resources' schemas, else the built-in kinds'.
            openapi_options.schemas = [crds = api::schema_map(crd_schemas),
                                       builtin = api::builtin_schema_source()](
                                          const api::GroupVersion& gv, std::string_view kind) {
                auto found = crds(gv, kind);
                return found ? found : builtin(gv, kind);
            };
            openapi = api::build_openapi_v3(registry, openapi_options);
        }
        const std::string* body = nullptr;
        const std::string* hash = nullptr;
        if (request.path == "/openapi/v3" || request.path == "/openapi/v3/") {
            body = &openapi->index_body;
            hash = &openapi->index_hash;
        } else if (request.path.starts_with("/openapi/v3/")) {
            auto it = openapi->documents.find(request.path.substr(std::string("/openapi/v3/").size()));
            if (it != openapi->documents.end()) {
                body = &it->second.body;
                hash = &it->second.hash;
            }
        }
        if (!body) {
            co_await respond(ex, Status(Reason::NotFound,
                                        "the server could not find the requested resource"));
            co_return;
        }
        const auto etag = api::quoted_etag(*hash);
        if (request.headers.get("If-None-Match").value_or("") == etag) {
            http::Response not_modified;
            not_modified.status = 304;
            not_modified.headers.set("ETag", etag);
            co_await ex.respond(std::move(not_modified));
            co_return;
        }
        http::Response response = http::Response::json(200, *body);
        response.headers.set("ETag", etag);
        co_await ex.respond(std::move(response));
    }

    // ---- scale ----

    static json::object scale_of(const json::object& object) {
        const json::value whole(object);
        const auto* meta = metadata_of(object);
        json::object scale_meta;
        for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (meta && meta->contains(f)) {
                scale_meta[f] = meta->at(f);
            }
        }
        std::string selector;
        if (const auto* sel = base::find(whole, {"spec", "selector"})) {
            auto parsed = api::LabelSelector::from_json(sel);
            if (parsed.ok()) {
                selector = parsed->to_string();
            }
        }
        json::object status{{"replicas", base::int_at(whole, {"status", "replicas"})}};
        if (!selector.empty()) {
            status["selector"] = selector;
        }
        return {{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata", std::move(scale_meta)},
                {"spec", json::object{{"replicas", base::int_at(whole, {"spec", "replicas"})}}},
                {"status", std::move(status)}};
    }

    /// GET, PUT and PATCH of <resource>/<name>/scale: spec.replicas of the parent.
    asio::awaitable<Result<json::object>> scale(const api::ResourceType& type,
                                                const RequestInfo& info, std::string ct,
                                                std::string body_text, WriteContext& wc) {
        for (int attempt = 0;; ++attempt) {
            auto current = co_await get(type, info.namespace_, info.name);
            if (!current.ok() || info.verb == "get") {
                if (!current.ok()) {
                    co_return current.status();
                }
                co_return scale_of(*current);
            }
            json::value wanted;
            if (info.verb == "update") {
                auto body = decode_text(ct, body_text);
                if (!body.ok()) {
                    co_return body.status();
                }
                wanted = std::move(*body);
                const auto rv = base::string_at(wanted, {"metadata", "resourceVersion"});
                if (!rv.empty() && rv != meta_string(*current, "resourceVersion")) {
                    co_return conflict_modified(type, info.name);
                }
            } else {
                auto patch_doc = base::parse_json(body_text);
                if (!patch_doc.ok()) {
                    co_return base::bad_request("the patch could not be decoded as JSON: " +
                                                patch_doc.status().message());
                }
                api::ResourceType scale_type = type;
                scale_type.patch_meta.clear();
                auto patched =
                    apply_patch(scale_type, ct, json::value(scale_of(*current)), *patch_doc);
                if (!patched.ok()) {
                    co_return patched.status();
                }
                wanted = std::move(*patched);
            }
            const auto* replicas = base::find(wanted, {"spec", "replicas"});
            if (!replicas || !replicas->is_int64() || replicas->as_int64() < 0) {
                api::ErrorList errors{api::field::invalid(
                    "spec.replicas", replicas ? *replicas : json::value(nullptr),
                    "must be greater than or equal to 0")};
                co_return api::invalid_status("autoscaling", "Scale", info.name, errors);
            }
            json::object next = *current;
            auto& spec = next["spec"];
            if (!spec.is_object()) {
                spec = json::object{};
            }
            spec.as_object()["replicas"] = replicas->as_int64();
            auto result = co_await commit_update(type, *current, std::move(next), wc);
            if (!result.ok() && result.status().reason() == Reason::Conflict &&
                info.verb == "patch" && attempt + 1 < kPatchRetries) {
                continue;
            }
            if (!result.ok()) {
                co_return result.status();
            }
            co_return scale_of(*result);
        }
    }

    asio::awaitable<void> dispatch(http::Exchange& ex, const api::ResourceType& type,
                                   const RequestInfo& info) {
        const auto& request = ex.request();
        auto validation = field_validation(request);
        if (!validation.ok()) {
            co_await respond(ex, validation.status());
            co_return;
        }
        WriteContext wc;
        wc.dry = dry_run(request);
        wc.validation = *validation;
        const auto& verb = info.verb;
        if (info.subresource == "scale") {
            if (verb != "get" && verb != "update" && verb != "patch") {
                co_await respond(ex, Status(Reason::MethodNotAllowed,
                                            "the server does not allow this method on the "
                                            "requested resource"));
                co_return;
            }
            auto result = co_await scale(type, info, content_type(request), request.body, wc);
            if (!result.ok()) {
                co_await respond(ex, result.status());
            } else {
                co_await ex.respond(with_warnings(json_response(200, *result), wc));
            }
            co_return;
        }
        if (verb == "get") {
            auto table = table_request(request);
            if (!table.ok()) {
                co_await respond(ex, table.status());
                co_return;
            }
            auto object = co_await get(type, info.namespace_, info.name);
            if (!object.ok()) {
                co_await respond(ex, object.status());
            } else if (*table) {
                co_await ex.respond(
                    json_response(200, one_row_table(type, *object, (*table)->options)));
            } else {
                co_await ex.respond(json_response(200, *object));
            }
        } else if (verb == "list") {
            co_await serve_list(ex, type, info);
        } else if (verb == "watch") {
            co_await serve_watch(ex, type, info);
        } else if (verb == "create" && (info.subresource == "binding" ||
                                        info.subresource == "eviction")) {
            // POST pods/<name>/binding or /eviction: the same as creating a Binding or an
            // Eviction named after the pod.
            auto body = decode_body(request);
            if (!body.ok() || !body->is_object()) {
                const Status refused =
                    body.ok() ? base::bad_request("the body must be a JSON object") : body.status();
                co_await respond(ex, refused);
                co_return;
            }
            auto& object = body->as_object();
            if (const auto n = meta_string(object, "name"); !n.empty() && n != info.name) {
                co_await respond(ex, base::bad_request("the name of the " + info.subresource + " (" +
                                                       std::string(n) +
                                                       ") does not match the pod (" + info.name + ")"));
                co_return;
            }
            metadata_of(object)["name"] = info.name;
            Result<json::object> done = base::internal_error("unreachable");
            if (info.subresource == "binding") {
                done = co_await bind(info.namespace_, std::move(object), wc);
            } else {
                done = co_await evict(info.namespace_, std::move(object), wc);
            }
            if (!done.ok()) {
                co_await respond(ex, done.status());
            } else {
                co_await ex.respond(json_response(201, *done));
            }
        } else if (verb == "create") {
            if (!info.name.empty() || !info.subresource.empty()) {
                co_await respond(ex, Status(Reason::MethodNotAllowed,
                                            "the server does not allow this method on the "
                                            "requested resource"));
                co_return;
            }
            auto body = decode_body(request);
            if (!body.ok() || !body->is_object()) {
                // Named: g++ 12 destroys a conditional's temporary twice inside co_await.
                const Status refused =
                    body.ok() ? base::bad_request("the body must be a JSON object") : body.status();
                co_await respond(ex, refused);
                co_return;
            }
            auto created = co_await create(type, info.namespace_, std::move(body->as_object()), wc);
            if (!created.ok()) {
                co_await respond(ex, created.status());
            } else {
                co_await ex.respond(with_warnings(json_response(201, *created), wc));
            }
        } else if (verb == "update") {
            auto body = decode_body(request);
            if (!body.ok() || !body->is_object()) {
                // Named: g++ 12 destroys a conditional's temporary twice inside co_await.
                const Status refused =
                    body.ok() ? base::bad_request("the body must be a JSON object") : body.status();
                co_await respond(ex, refused);
                co_return;
            }
            auto updated = co_await update(type, info, std::move(body->as_object()), wc);
            if (!updated.ok()) {
                co_await respond(ex, updated.status());
            } else {
                co_await ex.respond(with_warnings(json_response(200, *updated), wc));
            }
        } else if (verb == "patch") {
            auto patched = co_await patch(type, info, content_type(request), request.body, wc);
            if (!patched.ok()) {
                co_await respond(ex, patched.status());
            } else {
                const int code = patched->second ? 201 : 200;
                co_await ex.respond(with_warnings(json_response(code, patched->first), wc));
            }
        } else if (verb == "delete") {
            json::object options;
            if (!request.body.empty()) {
                auto body = decode_body(request);
                if (!body.ok() || !body->is_object()) {
                    co_await respond(ex, base::bad_request("the body of a delete must be DeleteOptions JSON"));
                    co_return;
                }
                options = std::move(body->as_object());
            }
            wc.dry = wc.dry || delete_dry_run(options);
            auto removed = co_await remove_object(type, info.namespace_, info.name, options, wc);
            if (!removed.ok()) {
                co_await respond(ex, removed.status());
            } else {
                co_await ex.respond(json_response(200, *removed));
            }
        } else if (verb == "deletecollection") {
            auto selectors = parse_selectors(type, request.query_param("labelSelector"),
                                             request.query_param("fieldSelector"));
            if (!selectors.ok()) {
                co_await respond(ex, selectors.status());
                co_return;
            }
            auto listed = co_await list(type, info.namespace_, *selectors, 0, std::nullopt, 0);
            if (!listed.ok()) {
                co_await respond(ex, listed.status());
                co_return;
            }
            json::object no_options;
            for (const auto& item : listed->items) {
                auto removed = co_await remove_object(type, std::string(meta_string(item, "namespace")),
                                                      std::string(meta_string(item, "name")),
                                                      no_options, wc);
                if (!removed.ok() && removed.status().reason() != Reason::NotFound) {
                    co_await respond(ex, removed.status());
                    co_return;
                }
            }
            json::object ok{{"kind", "Status"},
                            {"apiVersion", "v1"},
                            {"metadata", json::object{}},
                            {"status", "Success"}};
            co_await ex.respond(json_response(200, ok));
        } else {
            co_await respond(ex, Status(Reason::MethodNotAllowed,
                                        "the server does not allow this method on the requested "
                                        "resource"));
        }
    }

    /// How a read answers: a Table when the Accept header asks for one (kubectl get).
    struct TableRequest {
        api::TableOptions options;
    };
    Result<std::optional<TableRequest>> table_request(const http::Request& request) {
        auto version = api::table_api_version(request.headers.get("Accept").value_or(""));
        if (!version) {
            return std::optional<TableRequest>{};
        }
        auto include = api::parse_include_object(request.query_param("includeObject").value_or(""));
        if (!include.ok()) {
            return include.status();
        }
        TableRequest t;
        t.options.api_version = *version;
        t.options.include_object = *include;
        t.options.now = clock.now();
        return std::optional<TableRequest>(std::move(t));
    }

    static json::object one_row_table(const api::ResourceType& type, const json::object& object,
                                      api::TableOptions options) {
        options.resource_version = std::string(meta_string(object, "resourceVersion"));
        const json::object* rows[] = {&object};
        return api::make_table(type, rows, options);
    }

    /// ListOptions from a request's query.
    static Result<api::ListOptions> list_options(const http::Request& request) {
        api::ListOptions o;
        o.label_selector = request.query_param("labelSelector").value_or("");
        o.field_selector = request.query_param("fieldSelector").value_or("");
        o.continue_token = request.query_param("continue").value_or("");
        o.resource_version = request.query_param("resourceVersion").value_or("");
        o.resource_version_match = request.query_param("resourceVersionMatch").value_or("");
        if (auto l = request.query_param("limit"); l && !l->empty()) {
            auto v = parse_int(*l);
            if (!v) {
                return base::bad_request("invalid limit \"" + *l + "\"");
            }
            o.limit = *v;
        }
        if (auto b = request.query_param("allowWatchBookmarks")) {
            o.allow_bookmarks = *b == "true" || *b == "1" || *b == "True";
        }
        if (auto t = request.query_param("timeoutSeconds"); t && !t->empty()) {
            auto v = parse_int(*t);
            if (!v) {
                return base::bad_request("invalid timeoutSeconds \"" + *t + "\"");
            }
            o.timeout = std::chrono::seconds(*v);
        }
        return o;
    }

    /// The <Kind>List of a collection.
    asio::awaitable<Result<json::object>> list_object(const api::ResourceType& type,
                                                      std::string ns, api::ListOptions o) {
        auto selectors = parse_selectors(type, o.label_selector, o.field_selector);
        if (!selectors.ok()) {
            co_return selectors.status();
        }
        std::int64_t at = 0;
        const auto& rv = o.resource_version;
        if (!rv.empty() && rv != "0") {
            auto v = parse_int(rv);
            if (!v) {
                co_return base::bad_request("invalid resourceVersion \"" + rv + "\"");
            }
            if (o.resource_version_match == "Exact") {
                at = *v;
            } else if (*v > store.current_revision()) {
                co_return Status(Reason::Timeout,
                                 "Too large resource version: " + rv + ", current: " +
                                     std::to_string(store.current_revision()));
            }
        }
        std::optional<std::string> token;
        if (!o.continue_token.empty()) {
            token = o.continue_token;
        }
        auto listed = co_await list(type, ns, *selectors, o.limit, token, at);
        if (!listed.ok()) {
            co_return listed.status();
        }
        json::object meta{{"resourceVersion", std::to_string(listed->revision)}};
        if (!listed->continue_token.empty()) {
            meta["continue"] = listed->continue_token;
        }
        json::array items;
        items.reserve(listed->items.size());
        for (auto& item : listed->items) {
            item.erase("kind");
            item.erase("apiVersion");
            items.emplace_back(std::move(item));
        }
        co_return json::object{{"kind", type.kind + "List"},
                               {"apiVersion", type.api_version()},
                               {"metadata", std::move(meta)},
                               {"items", std::move(items)}};
    }

    /// Watch events of a collection over a store watcher: ADDED/MODIFIED/DELETED as objects
    /// enter, change in and leave the selection; an ERROR event (410 Expired) when the start
    /// is compacted away.
    class StoreEventStream final : public api::EventStream {
    public:
        StoreEventStream(std::unique_ptr<store::Watcher> watcher, Selectors selectors,
                         std::deque<api::WatchEvent> initial, std::int64_t start,
                         asio::any_io_executor executor, std::chrono::seconds timeout)
            : watcher_(std::move(watcher)),
              selectors_(std::move(selectors)),
              pending_(std::move(initial)),
              start_(start),
              deadline_(executor, timeout) {
            deadline_.async_wait([w = watcher_.get()](boost::system::error_code ec) {
                if (!ec) {
                    w->cancel();  // the watch's time is up: next() ends with Gone
                }
            });
        }
        ~StoreEventStream() override { deadline_.cancel(); }

        asio::awaitable<Result<api::WatchEvent>> next() override {
            while (pending_.empty()) {
                if (ended_) {
                    co_return *ended_;
                }
                auto batch = co_await watcher_->next();
                if (!batch.ok()) {
                    ended_ = batch.status();
                    if (batch.status().reason() == Reason::Expired) {
                        Status gone(Reason::Expired,
                                    "too old resource version: " + std::to_string(start_ - 1) +
                                        " (" + std::to_string(watcher_->compact_revision()) + ")");
                        pending_.push_back({"ERROR", gone.to_json().as_object()});
                    }
                    continue;
                }
                if (batch->progress && bookmark_kind_) {
                    // Everything up to this revision was delivered: say so.
                    json::object bookmark{
                        {"kind", *bookmark_kind_},
                        {"apiVersion", bookmark_api_version_},
                        {"metadata",
                         json::object{{"resourceVersion", std::to_string(batch->revision)}}}};
                    pending_.push_back({"BOOKMARK", std::move(bookmark)});
                }
                for (const auto& event : batch->events) {
                    convert(event);
                }
            }
            auto e = std::move(pending_.front());
            pending_.pop_front();
            co_return e;
        }
        void cancel() override { watcher_->cancel(); }
        /// Progress notifications become BOOKMARK events of `type`.
        void bookmarks_for(const api::ResourceType& type) {
            bookmark_kind_ = type.kind;
            bookmark_api_version_ = type.api_version();
        }

    private:
        void convert(const store::Event& event) {
            std::optional<json::object> now;
            std::optional<json::object> before;
            if (event.type == store::Event::Type::Put) {
                if (auto o = decode_stored(event.kv); o.ok()) {
                    now = std::move(*o);
                }
            }
            if (event.prev_kv) {
                if (auto o = decode_stored(*event.prev_kv); o.ok()) {
                    before = std::move(*o);
                }
            }
            const bool matched_now = now && selectors_.matches(*now);
            const bool matched_before = before && selectors_.matches(*before);
            if (matched_now) {
                pending_.push_back({matched_before ? "MODIFIED" : "ADDED", std::move(*now)});
            } else if (matched_before) {
                // Deleted, or no longer selected: the last state at the event's revision.
                metadata_of(*before)["resourceVersion"] = std::to_string(event.kv.mod_revision);
                pending_.push_back({"DELETED", std::move(*before)});
            }
        }

        std::unique_ptr<store::Watcher> watcher_;
        Selectors selectors_;
        std::deque<api::WatchEvent> pending_;
        std::int64_t start_;
        asio::steady_timer deadline_;
        std::optional<Status> ended_;
        std::optional<std::string> bookmark_kind_;
        std::string bookmark_api_version_;
    };

    asio::awaitable<Result<std::unique_ptr<api::EventStream>>> watch_stream(
        const api::ResourceType& type, std::string ns, api::ListOptions o) {
        auto selectors = parse_selectors(type, o.label_selector, o.field_selector);
        if (!selectors.ok()) {
            co_return selectors.status();
        }
        std::deque<api::WatchEvent> initial;
        std::int64_t start = 0;
        const auto& rv = o.resource_version;
        if (rv.empty() || rv == "0") {
            // Everything that exists now comes first, as ADDED.
            auto listed = co_await list(type, ns, *selectors, 0, std::nullopt, 0);
            if (!listed.ok()) {
                co_return listed.status();
            }
            for (auto& item : listed->items) {
                initial.push_back({"ADDED", std::move(item)});
            }
            start = listed->revision + 1;
        } else {
            auto v = parse_int(rv);
            if (!v) {
                co_return base::bad_request("invalid resourceVersion \"" + rv + "\"");
            }
            start = *v + 1;
        }
        const auto prefix = collection_prefix(type, ns);
        store::WatchRequest w{.key = prefix,
                              .range_end = store::prefix_end(prefix),
                              .start_revision = start,
                              .prev_kv = true,
                              .progress_notify = o.allow_bookmarks};
        auto watcher = co_await store.watch(std::move(w));
        if (!watcher.ok()) {
            co_return watcher.status();
        }
        const auto timeout = o.timeout.count() > 0 ? o.timeout : std::chrono::seconds(1800);
        auto stream = std::make_unique<StoreEventStream>(
            std::move(*watcher), std::move(*selectors), std::move(initial), start,
            co_await asio::this_coro::executor, timeout);
        if (o.allow_bookmarks) {
            stream->bookmarks_for(type);
        }
        co_return std::unique_ptr<api::EventStream>(std::move(stream));
    }

    asio::awaitable<void> serve_list(http::Exchange& ex, const api::ResourceType& type,
                                     const RequestInfo& info) {
        auto options = list_options(ex.request());
        if (!options.ok()) {
            co_await respond(ex, options.status());
            co_return;
        }
        auto table = table_request(ex.request());
        if (!table.ok()) {
            co_await respond(ex, table.status());
            co_return;
        }
        auto listed = co_await list_object(type, info.namespace_, std::move(*options));
        if (!listed.ok()) {
            co_await respond(ex, listed.status());
        } else if (*table) {
            auto& opts = (*table)->options;
            const json::value whole(*listed);
            opts.resource_version = std::string(base::string_at(whole, {"metadata", "resourceVersion"}));
            opts.continue_token = std::string(base::string_at(whole, {"metadata", "continue"}));
            std::vector<const json::object*> rows;
            auto& items = listed->at("items").as_array();
            for (auto& item : items) {
                // Rows carry whole objects (includeObject=Object): with their kind again.
                item.as_object()["kind"] = type.kind;
                item.as_object()["apiVersion"] = type.api_version();
                rows.push_back(&item.as_object());
            }
            co_await ex.respond(json_response(200, api::make_table(type, rows, opts)));
        } else {
            co_await ex.respond(json_response(200, *listed));
        }
    }

    asio::awaitable<void> serve_watch(http::Exchange& ex, const api::ResourceType& type,
                                      const RequestInfo& info) {
        auto options = list_options(ex.request());
        if (!options.ok()) {
            co_await respond(ex, options.status());
            co_return;
        }
        auto events = co_await watch_stream(type, info.namespace_, std::move(*options));
        if (!events.ok()) {
            co_await respond(ex, events.status());
            co_return;
        }
        auto table = table_request(ex.request());
        if (!table.ok()) {
            co_await respond(ex, table.status());
            co_return;
        }
        http::Headers headers{{"Content-Type", "application/json"}};
        auto stream = co_await ex.start_stream(200, std::move(headers));
        for (;;) {
            auto e = co_await (*events)->next();
            if (!e.ok()) {
                break;
            }
            if (*table && e->type != "ERROR") {
                // Each event is a one-row Table; the columns come with the first only.
                e->object = one_row_table(type, e->object, (*table)->options);
                (*table)->options.with_columns = false;
            }
            json::object line{{"type", e->type}, {"object", std::move(e->object)}};
            if (!(co_await stream->write(json::serialize(line) + "\n")).ok()) {
                co_return;  // the client is gone
            }
        }
        co_await stream->finish();
    }
};

ApiServer::ApiServer(store::Store& store, base::Clock& clock, ApiServerOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}

ApiServer::~ApiServer() = default;

const api::Registry& ApiServer::registry() const {
    return impl_->registry;
}

asio::awaitable<Status> ApiServer::bootstrap() {
    auto cidr = Ipv4Cidr::parse(impl_->options.service_cidr);
    if (!cidr.ok()) {
        co_return cidr.status().prepend("service CIDR");
    }
    impl_->service_cidr = *cidr;
    // Custom resources defined before this start are served again.
    const auto crd_type = *impl_->registry.find({"apiextensions.k8s.io", "v1"},
                                                "customresourcedefinitions");
    Selectors everything;
    auto crds = co_await impl_->list(crd_type, "", everything, 0, std::nullopt, 0);
    if (!crds.ok()) {
        co_return crds.status();
    }
    for (const auto& crd : crds->items) {
        impl_->register_crd(nullptr, crd);
    }
    const auto* ns_type = impl_->registry.find({"", "v1"}, "namespaces");
    for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
        json::object ns{{"apiVersion", "v1"},
                        {"kind", "Namespace"},
                        {"metadata", json::object{{"name", name}}}};
        WriteContext wc;
        auto created = co_await impl_->create(*ns_type, "", std::move(ns), wc);
        if (!created.ok() && created.status().reason() != Reason::AlreadyExists) {
            co_return created.status();
        }
    }
    const auto* svc_type = impl_->registry.find({"", "v1"}, "services");
    const auto port_text = impl_->options.server_address.substr(
        impl_->options.server_address.rfind(':') + 1);
    json::object kubernetes{
        {"apiVersion", "v1"},
        {"kind", "Service"},
        {"metadata", json::object{{"name", "kubernetes"},
                                  {"labels", json::object{{"component", "apiserver"},
                                                          {"provider", "kubernetes"}}}}},
        {"spec", json::object{{"clusterIP", format_ipv4(cidr->first())},
                              {"ports", json::array{json::object{
                                            {"name", "https"},
                                            {"port", 443},
                                            {"protocol", "TCP"},
                                            {"targetPort", parse_int(port_text).value_or(6443)}}}}}}};
    WriteContext wc;
    auto svc = co_await impl_->create(*svc_type, "default", std::move(kubernetes), wc);
    if (!svc.ok() && svc.status().reason() != Reason::AlreadyExists) {
        co_return svc.status();
    }
    co_return Status{};
}

asio::awaitable<Result<json::object>> ApiServer::get(const api::ResourceType& type, std::string ns,
                                                     std::string name, std::string subresource) {
    if (subresource == "scale") {
        RequestInfo info{.gv = type.gv, .namespace_ = ns, .resource = type.resource,
                         .name = name, .subresource = subresource, .verb = "get"};
        WriteContext wc;
        co_return co_await impl_->scale(type, info, "", "", wc);
    }
    co_return co_await impl_->get(type, std::move(ns), std::move(name));
}

asio::awaitable<Result<json::object>> ApiServer::list(const api::ResourceType& type,
                                                      std::string ns, api::ListOptions options) {
    co_return co_await impl_->list_object(type, std::move(ns), std::move(options));
}

asio::awaitable<Result<std::unique_ptr<api::EventStream>>> ApiServer::watch(
    const api::ResourceType& type, std::string ns, api::ListOptions options) {
    co_return co_await impl_->watch_stream(type, std::move(ns), std::move(options));
}

asio::awaitable<Result<json::object>> ApiServer::create(const api::ResourceType& type,
                                                        std::string ns, json::object object,
                                                        api::WriteOptions options) {
    WriteContext wc;
    wc.dry = options.dry_run;
    co_return co_await impl_->create(type, std::move(ns), std::move(object), wc);
}

asio::awaitable<Result<json::object>> ApiServer::update(const api::ResourceType& type,
                                                        json::object object,
                                                        std::string subresource,
                                                        api::WriteOptions options) {
    RequestInfo info{.gv = type.gv,
                     .namespace_ = std::string(meta_string(object, "namespace")),
                     .resource = type.resource,
                     .name = std::string(meta_string(object, "name")),
                     .subresource = std::move(subresource),
                     .verb = "update"};
    WriteContext wc;
    wc.dry = options.dry_run;
    if (info.subresource == "scale") {
        co_return co_await impl_->scale(type, info, "application/json", json::serialize(object),
                                        wc);
    }
    co_return co_await impl_->update(type, info, std::move(object), wc);
}

asio::awaitable<Result<json::object>> ApiServer::patch(const api::ResourceType& type,
                                                       std::string ns, std::string name,
                                                       api::PatchType patch_type,
                                                       std::string patch, std::string subresource,
                                                       api::WriteOptions options) {
    RequestInfo info{.gv = type.gv, .namespace_ = std::move(ns), .resource = type.resource,
                     .name = std::move(name), .subresource = std::move(subresource),
                     .verb = "patch"};
    const std::string ct(api::content_type(patch_type));
    WriteContext wc;
    wc.dry = options.dry_run;
    if (info.subresource == "scale") {
        co_return co_await impl_->scale(type, info, ct, std::move(patch), wc);
    }
    auto r = co_await impl_->patch(type, info, ct, std::move(patch), wc);
    if (!r.ok()) {
        co_return r.status();
    }
    co_return std::move(r->first);
}

asio::awaitable<Result<json::object>> ApiServer::remove(const api::ResourceType& type,
                                                        std::string ns, std::string name,
                                                        json::object delete_options) {
    WriteContext wc;
    wc.dry = delete_dry_run(delete_options);
    co_return co_await impl_->remove_object(type, std::move(ns), std::move(name), delete_options,
                                            wc);
}

void ApiServer::add_routes(http::Router& router) {
    auto handler = [impl = impl_.get()](http::Exchange& ex) { return impl->serve(ex); };
    router.add_prefix("", "/api/", handler);
    router.add_prefix("", "/apis/", handler);
    auto* impl = impl_.get();
    router.add("GET", "/api", [impl](http::Exchange& ex) { return impl->serve_discovery_root(ex, true); });
    router.add("GET", "/apis", [impl](http::Exchange& ex) { return impl->serve_discovery_root(ex, false); });
    router.add_prefix("GET", "/openapi/", [impl](http::Exchange& ex) { return impl->serve_openapi(ex); });
}

}  // namespace skiff::apiserver
