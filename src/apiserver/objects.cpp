// Object plumbing; see objects.h.
#include "objects.h"

#include <ctime>

#include "skiff/base/json.h"
#include "skiff/pki/digest.h"
#include "skiff/pki/encoding.h"

namespace skiff::apiserver {
namespace json = boost::json;

std::string collection_prefix(const api::ResourceType& type, std::string_view ns) {
    auto prefix = type.key_prefix();
    if (type.namespaced && !ns.empty()) {
        prefix += std::string(ns) + "/";
    }
    return prefix;
}

std::string object_key(const api::ResourceType& type, std::string_view ns, std::string_view name) {
    return collection_prefix(type, ns) + std::string(name);
}

base::Result<json::object> decode_stored(const store::KeyValue& kv) {
    auto parsed = base::parse_json(kv.value);
    if (!parsed.ok() || !parsed->is_object()) {
        return base::internal_error("stored object " + kv.key + " is not a JSON object");
    }
    auto object = std::move(parsed->as_object());
    metadata_of(object)["resourceVersion"] = std::to_string(kv.mod_revision);
    return object;
}

std::string encode_for_store(json::object object) {
    if (auto* meta = object.if_contains("metadata"); meta && meta->is_object()) {
        meta->as_object().erase("resourceVersion");
    }
    return json::serialize(object);
}

std::string new_uid() {
    auto b = pki::random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    const auto hex = pki::hex_encode(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string generate_name(std::string_view prefix) {
    // Upstream's alphabet: no vowels (no words) and no look-alikes.
    static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string out(prefix);
    for (unsigned char c : pki::random_bytes(5)) {
        out += kAlphabet[c % kAlphabet.size()];
    }
    return out;
}

json::object& metadata_of(json::object& object) {
    auto& meta = object["metadata"];
    if (!meta.is_object()) {
        meta = json::object{};
    }
    return meta.as_object();
}

const json::object* metadata_of(const json::object& object) {
    const auto* meta = object.if_contains("metadata");
    return meta && meta->is_object() ? &meta->as_object() : nullptr;
}

std::string_view meta_string(const json::object& object, std::string_view field) {
    const auto* meta = metadata_of(object);
    if (!meta) {
        return {};
    }
    const auto* v = meta->if_contains(field);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
}

bool Selectors::matches(const json::object& object) const {
    if (!labels.empty()) {
        const auto* meta = metadata_of(object);
        const json::value* l = meta ? meta->if_contains("labels") : nullptr;
        if (!labels.matches(l && l->is_object() ? &l->as_object() : nullptr)) {
            return false;
        }
    }
    if (!fields.empty()) {
        const json::value whole(object);
        return fields.matches([&](std::string_view field) {
            return api::json_field_value(whole, field);
        });
    }
    return true;
}

base::Result<Selectors> parse_selectors(const api::ResourceType& type,
                                        std::optional<std::string> label_selector,
                                        std::optional<std::string> field_selector) {
    Selectors out;
    if (label_selector && !label_selector->empty()) {
        auto l = api::LabelSelector::parse(*label_selector);
        if (!l.ok()) {
            return l.status();
        }
        out.labels = std::move(*l);
    }
    if (field_selector && !field_selector->empty()) {
        auto f = api::FieldSelector::parse(*field_selector);
        if (!f.ok()) {
            return f.status();
        }
        std::vector<std::string_view> supported = {"metadata.name", "metadata.namespace"};
        for (const auto& s : type.field_selectors) {
            supported.push_back(s);
        }
        if (auto st = f->check_supported(supported); !st.ok()) {
            return st;
        }
        out.fields = std::move(*f);
    }
    return out;
}

std::string encode_continue(const ContinueToken& token) {
    json::object o{{"v", "meta.k8s.io/v1"}, {"rv", token.revision}, {"start", token.start}};
    return pki::base64_encode(json::serialize(o));
}

base::Result<ContinueToken> decode_continue(std::string_view text) {
    const auto bad = base::bad_request("continue key is not valid: " + std::string(text));
    auto raw = pki::base64_decode(text);
    if (!raw.ok()) {
        return bad;
    }
    auto parsed = base::parse_json(*raw);
    if (!parsed.ok() || !parsed->is_object()) {
        return bad;
    }
    const auto rv = base::int_at(*parsed, {"rv"}, -1);
    const auto* start = parsed->as_object().if_contains("start");
    if (rv <= 0 || !start || !start->is_string()) {
        return bad;
    }
    return ContinueToken{rv, std::string(start->as_string())};
}

bool tracks_generation(const api::ResourceType& type) {
    if (type.custom) {
        return true;
    }
    static const std::vector<std::string_view> kinds = {
        "Deployment", "ReplicaSet",  "DaemonSet",     "StatefulSet",
        "Job",        "CronJob",     "PodDisruptionBudget", "HorizontalPodAutoscaler",
        "Ingress",    "NetworkPolicy", "CustomResourceDefinition", "ReplicationController"};
    return std::find(kinds.begin(), kinds.end(), type.kind) != kinds.end();
}

}  // namespace skiff::apiserver
