// Kubeconfig loading; see kubeconfig.h.
#include "skiff/client/kubeconfig.h"

#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/base/yaml.h"
#include "skiff/pki/encoding.h"
#include "skiff/pki/files.h"

namespace skiff::client {
namespace json = boost::json;

namespace {

/// The entry named `name` of a kubeconfig list (clusters, users, contexts), its inner object.
const json::value* named(const json::value& config, std::string_view list, std::string_view name,
                         std::string_view inner) {
    const auto* items = config.is_object() ? config.as_object().if_contains(list) : nullptr;
    if (!items || !items->is_array()) {
        return nullptr;
    }
    for (const auto& item : items->as_array()) {
        if (base::string_at(item, {"name"}) == name) {
            return base::find(item, {inner});
        }
    }
    return nullptr;
}

/// PEM from `<field>-data` (base64) or from the file `<field>`.
base::Result<std::string> pem(const json::value& section, const std::string& field) {
    const auto data = base::string_at(section, {field + "-data"});
    if (!data.empty()) {
        auto decoded = pki::base64_decode(data);
        if (!decoded.ok()) {
            return base::bad_request(field + "-data is not base64");
        }
        return *decoded;
    }
    const auto file = base::string_at(section, {field});
    if (!file.empty()) {
        auto read = pki::read_file(std::string(file));
        if (!read.ok()) {
            return read.status().prepend(field);
        }
        return *read;
    }
    return std::string();
}

}  // namespace

base::Result<HttpClientConfig> load_kubeconfig(const std::string& path) {
    auto text = pki::read_file(path);
    if (!text.ok()) {
        return text.status().prepend("kubeconfig");
    }
    auto config = base::yaml_to_json(*text);
    if (!config.ok()) {
        return config.status().prepend("kubeconfig " + path);
    }
    const auto current = base::string_at(*config, {"current-context"});
    const auto* context = named(*config, "contexts", current, "context");
    if (!context) {
        return base::bad_request("kubeconfig " + path + ": no context named \"" +
                                 std::string(current) + "\" (current-context)");
    }
    const auto* cluster = named(*config, "clusters", base::string_at(*context, {"cluster"}), "cluster");
    const auto* user = named(*config, "users", base::string_at(*context, {"user"}), "user");
    if (!cluster || !user) {
        return base::bad_request("kubeconfig " + path + ": the current context names a cluster "
                                 "or user it does not define");
    }
    for (const char* unsupported : {"token", "tokenFile", "exec", "auth-provider", "username"}) {
        if (base::find(*user, {unsupported})) {
            return base::bad_request("kubeconfig " + path + ": user credentials of type \"" +
                                     std::string(unsupported) +
                                     "\" are not supported yet; use a client certificate");
        }
    }
    HttpClientConfig out;
    out.server = std::string(base::string_at(*cluster, {"server"}));
    if (out.server.empty()) {
        return base::bad_request("kubeconfig " + path + ": the cluster has no server");
    }
    auto ca = pem(*cluster, "certificate-authority");
    auto cert = pem(*user, "client-certificate");
    auto key = pem(*user, "client-key");
    for (const auto* r : {&ca, &cert, &key}) {
        if (!r->ok()) {
            return r->status().prepend("kubeconfig " + path);
        }
    }
    out.http.tls.ca_pem = *ca;
    out.http.tls.cert_pem = *cert;
    out.http.tls.key_pem = *key;
    if (const auto* skip = base::find(*cluster, {"insecure-skip-tls-verify"});
        skip && skip->is_bool()) {
        out.http.tls.insecure_skip_verify = skip->as_bool();
    }
    return out;
}

}  // namespace skiff::client
