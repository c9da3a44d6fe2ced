// The subcommands' entry points and what they share: common flags, defaults, version facts.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "flags.h"

namespace skiff::cli {

/// Each takes the arguments after the subcommand name and returns the exit code.
int server_command(std::span<const std::string> args);
int agent_command(std::span<const std::string> args);
int token_command(std::span<const std::string> args);
int hollow_command(std::span<const std::string> args);  // hidden: tests and benchmarks
int version_command(std::span<const std::string> args);

/// The Kubernetes version skiff serves (kubectl chooses its behaviour by the minor).
inline constexpr const char* kKubeMajor = "1";
inline constexpr const char* kKubeMinor = "32";
inline constexpr const char* kKubeGitVersion = "v1.32.0";

std::string skiff_version();      // "v0.1.0"
std::string git_commit();
std::string build_description();  // compiler, build type, linking
std::string platform();           // "linux/amd64"

/// /var/lib/skiff as root, ~/.skiff otherwise.
std::string default_data_dir();
/// The host name, lower case: the default node name.
std::string default_node_name();

/// Flags every long-running subcommand has.
inline constexpr FlagSpec kConfigFlag{
    .name = "config", .short_name = 'c', .default_value = "/etc/skiff/config.yaml",
    .help = "YAML config file whose keys are these flags' names", .env = "SKIFF_CONFIG_FILE"};
inline constexpr FlagSpec kVerbosityFlag{
    .name = "v", .short_name = 'v', .kind = FlagKind::Int, .default_value = "0",
    .help = "log verbosity: 0 logs errors, warnings and info; higher numbers add debug detail"};
inline constexpr FlagSpec kLogFormatFlag{
    .name = "log-format", .default_value = "text", .help = "log format: text or json"};

/// Applies -v and --log-format; a usage error for an unknown format.
base::Status configure_logging(const Flags& flags);

/// --token, or the content of --token-file when --token is empty ("" when neither is set).
base::Result<std::string> token_flag(const Flags& flags);

/// Parses `args` (config file from kConfigFlag); prints help (exit 0) or the usage error
/// (exit 2) itself and returns nullopt with `exit_code` set then.
std::optional<Flags> parse_or_exit(const FlagParser& parser, std::span<const std::string> args,
                                   std::string_view summary, int& exit_code);

}  // namespace skiff::cli
