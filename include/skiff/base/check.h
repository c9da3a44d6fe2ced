// Invariant checks: SKIFF_ASSERT (debug only), SKIFF_CHECK (always, fatal), SKIFF_BUG (logged).
#pragma once

#include <string_view>

namespace skiff::base {

/// Prints the failed check and aborts.
[[noreturn]] void check_failed(std::string_view expr, std::string_view file, int line);
/// Logs an unexpected state at error level and counts it; the caller continues.
void report_bug(std::string_view what, std::string_view file, int line);
/// How many times report_bug ran in this process.
long bug_count();

}  // namespace skiff::base

#define SKIFF_CHECK(expr)                                              \
    do {                                                               \
        if (!(expr)) [[unlikely]] {                                    \
            ::skiff::base::check_failed(#expr, __FILE__, __LINE__);    \
        }                                                              \
    } while (false)

#ifdef NDEBUG
#define SKIFF_ASSERT(expr) \
    do {                   \
    } while (false)
#else
#define SKIFF_ASSERT(expr) SKIFF_CHECK(expr)
#endif

#define SKIFF_BUG(what) ::skiff::base::report_bug((what), __FILE__, __LINE__)
