// Command-line flag parsing with environment and YAML config file fallbacks.
#include "flags.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "skiff/base/yaml.h"

namespace skiff::cli {
namespace json = boost::json;
using base::Result;
using base::Status;

namespace {

Status usage_error(std::string message) { return base::bad_request(std::move(message)); }

bool parse_bool(std::string_view v, bool& out) {
    if (v == "true" || v == "1" || v == "yes") {
        out = true;
        return true;
    }
    if (v == "false" || v == "0" || v == "no") {
        out = false;
        return true;
    }
    return false;
}

bool parse_int(std::string_view v, long& out) {
    if (v.empty()) {
        return false;
    }
    std::string s(v);
    errno = 0;
    char* end = nullptr;
    out = std::strtol(s.c_str(), &end, 10);
    return errno == 0 && end == s.c_str() + s.size();
}

/// A config file scalar as flag text; lists are handled by the caller.
std::optional<std::string> scalar_text(const json::value& v) {
    if (v.is_string()) {
        return std::string(v.get_string());
    }
    if (v.is_bool()) {
        return v.get_bool() ? "true" : "false";
    }
    if (v.is_int64() || v.is_uint64() || v.is_double()) {
        return json::serialize(v);
    }
    return std::nullopt;
}

}  // namespace

std::string Flags::get(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() || it->second.values.empty() ? std::string()
                                                            : it->second.values.back();
}

bool Flags::get_bool(std::string_view name) const {
    bool b = false;
    parse_bool(get(name), b);
    return b;
}

long Flags::get_int(std::string_view name) const {
    long n = 0;
    parse_int(get(name), n);
    return n;
}

std::vector<std::string> Flags::get_list(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second.values;
}

Source Flags::source(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? Source::Default : it->second.source;
}

FlagParser::FlagParser(std::string command, std::span<const FlagSpec> specs)
    : command_(std::move(command)), specs_(specs) {}

const FlagSpec* FlagParser::find(std::string_view name) const {
    for (const auto& s : specs_) {
        if (s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

const FlagSpec* FlagParser::find_short(char c) const {
    for (const auto& s : specs_) {
        if (s.short_name == c) {
            return &s;
        }
    }
    return nullptr;
}

Status FlagParser::set(Flags& flags, const FlagSpec& spec, std::string value, Source source,
                       std::string_view where) const {
    if (spec.kind == FlagKind::Bool) {
        bool b;
        if (!parse_bool(value, b)) {
            return usage_error("invalid value \"" + value + "\" for " + std::string(where) +
                               ": want true or false");
        }
        value = b ? "true" : "false";
    } else if (spec.kind == FlagKind::Int) {
        long n;
        if (!parse_int(value, n)) {
            return usage_error("invalid value \"" + value + "\" for " + std::string(where) +
                               ": want an integer");
        }
    }
    auto& entry = flags.values_[std::string(spec.name)];
    // A list flag accumulates within one source; a higher source replaces a lower one.
    if (entry.source != source || spec.kind != FlagKind::List) {
        entry.values.clear();
    }
    entry.source = source;
    entry.values.push_back(std::move(value));
    return {};
}

Status FlagParser::apply_config_file(Flags& flags, const std::string& path) const {
    std::ifstream in(path);
    if (!in) {
        return usage_error("cannot read config file " + path + ": " + std::strerror(errno));
    }
    std::stringstream text;
    text << in.rdbuf();
    auto doc = base::yaml_to_json(text.str());
    if (!doc.ok()) {
        return usage_error("config file " + path + ": " + doc.status().message());
    }
    if (doc->is_null()) {
        return {};
    }
    if (!doc->is_object()) {
        return usage_error("config file " + path + ": want a map of flag names to values");
    }
    std::vector<std::string> unknown;
    for (const auto& kv : doc->get_object()) {
        std::string key(kv.key());
        const FlagSpec* spec = find(key);
        if (!spec || spec->name == "config") {
            unknown.push_back(key);
            continue;
        }
        std::vector<const json::value*> items;
        if (kv.value().is_array()) {
            if (spec->kind != FlagKind::List) {
                return usage_error("config file " + path + ": key \"" + key +
                                   "\" takes a single value, not a list");
            }
            for (const auto& e : kv.value().get_array()) {
                items.push_back(&e);
            }
        } else {
            items.push_back(&kv.value());
        }
        for (const auto* item : items) {
            auto text_value = scalar_text(*item);
            if (!text_value) {
                return usage_error("config file " + path + ": key \"" + key +
                                   "\" wants a scalar value");
            }
            auto s = set(flags, *spec, *text_value, Source::ConfigFile,
                         "key \"" + key + "\" in " + path);
            if (!s.ok()) {
                return s;
            }
        }
    }
    if (!unknown.empty()) {
        std::string names;
        for (const auto& u : unknown) {
            names += (names.empty() ? "\"" : ", \"") + u + "\"";
        }
        return usage_error("unknown key" + std::string(unknown.size() > 1 ? "s " : " ") + names +
                           " in config file " + path + " (keys are the flags of '" + command_ +
                           "' without --)");
    }
    return {};
}

Result<Flags> FlagParser::parse(std::span<const std::string> args, std::string_view config_flag,
                                std::string_view default_config) const {
    Flags flags;
    std::vector<std::pair<const FlagSpec*, std::string>> given;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") {
            flags.positional_.insert(flags.positional_.end(), args.begin() + i + 1, args.end());
            break;
        }
        if (arg == "-h" || arg == "--help") {
            flags.help_ = true;
            continue;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            flags.positional_.emplace_back(arg);
            continue;
        }
        const FlagSpec* spec = nullptr;
        std::optional<std::string> value;
        if (arg.starts_with("--")) {
            std::string_view name = arg.substr(2);
            if (auto eq = name.find('='); eq != std::string_view::npos) {
                value = std::string(name.substr(eq + 1));
                name = name.substr(0, eq);
            }
            spec = find(name);
            if (!spec) {
                return usage_error("unknown flag: --" + std::string(name));
            }
        } else {
            spec = arg.size() == 2 ? find_short(arg[1]) : nullptr;
            if (!spec) {
                return usage_error("unknown flag: " + std::string(arg));
            }
        }
        if (!value) {
            if (spec->kind == FlagKind::Bool) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                return usage_error("flag needs a value: " + std::string(arg));
            }
        }
        given.emplace_back(spec, std::move(*value));
    }

    // The config file first, so the environment and the command line override it.
    std::string config_path(default_config);
    bool explicit_config = false;
    if (!config_flag.empty()) {
        for (const auto& [spec, v] : given) {
            if (spec->name == config_flag) {
                config_path = v;
                explicit_config = true;
            }
        }
        const FlagSpec* cspec = find(config_flag);
        if (!explicit_config && cspec && !cspec->env.empty()) {
            if (const char* e = std::getenv(std::string(cspec->env).c_str()); e && *e) {
                config_path = e;
                explicit_config = true;
            }
        }
    }
    if (!config_path.empty() && !flags.help_ &&
        (explicit_config || ::access(config_path.c_str(), F_OK) == 0)) {
        if (auto s = apply_config_file(flags, config_path); !s.ok()) {
            return s;
        }
        if (const FlagSpec* cspec = find(config_flag)) {
            flags.values_[std::string(cspec->name)] = {{config_path}, Source::ConfigFile};
        }
    }
    for (const auto& spec : specs_) {
        if (spec.env.empty()) {
            continue;
        }
        if (const char* e = std::getenv(std::string(spec.env).c_str()); e && *e) {
            auto s = set(flags, spec, e, Source::Environment, std::string(spec.env));
            if (!s.ok()) {
                return s;
            }
        }
    }
    for (auto& [spec, v] : given) {
        auto s = set(flags, *spec, std::move(v), Source::CommandLine,
                     "--" + std::string(spec->name));
        if (!s.ok()) {
            return s;
        }
    }
    for (const auto& spec : specs_) {
        if (!flags.values_.contains(spec.name) && !spec.default_value.empty()) {
            flags.values_[std::string(spec.name)] = {{std::string(spec.default_value)},
                                                     Source::Default};
        }
    }
    return flags;
}

std::string FlagParser::usage(std::string_view summary) const {
    std::string out = "Usage: " + command_ + " [flags]\n\n" + std::string(summary) + "\n\nFlags:\n";
    for (const auto& s : specs_) {
        std::string left = "  ";
        left += s.short_name ? std::string("-") + s.short_name + ", " : std::string("    ");
        left += "--" + std::string(s.name);
        if (s.kind == FlagKind::Int) {
            left += " int";
        } else if (s.kind == FlagKind::String) {
            left += " string";
        } else if (s.kind == FlagKind::List) {
            left += " value";
        }
        if (left.size() < 38) {
            left.resize(38, ' ');
        } else {
            left += "  ";
        }
        out += left + std::string(s.help);
        if (!s.default_value.empty() && s.kind != FlagKind::Bool) {
            out += " (default: " + std::string(s.default_value) + ")";
        }
        if (s.kind == FlagKind::List) {
            out += " (repeatable)";
        }
        if (!s.env.empty()) {
            out += " [$" + std::string(s.env) + "]";
        }
        out += '\n';
    }
    out += "  -h, --help                          show this help\n";
    return out;
}

}  // namespace skiff::cli
