// Invariant failures: abort with the location, or log and count.
#include "skiff/base/check.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "skiff/base/log.h"

namespace skiff::base {
namespace {
std::atomic<long> g_bugs{0};
}

void check_failed(std::string_view expr, std::string_view file, int line) {
    std::fprintf(stderr, "skiff: check failed: %.*s at %.*s:%d\n", static_cast<int>(expr.size()),
                 expr.data(), static_cast<int>(file.size()), file.data(), line);
    std::abort();
}

void report_bug(std::string_view what, std::string_view file, int line) {
    g_bugs.fetch_add(1, std::memory_order_relaxed);
    log::error("bug", {{"what", what}, {"file", file}, {"line", line}});
}

long bug_count() { return g_bugs.load(std::memory_order_relaxed); }

}  // namespace skiff::base
