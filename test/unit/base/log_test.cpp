// Log line formats.
#include "skiff/base/log.h"

#include <catch2/catch.hpp>

using namespace skiff::base;

TEST_CASE("text lines quote what needs quoting", "[base]") {
    auto line = log::format_line(log::Format::Text, log::Level::Warn, "listening",
                                 {{"addr", "127.0.0.1:6443"}, {"why", "a b"}, {"n", 3}, {"ok", true}},
                                 "2026-01-01T00:00:00.000000Z");
    CHECK(line ==
          "2026-01-01T00:00:00.000000Z WARN listening addr=127.0.0.1:6443 why=\"a b\" n=3 ok=true");
}

TEST_CASE("JSON lines are valid JSON objects", "[base]") {
    auto line = log::format_line(log::Format::Json, log::Level::Info, "say \"hi\"",
                                 {{"k", "v\n"}, {"x", 1.5}}, "T");
    CHECK(line == R"({"ts":"T","level":"info","msg":"say \"hi\"","k":"v\n","x":1.5})");
}

TEST_CASE("verbosity gates debug messages", "[base]") {
    log::configure({.verbosity = 2});
    CHECK(log::enabled(2));
    CHECK_FALSE(log::enabled(3));
    log::configure({});
    CHECK_FALSE(log::enabled(1));
}
