// Logging: leveled messages with key/value fields, as text or as JSON lines, to stderr.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace skiff::base::log {

enum class Level { Error, Warn, Info, Debug };
enum class Format { Text, Json };

/// A field value: text, integer, boolean or floating point.
using Value = std::variant<std::string_view, std::int64_t, bool, double>;

struct Field {
    std::string_view key;
    Value value;

    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, bool v) : key(k), value(v) {}
    Field(std::string_view k, double v) : key(k), value(v) {}
    template <typename I>
        requires std::is_integral_v<I>
    Field(std::string_view k, I v) : key(k), value(static_cast<std::int64_t>(v)) {}
};

using Fields = std::initializer_list<Field>;

struct Config {
    /// 0 logs error, warn and info; 1 and more also log debug messages up to that verbosity.
    int verbosity = 0;
    Format format = Format::Text;
};

/// Sets the process-wide configuration; call before other threads log.
void configure(const Config& config);
const Config& config();

/// True when a debug message at verbosity `v` would be written (klog's V(n)).
bool enabled(int v);

void error(std::string_view message, Fields fields = {});
void warn(std::string_view message, Fields fields = {});
void info(std::string_view message, Fields fields = {});
/// A debug message written when the verbosity is at least `v`.
void debug(int v, std::string_view message, Fields fields = {});

/// Formats one line without writing it (no trailing newline); for tests.
std::string format_line(Format format, Level level, std::string_view message, Fields fields,
                        std::string_view timestamp);

}  // namespace skiff::base::log
