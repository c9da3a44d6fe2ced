// Patch types and their content types; see rest.h.
#include "skiff/api/rest.h"

namespace skiff::api {

std::string_view content_type(PatchType type) {
    switch (type) {
        case PatchType::Json:
            return "application/json-patch+json";
        case PatchType::Merge:
            return "application/merge-patch+json";
        case PatchType::StrategicMerge:
            return "application/strategic-merge-patch+json";
        case PatchType::Apply:
            return "application/apply-patch+yaml";
    }
    return "";
}

std::optional<PatchType> patch_type_of(std::string_view ct) {
    for (auto t : {PatchType::Json, PatchType::Merge, PatchType::StrategicMerge, PatchType::Apply}) {
        if (content_type(t) == ct) {
            return t;
        }
    }
    return std::nullopt;
}

}  // namespace skiff::api
