// Kubernetes' timestamps; see time_format.h.
#include "skiff/base/time_format.h"

#include <cstdio>

namespace skiff::base {

namespace {

std::string format(std::chrono::system_clock::time_point t, bool micro) {
    using namespace std::chrono;
    const auto us = floor<microseconds>(t);
    const auto secs = floor<seconds>(us);
    const auto days = floor<std::chrono::days>(secs);
    const year_month_day ymd{days};
    const hh_mm_ss hms{secs - days};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    std::string out = buf;
    if (micro) {
        std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>((us - secs).count()));
        out += buf;
    }
    return out + "Z";
}

}  // namespace

std::string format_time(std::chrono::system_clock::time_point t) {
    return format(t, false);
}

std::string format_micro_time(std::chrono::system_clock::time_point t) {
    return format(t, true);
}

}  // namespace skiff::base
