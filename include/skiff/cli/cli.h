// The skiff command line: subcommands server, agent, token and version.
#pragma once

#include <string>
#include <vector>

namespace skiff::cli {

/// Exit codes: 0 success, 1 failure, 2 usage error (unknown flag or config key, bad value).
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Runs `skiff` with `args` (args[0] is the program name) and returns the exit code.
int run(std::vector<std::string> args);

}  // namespace skiff::cli
