// OpenAPI v3 structural schemas over JSON objects: unknown fields, pruning, defaulting and
// validation worded as kube-openapi and apiextensions-apiserver word them.
//
// One engine for custom resources (spec.versions[].schema.openAPIV3Schema) and built-in kinds
// (schemas in the same structural form sharing components like ObjectMeta and PodSpec).
// A CRD request runs, like upstream's decoder and strategy:
//   prune_non_nullable_nulls → apply_defaults → unknown_fields (Strict/Warn) → prune → validate.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "skiff/api/validation.h"
#include "skiff/base/status.h"

namespace skiff::api {

/// A compiled schema. Cheap to copy (shared, immutable); safe to use from several threads.
///
/// Keywords: type (object, array, string, integer, number, boolean; a list of types is
/// accepted), properties, additionalProperties (bool or schema), items, required, enum, pattern,
/// minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength,
/// minItems, maxItems, uniqueItems, minProperties, maxProperties, format, nullable, default,
/// allOf, anyOf, oneOf, not, $ref and the x-kubernetes-* extensions preserve-unknown-fields,
/// int-or-string, embedded-resource, list-type, list-map-keys and map-type. Other keywords
/// (description, title, example, x-kubernetes-validations...) are ignored.
///
/// `$ref`: "#/components/schemas/<name>" or "#/definitions/<name>", looked up in the
/// definitions passed to compile (recursive references are fine). Keywords beside a $ref
/// override the target's; `allOf: [{$ref}]` alone (how OpenAPI v3 documents attach a default
/// or description to a reference) is the same as the $ref. `format: int-or-string` is read as
/// x-kubernetes-int-or-string.
///
/// `format` is kept only where apiextensions keeps it (int32/int64 on integers, float/double
/// on numbers, the strfmt names on strings or untyped schemas); others are ignored.
///
/// `pattern` is a Boost.Regex Perl/ECMAScript expression searched (unanchored) in the value,
/// where upstream uses Go's RE2: (?i), \A, \z, classes and repetition agree; RE2's \p{Greek}
/// and (?P<name>) do not exist here, and backreferences/lookarounds (which RE2 rejects) are
/// accepted. Boost.Regex does not recurse and gives up on pathological backtracking, which
/// counts as no match.
class Schema {
public:
    struct Node;   // the compiled form, private to schema.cpp
    struct Arena;  // owns the nodes, private to schema.cpp

    /// A schema with no constraints that preserves unknown fields.
    Schema();

    /// Failure: BadRequest "invalid schema at <path>: ..." for a keyword of the wrong JSON
    /// type or a $ref that `definitions` does not hold.
    static base::Result<Schema> compile(const boost::json::value& schema,
                                        const boost::json::object& definitions = {});

    /// The built-in metav1.ObjectMeta schema used for `metadata` at resource roots.
    static const Schema& object_meta();

    const Node& root() const { return *root_; }

private:
    Schema(std::shared_ptr<const Arena> arena, const Node* root);

    std::shared_ptr<const Arena> arena_;
    const Node* root_ = nullptr;
};

// Unknown fields and pruning (pruning.PruneWithOptions plus objectmeta's coercion).
//
// At a resource root (`resource_root`) and in x-kubernetes-embedded-resource objects,
// apiVersion and kind are always known and metadata is checked against ObjectMeta. Under
// x-kubernetes-preserve-unknown-fields unknown members stay, but members the schema does
// describe are still pruned inside. additionalProperties: true keeps any member as is (upstream
// prunes the insides of such values; structural CRD schemas cannot say it). A value whose
// schema is missing (array without items) loses all its object members, as upstream.
//
// Paths are upstream's: members joined with '.', map keys too ("spec.selector.app.x"), array
// elements as "[i]" ("spec.containers[0].foo"); in document order (upstream's CRD decoder sorts
// them: sort before formatting a strict decoding error for a custom resource if that matters).

/// The paths of the members `schema` does not know. `object` is not modified.
std::vector<std::string> unknown_fields(const boost::json::value& object, const Schema& schema,
                                        bool resource_root = true);

/// Removes the members unknown_fields reports, in place, and returns their paths.
std::vector<std::string> prune(boost::json::value& object, const Schema& schema,
                               bool resource_root = true);

/// `unknown field "spec.foo"`: a Warn-mode warning, one per path.
std::string unknown_field_message(std::string_view path);

/// `strict decoding error: unknown field "spec.foo", unknown field "bar"` (runtime's
/// strictDecodingError). Empty for no paths.
std::string strict_decoding_message(const std::vector<std::string>& paths);

/// The 400 BadRequest a Strict create/update answers with: `<Kind> in version "<version>"
/// cannot be handled as a <Kind>: strict decoding error: unknown field "spec.foo"`.
base::Status strict_decoding_status(std::string_view kind, std::string_view version,
                                    const std::vector<std::string>& paths);

// Defaulting (structural defaulting).

/// PruneNonNullableNullsWithoutDefaults: removes null members whose schema is not nullable and
/// has no default (those with a default are left for apply_defaults).
void prune_non_nullable_nulls(boost::json::value& object, const Schema& schema);

/// Default: for every object the schema describes (in properties, array items and
/// additionalProperties values, recursively), members with a default that are missing, or null
/// while not nullable, get a copy of it; the defaults themselves are then defaulted inside.
/// Array elements and map values that are null while not nullable get their schema's default.
void apply_defaults(boost::json::value& object, const Schema& schema);

// Validation.

/// Validates like a custom resource's create: kube-openapi's schema validator converted to
/// field errors as apiextensions does, then x-kubernetes-embedded-resource checks (apiVersion,
/// kind, metadata of nested resources), then list-type set/map uniqueness.
///
/// Wording (paths as kube-openapi names them: "spec.a", "spec.list[0]", map values
/// "spec.labels.key"; an error about the root itself has the field "<nil>", as upstream's nil
/// path prints):
///   type      `spec.replicas: Invalid value: "string": spec.replicas in body must be of type
///              integer: "string"` (TypeInvalid; int-or-string says "integer,string")
///   required  `spec.x: Required value`
///   enum      `spec.mode: Unsupported value: "x": supported values: "a", "b"`
///   pattern   `spec.s: Invalid value: "b": spec.s in body should match '^a'`
///   minimum   `spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1`
///             (less than or equal to / greater than / less than / should be a multiple of)
///   minLength `spec.s: Invalid value: "": spec.s in body should be at least 1 chars long`
///   maxLength `spec.s: Too long: may not be more than 2 bytes`
///   minItems  `spec.l: Invalid value: 0: spec.l in body should have at least 1 items`
///   maxItems, maxProperties `spec.l: Too many: 3: must have at most 2 items`
///   minProperties `spec.m: Invalid value: 0: spec.m in body should have at least 1 properties`
///   uniqueItems `spec.l: Invalid value: "": spec.l in body shouldn't contain duplicates`
///   format    `spec.t: Invalid value: "x": spec.t in body must be of type date-time: "x"`
///   additionalProperties: false `spec: Invalid value: "k": spec.k in body is a forbidden
///             property`
///   anyOf/allOf/oneOf/not `<nil>: Invalid value: "": "spec.x" must validate at least one
///             schema (anyOf)` / `... all the schemas (allOf)[. None validated]` / `... one and
///             only one schema (oneOf). Found none valid|Found 2 valid alternatives` /
///             `... must not validate the schema (not)`, plus the best failing branch's errors
///   set/map lists `spec.l[2]: Duplicate value: "a"`, `spec.l[1]: Duplicate value:
///             {"name":"a"}` (here map keys are "[key]": "spec.m[k].l[1]")
/// As kube-openapi, every check that applies to the value's JSON kind runs, so a wrong type can
/// come with an enum error; minProperties/maxProperties failures stop the object's checks.
ErrorList validate(const boost::json::value& object, const Schema& schema);

// CustomResourceDefinition helpers.

/// The structural-schema and CRD-schema checks of apiextensions' validation that reject bad
/// schemas, with `path` prefixed ("spec.versions[0].schema.openAPIV3Schema"): types (known,
/// present where structural schemas need them, object at the root), items for arrays,
/// additionalProperties (not at the root, not with properties), unsupported keywords ($ref,
/// definitions, patternProperties, dependencies, additionalItems, id, uniqueItems),
/// metadata (only name/generateName at the root, no defaults in top-level meta fields),
/// embedded resources, int-or-string, list/map types and map keys, allOf/anyOf/oneOf/not
/// restrictions and completeness at the root, patterns that compile. Sorted by message.
/// Not checked: defaults against the schema, CEL rules, formats.
ErrorList validate_crd_schema(const boost::json::value& schema,
                              const std::string& path = "openAPIV3Schema");

/// One entry of spec.versions.
struct CrdVersionSchema {
    std::string name;
    bool served = false;
    bool storage = false;
    /// schema.openAPIV3Schema, null when the version has none.
    boost::json::value schema;
};

/// spec.versions of a CustomResourceDefinition object, in order.
/// Failure: BadRequest when spec.versions is missing or not a list of objects with a name.
base::Result<std::vector<CrdVersionSchema>> crd_version_schemas(const boost::json::value& crd);

/// validate_crd_schema for every version of a CRD at "spec.versions[i].schema.openAPIV3Schema"
/// (`...openAPIV3Schema: Required value: schemas are required` when a version has none), or
/// the crd_version_schemas failure as an Invalid error on spec.versions.
ErrorList validate_crd_schemas(const boost::json::value& crd);

}  // namespace skiff::api
