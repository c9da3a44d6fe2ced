// `skiff token`: join token utilities.
#include <iostream>

#include "commands.h"
#include "join_token.h"
#include "skiff/cli/cli.h"

namespace skiff::cli {

namespace {
constexpr const char* kTokenUsage =
    "Usage: skiff token <subcommand>\n"
    "\n"
    "Subcommands:\n"
    "  generate   print a new random bootstrap token (<6 chars>.<16 chars>)\n"
    "\n"
    "The server's own join token is written to <data-dir>/server/token when it starts.\n";
}  // namespace

int token_command(std::span<const std::string> args) {
    if (args.empty()) {
        std::cerr << kTokenUsage;
        return kExitUsage;
    }
    if (args[0] == "--help" || args[0] == "-h") {
        std::cout << kTokenUsage;
        return 0;
    }
    if (args[0] == "generate") {
        if (args.size() > 1) {
            std::cerr << "Error: 'skiff token generate' takes no arguments\n";
            return kExitUsage;
        }
        std::cout << generate_bootstrap_token() << "\n";
        return 0;
    }
    std::cerr << "Error: unknown token subcommand \"" << args[0] << "\"\n\n" << kTokenUsage;
    return kExitUsage;
}

}  // namespace skiff::cli
