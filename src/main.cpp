// skiff: the single executable; main only hands the command line to the CLI.
#include <string>
#include <vector>

#include "skiff/cli/cli.h"

int main(int argc, char** argv) {
    return skiff::cli::run(std::vector<std::string>(argv, argv + argc));
}
