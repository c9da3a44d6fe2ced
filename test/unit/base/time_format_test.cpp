// metav1.Time and metav1.MicroTime formatting.
#include <catch2/catch.hpp>

#include "skiff/base/time_format.h"

using namespace std::chrono;

TEST_CASE("timestamps are formatted as Kubernetes writes them", "[time_format]") {
    const sys_days day = year{2026} / November / 25;
    const auto t = day + hours(7) + minutes(3) + seconds(9) + microseconds(42'017);
    CHECK(skiff::base::format_time(t) == "2026-11-25T07:03:09Z");
    CHECK(skiff::base::format_micro_time(t) == "2026-11-25T07:03:09.042017Z");
    CHECK(skiff::base::format_time(sys_days{year{1970} / January / 1}) == "1970-01-01T00:00:00Z");
    // Before the epoch, seconds still round down.
    const auto before = sys_days{year{1969} / December / 31} + hours(23) + minutes(59) +
                        seconds(59) + milliseconds(500);
    CHECK(skiff::base::format_time(before) == "1969-12-31T23:59:59Z");
    CHECK(skiff::base::format_micro_time(before) == "1969-12-31T23:59:59.500000Z");
}
