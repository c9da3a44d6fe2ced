// The OpenAPI v3 schemas of the built-in kinds: the one source of truth for their fields, from
// which openapi documents, defaulting, validation and strategic-merge metadata are derived.
//
// Schemas are structural: every node has a `type` or is a reference written as upstream does,
// `{"allOf": [{"$ref": "#/components/schemas/<name>"}]}` (a description or default may sit
// beside it); every definition is an object schema except the scalars IntOrString
// (`x-kubernetes-int-or-string`) and Quantity (a string or a number, as upstream's v3 documents
// have it). Objects list `properties` and `required`, maps use `additionalProperties`. They
// carry `enum`
// for closed sets, `format` (int32, int64, date-time, byte), `default` for upstream's constant
// defaults, and the strategic-merge and server-side-apply extensions
// (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`,
// `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`). Descriptions are skiff's own.
//
// Defaults that upstream computes from other fields are not schema defaults; the list the
// registry strategies implement is at the top of src/api/builtin_schemas.cpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "skiff/api/openapi.h"
#include "skiff/api/registry.h"
#include "skiff/api/strategic_merge.h"

namespace skiff::api {

/// The shared definitions (components.schemas) of the built-in kinds, keyed by upstream's
/// schema names ("io.k8s.api.core.v1.PodSpec", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
/// ...). Kinds are definitions too, under `openapi_schema_name`. Built on first use (thread-safe)
/// and never changed afterwards.
const boost::json::object& builtin_definitions();

/// The schema of a built-in kind (an object schema whose fields `$ref` into
/// `builtin_definitions()`), or nullptr when skiff has none (the kind is then served with a
/// generic schema). Kind schemas have apiVersion, kind and metadata (ObjectMeta) properties and
/// `x-kubernetes-group-version-kind`. The pointer stays valid for the life of the process.
const boost::json::value* builtin_schema(const GroupVersion& gv, std::string_view kind);

/// Every kind `builtin_schema` knows, in the order of the schema text.
const std::vector<std::pair<GroupVersion, std::string>>& builtin_schema_kinds();

/// The names of the definitions `schema` refers to, directly or through other definitions
/// (its transitive closure in `builtin_definitions()`); unknown names are returned too, so
/// callers can report them.
std::vector<std::string> builtin_schema_references(const boost::json::value& schema);

/// A SchemaSource for openapi.h: the kind's schema plus the definitions it needs.
SchemaSource builtin_schema_source();

/// The strategic-merge metadata of a kind derived from its schema, by dotted field path from
/// the object root with list items transparent ("spec.template.spec.containers"), in the shape
/// `ResourceType::patch_meta` holds. Empty when skiff has no schema for the kind.
std::map<std::string, PatchMeta> builtin_patch_meta(const GroupVersion& gv, std::string_view kind);

}  // namespace skiff::api
