// Name, label and annotation validation and field errors, worded as upstream's validation packages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

// Length limits of k8s.io/apimachinery/pkg/util/validation and api/validation.
inline constexpr std::size_t kDNS1123LabelMaxLength = 63;
inline constexpr std::size_t kDNS1123SubdomainMaxLength = 253;
inline constexpr std::size_t kDNS1035LabelMaxLength = 63;
inline constexpr std::size_t kQualifiedNameMaxLength = 63;
inline constexpr std::size_t kLabelValueMaxLength = 63;
inline constexpr std::size_t kTotalAnnotationSizeLimit = 256 * 1024;

// String checks: each returns upstream's error strings, empty when the value is valid.
std::vector<std::string> is_dns1123_label(std::string_view value);
std::vector<std::string> is_dns1123_subdomain(std::string_view value);
std::vector<std::string> is_dns1035_label(std::string_view value);
/// A label or annotation key: an optional DNS subdomain prefix and '/', then a name part.
std::vector<std::string> is_qualified_name(std::string_view value);
std::vector<std::string> is_valid_label_value(std::string_view value);

/// Go's %q for a string: quotes it, escaping quotes, backslashes and control characters.
std::string go_quoted(std::string_view s);

/// field.ErrorType; the wire name is the metav1.CauseType.
enum class FieldErrorType {
    NotFound,      // FieldValueNotFound, "Not found"
    Required,      // FieldValueRequired, "Required value"
    Duplicate,     // FieldValueDuplicate, "Duplicate value"
    Invalid,       // FieldValueInvalid, "Invalid value"
    NotSupported,  // FieldValueNotSupported, "Unsupported value"
    Forbidden,     // FieldValueForbidden, "Forbidden"
    TooLong,       // FieldValueTooLong, "Too long"
    TooMany,       // FieldValueTooMany, "Too many"
    Internal,      // InternalError, "Internal error"
    TypeInvalid,   // FieldValueTypeInvalid, "Invalid value"
};

/// "FieldValueInvalid" etc.: the cause type in a Status.
std::string_view cause_type(FieldErrorType type);
/// "Invalid value" etc.: the start of the message.
std::string_view type_text(FieldErrorType type);

/// One field.Error. Build them with the `field::` constructors.
struct FieldError {
    FieldErrorType type = FieldErrorType::Invalid;
    std::string field;  // e.g. "metadata.labels", "spec.containers[0].image"
    /// Shown after the type for Invalid, NotSupported, Duplicate, TooMany, NotFound and
    /// TypeInvalid: strings as Go's %q, numbers and booleans plainly, null as "null",
    /// arrays and objects as compact JSON.
    boost::json::value bad_value;
    bool omit_value = false;
    std::string detail;

    /// The message without the field ("Invalid value: \"Foo\": <detail>"): a cause's message.
    std::string body() const;
    /// "<field>: <body>".
    std::string to_string() const;

    bool operator==(const FieldError&) const = default;
};

using ErrorList = std::vector<FieldError>;

namespace field {

// Field paths are plain strings; these build them the way field.Path renders.
/// "a.b" (just `name` when `path` is empty).
std::string child(std::string_view path, std::string_view name);
/// "a[3]".
std::string index(std::string_view path, std::size_t i);
/// "a[key]".
std::string key(std::string_view path, std::string_view k);

FieldError not_found(std::string path, boost::json::value bad_value);
FieldError required(std::string path, std::string detail = {});
FieldError duplicate(std::string path, boost::json::value bad_value);
FieldError invalid(std::string path, boost::json::value bad_value, std::string detail);
/// Detail "supported values: \"a\", \"b\"" (none when `valid` is empty).
FieldError not_supported(std::string path, boost::json::value bad_value,
                         const std::vector<std::string>& valid);
FieldError forbidden(std::string path, std::string detail);
/// "Too long: may not be more than <n> bytes" ("value is too long" when max < 0).
FieldError too_long(std::string path, std::int64_t max_length);
/// "Too many: <actual>: must have at most <max> items"; actual < 0 leaves the value out.
FieldError too_many(std::string path, std::int64_t actual, std::int64_t max_quantity);
FieldError internal_error(std::string path, std::string detail);
FieldError type_invalid(std::string path, boost::json::value bad_value, std::string detail);

}  // namespace field

/// The text of errs.ToAggregate(): messages de-duplicated, bracketed when more than one;
/// empty for an empty list.
std::string aggregate_message(const ErrorList& errors);

/// The causes of a 422 Status: reason = cause type, message = body, field = path.
std::vector<base::Cause> to_causes(const ErrorList& errors);

/// apierrors.NewInvalid: 422, reason Invalid, message `<Kind>[.group] "<name>" is invalid:
/// <aggregate>` (no ": ..." part for an empty list), details with name, group, kind and one cause
/// per error.
base::Status invalid_status(std::string_view group, std::string_view kind, std::string_view name,
                            const ErrorList& errors);

/// A per-kind name rule: the error strings for `name`, or for a generateName when `prefix`.
using NameValidator = std::function<std::vector<std::string>(std::string_view name, bool prefix)>;

// The name rules of api/validation; as a prefix, a trailing '-' is allowed.
std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns1035_label(std::string_view name, bool prefix);
/// For kinds whose names only have to be a URL path segment (e.g. RBAC roles).
std::vector<std::string> validate_path_segment_name(std::string_view name, bool prefix);

// Object-meta pieces. Map-valued arguments are the JSON values as stored (nullptr or null
// means absent); a member that is not a string is reported as Invalid "must be a string"
// (upstream's decoder rejects it before validation).
ErrorList validate_label_name(std::string_view key, const std::string& path);
/// Keys must be qualified names, values valid label values; errors are at `path` itself.
ErrorList validate_labels(const boost::json::value* labels, const std::string& path);
/// Keys must be qualified names (case-insensitively); total size of keys and values at most
/// kTotalAnnotationSizeLimit bytes.
ErrorList validate_annotations(const boost::json::value* annotations, const std::string& path);
/// Each finalizer a qualified name; "orphan" and "foregroundDeletion" not both.
ErrorList validate_finalizers(const boost::json::value* finalizers, const std::string& path);
/// Invalid "field is immutable" (showing the new value) when the values differ; absent
/// values are compared as null.
ErrorList validate_immutable_field(const boost::json::value* new_value,
                                   const boost::json::value* old_value, const std::string& path);

struct ObjectMetaRules {
    bool namespaced = true;
    NameValidator name = name_is_dns_subdomain;
};

/// ValidateObjectMeta for a create: generateName and name by the kind's rule (name required),
/// namespace required and a DNS label for namespaced kinds and forbidden otherwise, generation
/// non-negative, labels, annotations, finalizers. Owner references and managed fields are
/// not checked.
ErrorList validate_object_meta(const boost::json::value& metadata, const ObjectMetaRules& rules,
                               const std::string& path = "metadata");

/// ValidateObjectMetaUpdate: no new finalizers once deleting, resourceVersion present,
/// generation not decremented, name, namespace, uid, creationTimestamp, deletionTimestamp and
/// deletionGracePeriodSeconds immutable, then labels and annotations as for a create.
ErrorList validate_object_meta_update(const boost::json::value& new_metadata,
                                      const boost::json::value& old_metadata,
                                      const std::string& path = "metadata");

}  // namespace skiff::api
