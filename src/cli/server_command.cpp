// `skiff server`: prepares the data directory and serves HTTPS until SIGINT or SIGTERM.
#include <ifaddrs.h>
#include <netdb.h>
#include <sys/stat.h>

#include <array>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "commands.h"
#include "server_material.h"
#include "skiff/apiserver/apiserver.h"
#include "skiff/base/clock.h"
#include "skiff/client/client.h"
#include "skiff/controllers/manager.h"
#include "skiff/scheduler/scheduler.h"
#include "skiff/base/log.h"
#include "skiff/base/run.h"
#include "skiff/cli/cli.h"
#include "skiff/etcd/etcd_server.h"
#include "skiff/etcd/etcd_store.h"
#include "skiff/http/router.h"
#include "skiff/http/server.h"
#include "skiff/pki/files.h"
#include "skiff/store/sqlite_store.h"

namespace skiff::cli {
namespace asio = boost::asio;
namespace fs = std::filesystem;
namespace log = base::log;

namespace {

constexpr const char* kSummary =
    "Runs the skiff control plane on this machine: an HTTPS endpoint on --https-listen-port\n"
    "with the cluster's certificates under --data-dir, an admin kubeconfig, and the join token\n"
    "in <data-dir>/server/token. The datastore (<data-dir>/server/db/state.db) is served to\n"
    "etcd v3 clients on --datastore-listen; with --datastore-endpoint, an external etcd\n"
    "cluster is the datastore instead. Flags may also be set in the YAML config file\n"
    "(keys are the flag names). API resources, controllers and the local agent are not part\n"
    "of this build yet: the endpoint answers /version, /healthz, /livez, /readyz, /ping and\n"
    "/cacerts, and 404 for everything else.";

const std::vector<FlagSpec>& server_flags() {
    static const std::string data_dir = default_data_dir();
    static const std::string node_name = default_node_name();
    static const std::string kubeconfig = geteuid() == 0
                                              ? std::string("/etc/skiff/skiff.yaml")
                                              : data_dir + "/skiff.yaml";
    static const std::vector<FlagSpec> specs = {
        kConfigFlag,
        {.name = "data-dir", .short_name = 'd', .default_value = data_dir,
         .help = "directory for state: certificates, token, database", .env = "SKIFF_DATA_DIR"},
        {.name = "bind-address", .default_value = "0.0.0.0",
         .help = "address the HTTPS endpoint listens on"},
        {.name = "https-listen-port", .kind = FlagKind::Int, .default_value = "6443",
         .help = "port of the HTTPS endpoint (API and agent supervisor)"},
        {.name = "node-name", .default_value = node_name,
         .help = "this node's name; also a name in the serving certificate",
         .env = "SKIFF_NODE_NAME"},
        {.name = "tls-san", .kind = FlagKind::List,
         .help = "extra DNS name or IP address for the serving certificate"},
        {.name = "token", .short_name = 't',
         .help = "shared secret agents join with (default: generated once and kept)",
         .env = "SKIFF_TOKEN"},
        {.name = "token-file", .help = "file holding --token", .env = "SKIFF_TOKEN_FILE"},
        {.name = "write-kubeconfig", .short_name = 'o', .default_value = kubeconfig,
         .help = "where to write the admin kubeconfig", .env = "SKIFF_KUBECONFIG_OUTPUT"},
        {.name = "write-kubeconfig-mode", .default_value = "0600",
         .help = "file mode of the admin kubeconfig, octal", .env = "SKIFF_KUBECONFIG_MODE"},
        {.name = "datastore-listen", .default_value = "127.0.0.1:2379",
         .help = "where the etcd v3 API of the datastore listens: host:port, or a unix socket "
                 "(/path or unix:///path)"},
        {.name = "service-cidr", .default_value = "10.43.0.0/16",
         .help = "IPv4 network for Service ClusterIPs (the first address is kubernetes.default's)",
         .env = "SKIFF_SERVICE_CIDR"},
        {.name = "datastore-endpoint",
         .help = "use an external etcd cluster instead of the embedded datastore: its client "
                 "URLs, comma-separated (http://host:2379,https://host2:2379,unix:///path)",
         .env = "SKIFF_DATASTORE_ENDPOINT"},
        {.name = "datastore-cafile", .help = "CA certificate (PEM) of https datastore endpoints",
         .env = "SKIFF_DATASTORE_CAFILE"},
        {.name = "datastore-certfile", .help = "client certificate (PEM) for the datastore",
         .env = "SKIFF_DATASTORE_CERTFILE"},
        {.name = "datastore-keyfile", .help = "client key (PEM) for the datastore",
         .env = "SKIFF_DATASTORE_KEYFILE"},
        {.name = "datastore-sync", .default_value = "full",
         .help = "full: every commit survives power loss; normal: survives a crash of skiff "
                 "only, with fewer fsyncs"},
        {.name = "disable-agent", .kind = FlagKind::Bool,
         .help = "do not run the local agent (there is none in this build yet)"},
        kVerbosityFlag,
        kLogFormatFlag,
    };
    return specs;
}

/// Non-loopback addresses of this host, for the serving certificate.
std::vector<std::string> host_addresses() {
    std::vector<std::string> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) {
        return out;
    }
    for (ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6)) {
            continue;
        }
        char host[NI_MAXHOST];
        socklen_t len = a->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        if (getnameinfo(a->ifa_addr, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) {
            continue;
        }
        std::string ip(host);
        if (ip.find('%') != std::string::npos || ip.starts_with("127.") || ip == "::1") {
            continue;  // link-local with a zone, or loopback (always present anyway)
        }
        out.push_back(ip);
    }
    freeifaddrs(list);
    return out;
}

base::Result<unsigned> parse_mode(const std::string& text) {
    if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos) {
        return base::bad_request("invalid value \"" + text +
                                 "\" for --write-kubeconfig-mode: want an octal mode like 0600");
    }
    return static_cast<unsigned>(std::stoul(text, nullptr, 8));
}

std::string version_json() {
    boost::json::object v;
    v["major"] = kKubeMajor;
    v["minor"] = kKubeMinor;
    v["gitVersion"] = std::string(kKubeGitVersion) + "+skiff-" + skiff_version().substr(1);
    v["gitCommit"] = git_commit();
    v["gitTreeState"] = "clean";
    v["buildDate"] = __DATE__ " " __TIME__;
    v["goVersion"] = "none (C++)";
    v["compiler"] = build_description();
    v["platform"] = platform();
    return boost::json::serialize(v);
}

asio::awaitable<void> answer(http::Response response, http::Exchange& exchange) {
    co_await exchange.respond(std::move(response));
}

asio::awaitable<void> not_served(http::Exchange& exchange) {
    // No authentication beyond client certificates exists yet: anonymous callers get 401 as
    // upstream gives them for everything but the public information endpoints.
    if (!exchange.request().peer) {
        co_await exchange.respond(
            http::from_status(base::Status(base::Reason::Unauthorized, "Unauthorized")));
        co_return;
    }
    co_await exchange.respond(http::from_status(base::Status(
        base::Reason::NotFound, "the server could not find the requested resource")));
}

struct FixedResponse {
    http::Response response;
    asio::awaitable<void> operator()(http::Exchange& exchange) const {
        return answer(response, exchange);
    }
};

/// Stops in reverse order of dependency: the controllers and the scheduler (API clients), HTTP, then the etcd
/// facade if any (its calls still need the store), then the store. Everything lives in server_command's frame, which outlives
/// ctx.run().
asio::awaitable<void> wait_for_signal(asio::signal_set& signals, http::Server& server,
                                      etcd::EtcdServer* etcd_server, store::Store& store,
                                      scheduler::Scheduler& scheduler,
                                      controllers::Manager& controllers) {
    int signo = co_await signals.async_wait(asio::use_awaitable);
    log::info("stopping", {{"signal", strsignal(signo)}});
    co_await controllers.stop();
    co_await scheduler.stop();
    co_await server.stop(std::chrono::seconds(5));
    if (etcd_server) {
        co_await etcd_server->stop();
    }
    co_await store.stop();
    log::info("stopped");
}

struct Datastore {
    std::unique_ptr<store::Store> store;
    std::string where;  // for the log: the SQLite file or the etcd endpoints
    bool embedded = true;
};

/// The embedded SqliteStore under --data-dir, or an EtcdStore when --datastore-endpoint is set
/// (checked to answer before the server starts).
base::Result<Datastore> open_datastore(asio::io_context& ctx, const Flags& flags) {
    if (const auto endpoint = flags.get("datastore-endpoint"); !endpoint.empty()) {
        auto endpoints = etcd::parse_endpoints(endpoint);
        if (!endpoints.ok()) {
            return endpoints.status().prepend("--datastore-endpoint");
        }
        etcd::EtcdStoreOptions options{.endpoints = *endpoints,
                                       .ca_file = flags.get("datastore-cafile"),
                                       .cert_file = flags.get("datastore-certfile"),
                                       .key_file = flags.get("datastore-keyfile")};
        auto opened = etcd::open_etcd_store(ctx.get_executor(), options);
        if (!opened.ok()) {
            return opened.status();
        }
        auto status = base::run_to_completion(ctx, (*opened)->status());
        if (!status.ok()) {
            base::run_to_completion(ctx, (*opened)->stop());
            return status.status().prepend("cannot reach the datastore at " + endpoint);
        }
        return Datastore{std::move(*opened), endpoint, false};
    }
    const fs::path db_dir = fs::path(flags.get("data-dir")) / "server" / "db";
    std::error_code ec;
    fs::create_directories(db_dir, ec);
    if (ec) {
        return base::internal_error("cannot create " + db_dir.string() + ": " + ec.message());
    }
    store::SqliteOptions options;
    options.path = (db_dir / "state.db").string();
    options.sync = flags.get("datastore-sync") == "full" ? store::SqliteOptions::Sync::Full
                                                         : store::SqliteOptions::Sync::Normal;
    options.local.progress_interval = std::chrono::minutes(10);  // etcd's default
    auto opened =
        store::SqliteStore::open(ctx.get_executor(), base::SystemClock::instance(), options);
    if (!opened.ok()) {
        return opened.status().prepend("cannot open the datastore " + options.path);
    }
    return Datastore{std::move(*opened), options.path, true};
}

}  // namespace

int server_command(std::span<const std::string> args) {
    const auto started = std::chrono::steady_clock::now();
    FlagParser parser("skiff server", server_flags());
    int exit_code = 0;
    auto flags = parse_or_exit(parser, args, kSummary, exit_code);
    if (!flags) {
        return exit_code;
    }
    if (!flags->positional().empty()) {
        std::cerr << "Error: unexpected argument \"" << flags->positional()[0] << "\"\n";
        return kExitUsage;
    }
    auto mode = parse_mode(flags->get("write-kubeconfig-mode"));
    const long port = flags->get_int("https-listen-port");
    if (!mode.ok() || port < 1 || port > 65535) {
        std::cerr << "Error: "
                  << (mode.ok() ? "--https-listen-port must be between 1 and 65535"
                                : mode.status().message())
                  << "\n";
        return kExitUsage;
    }
    const std::string sync = flags->get("datastore-sync");
    if (sync != "full" && sync != "normal") {
        std::cerr << "Error: invalid value \"" << sync
                  << "\" for --datastore-sync: want full or normal\n";
        return kExitUsage;
    }
    auto token = token_flag(*flags);
    if (!token.ok()) {
        std::cerr << "Error: " << token.status().message() << "\n";
        return kExitFailure;
    }

    ServerMaterialOptions options{.data_dir = flags->get("data-dir"),
                                  .node_name = flags->get("node-name"),
                                  .tls_sans = flags->get_list("tls-san"),
                                  .host_ips = host_addresses(),
                                  .token = *token};
    const std::string bind = flags->get("bind-address");
    if (bind != "0.0.0.0" && bind != "::") {
        options.host_ips.push_back(bind);
    }
    auto material = prepare_server_material(options, std::chrono::system_clock::now());
    if (!material.ok()) {
        std::cerr << "Error: " << material.status().message() << "\n";
        return kExitFailure;
    }

    const std::string local = bind == "0.0.0.0" || bind == "::" ? "127.0.0.1" : bind;
    const std::string local_address =
        (local.find(':') != std::string::npos ? "[" + local + "]" : local) + ":" +
        std::to_string(port);
    const std::string url = "https://" + local_address;
    const fs::path kubeconfig = flags->get("write-kubeconfig");
    std::error_code ec;
    fs::create_directories(kubeconfig.parent_path(), ec);
    if (auto s = pki::write_file_atomic(kubeconfig, admin_kubeconfig(*material, url), *mode);
        !s.ok()) {
        std::cerr << "Error: " << s.message() << "\n";
        return kExitFailure;
    }

    asio::io_context ctx(1);
    http::Router router;
    router.add("GET", "/version", FixedResponse{http::Response::json(200, version_json())});
    for (const char* path : {"/healthz", "/livez", "/readyz"}) {
        router.add("GET", path, FixedResponse{http::Response::text(200, "ok")});
    }
    router.add("GET", "/ping", FixedResponse{http::Response::text(200, "pong")});
    router.add("GET", "/cacerts", FixedResponse{http::Response::text(200, material->server_ca_pem)});
    router.add_prefix("", "/", not_served);
    // The API's routes are added once its store is open (below), before serving starts.

    http::ServerConfig config{
        .bind_address = bind,
        .port = static_cast<std::uint16_t>(port),
        .tls = http::ServerTls{.cert_chain_pem = material->serving.cert.to_pem(),
                               .key_pem = material->serving.key.to_pem(),
                               .client_ca_pem = material->client_ca.cert.to_pem()}};
    http::Server server(ctx.get_executor(), config, router.handler());
    auto bound = server.listen();
    if (!bound.ok()) {
        std::cerr << "Error: cannot listen on " << bind << ":" << port << ": "
                  << bound.status().message() << "\n";
        return kExitFailure;
    }
    auto datastore = open_datastore(ctx, *flags);
    if (!datastore.ok()) {
        std::cerr << "Error: " << datastore.status().message() << "\n";
        return kExitFailure;
    }
    store::Store& store = *datastore->store;
    store.start();
    // The embedded datastore is served to etcd clients; an external etcd serves itself.
    std::optional<etcd::EtcdServer> etcd_server;
    std::string etcd_listen = "-";
    if (datastore->embedded) {
        etcd::EtcdServerConfig etcd_config{.listen = flags->get("datastore-listen")};
        etcd_server.emplace(ctx.get_executor(), store, etcd_config);
        auto etcd_bound = etcd_server->start();
        if (!etcd_bound.ok()) {
            std::cerr << "Error: --datastore-listen: " << etcd_bound.status().message() << "\n";
            base::run_to_completion(ctx, store.stop());
            return kExitFailure;
        }
        etcd_listen = *etcd_bound;
    }
    apiserver::ApiServer api(store, base::SystemClock::instance(),
                             apiserver::ApiServerOptions{.server_address = local_address,
                                                         .service_cidr = flags->get("service-cidr")});
    if (auto st = base::run_to_completion(ctx, api.bootstrap()); !st.ok()) {
        std::cerr << "Error: cannot prepare the datastore: " << st.message() << "\n";
        base::run_to_completion(ctx, store.stop());
        return kExitFailure;
    }
    api.add_routes(router);
    server.start();
    // The control loops are API clients in this process (no HTTP, no JSON text).
    auto in_process = client::make_local_client(api);
    scheduler::Scheduler scheduler(ctx.get_executor(), *in_process, base::SystemClock::instance());
    scheduler.start();
    controllers::Manager controllers(ctx.get_executor(), *in_process,
                                     base::SystemClock::instance());
    controllers.start();
    asio::signal_set signals(ctx, SIGINT, SIGTERM);
    asio::co_spawn(ctx,
                   wait_for_signal(signals, server, etcd_server ? &*etcd_server : nullptr, store,
                                   scheduler, controllers),
                   asio::detached);
    if (!flags->get_bool("disable-agent")) {
        log::info("the local agent (kubelet, pod network) is not part of this build yet");
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    log::info("skiff server is serving",
              {{"url", url},
               {"kubeconfig", kubeconfig.string()},
               {"token-file", material->token_path.string()},
               {"datastore", datastore->where},
               {"datastore-listen", etcd_listen},
               {"startup-ms", ms}});
    ctx.run();
    return 0;
}

}  // namespace skiff::cli
