// Logging to stderr: one line per message, written under a lock so threads do not interleave.
#include "skiff/base/log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace skiff::base::log {
namespace {

Config g_config;
std::mutex g_mutex;

std::string_view level_name(Level level) {
    switch (level) {
        case Level::Error:
            return "error";
        case Level::Warn:
            return "warn";
        case Level::Info:
            return "info";
        case Level::Debug:
            return "debug";
    }
    return "info";
}

std::string now_rfc3339() {
    const auto now = std::chrono::system_clock::now();
    const auto secs = std::chrono::system_clock::to_time_t(now);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
        1000000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long>(micros));
    return buf;
}

std::string json_quote(std::string_view s) {
    return boost::json::serialize(boost::json::string(s));
}

bool needs_quotes(std::string_view s) {
    if (s.empty()) {
        return true;
    }
    for (char c : s) {
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) > 126) {
            return true;
        }
    }
    return false;
}

void append_value(std::string& out, const Value& value, bool json) {
    std::visit(
        [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string_view>) {
                out += (json || needs_quotes(v)) ? json_quote(v) : std::string(v);
            } else if constexpr (std::is_same_v<V, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<V, double>) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%g", v);
                out += buf;
            } else {
                out += std::to_string(v);
            }
        },
        value);
}

void write(Level level, std::string_view message, Fields fields) {
    std::string line =
        format_line(g_config.format, level, message, fields, now_rfc3339());
    line += '\n';
    std::lock_guard lock(g_mutex);
    // One write(2) per line keeps lines whole even when several processes share stderr.
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n <= 0) {
            break;
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
}

}  // namespace

void configure(const Config& config) { g_config = config; }
const Config& config() { return g_config; }
bool enabled(int v) { return g_config.verbosity >= v; }

std::string format_line(Format format, Level level, std::string_view message, Fields fields,
                        std::string_view timestamp) {
    std::string out;
    if (format == Format::Json) {
        out += "{\"ts\":";
        out += json_quote(timestamp);
        out += ",\"level\":";
        out += json_quote(level_name(level));
        out += ",\"msg\":";
        out += json_quote(message);
        for (const auto& f : fields) {
            out += ',';
            out += json_quote(f.key);
            out += ':';
            append_value(out, f.value, true);
        }
        out += '}';
        return out;
    }
    out += timestamp;
    out += ' ';
    std::string_view name = level_name(level);
    for (char c : name) {
        out += static_cast<char>(c - 'a' + 'A');
    }
    out += ' ';
    out += message;
    for (const auto& f : fields) {
        out += ' ';
        out += f.key;
        out += '=';
        append_value(out, f.value, false);
    }
    return out;
}

void error(std::string_view message, Fields fields) { write(Level::Error, message, fields); }
void warn(std::string_view message, Fields fields) { write(Level::Warn, message, fields); }
void info(std::string_view message, Fields fields) { write(Level::Info, message, fields); }

void debug(int v, std::string_view message, Fields fields) {
    if (enabled(v)) {
        write(Level::Debug, message, fields);
    }
}

}  // namespace skiff::base::log
