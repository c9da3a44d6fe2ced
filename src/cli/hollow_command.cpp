// `skiff hollow-nodes` (hidden): hollow nodes that register with a cluster and run its pods
// instantly, for tests and benchmarks of the control plane.
#include <csignal>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "commands.h"
#include "skiff/cli/cli.h"
#include "skiff/base/log.h"
#include "skiff/client/kubeconfig.h"
#include "skiff/hollow/hollow_node.h"

namespace skiff::cli {
namespace asio = boost::asio;
namespace log = base::log;

namespace {

constexpr const char* kSummary =
    "Runs --count hollow nodes: kubelet stand-ins that register Nodes, renew their Leases and\n"
    "mark the pods bound to them Running and Ready at once (no containers run). For tests\n"
    "and benchmarks of the control plane; stops on SIGINT or SIGTERM.";

const std::vector<FlagSpec>& hollow_flags() {
    static const std::vector<FlagSpec> specs = {
        {.name = "kubeconfig", .default_value = "/etc/skiff/skiff.yaml",
         .help = "kubeconfig of the cluster (client certificate credentials)",
         .env = "KUBECONFIG"},
        {.name = "count", .kind = FlagKind::Int, .default_value = "1",
         .help = "how many hollow nodes to run"},
        {.name = "name-prefix", .default_value = "hollow-",
         .help = "node names are this prefix and a number"},
        {.name = "cpu", .default_value = "4", .help = "CPU capacity of each node"},
        {.name = "memory", .default_value = "16Gi", .help = "memory capacity of each node"},
        {.name = "max-pods", .default_value = "110", .help = "pod capacity of each node"},
        kVerbosityFlag,
        kLogFormatFlag,
    };
    return specs;
}

}  // namespace

int hollow_command(std::span<const std::string> args) {
    FlagParser parser("skiff hollow-nodes", hollow_flags());
    int exit_code = 0;
    auto flags = parse_or_exit(parser, args, kSummary, exit_code);
    if (!flags) {
        return exit_code;
    }
    if (auto st = configure_logging(*flags); !st.ok()) {
        std::cerr << "Error: " << st.message() << "\n";
        return kExitUsage;
    }
    const long count = flags->get_int("count");
    if (count < 1 || count > 10000) {
        std::cerr << "Error: --count must be between 1 and 10000\n";
        return kExitUsage;
    }
    auto config = client::load_kubeconfig(flags->get("kubeconfig"));
    if (!config.ok()) {
        std::cerr << "Error: " << config.status().message() << "\n";
        return kExitFailure;
    }
    asio::io_context ctx(1);
    auto http = client::make_http_client(ctx.get_executor(), *config);
    if (!http.ok()) {
        std::cerr << "Error: " << http.status().message() << "\n";
        return kExitFailure;
    }
    std::vector<std::unique_ptr<hollow::HollowNode>> nodes;
    int failed = 0;
    for (long i = 0; i < count; ++i) {
        hollow::HollowNodeOptions options{.name = flags->get("name-prefix") + std::to_string(i),
                                          .cpu = flags->get("cpu"),
                                          .memory = flags->get("memory"),
                                          .pods = flags->get("max-pods")};
        nodes.push_back(std::make_unique<hollow::HollowNode>(
            ctx.get_executor(), **http, base::SystemClock::instance(), std::move(options)));
        asio::co_spawn(ctx, nodes.back()->run(), [&failed](std::exception_ptr e, base::Status st) {
            if (e || !st.ok()) {
                ++failed;
                log::error("hollow node failed", {{"error", st.message()}});
            }
        });
    }
    asio::signal_set signals(ctx, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        for (auto& n : nodes) {
            n->stop();
        }
    });
    log::info("hollow nodes running", {{"count", count}, {"server", config->server}});
    ctx.run();
    return failed == 0 ? 0 : kExitFailure;
}

}  // namespace skiff::cli
