// Discovery documents from the registry, Accept negotiation and document hashes.
#include "skiff/api/discovery.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <map>
#include <vector>

#include <boost/json.hpp>

namespace skiff::api {

namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// One media range of an Accept header: the lower-cased type and its parameters.
struct MediaRange {
    std::string type;
    std::map<std::string, std::string> params;  // keys lower-cased, values unquoted
    double q = 1.0;
};

MediaRange parse_media_range(std::string_view text) {
    MediaRange m;
    std::size_t semi = text.find(';');
    m.type = lower(trim(text.substr(0, semi)));
    while (semi != std::string_view::npos) {
        text.remove_prefix(semi + 1);
        semi = text.find(';');
        const auto param = trim(text.substr(0, semi));
        const auto eq = param.find('=');
        if (eq == std::string_view::npos) {
            continue;
        }
        auto key = lower(trim(param.substr(0, eq)));
        auto value = trim(param.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        if (key == "q") {
            // std::from_chars for double is in g++ 12's libstdc++.
            double q = 1.0;
            const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
            m.q = (ec == std::errc() && ptr == value.data() + value.size()) ? q : 0.0;
            continue;
        }
        m.params.emplace(std::move(key), std::string(value));
    }
    return m;
}

/// What we would answer a media range with; nullopt when we cannot serve it.
std::optional<DiscoveryFormat> servable(const MediaRange& m) {
    if (m.type == "*/*" || m.type == "application/*") {
        return DiscoveryFormat::Legacy;
    }
    if (m.type != "application/json") {
        return std::nullopt;
    }
    const auto g = m.params.find("g");
    const auto v = m.params.find("v");
    const auto as = m.params.find("as");
    if (g == m.params.end() && v == m.params.end() && as == m.params.end()) {
        return DiscoveryFormat::Legacy;
    }
    if (g == m.params.end() || v == m.params.end() || as == m.params.end() ||
        g->second != "apidiscovery.k8s.io" || as->second != "APIGroupDiscoveryList") {
        return std::nullopt;
    }
    if (v->second == "v2") {
        return DiscoveryFormat::AggregatedV2;
    }
    if (v->second == "v2beta1") {
        return DiscoveryFormat::AggregatedV2Beta1;
    }
    return std::nullopt;
}

std::string_view aggregated_api_version(DiscoveryFormat format) {
    return format == DiscoveryFormat::AggregatedV2Beta1 ? "apidiscovery.k8s.io/v2beta1"
                                                        : "apidiscovery.k8s.io/v2";
}

json::array strings(const std::vector<std::string>& v) {
    json::array out;
    out.reserve(v.size());
    for (const auto& s : v) {
        out.emplace_back(s);
    }
    return out;
}

json::object gvk(const GroupVersion& gv, std::string_view kind) {
    return {{"group", gv.group}, {"version", gv.version}, {"kind", kind}};
}

/// Named groups in registry order, each with its versions in registry order.
std::vector<std::pair<std::string, std::vector<std::string>>> named_groups(
    const Registry& registry) {
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (const auto& gv : registry.group_versions()) {
        if (gv.group.empty()) {
            continue;
        }
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == gv.group; });
        if (it == groups.end()) {
            groups.push_back({gv.group, {}});
            it = std::prev(groups.end());
        }
        it->second.push_back(gv.version);
    }
    return groups;
}

std::vector<std::string> core_versions(const Registry& registry) {
    std::vector<std::string> out;
    for (const auto& gv : registry.group_versions()) {
        if (gv.group.empty()) {
            out.push_back(gv.version);
        }
    }
    return out;
}

json::object resource_discovery(const ResourceType& t) {
    json::object r;
    r["resource"] = t.resource;
    r["responseKind"] = gvk(t.gv, t.kind);
    r["scope"] = t.namespaced ? "Namespaced" : "Cluster";
    r["singularResource"] = t.singular;
    r["verbs"] = strings(t.verbs);
    if (!t.short_names.empty()) {
        r["shortNames"] = strings(t.short_names);
    }
    if (!t.categories.empty()) {
        r["categories"] = strings(t.categories);
    }
    if (!t.subresources.empty()) {
        json::array subs;
        for (const auto& s : t.subresources) {
            subs.push_back(json::object{
                {"subresource", s.name},
                {"responseKind", gvk(s.response_group_version, s.response_kind)},
                {"verbs", strings(s.verbs)},
            });
        }
        r["subresources"] = std::move(subs);
    }
    return r;
}

json::object version_discovery(const Registry& registry, const GroupVersion& gv) {
    json::array resources;
    for (const auto& t : registry.all()) {
        if (t.gv == gv) {
            resources.push_back(resource_discovery(t));
        }
    }
    return {{"version", gv.version}, {"resources", std::move(resources)}, {"freshness", "Current"}};
}

json::object discovery_list(DiscoveryFormat format, json::array items) {
    return {
        {"kind", "APIGroupDiscoveryList"},
        {"apiVersion", aggregated_api_version(format)},
        {"metadata", json::object{}},
        {"items", std::move(items)},
    };
}

}  // namespace

DiscoveryNegotiation negotiate_discovery(std::string_view accept) {
    std::optional<DiscoveryFormat> best;
    double best_q = 0.0;
    std::size_t start = 0;
    while (start <= accept.size()) {
        const auto comma = accept.find(',', start);
        const auto end = comma == std::string_view::npos ? accept.size() : comma;
        const auto range = parse_media_range(accept.substr(start, end - start));
        start = end + 1;
        const auto format = servable(range);
        if (format && range.q > best_q) {
            best = format;
            best_q = range.q;
        }
        if (comma == std::string_view::npos) {
            break;
        }
    }
    const auto format = best.value_or(DiscoveryFormat::Legacy);
    switch (format) {
        case DiscoveryFormat::AggregatedV2:
            return {format, std::string(kAggregatedV2ContentType)};
        case DiscoveryFormat::AggregatedV2Beta1:
            return {format, std::string(kAggregatedV2Beta1ContentType)};
        case DiscoveryFormat::Legacy:
            break;
    }
    return {DiscoveryFormat::Legacy, std::string(kDiscoveryJsonContentType)};
}

json::value api_versions(const Registry& registry, std::string_view server_address) {
    return json::object{
        {"kind", "APIVersions"},
        {"versions", strings(core_versions(registry))},
        {"serverAddressByClientCIDRs",
         json::array{json::object{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}},
    };
}

json::value api_group_list(const Registry& registry) {
    json::array groups;
    for (const auto& [name, versions] : named_groups(registry)) {
        json::array vs;
        for (const auto& v : versions) {
            vs.push_back(json::object{{"groupVersion", name + "/" + v}, {"version", v}});
        }
        json::object preferred = vs.front().as_object();
        groups.push_back(json::object{
            {"name", name},
            {"versions", std::move(vs)},
            {"preferredVersion", std::move(preferred)},
        });
    }
    return json::object{
        {"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

std::optional<json::value> api_resource_list(const Registry& registry, const GroupVersion& gv) {
    json::array resources;
    for (const auto& t : registry.all()) {
        if (t.gv != gv) {
            continue;
        }
        json::object r;
        r["name"] = t.resource;
        r["singularName"] = t.singular;
        r["namespaced"] = t.namespaced;
        r["kind"] = t.kind;
        r["verbs"] = strings(t.verbs);
        if (!t.short_names.empty()) {
            r["shortNames"] = strings(t.short_names);
        }
        if (!t.categories.empty()) {
            r["categories"] = strings(t.categories);
        }
        resources.push_back(std::move(r));
        for (const auto& s : t.subresources) {
            json::object sr;
            sr["name"] = t.resource + "/" + s.name;
            sr["singularName"] = "";
            sr["namespaced"] = t.namespaced;
            if (s.response_group_version != t.gv) {
                sr["group"] = s.response_group_version.group;
                sr["version"] = s.response_group_version.version;
            }
            sr["kind"] = s.response_kind;
            sr["verbs"] = strings(s.verbs);
            resources.push_back(std::move(sr));
        }
    }
    if (resources.empty()) {
        return std::nullopt;
    }
    return json::value(json::object{
        {"kind", "APIResourceList"},
        {"apiVersion", "v1"},
        {"groupVersion", gv.api_version()},
        {"resources", std::move(resources)},
    });
}

json::value aggregated_core(const Registry& registry, DiscoveryFormat format) {
    json::array versions;
    for (const auto& v : core_versions(registry)) {
        versions.push_back(version_discovery(registry, {"", v}));
    }
    json::array items;
    items.push_back(json::object{{"metadata", json::object{}}, {"versions", std::move(versions)}});
    return discovery_list(format, std::move(items));
}

json::value aggregated_groups(const Registry& registry, DiscoveryFormat format) {
    json::array items;
    for (const auto& [name, vs] : named_groups(registry)) {
        json::array versions;
        for (const auto& v : vs) {
            versions.push_back(version_discovery(registry, {name, v}));
        }
        items.push_back(json::object{
            {"metadata", json::object{{"name", name}}},
            {"versions", std::move(versions)},
        });
    }
    return discovery_list(format, std::move(items));
}

std::string document_hash(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kHex[h & 0xf];
        h >>= 4;
    }
    return out;
}

std::string document_hash(const json::value& document) {
    return document_hash(json::serialize(document));
}

std::string quoted_etag(std::string_view hash) {
    std::string out;
    out.reserve(hash.size() + 2);
    out += '"';
    out += hash;
    out += '"';
    return out;
}

}  // namespace skiff::api
