// CustomResourceDefinitions; see crd.h.
#include "crd.h"

#include <set>

#include "skiff/base/json.h"

namespace skiff::apiserver {
namespace json = boost::json;
namespace field = api::field;

namespace {

std::vector<std::string> strings_at(const json::value& v, std::initializer_list<std::string_view> path) {
    std::vector<std::string> out;
    if (const auto* a = base::find(v, path); a && a->is_array()) {
        for (const auto& s : a->as_array()) {
            if (s.is_string()) {
                out.emplace_back(s.as_string());
            }
        }
    }
    return out;
}

const json::array* versions_of(const json::value& crd) {
    const auto* v = base::find(crd, {"spec", "versions"});
    return v && v->is_array() ? &v->as_array() : nullptr;
}

}  // namespace

api::ErrorList validate_crd(const json::object& crd_object) {
    const json::value crd(crd_object);
    api::ErrorList errors;
    const auto group = base::string_at(crd, {"spec", "group"});
    const auto plural = base::string_at(crd, {"spec", "names", "plural"});
    const auto singular = base::string_at(crd, {"spec", "names", "singular"});
    const auto kind = base::string_at(crd, {"spec", "names", "kind"});
    const auto scope = base::string_at(crd, {"spec", "scope"});
    const auto name = base::string_at(crd, {"metadata", "name"});
    if (group.empty()) {
        errors.push_back(field::required("spec.group"));
    } else if (group.find('.') == std::string_view::npos) {
        errors.push_back(field::invalid("spec.group", json::value(group),
                                        "should be a domain with at least one dot"));
    }
    if (plural.empty()) {
        errors.push_back(field::required("spec.names.plural"));
    } else if (auto e = api::is_dns1123_label(plural); !e.empty()) {
        errors.push_back(field::invalid("spec.names.plural", json::value(plural), e.front()));
    }
    if (!singular.empty()) {
        if (auto e = api::is_dns1123_label(singular); !e.empty()) {
            errors.push_back(field::invalid("spec.names.singular", json::value(singular), e.front()));
        }
    }
    if (kind.empty()) {
        errors.push_back(field::required("spec.names.kind"));
    }
    if (scope != "Namespaced" && scope != "Cluster") {
        errors.push_back(field::not_supported("spec.scope", json::value(scope),
                                              {"Cluster", "Namespaced"}));
    }
    if (!plural.empty() && !group.empty() &&
        name != std::string(plural) + "." + std::string(group)) {
        errors.push_back(field::invalid("metadata.name", json::value(name),
                                        "must be spec.names.plural+\".\"+spec.group"));
    }
    const auto* versions = versions_of(crd);
    if (!versions || versions->empty()) {
        errors.push_back(field::required("spec.versions", "must have exactly one version marked as storage version"));
        return errors;
    }
    int storage = 0;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < versions->size(); ++i) {
        const auto& v = (*versions)[i];
        const auto path = field::index("spec.versions", i);
        const auto vname = base::string_at(v, {"name"});
        if (vname.empty()) {
            errors.push_back(field::required(field::child(path, "name")));
        } else if (auto e = api::is_dns1035_label(vname); !e.empty()) {
            errors.push_back(field::invalid(field::child(path, "name"), json::value(vname), e.front()));
        } else if (!seen.insert(std::string(vname)).second) {
            errors.push_back(field::duplicate(field::child(path, "name"), json::value(vname)));
        }
        if (const auto* s = base::find(v, {"storage"}); s && s->is_bool() && s->as_bool()) {
            ++storage;
        }
    }
    if (storage != 1) {
        errors.push_back(field::invalid("spec.versions", json::value(nullptr),
                                        "must have exactly one version marked as storage version"));
    }
    return errors;
}

std::vector<api::ResourceType> crd_types(const json::object& crd_object) {
    const json::value crd(crd_object);
    std::vector<api::ResourceType> out;
    const auto* versions = versions_of(crd);
    if (!versions) {
        return out;
    }
    for (const auto& v : *versions) {
        const auto* served = base::find(v, {"served"});
        if (!served || !served->is_bool() || !served->as_bool()) {
            continue;
        }
        api::ResourceType t;
        t.gv = {std::string(base::string_at(crd, {"spec", "group"})),
                std::string(base::string_at(v, {"name"}))};
        t.kind = std::string(base::string_at(crd, {"spec", "names", "kind"}));
        t.resource = std::string(base::string_at(crd, {"spec", "names", "plural"}));
        t.singular = std::string(base::string_at(crd, {"spec", "names", "singular"}));
        if (t.singular.empty()) {
            for (char c : t.kind) {
                t.singular += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        t.namespaced = base::string_at(crd, {"spec", "scope"}) == "Namespaced";
        t.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
        t.short_names = strings_at(crd, {"spec", "names", "shortNames"});
        t.categories = strings_at(crd, {"spec", "names", "categories"});
        t.custom = true;
        if (base::find(v, {"subresources", "status"})) {
            t.subresources.push_back({"status", t.gv, t.kind, {"get", "patch", "update"}});
        }
        if (base::find(v, {"subresources", "scale"})) {
            t.subresources.push_back({"scale", {"autoscaling", "v1"}, "Scale", {"get", "patch", "update"}});
        }
        if (const auto* cols = base::find(v, {"additionalPrinterColumns"}); cols && cols->is_array()) {
            for (const auto& c : cols->as_array()) {
                t.columns.push_back(api::PrinterColumn{
                    .name = std::string(base::string_at(c, {"name"})),
                    .type = std::string(base::string_at(c, {"type"})),
                    .format = std::string(base::string_at(c, {"format"})),
                    .description = std::string(base::string_at(c, {"description"})),
                    .priority = static_cast<int>(base::int_at(c, {"priority"})),
                    .json_path = std::string(base::string_at(c, {"jsonPath"}))});
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

json::object crd_status(const json::object& crd_object, std::string_view now) {
    const json::value crd(crd_object);
    json::array stored;
    if (const auto* versions = versions_of(crd)) {
        for (const auto& v : *versions) {
            if (const auto* s = base::find(v, {"storage"}); s && s->is_bool() && s->as_bool()) {
                stored.emplace_back(base::string_at(v, {"name"}));
            }
        }
    }
    const auto* names = base::find(crd, {"spec", "names"});
    auto condition = [&](std::string_view type, std::string_view reason, std::string_view message) {
        return json::object{{"type", type},       {"status", "True"},   {"lastTransitionTime", now},
                            {"reason", reason}, {"message", message}};
    };
    return {{"conditions",
             json::array{condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                         condition("Established", "InitialNamesAccepted",
                                   "the initial names have been accepted")}},
            {"acceptedNames", names ? *names : json::value(json::object{})},
            {"storedVersions", std::move(stored)}};
}

}  // namespace skiff::apiserver
