// Backoff: doubling, cap, jitter bounds and reset.
#include "skiff/base/backoff.h"

#include <catch2/catch.hpp>

using namespace skiff::base;
using namespace std::chrono_literals;

TEST_CASE("backoff doubles up to the cap without jitter", "[base]") {
    Backoff b({.initial = 10s, .max = 5min, .factor = 2.0, .jitter = 0});
    const std::chrono::seconds expected[] = {10s, 20s, 40s, 80s, 160s, 300s, 300s};
    for (auto e : expected) {
        CHECK(b.next() == e);
    }
    CHECK(b.attempts() == 7);
    b.reset();
    CHECK(b.next() == 10s);
}

TEST_CASE("jitter stays within its fraction and is seeded", "[base]") {
    Backoff a({.initial = 1s, .max = 1h, .factor = 2.0, .jitter = 0.5}, 42);
    Backoff b({.initial = 1s, .max = 1h, .factor = 2.0, .jitter = 0.5}, 42);
    Backoff::Duration base = 1s;
    for (int i = 0; i < 10; ++i) {
        auto d = a.next();
        CHECK(d == b.next());
        CHECK(d >= base);
        CHECK(d <= base + base / 2);
        base *= 2;
    }
}
