// Flag parsing: forms, precedence of command line, environment and config file, errors.
#include "flags.h"

#include <stdlib.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace skiff::cli;
using skiff::base::Reason;

namespace {

const FlagSpec kSpecs[] = {
    {.name = "config", .short_name = 'c', .help = "config file", .env = "SKIFF_TEST_CONFIG"},
    {.name = "data-dir", .short_name = 'd', .default_value = "/var/lib/x", .help = "dir"},
    {.name = "port", .kind = FlagKind::Int, .default_value = "6443", .help = "port"},
    {.name = "token", .short_name = 't', .help = "token", .env = "SKIFF_TEST_TOKEN"},
    {.name = "disable-agent", .kind = FlagKind::Bool, .help = "no agent"},
    {.name = "tls-san", .kind = FlagKind::List, .help = "sans"},
};

struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& text) {
        char tmpl[] = "/tmp/skiff-flags-XXXXXX";
        int fd = mkstemp(tmpl);
        close(fd);
        path = tmpl;
        std::ofstream(path) << text;
    }
    ~TempFile() { std::filesystem::remove(path); }
};

skiff::base::Result<Flags> parse(std::vector<std::string> args, std::string default_config = "") {
    FlagParser p("skiff test", kSpecs);
    return p.parse(args, "config", default_config);
}

}  // namespace

TEST_CASE("flags in their long, short and = forms", "[cli]") {
    auto f = parse({"--data-dir", "/a", "-t", "secret", "--port=7443", "--disable-agent",
                    "--tls-san", "x", "--tls-san=y", "extra"});
    REQUIRE(f.ok());
    CHECK(f->get("data-dir") == "/a");
    CHECK(f->get("token") == "secret");
    CHECK(f->get_int("port") == 7443);
    CHECK(f->get_bool("disable-agent"));
    CHECK(f->get_list("tls-san") == std::vector<std::string>{"x", "y"});
    CHECK(f->positional() == std::vector<std::string>{"extra"});
    CHECK(f->source("token") == Source::CommandLine);
    CHECK_FALSE(parse({"--disable-agent=false"})->get_bool("disable-agent"));
}

TEST_CASE("defaults apply when nothing sets a flag", "[cli]") {
    auto f = parse({});
    REQUIRE(f.ok());
    CHECK(f->get("data-dir") == "/var/lib/x");
    CHECK(f->source("data-dir") == Source::Default);
    CHECK_FALSE(f->is_set("data-dir"));
    CHECK(f->get("token").empty());
}

TEST_CASE("unknown flags and bad values are usage errors naming them", "[cli]") {
    auto unknown = parse({"--nope"});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.status().reason() == Reason::BadRequest);
    CHECK(unknown.status().message() == "unknown flag: --nope");
    CHECK(parse({"-x"}).status().message() == "unknown flag: -x");
    CHECK(parse({"--port", "abc"}).status().message() ==
          "invalid value \"abc\" for --port: want an integer");
    CHECK(parse({"--disable-agent=maybe"}).status().message() ==
          "invalid value \"maybe\" for --disable-agent: want true or false");
    CHECK(parse({"--token"}).status().message() == "flag needs a value: --token");
}

TEST_CASE("config file keys are flag names; the command line wins", "[cli]") {
    TempFile cfg("data-dir: /from/file\nport: 9443\ntoken: filetoken\ntls-san:\n  - a\n  - b\n"
                 "disable-agent: true\n");
    auto f = parse({"--config", cfg.path.string(), "--token", "cli"});
    REQUIRE(f.ok());
    CHECK(f->get("data-dir") == "/from/file");
    CHECK(f->source("data-dir") == Source::ConfigFile);
    CHECK(f->get_int("port") == 9443);
    CHECK(f->get("token") == "cli");
    CHECK(f->get_list("tls-san") == std::vector<std::string>{"a", "b"});
    CHECK(f->get_bool("disable-agent"));
    // The command line replaces a list from the file rather than appending to it.
    auto g = parse({"-c", cfg.path.string(), "--tls-san", "c"});
    CHECK(g->get_list("tls-san") == std::vector<std::string>{"c"});
}

TEST_CASE("the environment overrides the file and yields to the command line", "[cli]") {
    TempFile cfg("token: filetoken\n");
    setenv("SKIFF_TEST_TOKEN", "envtoken", 1);
    CHECK(parse({"-c", cfg.path.string()})->get("token") == "envtoken");
    CHECK(parse({"-c", cfg.path.string(), "-t", "cli"})->get("token") == "cli");
    unsetenv("SKIFF_TEST_TOKEN");
    setenv("SKIFF_TEST_CONFIG", cfg.path.string().c_str(), 1);
    CHECK(parse({})->get("token") == "filetoken");
    unsetenv("SKIFF_TEST_CONFIG");
}

TEST_CASE("config file errors name the file and the keys", "[cli]") {
    TempFile unknown("data-dir: /x\nbogus: 1\nalso-bogus: 2\n");
    auto f = parse({"-c", unknown.path.string()});
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().message() == "unknown keys \"bogus\", \"also-bogus\" in config file " +
                                      unknown.path.string() +
                                      " (keys are the flags of 'skiff test' without --)");
    TempFile list_for_scalar("token: [a, b]\n");
    CHECK(parse({"-c", list_for_scalar.path.string()}).status().message().find(
              "takes a single value") != std::string::npos);
    TempFile not_map("- a\n- b\n");
    CHECK_FALSE(parse({"-c", not_map.path.string()}).ok());
    TempFile bad_yaml("a: b: c\n");
    CHECK(parse({"-c", bad_yaml.path.string()}).status().message().find("yaml: line 1") !=
          std::string::npos);
    TempFile bad_int("port: many\n");
    CHECK(parse({"-c", bad_int.path.string()}).status().message().find("want an integer") !=
          std::string::npos);
    // An explicit config file must exist; the default one may be absent.
    CHECK_FALSE(parse({"-c", "/nonexistent/skiff.yaml"}).ok());
    CHECK(parse({}, "/nonexistent/skiff.yaml").ok());
}

TEST_CASE("usage lists every flag with defaults and environment variables", "[cli]") {
    FlagParser p("skiff test", kSpecs);
    std::string u = p.usage("Summary.");
    CHECK(u.starts_with("Usage: skiff test [flags]\n\nSummary.\n"));
    CHECK(u.find("-d, --data-dir string") != std::string::npos);
    CHECK(u.find("(default: /var/lib/x)") != std::string::npos);
    CHECK(u.find("[$SKIFF_TEST_TOKEN]") != std::string::npos);
    CHECK(u.find("--tls-san value") != std::string::npos);
}
