// Kubernetes' timestamps on the wire: metav1.Time (RFC 3339, seconds) and metav1.MicroTime.
#pragma once

#include <chrono>
#include <string>

namespace skiff::base {

/// "2026-11-25T17:32:00Z" (UTC, whole seconds, rounded down), as metav1.Time.
std::string format_time(std::chrono::system_clock::time_point t);
/// "2026-11-25T17:32:00.123456Z" (UTC, microseconds), as metav1.MicroTime.
std::string format_micro_time(std::chrono::system_clock::time_point t);

}  // namespace skiff::base
