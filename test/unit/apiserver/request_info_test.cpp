// RequestInfo: paths and methods to group, version, namespace, resource, name, subresource, verb.
#include <catch2/catch.hpp>

#include "request_info.h"

using skiff::apiserver::parse_request_info;

TEST_CASE("API paths parse as kube-apiserver parses them", "[apiserver]") {
    struct Case {
        const char* method;
        const char* path;
        bool watch;
        // expected: group, version, namespace, resource, name, subresource, verb
        const char *group, *version, *ns, *resource, *name, *sub, *verb;
    };
    const Case cases[] = {
        {"GET", "/api/v1/pods", false, "", "v1", "", "pods", "", "", "list"},
        {"GET", "/api/v1/pods", true, "", "v1", "", "pods", "", "", "watch"},
        {"GET", "/api/v1/namespaces/default/pods/p", false, "", "v1", "default", "pods", "p", "", "get"},
        {"GET", "/api/v1/watch/namespaces/default/pods", false, "", "v1", "default", "pods", "", "", "watch"},
        {"PUT", "/api/v1/namespaces/default/pods/p/status", false, "", "v1", "default", "pods", "p", "status", "update"},
        {"GET", "/api/v1/namespaces/default", false, "", "v1", "", "namespaces", "default", "", "get"},
        {"PUT", "/api/v1/namespaces/ns1/finalize", false, "", "v1", "", "namespaces", "ns1", "finalize", "update"},
        {"GET", "/api/v1/namespaces/ns1/status", false, "", "v1", "", "namespaces", "ns1", "status", "get"},
        {"GET", "/api/v1/namespaces", false, "", "v1", "", "namespaces", "", "", "list"},
        {"POST", "/apis/apps/v1/namespaces/x/deployments", false, "apps", "v1", "x", "deployments", "", "", "create"},
        {"PATCH", "/apis/apps/v1/namespaces/x/deployments/d/scale", false, "apps", "v1", "x", "deployments", "d", "scale", "patch"},
        {"DELETE", "/apis/apps/v1/namespaces/x/deployments", false, "apps", "v1", "x", "deployments", "", "", "deletecollection"},
        {"DELETE", "/api/v1/nodes/n1", false, "", "v1", "", "nodes", "n1", "", "delete"},
        {"GET", "/apis/apps/v1", false, "apps", "v1", "", "", "", "", "discovery"},
    };
    for (const auto& c : cases) {
        INFO(c.method << " " << c.path);
        auto info = parse_request_info(c.method, c.path, c.watch);
        REQUIRE(info);
        CHECK(info->gv.group == c.group);
        CHECK(info->gv.version == c.version);
        CHECK(info->namespace_ == c.ns);
        CHECK(info->resource == c.resource);
        CHECK(info->name == c.name);
        CHECK(info->subresource == c.sub);
        CHECK(info->verb == c.verb);
    }
    CHECK(!parse_request_info("GET", "/version", false));
    CHECK(!parse_request_info("GET", "/apis/apps", false));
    CHECK(!parse_request_info("GET", "/api/v1/namespaces/a/pods/p/log/extra", false));
}
