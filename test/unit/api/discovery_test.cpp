// Discovery documents: legacy and aggregated shapes kubectl relies on, negotiation, hashes.
#include "skiff/api/discovery.h"

#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::api;
namespace json = boost::json;

namespace {

const json::object* find_named(const json::value& list, std::string_view key,
                               std::string_view name) {
    for (const auto& e : list.as_array()) {
        if (e.as_object().at(key).as_string() == name) {
            return &e.as_object();
        }
    }
    return nullptr;
}

bool contains(const json::value& array, std::string_view s) {
    for (const auto& e : array.as_array()) {
        if (e.is_string() && e.as_string() == s) {
            return true;
        }
    }
    return false;
}

const Registry& reg() {
    static const Registry r = Registry::builtin();
    return r;
}

}  // namespace

TEST_CASE("legacy /api lists v1 and the server address", "[discovery]") {
    const auto doc = api_versions(reg(), "10.0.0.1:6443");
    CHECK(json::serialize(doc) ==
          R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":)"
          R"([{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}]})");
}

TEST_CASE("legacy /apis lists named groups with a preferred version", "[discovery]") {
    const auto doc = api_group_list(reg());
    CHECK(doc.at("kind") == "APIGroupList");
    CHECK(doc.at("apiVersion") == "v1");
    const auto& groups = doc.at("groups");
    CHECK(find_named(groups, "name", "") == nullptr);  // the core group is /api's
    const auto* apps = find_named(groups, "name", "apps");
    REQUIRE(apps);
    CHECK(json::serialize(apps->at("versions")) ==
          R"([{"groupVersion":"apps/v1","version":"v1"}])");
    CHECK(json::serialize(apps->at("preferredVersion")) ==
          R"({"groupVersion":"apps/v1","version":"v1"})");
    CHECK(find_named(groups, "name", "autoscaling"));
    CHECK(find_named(groups, "name", "rbac.authorization.k8s.io"));
}

TEST_CASE("/api/v1 resource list has what kubectl looks for", "[discovery]") {
    const auto doc = api_resource_list(reg(), {"", "v1"});
    REQUIRE(doc);
    CHECK(doc->at("kind") == "APIResourceList");
    CHECK(doc->at("apiVersion") == "v1");
    CHECK(doc->at("groupVersion") == "v1");
    const auto& resources = doc->at("resources");

    const auto* pods = find_named(resources, "name", "pods");
    REQUIRE(pods);
    CHECK(pods->at("singularName") == "pod");
    CHECK(pods->at("namespaced") == true);
    CHECK(pods->at("kind") == "Pod");
    CHECK(contains(pods->at("shortNames"), "po"));
    CHECK(contains(pods->at("categories"), "all"));
    CHECK(contains(pods->at("verbs"), "watch"));
    CHECK_FALSE(pods->contains("group"));

    for (const char* sub : {"pods/log", "pods/exec", "pods/attach", "pods/portforward",
                            "pods/eviction", "pods/status", "serviceaccounts/token"}) {
        INFO(sub);
        CHECK(find_named(resources, "name", sub));
    }
    const auto* log = find_named(resources, "name", "pods/log");
    CHECK(log->at("kind") == "Pod");
    CHECK(log->at("singularName") == "");
    CHECK(json::serialize(log->at("verbs")) == R"(["get"])");
    CHECK_FALSE(log->contains("group"));

    const auto* eviction = find_named(resources, "name", "pods/eviction");
    CHECK(eviction->at("group") == "policy");
    CHECK(eviction->at("version") == "v1");
    CHECK(eviction->at("kind") == "Eviction");

    // No empty optional lists.
    const auto* bindings = find_named(resources, "name", "bindings");
    REQUIRE(bindings);
    CHECK_FALSE(bindings->contains("shortNames"));
    CHECK_FALSE(bindings->contains("categories"));

    const auto* nodes = find_named(resources, "name", "nodes");
    REQUIRE(nodes);
    CHECK(nodes->at("namespaced") == false);

    // Subresources follow their resource.
    const auto& arr = resources.as_array();
    for (std::size_t i = 0; i + 1 < arr.size(); ++i) {
        if (arr[i].at("name") == "pods") {
            CHECK(std::string(arr[i + 1].at("name").as_string()).starts_with("pods/"));
        }
    }
}

TEST_CASE("apps/v1 scale subresources answer with autoscaling/v1 Scale", "[discovery]") {
    const auto doc = api_resource_list(reg(), {"apps", "v1"});
    REQUIRE(doc);
    CHECK(doc->at("groupVersion") == "apps/v1");
    const auto* scale = find_named(doc->at("resources"), "name", "deployments/scale");
    REQUIRE(scale);
    CHECK(scale->at("group") == "autoscaling");
    CHECK(scale->at("version") == "v1");
    CHECK(scale->at("kind") == "Scale");
    CHECK(contains(scale->at("verbs"), "patch"));
    const auto* status = find_named(doc->at("resources"), "name", "deployments/status");
    REQUIRE(status);
    CHECK(status->at("kind") == "Deployment");
    CHECK_FALSE(status->contains("group"));
}

TEST_CASE("unknown group versions have no resource list", "[discovery]") {
    CHECK_FALSE(api_resource_list(reg(), {"apps", "v1beta1"}));
    CHECK_FALSE(api_resource_list(reg(), {"nope.example.com", "v1"}));
}

TEST_CASE("aggregated /api has one unnamed core item", "[discovery]") {
    const auto doc = aggregated_core(reg());
    CHECK(doc.at("kind") == "APIGroupDiscoveryList");
    CHECK(doc.at("apiVersion") == "apidiscovery.k8s.io/v2");
    CHECK(doc.at("metadata").as_object().empty());
    const auto& items = doc.at("items").as_array();
    REQUIRE(items.size() == 1);
    const auto& core = items[0].as_object();
    CHECK_FALSE(core.at("metadata").as_object().contains("name"));
    const auto& versions = core.at("versions").as_array();
    REQUIRE(versions.size() == 1);
    CHECK(versions[0].at("version") == "v1");
    CHECK(versions[0].at("freshness") == "Current");
    const auto* pods = find_named(versions[0].at("resources"), "resource", "pods");
    REQUIRE(pods);
    CHECK(json::serialize(pods->at("responseKind")) ==
          R"({"group":"","version":"v1","kind":"Pod"})");
    CHECK(pods->at("scope") == "Namespaced");
    CHECK(pods->at("singularResource") == "pod");
    CHECK(contains(pods->at("shortNames"), "po"));
    CHECK(contains(pods->at("categories"), "all"));
    const auto* exec = find_named(pods->at("subresources"), "subresource", "exec");
    REQUIRE(exec);
    CHECK(json::serialize(exec->at("responseKind")) ==
          R"({"group":"","version":"v1","kind":"PodExecOptions"})");
    CHECK(json::serialize(exec->at("verbs")) == R"(["create","get"])");
    const auto* nodes = find_named(versions[0].at("resources"), "resource", "nodes");
    REQUIRE(nodes);
    CHECK(nodes->at("scope") == "Cluster");
}

TEST_CASE("aggregated documents have a responseKind everywhere", "[discovery]") {
    for (const auto& doc : {aggregated_core(reg()), aggregated_groups(reg())}) {
        std::size_t resources = 0;
        std::size_t subresources = 0;
        for (const auto& item : doc.at("items").as_array()) {
            for (const auto& version : item.at("versions").as_array()) {
                for (const auto& r : version.at("resources").as_array()) {
                    ++resources;
                    INFO(r.at("resource").as_string());
                    const auto& rk = r.at("responseKind").as_object();
                    CHECK_FALSE(rk.at("kind").as_string().empty());
                    CHECK_FALSE(rk.at("version").as_string().empty());
                    CHECK(rk.contains("group"));
                    CHECK(r.at("verbs").is_array());
                    CHECK((r.at("scope") == "Namespaced" || r.at("scope") == "Cluster"));
                    if (const auto* subs = r.as_object().if_contains("subresources")) {
                        for (const auto& s : subs->as_array()) {
                            ++subresources;
                            CHECK_FALSE(s.at("responseKind").at("kind").as_string().empty());
                            CHECK_FALSE(s.at("verbs").as_array().empty());
                        }
                    }
                }
            }
        }
        CHECK(resources > 5);
        CHECK(subresources > 3);
    }
}

TEST_CASE("aggregated /apis has one item per group", "[discovery]") {
    const auto doc = aggregated_groups(reg());
    const auto& items = doc.at("items").as_array();
    std::size_t apps_items = 0;
    for (const auto& item : items) {
        CHECK(item.at("metadata").as_object().contains("name"));
        CHECK_FALSE(item.at("metadata").at("name").as_string().empty());
        apps_items += item.at("metadata").at("name") == "apps" ? 1 : 0;
    }
    CHECK(apps_items == 1);
    CHECK(items.size() == api_group_list(reg()).at("groups").as_array().size());

    const json::object* apps = nullptr;
    for (const auto& item : items) {
        if (item.at("metadata").at("name") == "apps") {
            apps = &item.as_object();
        }
    }
    const auto& v1 = apps->at("versions").as_array().at(0);
    const auto* deployments = find_named(v1.at("resources"), "resource", "deployments");
    REQUIRE(deployments);
    const auto* scale = find_named(deployments->at("subresources"), "subresource", "scale");
    REQUIRE(scale);
    CHECK(json::serialize(scale->at("responseKind")) ==
          R"({"group":"autoscaling","version":"v1","kind":"Scale"})");
}

TEST_CASE("custom resources show up after Registry::put", "[discovery]") {
    auto r = Registry::builtin();
    ResourceType crd;
    crd.gv = {"stable.example.com", "v1"};
    crd.kind = "CronTab";
    crd.resource = "crontabs";
    crd.singular = "crontab";
    crd.verbs = {"get", "list", "watch", "create", "update", "patch", "delete"};
    crd.short_names = {"ct"};
    crd.custom = true;
    r.put(crd);
    const auto groups = api_group_list(r);
    CHECK(find_named(groups.at("groups"), "name", "stable.example.com"));
    const auto list = api_resource_list(r, crd.gv);
    REQUIRE(list);
    CHECK(find_named(list->at("resources"), "name", "crontabs"));
    const auto agg = aggregated_groups(r);
    CHECK(agg.at("items").as_array().back().at("metadata").at("name") == "stable.example.com");
}

TEST_CASE("aggregated v2beta1 differs only in apiVersion", "[discovery]") {
    auto v2 = aggregated_groups(reg(), DiscoveryFormat::AggregatedV2);
    auto beta = aggregated_groups(reg(), DiscoveryFormat::AggregatedV2Beta1);
    CHECK(beta.at("apiVersion") == "apidiscovery.k8s.io/v2beta1");
    beta.as_object()["apiVersion"] = v2.at("apiVersion");
    CHECK(beta == v2);
}

TEST_CASE("discovery negotiation follows the Accept header", "[discovery]") {
    struct Case {
        std::string_view accept;
        DiscoveryFormat format;
        std::string_view content_type;
    };
    const std::string kubectl =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
        "application/json";
    const Case cases[] = {
        {kubectl, DiscoveryFormat::AggregatedV2, kAggregatedV2ContentType},
        {"application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
         DiscoveryFormat::AggregatedV2Beta1, kAggregatedV2Beta1ContentType},
        {"application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io",
         DiscoveryFormat::AggregatedV2, kAggregatedV2ContentType},
        {"application/json", DiscoveryFormat::Legacy, "application/json"},
        {"application/json, */*", DiscoveryFormat::Legacy, "application/json"},
        {"", DiscoveryFormat::Legacy, "application/json"},
        {"*/*", DiscoveryFormat::Legacy, "application/json"},
        {"application/yaml", DiscoveryFormat::Legacy, "application/json"},
        {"garbage;;;,,", DiscoveryFormat::Legacy, "application/json"},
        // Unknown aggregated versions and Table are not ours to serve here.
        {"application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList",
         DiscoveryFormat::Legacy, "application/json"},
        {"application/json;as=Table;v=v1;g=meta.k8s.io", DiscoveryFormat::Legacy,
         "application/json"},
        // q values outrank order.
        {"application/json;q=0.5,application/"
         "json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
         DiscoveryFormat::AggregatedV2, kAggregatedV2ContentType},
        {"application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.1,application/"
         "json",
         DiscoveryFormat::Legacy, "application/json"},
        {"application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0",
         DiscoveryFormat::Legacy, "application/json"},
    };
    for (const auto& c : cases) {
        INFO(c.accept);
        const auto n = negotiate_discovery(c.accept);
        CHECK(n.format == c.format);
        CHECK(n.content_type == c.content_type);
    }
}

TEST_CASE("document hashes are stable and quoted as ETags", "[discovery]") {
    const auto a = document_hash(aggregated_groups(reg()));
    CHECK(a.size() == 16);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a == document_hash(aggregated_groups(Registry::builtin())));
    CHECK(a != document_hash(aggregated_core(reg())));
    // FNV-1a 64 reference values.
    CHECK(document_hash(std::string_view("")) == "cbf29ce484222325");
    CHECK(document_hash(std::string_view("a")) == "af63dc4c8601ec8c");
    CHECK(quoted_etag("abc") == "\"abc\"");
}
