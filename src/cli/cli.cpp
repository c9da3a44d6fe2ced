// Subcommand dispatch, help, and what the subcommands share.
#include "skiff/cli/cli.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "skiff/base/log.h"
#include "skiff/pki/files.h"
#include "skiff_version.h"

namespace skiff::cli {

namespace {

constexpr const char* kUsage =
    "skiff: a lightweight Kubernetes distribution in one binary\n"
    "\n"
    "Usage: skiff <command> [flags]\n"
    "\n"
    "Commands:\n"
    "  server    run the control plane (API server, store, controllers) on this machine\n"
    "  agent     join this machine to a cluster as a worker\n"
    "  token     join tokens\n"
    "  version   print version and build information\n"
    "\n"
    "Run 'skiff <command> --help' for a command's flags.\n";

}  // namespace

std::string skiff_version() { return std::string("v") + SKIFF_VERSION; }
std::string git_commit() { return SKIFF_GIT_COMMIT; }

std::string build_description() {
    return std::string(SKIFF_COMPILER) + ", " + SKIFF_BUILD_TYPE + ", " +
           (SKIFF_STATIC ? "static" : "dynamic") + " linking";
}

std::string platform() {
#if defined(__x86_64__)
    return "linux/amd64";
#elif defined(__aarch64__)
    return "linux/arm64";
#elif defined(__arm__)
    return "linux/arm";
#else
    utsname u{};
    uname(&u);
    return std::string("linux/") + u.machine;
#endif
}

std::string default_data_dir() {
    if (geteuid() == 0) {
        return "/var/lib/skiff";
    }
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.skiff";
}

std::string default_node_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') {
        return "localhost";
    }
    std::string name(buf);
    for (auto& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return name;
}

base::Status configure_logging(const Flags& flags) {
    base::log::Config config;
    config.verbosity = static_cast<int>(flags.get_int("v"));
    const std::string format = flags.get("log-format");
    if (format == "json") {
        config.format = base::log::Format::Json;
    } else if (format != "text" && !format.empty()) {
        return base::bad_request("invalid value \"" + format + "\" for --log-format: want text or json");
    }
    base::log::configure(config);
    return {};
}

base::Result<std::string> token_flag(const Flags& flags) {
    std::string token = flags.get("token");
    if (token.empty() && flags.is_set("token-file")) {
        auto text = pki::read_file(flags.get("token-file"));
        if (!text.ok()) {
            return text.status().prepend("--token-file");
        }
        token = std::move(*text);
    }
    return token;
}

std::optional<Flags> parse_or_exit(const FlagParser& parser, std::span<const std::string> args,
                                   std::string_view summary, int& exit_code) {
    auto flags = parser.parse(args, kConfigFlag.name, kConfigFlag.default_value);
    if (!flags.ok()) {
        std::cerr << "Error: " << flags.status().message() << "\n"
                  << "Run with --help for the list of flags.\n";
        exit_code = kExitUsage;
        return std::nullopt;
    }
    if (flags->help()) {
        std::cout << parser.usage(summary);
        exit_code = 0;
        return std::nullopt;
    }
    if (auto s = configure_logging(*flags); !s.ok()) {
        std::cerr << "Error: " << s.message() << "\n";
        exit_code = kExitUsage;
        return std::nullopt;
    }
    return std::move(*flags);
}

int version_command(std::span<const std::string> args) {
    if (!args.empty() && args[0] != "--help" && args[0] != "-h") {
        std::cerr << "Error: 'skiff version' takes no arguments\n";
        return kExitUsage;
    }
    std::cout << "skiff version " << skiff_version() << " (" << git_commit() << ")\n"
              << "kubernetes API " << kKubeGitVersion << "\n"
              << "built with " << build_description() << " for " << platform() << "\n";
    return 0;
}

int run(std::vector<std::string> args) {
    if (args.size() < 2) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const std::string& command = args[1];
    std::span<const std::string> rest(args.begin() + 2, args.end());
    if (command == "server") {
        return server_command(rest);
    }
    if (command == "agent") {
        return agent_command(rest);
    }
    if (command == "token") {
        return token_command(rest);
    }
    if (command == "hollow-nodes") {
        return hollow_command(rest);
    }
    if (command == "version" || command == "--version") {
        return version_command(rest);
    }
    if (command == "help" || command == "--help" || command == "-h") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << "Error: unknown command \"" << command << "\"\n\n" << kUsage;
    return kExitUsage;
}

}  // namespace skiff::cli
