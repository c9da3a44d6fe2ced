// Command-line flags: a table per subcommand, parsed from argv, environment and config file.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skiff/base/status.h"

namespace skiff::cli {

enum class FlagKind { String, Bool, Int, List };

struct FlagSpec {
    std::string_view name;  // long name without "--"; also the config file key
    char short_name = 0;    // e.g. 'd' for -d, 0 for none
    FlagKind kind = FlagKind::String;
    std::string_view default_value;
    std::string_view help;
    std::string_view env = {};  // environment variable that sets it, e.g. SKIFF_TOKEN
};

/// Where a value came from, for messages.
enum class Source { Default, ConfigFile, Environment, CommandLine };

/// The parsed values of one subcommand.
class Flags {
public:
    std::string get(std::string_view name) const;
    bool get_bool(std::string_view name) const;
    long get_int(std::string_view name) const;
    std::vector<std::string> get_list(std::string_view name) const;
    Source source(std::string_view name) const;
    /// True when the value did not come from the default.
    bool is_set(std::string_view name) const { return source(name) != Source::Default; }

    const std::vector<std::string>& positional() const { return positional_; }
    bool help() const { return help_; }

private:
    friend class FlagParser;
    struct Entry {
        std::vector<std::string> values;
        Source source = Source::Default;
    };
    std::map<std::string, Entry, std::less<>> values_;
    std::vector<std::string> positional_;
    bool help_ = false;
};

/// Parses a subcommand's flags. Precedence: command line, then environment, then the YAML
/// config file (keys are the long flag names), then defaults. Errors are usage errors: unknown
/// flags or config keys, missing or malformed values (the caller exits with code 2).
class FlagParser {
public:
    FlagParser(std::string command, std::span<const FlagSpec> specs);

    /// `args` excludes the program and subcommand names. `config_flag` names the flag that
    /// points at the config file ("" for none); `default_config` is read when it exists and
    /// the flag is not given; an explicitly given file must exist.
    base::Result<Flags> parse(std::span<const std::string> args, std::string_view config_flag,
                              std::string_view default_config) const;

    /// The --help text: usage line, then one line per flag with its default and env var.
    std::string usage(std::string_view summary) const;

private:
    const FlagSpec* find(std::string_view name) const;
    const FlagSpec* find_short(char c) const;
    base::Status set(Flags& flags, const FlagSpec& spec, std::string value, Source source,
                     std::string_view where) const;
    base::Status apply_config_file(Flags& flags, const std::string& path) const;

    std::string command_;
    std::span<const FlagSpec> specs_;
};

}  // namespace skiff::cli
