// OpenAPI documents generated from the type registry: the /openapi/v3 index, one OpenAPI 3.0
// document per group version, and the minimal protobuf /openapi/v2 document.
//
// Paths and operations are complete enough for kubectl: every PATCH operation declares
// `fieldValidation` (so kubectl leaves validation to the server), with the GVK and action
// extensions. Object schemas are generic for now (apiVersion, kind, metadata, and spec/status
// that preserve unknown fields); a real per-field schema source comes later and plugs in
// through `SchemaSource`, as do the openAPIV3Schema of custom resources.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "skiff/api/registry.h"

namespace skiff::api {

inline constexpr std::string_view kOpenApiV3ContentType = "application/json";
/// What /openapi/v2 answers with: the dotted form. kubectl asks with the `@v1.0` form (kept
/// below for matching Accept), but Go's mime parser rejects '@' in a Content-Type, which makes
/// client-go fail the response as an internal error.
inline constexpr std::string_view kOpenApiV2ProtobufContentType =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
inline constexpr std::string_view kOpenApiV2ProtobufAcceptType =
    "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

/// The schema of one kind, as a source supplies it.
struct KindSchema {
    /// The kind's object schema (`type: object`, `properties`...). The generator adds what
    /// every kind needs when missing (type, apiVersion, kind), points `metadata` at ObjectMeta
    /// unless it already is a `$ref`/`allOf` (CRD schemas are not), and sets
    /// `x-kubernetes-group-version-kind`.
    boost::json::value schema;
    /// Further components.schemas the schema refers to (`#/components/schemas/<name>`). They
    /// win over the generator's own: generic kind schemas and the meta.v1 ones (ObjectMeta,
    /// ListMeta, Status, DeleteOptions, Patch); between sources, the first one added stays.
    boost::json::object definitions;
};

/// Where kind schemas come from: nullopt falls back to the generic schema. Called for the
/// kinds served in the document's group version and for subresource response kinds
/// (autoscaling/v1 Scale...), never for list kinds, which are derived.
using SchemaSource =
    std::function<std::optional<KindSchema>(const GroupVersion& gv, std::string_view kind)>;

/// The key `schema_map` looks kinds up by: "<group>/<version>/<Kind>" ("/v1/Pod" for core).
std::string gvk_key(const GroupVersion& gv, std::string_view kind);

/// A source over a map keyed by `gvk_key`, e.g. the openAPIV3Schema of each served CRD
/// version (the map is copied into the source).
SchemaSource schema_map(std::map<std::string, boost::json::value> schemas);

struct OpenApiOptions {
    /// info.title and info.version of every document.
    std::string title = "Kubernetes";
    std::string version = "v1.32.4";
    /// Richer schemas; unset or nullopt: the generic schema.
    SchemaSource schemas;
};

/// "api/v1" or "apis/<group>/<version>": the key in the v3 index and the suffix after
/// /openapi/v3/.
std::string openapi_v3_path(const GroupVersion& gv);

/// The name of a kind's schema in components.schemas, as upstream names it: core and
/// built-in groups "io.k8s.api.<first label of the group>.<version>.<Kind>"
/// ("io.k8s.api.core.v1.Pod", "io.k8s.api.rbac.v1.Role"), apiextensions.k8s.io and
/// apiregistration.k8s.io under their own packages, and any other group reversed
/// ("com.example.stable.v1.CronTab").
std::string openapi_schema_name(const GroupVersion& gv, std::string_view kind);

/// The OpenAPI 3.0 document of one group version; an empty `paths` object when the registry
/// has nothing in `gv`.
boost::json::value openapi_v3_document(const Registry& registry, const GroupVersion& gv,
                                       const OpenApiOptions& options = {});

/// GET /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=H"}}}
/// with H the `document_hash` of that group version's document. Builds every document; use
/// `build_openapi_v3` to keep them.
boost::json::value openapi_v3_index(const Registry& registry, const OpenApiOptions& options = {});

/// Everything /openapi/v3 serves, built at once for caching until the registry changes.
struct OpenApiV3Set {
    struct Document {
        std::string body;  // compact JSON
        std::string hash;  // document_hash(body): the ?hash= value and, quoted, the ETag
    };
    boost::json::value index;
    std::string index_body;
    std::string index_hash;
    /// By `openapi_v3_path`.
    std::map<std::string, Document> documents;
};
OpenApiV3Set build_openapi_v3(const Registry& registry, const OpenApiOptions& options = {});

/// GET /openapi/v2 (protobuf Accept): the bytes of a gnostic openapi_v2.Document holding only
/// swagger "2.0" and info {title, version}. Begins with 0a 03 32 2e 30.
std::string openapi_v2_protobuf(std::string_view title = "Kubernetes",
                                std::string_view version = "v1.32.4");

}  // namespace skiff::api
