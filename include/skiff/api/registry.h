// The type registry: every kind the apiserver serves, with what discovery, REST, patching and
// printing need to know about it. Built-in kinds come from one table; CRDs are added at runtime.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skiff/api/strategic_merge.h"

namespace skiff::api {

struct GroupVersion {
    std::string group;  // "" for the core group
    std::string version;

    /// "v1" for the core group, else "group/version".
    std::string api_version() const;
    bool operator==(const GroupVersion&) const = default;
    auto operator<=>(const GroupVersion&) const = default;
};

/// A column of `kubectl get` output (metav1.TableColumnDefinition) and where its cell comes
/// from: a simple JSON path into the object (`.spec.replicas`), or a computed cell when
/// `json_path` is empty (see table.h).
struct PrinterColumn {
    std::string name;
    std::string type;  // integer, number, string, boolean, date
    std::string format;
    std::string description;
    int priority = 0;  // 0: always shown; 1: only with -o wide
    std::string json_path;
};

struct Subresource {
    std::string name;  // status, scale, log, exec, binding, eviction, token, approval, ...
    GroupVersion response_group_version;  // of the kind it answers with
    std::string response_kind;            // e.g. Scale; the parent kind for status
    std::vector<std::string> verbs;
};

struct ResourceType {
    GroupVersion gv;
    std::string kind;
    std::string resource;  // plural, lower case: the URL segment
    std::string singular;
    bool namespaced = true;
    std::vector<std::string> verbs;
    std::vector<std::string> short_names;
    std::vector<std::string> categories;
    std::vector<Subresource> subresources;
    /// Field selectors beyond metadata.name and metadata.namespace (every kind has those).
    std::vector<std::string> field_selectors;
    /// Table columns after NAME (and before AGE unless the kind places Age itself).
    std::vector<PrinterColumn> columns;
    /// Strategic-merge metadata by dotted field path from the object root, list items
    /// transparent ("spec.template.spec.containers").
    std::map<std::string, PatchMeta> patch_meta;
    /// CRDs: merge patch instead of strategic merge, schema validation from the CRD.
    bool custom = false;

    std::string api_version() const { return gv.api_version(); }
    const Subresource* subresource(std::string_view name) const;
    bool has_subresource(std::string_view name) const { return subresource(name) != nullptr; }
    /// The lookup the strategic merge engine wants, over `patch_meta`.
    PatchMetaLookup patch_meta_lookup() const;
    /// The key prefix under which its objects are stored: "/registry/<group>/<resource>/"
    /// ("/registry/<resource>/" for the core group, as kube-apiserver does).
    std::string key_prefix() const;
};

class Registry {
public:
    /// Every built-in kind of skiff, in discovery order.
    static Registry builtin();
    /// A built-in type by group and plural resource (each group serves one version); for
    /// clients of fixed kinds. Precondition: it exists (a typo is a bug, checked).
    static const ResourceType& builtin_type(std::string_view group, std::string_view resource);

    const std::vector<ResourceType>& all() const { return types_; }
    const ResourceType* find(const GroupVersion& gv, std::string_view resource) const;
    const ResourceType* find_kind(const GroupVersion& gv, std::string_view kind) const;
    /// Group versions in discovery order (core first, then groups as added).
    std::vector<GroupVersion> group_versions() const;

    /// Adds or replaces (same group, version and resource) a type, e.g. from a CRD.
    void put(ResourceType type);
    /// Removes a type; false when there was none.
    bool remove(const GroupVersion& gv, std::string_view resource);

private:
    std::vector<ResourceType> types_;
};

}  // namespace skiff::api
