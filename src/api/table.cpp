// Server-side printing: upstream's printer columns and cells per kind, CRD JSONPath columns,
// HumanDuration, and the meta.k8s.io Table around them.
#include "skiff/api/table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include <boost/json.hpp>

#include "skiff/api/label_selector.h"
#include "skiff/api/quantity.h"

namespace skiff::api {

namespace json = boost::json;
using Time = WallClock::time_point;

// ---------------------------------------------------------------------------------------------
// Time and durations

std::string human_duration(std::chrono::nanoseconds d) {
    // Integer division truncates toward zero, as Go's int(d.Seconds()) does.
    const std::int64_t ns = d.count();
    const std::int64_t seconds = ns / 1'000'000'000;
    if (seconds < -1) {
        return "<invalid>";
    }
    if (seconds < 0) {
        return "0s";
    }
    if (seconds < 60 * 2) {
        return std::to_string(seconds) + "s";
    }
    const std::int64_t minutes = seconds / 60;
    if (minutes < 10) {
        const std::int64_t s = seconds % 60;
        return s == 0 ? std::to_string(minutes) + "m"
                      : std::to_string(minutes) + "m" + std::to_string(s) + "s";
    }
    if (minutes < 60 * 3) {
        return std::to_string(minutes) + "m";
    }
    const std::int64_t hours = seconds / 3600;
    if (hours < 8) {
        const std::int64_t m = minutes % 60;
        return m == 0 ? std::to_string(hours) + "h"
                      : std::to_string(hours) + "h" + std::to_string(m) + "m";
    }
    if (hours < 48) {
        return std::to_string(hours) + "h";
    }
    if (hours < 24 * 8) {
        const std::int64_t h = hours % 24;
        return h == 0 ? std::to_string(hours / 24) + "d"
                      : std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
    }
    if (hours < 24 * 365 * 2) {
        return std::to_string(hours / 24) + "d";
    }
    if (hours < 24 * 365 * 8) {
        const std::int64_t dy = (hours / 24) % 365;
        return dy == 0 ? std::to_string(hours / 24 / 365) + "y"
                       : std::to_string(hours / 24 / 365) + "y" + std::to_string(dy) + "d";
    }
    return std::to_string(hours / 24 / 365) + "y";
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

// RFC 3339 UTC with second precision, as metav1.Time marshals.
std::string format_rfc3339(Time t) {
    const auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
    std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    std::int64_t rem = secs - days * 86400;
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    return buf;
}

}  // namespace

std::optional<Time> parse_timestamp(std::string_view s) {
    int year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) ||
        s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
        !digits(s, 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t nanos = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 9) {
                nanos = nanos * 10 + (s[pos] - '0');
            }
            ++n;
            ++pos;
        }
        if (n == 0) {
            return std::nullopt;
        }
        for (int i = n; i < 9; ++i) {
            nanos *= 10;
        }
    }
    std::int64_t offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, om)) {
            return std::nullopt;
        }
        offset = (s[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) {
        return std::nullopt;
    }
    const std::int64_t secs =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        hour * 3600 + minute * 60 + second - offset;
    return Time{} + std::chrono::duration_cast<WallClock::duration>(
                        std::chrono::seconds(secs) + std::chrono::nanoseconds(nanos));
}

std::string translate_timestamp_since(std::string_view timestamp, Time now) {
    if (timestamp.empty()) {
        return "<unknown>";
    }
    auto t = parse_timestamp(timestamp);
    if (!t) {
        return "<unknown>";
    }
    return human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - *t));
}

namespace {

// ---------------------------------------------------------------------------------------------
// JSON access over possibly-missing objects

const json::object* child(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return nullptr;
    }
    auto it = o->find(key);
    return it == o->end() ? nullptr : it->value().if_object();
}

const json::array* list(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return nullptr;
    }
    auto it = o->find(key);
    return it == o->end() ? nullptr : it->value().if_array();
}

const json::value* member(const json::object* o, std::string_view key) {
    if (o == nullptr) {
        return nullptr;
    }
    auto it = o->find(key);
    return it == o->end() ? nullptr : &it->value();
}

std::string str(const json::object* o, std::string_view key, std::string_view fallback = {}) {
    const auto* v = member(o, key);
    if (v != nullptr && v->is_string()) {
        return std::string(v->get_string());
    }
    return std::string(fallback);
}

std::optional<std::int64_t> as_int(const json::value* v) {
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_int64()) {
        return v->get_int64();
    }
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_double() && std::isfinite(v->get_double())) {
        return static_cast<std::int64_t>(v->get_double());
    }
    return std::nullopt;
}

std::optional<std::int64_t> num(const json::object* o, std::string_view key) {
    return as_int(member(o, key));
}

std::int64_t num_or(const json::object* o, std::string_view key, std::int64_t fallback) {
    return num(o, key).value_or(fallback);
}

std::optional<bool> flag(const json::object* o, std::string_view key) {
    const auto* v = member(o, key);
    if (v != nullptr && v->is_bool()) {
        return v->get_bool();
    }
    return std::nullopt;
}

std::size_t count_of(const json::object* o, std::string_view key) {
    const auto* v = member(o, key);
    if (v == nullptr) {
        return 0;
    }
    if (const auto* a = v->if_array()) {
        return a->size();
    }
    if (const auto* m = v->if_object()) {
        return m->size();
    }
    return 0;
}

// Elements of an array member that are objects.
std::vector<const json::object*> objects_in(const json::object* o, std::string_view key) {
    std::vector<const json::object*> out;
    if (const auto* a = list(o, key)) {
        for (const auto& v : *a) {
            if (const auto* e = v.if_object()) {
                out.push_back(e);
            }
        }
    }
    return out;
}

std::vector<std::string> strings_in(const json::object* o, std::string_view key) {
    std::vector<std::string> out;
    if (const auto* a = list(o, key)) {
        for (const auto& v : *a) {
            if (v.is_string()) {
                out.emplace_back(v.get_string());
            }
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += sep;
        }
        out += parts[i];
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim_space(std::string_view s) {
    const auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    };
    while (!s.empty() && blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && blank(s.back())) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

std::string age_of(const json::object& o, Time now) {
    return translate_timestamp_since(str(child(&o, "metadata"), "creationTimestamp"), now);
}

std::string name_of(const json::object& o) {
    return str(child(&o, "metadata"), "name");
}

bool deleting(const json::object& o) {
    const auto* v = member(child(&o, "metadata"), "deletionTimestamp");
    return v != nullptr && !v->is_null();
}

// labels.FormatLabels: "k=v" sorted by key, "<none>" when empty.
std::string format_labels(const json::object* labels) {
    if (labels == nullptr || labels->empty()) {
        return "<none>";
    }
    std::map<std::string, std::string> sorted;
    for (const auto& kv : *labels) {
        sorted[std::string(kv.key())] =
            kv.value().is_string() ? std::string(kv.value().get_string()) : "";
    }
    std::string out;
    for (const auto& [k, v] : sorted) {
        if (!out.empty()) {
            out += ',';
        }
        out += k + "=" + v;
    }
    return out;
}

// metav1.FormatLabelSelector: "<error>" for an invalid selector, "<none>" for an empty string.
std::string format_label_selector(const json::value* selector) {
    auto parsed = LabelSelector::from_json(selector);
    if (!parsed.ok()) {
        return "<error>";
    }
    auto s = parsed->to_string();
    return s.empty() ? "<none>" : s;
}

// Quantity.String() of a member; "<nil>" when absent (upstream prints a nil *Quantity so).
std::string quantity_string(const json::value* v, std::string_view absent = "<nil>") {
    if (v == nullptr) {
        return std::string(absent);
    }
    auto q = Quantity::from_json(*v);
    if (!q.ok()) {
        return v->is_string() ? std::string(v->get_string()) : std::string(absent);
    }
    return q->to_string();
}

// intstr.IntOrString.String().
std::string int_or_string(const json::value* v) {
    if (v == nullptr) {
        return "";
    }
    if (v->is_string()) {
        return std::string(v->get_string());
    }
    if (auto i = as_int(v)) {
        return std::to_string(*i);
    }
    return "";
}

std::string join_host_port(const std::string& host, std::int64_t port) {
    if (host.find(':') != std::string::npos) {
        return "[" + host + "]:" + std::to_string(port);
    }
    return host + ":" + std::to_string(port);
}

// "a,b + 2 more..." with at most `max` shown.
std::string list_with_more(const std::vector<std::string>& list, bool more, std::size_t count,
                           std::size_t max, std::string_view empty) {
    auto ret = join(list, ",");
    if (more) {
        return ret + " + " + std::to_string(count - max) + " more...";
    }
    if (ret.empty()) {
        return std::string(empty);
    }
    return ret;
}

// ---------------------------------------------------------------------------------------------
// Go's fmt printing of decoded JSON, for string-typed CRD columns

std::string go_float(double d) {
    if (std::isnan(d)) {
        return "NaN";
    }
    if (std::isinf(d)) {
        return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
        return std::signbit(d) ? "-0" : "0";
    }
    // Shortest round-trip digits, then Go's %v layout: exponent form when the decimal exponent
    // is below -4 or at least 21.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const auto e = sci.find('e');
    std::string mant = sci.substr(0, e);
    const int exp = std::stoi(sci.substr(e + 1));
    const bool neg = mant[0] == '-';
    if (neg) {
        mant.erase(0, 1);
    }
    std::string digits_only;
    for (char c : mant) {
        if (c != '.') {
            digits_only += c;
        }
    }
    std::string out;
    if (exp < -4 || exp >= 21) {
        out = digits_only.substr(0, 1);
        if (digits_only.size() > 1) {
            out += "." + digits_only.substr(1);
        }
        char ebuf[16];
        std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += ebuf;
    } else if (exp < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits_only;
    } else if (static_cast<std::size_t>(exp + 1) >= digits_only.size()) {
        out =
            digits_only + std::string(static_cast<std::size_t>(exp + 1) - digits_only.size(), '0');
    } else {
        out = digits_only.substr(0, static_cast<std::size_t>(exp + 1)) + "." +
              digits_only.substr(static_cast<std::size_t>(exp + 1));
    }
    return neg ? "-" + out : out;
}

void go_print(const json::value& v, std::string& out) {
    switch (v.kind()) {
        case json::kind::null:
            out += "<nil>";
            break;
        case json::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            break;
        case json::kind::int64:
            out += std::to_string(v.get_int64());
            break;
        case json::kind::uint64:
            out += std::to_string(v.get_uint64());
            break;
        case json::kind::double_:
            out += go_float(v.get_double());
            break;
        case json::kind::string:
            out += v.get_string();
            break;
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v.get_array()) {
                if (!first) {
                    out += ' ';
                }
                first = false;
                go_print(e, out);
            }
            out += ']';
            break;
        }
        case json::kind::object: {
            // fmt sorts map keys.
            std::vector<std::pair<std::string_view, const json::value*>> members;
            for (const auto& kv : v.get_object()) {
                members.emplace_back(kv.key(), &kv.value());
            }
            std::sort(members.begin(), members.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            out += "map[";
            bool first = true;
            for (const auto& [k, e] : members) {
                if (!first) {
                    out += ' ';
                }
                first = false;
                out += k;
                out += ':';
                go_print(*e, out);
            }
            out += ']';
            break;
        }
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// JSONPath subset

struct JsonPath::Program {
    struct Step {
        enum class Kind { Field, Wildcard, Slice, Filter };
        Kind kind = Kind::Field;
        std::string name;  // Field
        // Slice: [start:end:step]; a single index is [n:n+1] with `derived_end`.
        std::optional<std::int64_t> start, end, step;
        bool derived_end = false;
        // Filter: `left op right`, or `left` alone for "exists".
        std::vector<Step> left;
        std::string op;
        bool right_is_path = false;
        std::vector<Step> right_path;
        json::value right_literal;
    };
    std::vector<Step> steps;
};

namespace {

using Step = JsonPath::Program::Step;

base::Status path_error(std::string_view path) {
    return base::bad_request("unrecognized column definition \"" + std::string(path) + "\"");
}

bool is_terminator(char c) {
    return c == ' ' || c == '.' || c == ',' || c == '[' || c == ']' || c == '$' || c == '@' ||
           c == '{' || c == '}' || c == '(' || c == ')' || c == '=' || c == '!' || c == '<' ||
           c == '>';
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    while (!s.empty() && s.front() == ' ') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ') {
        s.remove_suffix(1);
    }
    if (s.empty()) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool parse_steps(std::string_view s, std::vector<Step>& steps);

// The literal on the right of a filter: a quoted string, an integer, a float or a boolean.
bool parse_literal(std::string_view s, json::value& out) {
    s = trim(s);
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
        out = json::string(s.substr(1, s.size() - 2));
        return true;
    }
    if (s == "true" || s == "false") {
        out = s == "true";
        return true;
    }
    if (auto i = parse_int(s)) {
        out = *i;
        return true;
    }
    double d = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), d);
    if (!s.empty() && res.ec == std::errc{} && res.ptr == s.data() + s.size()) {
        out = d;
        return true;
    }
    return false;
}

bool parse_filter(std::string_view body, Step& step) {
    step.kind = Step::Kind::Filter;
    // Find the operator outside quotes.
    char quote = 0;
    std::size_t op_at = std::string_view::npos;
    std::size_t op_len = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            continue;
        }
        const auto two = body.substr(i, 2);
        if (two == "==" || two == "!=" || two == "<=" || two == ">=") {
            op_at = i;
            op_len = 2;
            break;
        }
        if (c == '<' || c == '>') {
            op_at = i;
            op_len = 1;
            break;
        }
    }
    const auto left = trim(body.substr(0, op_at));
    if (left.empty() || left.front() != '@' || !parse_steps(left.substr(1), step.left)) {
        return false;
    }
    if (op_at == std::string_view::npos) {
        step.op = "exists";
        return true;
    }
    step.op = std::string(body.substr(op_at, op_len));
    const auto right = trim(body.substr(op_at + op_len));
    if (!right.empty() && right.front() == '@') {
        step.right_is_path = true;
        return parse_steps(right.substr(1), step.right_path);
    }
    return parse_literal(right, step.right_literal);
}

bool parse_bracket(std::string_view body, Step& step) {
    body = trim(body);
    if (body.size() >= 3 && body.substr(0, 2) == "?(" && body.back() == ')') {
        return parse_filter(body.substr(2, body.size() - 3), step);
    }
    if (body == "*") {
        step.kind = Step::Kind::Wildcard;
        return true;
    }
    if (body.size() >= 2 && (body.front() == '\'' || body.front() == '"') &&
        body.back() == body.front()) {
        step.kind = Step::Kind::Field;
        step.name = std::string(body.substr(1, body.size() - 2));
        return true;
    }
    step.kind = Step::Kind::Slice;
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= body.size(); ++i) {
        if (i == body.size() || body[i] == ':') {
            parts.push_back(body.substr(start, i - start));
            start = i + 1;
        }
    }
    if (parts.size() > 3) {
        return false;
    }
    std::optional<std::int64_t> p[3];
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (trim(parts[i]).empty()) {
            continue;
        }
        p[i] = parse_int(parts[i]);
        if (!p[i]) {
            return false;
        }
    }
    if (parts.size() == 1) {
        if (!p[0]) {
            return false;
        }
        step.start = p[0];
        step.end = *p[0] + 1;
        step.derived_end = true;
        return true;
    }
    step.start = p[0];
    step.end = p[1];
    step.step = p[2];
    return true;
}

// Steps after the root: `.field`, `.*`, `[...]`.
bool parse_steps(std::string_view s, std::vector<Step>& steps) {
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '.') {
            ++i;
            if (i < s.size() && s[i] == '.') {
                return false;  // recursive descent is not supported
            }
            if (i < s.size() && s[i] == '*') {
                Step step;
                step.kind = Step::Kind::Wildcard;
                steps.push_back(std::move(step));
                ++i;
                continue;
            }
            std::string name;
            while (i < s.size()) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    name += s[i + 1];
                    i += 2;
                    continue;
                }
                if (is_terminator(s[i])) {
                    break;
                }
                name += s[i++];
            }
            if (name.empty()) {
                // "." alone (or before a bracket) names the current value.
                continue;
            }
            Step step;
            step.kind = Step::Kind::Field;
            step.name = std::move(name);
            steps.push_back(std::move(step));
        } else if (c == '[') {
            // The matching ']' outside quotes and parentheses.
            char quote = 0;
            int depth = 0;
            std::size_t j = i + 1;
            for (; j < s.size(); ++j) {
                const char d = s[j];
                if (quote != 0) {
                    if (d == quote) {
                        quote = 0;
                    }
                } else if (d == '"' || d == '\'') {
                    quote = d;
                } else if (d == '(') {
                    ++depth;
                } else if (d == ')') {
                    --depth;
                } else if (d == ']' && depth == 0) {
                    break;
                }
            }
            if (j >= s.size()) {
                return false;
            }
            Step step;
            if (!parse_bracket(s.substr(i + 1, j - i - 1), step)) {
                return false;
            }
            steps.push_back(std::move(step));
            i = j + 1;
        } else if (c == ' ') {
            ++i;
        } else {
            return false;
        }
    }
    return true;
}

using Values = std::vector<const json::value*>;

base::Status eval_error(std::string message) {
    return base::bad_request(std::move(message));
}

base::Result<Values> eval_steps(const std::vector<Step>& steps, Values input,
                                std::size_t first = 0);

// template.Equal / Less and friends on two decoded JSON values: same basic kinds only.
base::Result<bool> compare(const json::value& l, const std::string& op, const json::value& r) {
    const auto bad = [] { return eval_error("incompatible types for comparison"); };
    int cmp = 0;
    if (l.is_string() && r.is_string()) {
        const std::string_view a = l.get_string();
        const std::string_view b = r.get_string();
        cmp = a < b ? -1 : (a == b ? 0 : 1);
    } else if ((l.is_int64() || l.is_uint64()) && (r.is_int64() || r.is_uint64())) {
        const auto a = as_int(&l).value_or(0);
        const auto b = as_int(&r).value_or(0);
        cmp = a < b ? -1 : (a == b ? 0 : 1);
    } else if (l.is_double() && r.is_double()) {
        const double a = l.get_double();
        const double b = r.get_double();
        cmp = a < b ? -1 : (a == b ? 0 : 1);
    } else if (l.is_bool() && r.is_bool()) {
        if (op != "==" && op != "!=") {
            return bad();
        }
        cmp = l.get_bool() == r.get_bool() ? 0 : 1;
    } else {
        return bad();
    }
    if (op == "==") {
        return cmp == 0;
    }
    if (op == "!=") {
        return cmp != 0;
    }
    if (op == "<") {
        return cmp < 0;
    }
    if (op == ">") {
        return cmp > 0;
    }
    if (op == "<=") {
        return cmp <= 0;
    }
    if (op == ">=") {
        return cmp >= 0;
    }
    return eval_error("unrecognized filter operator " + op);
}

base::Result<Values> eval_step(const Step& step, const Values& input) {
    Values out;
    switch (step.kind) {
        case Step::Kind::Field:
            for (const auto* v : input) {
                if (const auto* o = v->if_object()) {
                    if (auto it = o->find(step.name); it != o->end()) {
                        out.push_back(&it->value());
                    }
                }
            }
            return out;
        case Step::Kind::Wildcard:
            for (const auto* v : input) {
                if (const auto* o = v->if_object()) {
                    for (const auto& kv : *o) {
                        out.push_back(&kv.value());
                    }
                } else if (const auto* a = v->if_array()) {
                    for (const auto& e : *a) {
                        out.push_back(&e);
                    }
                }
            }
            return out;
        case Step::Kind::Slice:
            for (const auto* v : input) {
                if (v->is_null()) {
                    continue;
                }
                const auto* a = v->if_array();
                if (a == nullptr) {
                    return eval_error("value is not an array");
                }
                const auto len = static_cast<std::int64_t>(a->size());
                std::int64_t begin = step.start.value_or(0);
                if (begin < 0) {
                    begin += len;
                }
                std::int64_t end = step.end.value_or(len);
                if (end < 0 || (end == 0 && step.derived_end)) {
                    end += len;
                }
                if (end == begin) {
                    continue;
                }
                if (begin >= len || begin < 0 || end > len || end < 0) {
                    return eval_error("array index out of bounds: index " + std::to_string(begin) +
                                      ", length " + std::to_string(len));
                }
                if (begin > end) {
                    return eval_error("starting index is greater than ending index");
                }
                const std::int64_t stride = step.step.value_or(1);
                if (stride <= 0) {
                    return eval_error("step must be > 0");
                }
                for (std::int64_t k = begin; k < end; k += stride) {
                    out.push_back(&(*a)[static_cast<std::size_t>(k)]);
                }
            }
            return out;
        case Step::Kind::Filter:
            for (const auto* v : input) {
                const auto* a = v->if_array();
                if (a == nullptr) {
                    return eval_error("value is not an array and cannot be filtered");
                }
                for (const auto& e : *a) {
                    auto lefts = eval_steps(step.left, Values{&e});
                    if (step.op == "exists") {
                        if (lefts.ok() && !lefts->empty()) {
                            out.push_back(&e);
                        }
                        continue;
                    }
                    if (!lefts.ok()) {
                        return lefts.status();
                    }
                    if (lefts->empty()) {
                        continue;
                    }
                    if (lefts->size() > 1) {
                        return eval_error("can only compare one element at a time");
                    }
                    const json::value* right = &step.right_literal;
                    Values rights;
                    if (step.right_is_path) {
                        auto r = eval_steps(step.right_path, Values{&e});
                        if (!r.ok()) {
                            return r.status();
                        }
                        rights = std::move(*r);
                        if (rights.empty()) {
                            continue;
                        }
                        if (rights.size() > 1) {
                            return eval_error("can only compare one element at a time");
                        }
                        right = rights[0];
                    }
                    auto pass = compare(*(*lefts)[0], step.op, *right);
                    if (!pass.ok()) {
                        return pass.status();
                    }
                    if (*pass) {
                        out.push_back(&e);
                    }
                }
            }
            return out;
    }
    return out;
}

base::Result<Values> eval_steps(const std::vector<Step>& steps, Values input, std::size_t first) {
    for (std::size_t i = first; i < steps.size(); ++i) {
        auto next = eval_step(steps[i], input);
        if (!next.ok()) {
            return next.status();
        }
        input = std::move(*next);
        if (input.empty()) {
            break;
        }
    }
    return input;
}

}  // namespace

base::Result<JsonPath> JsonPath::parse(std::string_view path) {
    auto s = trim(path);
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
        s = trim(s.substr(1, s.size() - 2));
    }
    if (!s.empty() && s.front() == '$') {
        s.remove_prefix(1);
    }
    auto program = std::make_shared<Program>();
    if (s.empty() || (s.front() != '.' && s.front() != '[') || !parse_steps(s, program->steps)) {
        return path_error(path);
    }
    JsonPath p;
    p.text_ = std::string(path);
    p.program_ = std::move(program);
    return p;
}

base::Result<std::vector<const json::value*>> JsonPath::find(const json::value& root) const {
    if (!program_) {
        return Values{};
    }
    return eval_steps(program_->steps, Values{&root});
}

base::Result<std::vector<const json::value*>> JsonPath::find(const json::object& root) const {
    if (!program_ || program_->steps.empty()) {
        return Values{};
    }
    // The first step applied to the root object by hand, so that it needs no json::value.
    const auto& first = program_->steps.front();
    Values input;
    if (first.kind == Step::Kind::Field) {
        if (auto it = root.find(first.name); it != root.end()) {
            input.push_back(&it->value());
        }
    } else if (first.kind == Step::Kind::Wildcard) {
        for (const auto& kv : root) {
            input.push_back(&kv.value());
        }
    } else {
        return eval_error("value is not an array");
    }
    if (input.empty()) {
        return input;
    }
    return eval_steps(program_->steps, std::move(input), 1);
}

namespace {

json::value custom_cell(const PrinterColumn& column, const JsonPath* path,
                        const json::object& object, Time now) {
    if (path == nullptr) {
        return nullptr;
    }
    auto results = path->find(object);
    if (!results.ok() || results->empty()) {
        return nullptr;
    }
    const json::value& v = *(*results)[0];
    if (column.type == "string") {
        if (v.is_null()) {
            return "<no value>";  // what Go's template printing makes of a nil interface
        }
        std::string out;
        go_print(v, out);
        return json::string(out);
    }
    if (v.is_null()) {
        return nullptr;
    }
    if (column.type == "integer") {
        if (v.is_int64() || v.is_uint64() || v.is_double()) {
            if (auto i = as_int(&v)) {
                return *i;
            }
        }
        return nullptr;
    }
    if (column.type == "number") {
        if (v.is_int64()) {
            return static_cast<double>(v.get_int64());
        }
        if (v.is_uint64()) {
            return static_cast<double>(v.get_uint64());
        }
        if (v.is_double()) {
            return v.get_double();
        }
        return nullptr;
    }
    if (column.type == "boolean") {
        if (v.is_bool()) {
            return v.get_bool();
        }
        return nullptr;
    }
    if (column.type == "date") {
        if (!v.is_string()) {
            return nullptr;
        }
        const auto s = std::string_view(v.get_string());
        if (s.empty() || s == "null") {
            return "<unknown>";
        }
        auto t = parse_timestamp(s);
        if (!t) {
            return "<invalid>";
        }
        return json::string(
            human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - *t)));
    }
    return nullptr;
}

}  // namespace

json::value custom_column_cell(const PrinterColumn& column, const json::object& object, Time now) {
    auto path = JsonPath::parse(column.json_path);
    return custom_cell(column, path.ok() ? &*path : nullptr, object, now);
}

namespace {

// ---------------------------------------------------------------------------------------------
// Column definitions

constexpr std::string_view kNameDesc =
    "Name of the object, unique among objects of its kind (and namespace).";
constexpr std::string_view kAgeDesc = "How long ago the object was created.";
constexpr std::string_view kContainersDesc = "Names of the containers in the pod template.";
constexpr std::string_view kImagesDesc = "Images of the containers in the pod template.";

PrinterColumn col(std::string_view name, std::string_view type, std::string_view description,
                  int priority = 0) {
    PrinterColumn c;
    c.name = std::string(name);
    c.type = std::string(type);
    c.description = std::string(description);
    c.priority = priority;
    return c;
}

PrinterColumn name_col(int priority = 0) {
    auto c = col("Name", "string", kNameDesc, priority);
    c.format = "name";
    return c;
}

PrinterColumn age_col() {
    return col("Age", "string", kAgeDesc);
}

// A row being built: cells plus upstream's row conditions.
struct Row {
    json::array cells;
    json::array conditions;

    void add(const std::string& s) { cells.emplace_back(json::string(s)); }
    void add(const char* s) { cells.emplace_back(json::string(s)); }
    void add(std::int64_t v) { cells.emplace_back(v); }
    void add(bool v) { cells.emplace_back(v); }
};

using CellFn = void (*)(const json::object& o, Time now, Row& row);

struct Printer {
    std::string_view group;
    std::string_view kind;
    std::vector<PrinterColumn> columns;
    CellFn cells;
};

// Names and images of a pod spec's containers, comma-joined.
std::pair<std::string, std::string> container_cells(const json::object* pod_spec) {
    std::vector<std::string> names, images;
    for (const auto* c : objects_in(pod_spec, "containers")) {
        names.push_back(str(c, "name"));
        images.push_back(str(c, "image"));
    }
    return {join(names, ","), join(images, ",")};
}

const json::object* template_spec(const json::object& o) {
    return child(child(child(&o, "spec"), "template"), "spec");
}

// ---------------------------------------------------------------------------------------------
// Pods

bool has_condition_true(const json::object* status, std::string_view type) {
    for (const auto* c : objects_in(status, "conditions")) {
        if (str(c, "type") == type) {
            return str(c, "status") == "True";
        }
    }
    return false;
}

std::optional<Time> finished_at_of_last_termination(const json::object* cs) {
    const auto* t = child(child(cs, "lastState"), "terminated");
    if (t == nullptr) {
        return std::nullopt;
    }
    return parse_timestamp(str(t, "finishedAt"));
}

void keep_latest(std::optional<Time>& latest, std::optional<Time> t) {
    if (t && (!latest || *latest < *t)) {
        latest = t;
    }
}

void print_pod(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    std::int64_t restarts = 0;
    std::int64_t restartable_init_restarts = 0;
    std::int64_t total = static_cast<std::int64_t>(objects_in(spec, "containers").size());
    std::int64_t ready = 0;
    std::optional<Time> last_restart;
    std::optional<Time> last_restartable_init_restart;

    const auto phase = str(status, "phase");
    std::string reason = phase;
    if (!str(status, "reason").empty()) {
        reason = str(status, "reason");
    }
    for (const auto* c : objects_in(status, "conditions")) {
        if (str(c, "type") == "PodScheduled" && str(c, "reason") == "SchedulingGated") {
            reason = "SchedulingGated";
        }
    }
    if (phase == "Succeeded" || phase == "Failed") {
        json::object cond;
        cond["type"] = "Completed";
        cond["status"] = "True";
        cond["reason"] = phase;
        cond["message"] = phase == "Succeeded" ? "The pod finished successfully."
                                               : "The pod finished with a failure.";
        row.conditions.emplace_back(std::move(cond));
    }

    const auto init_specs = objects_in(spec, "initContainers");
    std::set<std::string> restartable_init;
    for (const auto* c : init_specs) {
        if (str(c, "restartPolicy") == "Always") {
            restartable_init.insert(str(c, "name"));
            ++total;
        }
    }

    bool initializing = false;
    const auto init_statuses = objects_in(status, "initContainerStatuses");
    for (std::size_t i = 0; i < init_statuses.size(); ++i) {
        const auto* cs = init_statuses[i];
        const auto count = num_or(cs, "restartCount", 0);
        restarts += count;
        keep_latest(last_restart, finished_at_of_last_termination(cs));
        const bool restartable = restartable_init.count(str(cs, "name")) > 0;
        if (restartable) {
            restartable_init_restarts += count;
            keep_latest(last_restartable_init_restart, finished_at_of_last_termination(cs));
        }
        const auto* state = child(cs, "state");
        const auto* terminated = child(state, "terminated");
        const auto* waiting = child(state, "waiting");
        if (terminated != nullptr && num_or(terminated, "exitCode", 0) == 0) {
            continue;
        }
        if (restartable && flag(cs, "started").value_or(false)) {
            if (flag(cs, "ready").value_or(false)) {
                ++ready;
            }
            continue;
        }
        if (terminated != nullptr) {
            const auto r = str(terminated, "reason");
            if (r.empty()) {
                const auto signal = num_or(terminated, "signal", 0);
                reason = signal != 0
                             ? "Init:Signal:" + std::to_string(signal)
                             : "Init:ExitCode:" + std::to_string(num_or(terminated, "exitCode", 0));
            } else {
                reason = "Init:" + r;
            }
        } else if (waiting != nullptr && !str(waiting, "reason").empty() &&
                   str(waiting, "reason") != "PodInitializing") {
            reason = "Init:" + str(waiting, "reason");
        } else {
            reason = "Init:" + std::to_string(i) + "/" + std::to_string(init_specs.size());
        }
        initializing = true;
        break;
    }

    if (!initializing || has_condition_true(status, "Initialized")) {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        bool has_running = false;
        const auto statuses = objects_in(status, "containerStatuses");
        // Backwards, so that the first container with a reason decides the status.
        for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
            const auto* cs = *it;
            restarts += num_or(cs, "restartCount", 0);
            keep_latest(last_restart, finished_at_of_last_termination(cs));
            const auto* state = child(cs, "state");
            const auto* terminated = child(state, "terminated");
            const auto* waiting = child(state, "waiting");
            if (waiting != nullptr && !str(waiting, "reason").empty()) {
                reason = str(waiting, "reason");
            } else if (terminated != nullptr && !str(terminated, "reason").empty()) {
                reason = str(terminated, "reason");
            } else if (terminated != nullptr) {
                const auto signal = num_or(terminated, "signal", 0);
                reason = signal != 0
                             ? "Signal:" + std::to_string(signal)
                             : "ExitCode:" + std::to_string(num_or(terminated, "exitCode", 0));
            } else if (flag(cs, "ready").value_or(false) && child(state, "running") != nullptr) {
                has_running = true;
                ++ready;
            }
        }
        if (reason == "Completed" && has_running) {
            reason = has_condition_true(status, "Ready") ? "Running" : "NotReady";
        }
    }

    if (deleting(o) && str(status, "reason") == "NodeLost") {
        reason = "Unknown";
    } else if (deleting(o) && phase != "Failed" && phase != "Succeeded") {
        reason = "Terminating";
    }

    std::string restarts_cell = std::to_string(restarts);
    if (restarts != 0 && last_restart) {
        restarts_cell += " (" +
                         human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(
                             now - *last_restart)) +
                         " ago)";
    }

    row.add(name_of(o));
    row.add(std::to_string(ready) + "/" + std::to_string(total));
    row.add(reason);
    row.add(restarts_cell);
    row.add(age_of(o, now));

    std::string ip;
    if (auto ips = objects_in(status, "podIPs"); !ips.empty()) {
        ip = str(ips[0], "ip");
    } else {
        ip = str(status, "podIP");
    }
    const auto node = str(spec, "nodeName");
    const auto nominated = str(status, "nominatedNodeName");
    std::string gates = "<none>";
    if (auto rg = objects_in(spec, "readinessGates"); !rg.empty()) {
        std::size_t true_count = 0;
        for (const auto* g : rg) {
            const auto type = str(g, "conditionType");
            for (const auto* c : objects_in(status, "conditions")) {
                if (str(c, "type") == type) {
                    if (str(c, "status") == "True") {
                        ++true_count;
                    }
                    break;
                }
            }
        }
        gates = std::to_string(true_count) + "/" + std::to_string(rg.size());
    }
    row.add(ip.empty() ? "<none>" : ip);
    row.add(node.empty() ? "<none>" : node);
    row.add(nominated.empty() ? "<none>" : nominated);
    row.add(gates);
}

std::vector<PrinterColumn> pod_columns() {
    return {name_col(),
            col("Ready", "string", "Ready containers out of all containers of the pod."),
            col("Status", "string", "Summary of the pod's phase and its containers' states."),
            col("Restarts", "string",
                "Container restarts in the pod, and how long ago the latest one happened."),
            age_col(),
            col("IP", "string", "The pod's first IP address.", 1),
            col("Node", "string", "The node the pod is bound to.", 1),
            col("Nominated Node", "string",
                "The node the scheduler nominated for the pod while preempting.", 1),
            col("Readiness Gates", "string",
                "Readiness gates whose condition is True, out of all gates.", 1)};
}

// ---------------------------------------------------------------------------------------------
// Workloads

void print_pod_template(const json::object& o, Time, Row& row) {
    const auto* tmpl = child(&o, "template");
    auto [names, images] = container_cells(child(tmpl, "spec"));
    row.add(name_of(o));
    row.add(names);
    row.add(images);
    row.add(format_labels(child(child(tmpl, "metadata"), "labels")));
}

void print_replication_controller(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    row.add(name_of(o));
    row.add(num_or(spec, "replicas", 1));
    row.add(num_or(status, "replicas", 0));
    row.add(num_or(status, "readyReplicas", 0));
    row.add(age_of(o, now));
    auto [names, images] = container_cells(template_spec(o));
    row.add(names);
    row.add(images);
    row.add(format_labels(child(spec, "selector")));
}

void print_replica_set(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    row.add(name_of(o));
    row.add(num_or(spec, "replicas", 1));
    row.add(num_or(status, "replicas", 0));
    row.add(num_or(status, "readyReplicas", 0));
    row.add(age_of(o, now));
    auto [names, images] = container_cells(template_spec(o));
    row.add(names);
    row.add(images);
    row.add(format_label_selector(member(spec, "selector")));
}

void print_deployment(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    row.add(name_of(o));
    row.add(std::to_string(num_or(status, "readyReplicas", 0)) + "/" +
            std::to_string(num_or(spec, "replicas", 1)));
    row.add(num_or(status, "updatedReplicas", 0));
    row.add(num_or(status, "availableReplicas", 0));
    row.add(age_of(o, now));
    auto [names, images] = container_cells(template_spec(o));
    row.add(names);
    row.add(images);
    auto selector = LabelSelector::from_json(member(spec, "selector"));
    row.add(selector.ok() ? selector->to_string() : "<invalid>");
}

void print_stateful_set(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(std::to_string(num_or(child(&o, "status"), "readyReplicas", 0)) + "/" +
            std::to_string(num_or(child(&o, "spec"), "replicas", 1)));
    row.add(age_of(o, now));
    auto [names, images] = container_cells(template_spec(o));
    row.add(names);
    row.add(images);
}

void print_daemon_set(const json::object& o, Time now, Row& row) {
    const auto* status = child(&o, "status");
    row.add(name_of(o));
    row.add(num_or(status, "desiredNumberScheduled", 0));
    row.add(num_or(status, "currentNumberScheduled", 0));
    row.add(num_or(status, "numberReady", 0));
    row.add(num_or(status, "updatedNumberScheduled", 0));
    row.add(num_or(status, "numberAvailable", 0));
    row.add(format_labels(child(template_spec(o), "nodeSelector")));
    row.add(age_of(o, now));
    auto [names, images] = container_cells(template_spec(o));
    row.add(names);
    row.add(images);
    row.add(format_label_selector(member(child(&o, "spec"), "selector")));
}

void print_job(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    const auto succeeded = num_or(status, "succeeded", 0);
    std::string completions;
    if (auto c = num(spec, "completions")) {
        completions = std::to_string(succeeded) + "/" + std::to_string(*c);
    } else {
        const auto parallelism = num_or(spec, "parallelism", 0);
        completions = parallelism > 1
                          ? std::to_string(succeeded) + "/1 of " + std::to_string(parallelism)
                          : std::to_string(succeeded) + "/1";
    }
    std::string duration;
    const auto start = parse_timestamp(str(status, "startTime"));
    const auto completion = parse_timestamp(str(status, "completionTime"));
    if (start) {
        const Time end = completion ? *completion : now;
        duration =
            human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(end - *start));
    }
    std::string state;
    if (has_condition_true(status, "Complete")) {
        state = "Complete";
    } else if (has_condition_true(status, "Failed")) {
        state = "Failed";
    } else if (deleting(o)) {
        state = "Terminating";
    } else if (has_condition_true(status, "Suspended")) {
        state = "Suspended";
    } else if (has_condition_true(status, "FailureTarget")) {
        state = "FailureTarget";
    } else {
        state = "Running";
    }
    row.add(name_of(o));
    row.add(state);
    row.add(completions);
    row.add(duration);
    row.add(age_of(o, now));
    auto [names, images] = container_cells(template_spec(o));
    row.add(names);
    row.add(images);
    row.add(format_label_selector(member(spec, "selector")));
}

void print_cron_job(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    std::string last_schedule = "<none>";
    if (const auto* v = member(status, "lastScheduleTime"); v != nullptr && v->is_string()) {
        last_schedule = translate_timestamp_since(v->get_string(), now);
    }
    std::string suspend = "<unset>";
    if (auto s = flag(spec, "suspend")) {
        suspend = *s ? "True" : "False";
    }
    const auto* job_spec = child(child(spec, "jobTemplate"), "spec");
    row.add(name_of(o));
    row.add(str(spec, "schedule"));
    row.add(member(spec, "timeZone") != nullptr && member(spec, "timeZone")->is_string()
                ? str(spec, "timeZone")
                : std::string("<none>"));
    row.add(suspend);
    row.add(static_cast<std::int64_t>(count_of(status, "active")));
    row.add(last_schedule);
    row.add(age_of(o, now));
    auto [names, images] = container_cells(child(child(job_spec, "template"), "spec"));
    row.add(names);
    row.add(images);
    row.add(format_label_selector(member(job_spec, "selector")));
}

void print_controller_revision(const json::object& o, Time now, Row& row) {
    std::string controller = "<none>";
    for (const auto* ref : objects_in(child(&o, "metadata"), "ownerReferences")) {
        if (!flag(ref, "controller").value_or(false)) {
            continue;
        }
        const auto api_version = str(ref, "apiVersion");
        const auto slash = api_version.find('/');
        const auto group = slash == std::string::npos ? "" : api_version.substr(0, slash);
        const auto kind = str(ref, "kind");
        const auto group_kind = group.empty() ? kind : kind + "." + group;
        controller =
            group_kind.empty() ? str(ref, "name") : lower(group_kind) + "/" + str(ref, "name");
        break;
    }
    row.add(name_of(o));
    row.add(controller);
    row.add(num_or(&o, "revision", 0));
    row.add(age_of(o, now));
}

void print_pdb(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* min = member(spec, "minAvailable");
    const auto* max = member(spec, "maxUnavailable");
    row.add(name_of(o));
    row.add(min != nullptr && !min->is_null() ? int_or_string(min) : std::string("N/A"));
    row.add(max != nullptr && !max->is_null() ? int_or_string(max) : std::string("N/A"));
    row.add(num_or(child(&o, "status"), "disruptionsAllowed", 0));
    row.add(age_of(o, now));
}

void print_hpa(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    const auto* target_ref = child(spec, "scaleTargetRef");
    std::string metrics;
    const auto specs = objects_in(spec, "metrics");
    if (member(spec, "metrics") == nullptr) {
        // autoscaling/v1: one CPU utilization target, 80% when unset (v2's default).
        const auto target = num_or(spec, "targetCPUUtilizationPercentage", 80);
        std::string current = "<unknown>";
        if (auto c = num(status, "currentCPUUtilizationPercentage")) {
            current = std::to_string(*c) + "%";
        }
        metrics = "cpu: " + current + "/" + std::to_string(target) + "%";
    } else if (specs.empty()) {
        metrics = "<none>";
    } else {
        const auto statuses = objects_in(status, "currentMetrics");
        std::vector<std::string> items;
        for (std::size_t i = 0; i < specs.size(); ++i) {
            const auto* m = specs[i];
            const auto type = str(m, "type");
            const json::object* st = i < statuses.size() ? statuses[i] : nullptr;
            if (type == "External" || type == "Object") {
                const auto key = type == "External" ? "external" : "object";
                const auto* target = child(child(m, key), "target");
                const auto* cur = child(child(st, key), "current");
                if (member(target, "averageValue") != nullptr) {
                    std::string current = "<unknown>";
                    if (cur != nullptr && member(cur, "averageValue") != nullptr) {
                        current = quantity_string(member(cur, "averageValue"));
                    }
                    items.push_back(current + "/" +
                                    quantity_string(member(target, "averageValue")) + " (avg)");
                } else {
                    std::string current = "<unknown>";
                    if (child(st, key) != nullptr) {
                        current = quantity_string(member(cur, "value"), "0");
                    }
                    items.push_back(current + "/" + quantity_string(member(target, "value"), "0"));
                }
            } else if (type == "Pods") {
                std::string current = "<unknown>";
                if (child(st, "pods") != nullptr) {
                    current = quantity_string(
                        member(child(child(st, "pods"), "current"), "averageValue"));
                }
                items.push_back(
                    current + "/" +
                    quantity_string(member(child(child(m, "pods"), "target"), "averageValue")));
            } else if (type == "Resource" || type == "ContainerResource") {
                const auto key = type == "Resource" ? "resource" : "containerResource";
                const auto* source = child(m, key);
                const auto* target = child(source, "target");
                const auto* cur_source = child(st, key);
                const auto* cur = child(cur_source, "current");
                const auto name = str(source, "name");
                if (member(target, "averageValue") != nullptr) {
                    std::string current = "<unknown>";
                    if (cur_source != nullptr) {
                        current = quantity_string(member(cur, "averageValue"));
                    }
                    items.push_back(name + ": " + current + "/" +
                                    quantity_string(member(target, "averageValue")));
                } else {
                    std::string current = "<unknown>";
                    if (auto u = num(cur, "averageUtilization"); cur_source != nullptr && u) {
                        current = std::to_string(*u) + "%";
                    }
                    std::string goal = "<auto>";
                    if (auto u = num(target, "averageUtilization")) {
                        goal = std::to_string(*u) + "%";
                    }
                    items.push_back(name + ": " + current + "/" + goal);
                }
            } else {
                items.push_back("<unknown type>");
            }
        }
        constexpr std::size_t kMax = 2;
        const std::size_t count = items.size();
        if (count > kMax) {
            items.resize(kMax);
        }
        metrics = join(items, ", ");
        if (count > kMax) {
            metrics += " + " + std::to_string(count - kMax) + " more...";
        }
    }
    row.add(name_of(o));
    row.add(str(target_ref, "kind") + "/" + str(target_ref, "name"));
    row.add(metrics);
    row.add(std::to_string(num_or(spec, "minReplicas", 1)));
    row.add(num_or(spec, "maxReplicas", 0));
    row.add(num_or(status, "currentReplicas", 0));
    row.add(age_of(o, now));
}

// ---------------------------------------------------------------------------------------------
// Services and networking

void print_service(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    auto type = str(spec, "type");
    if (type.empty()) {
        type = "ClusterIP";
    }
    std::string cluster_ip = "<none>";
    if (auto ips = strings_in(spec, "clusterIPs"); !ips.empty()) {
        cluster_ip = ips[0];
    } else if (!str(spec, "clusterIP").empty()) {
        cluster_ip = str(spec, "clusterIP");
    }
    const auto external_ips = strings_in(spec, "externalIPs");
    std::string external;
    if (type == "ClusterIP" || type == "NodePort") {
        external = external_ips.empty() ? "<none>" : join(external_ips, ",");
    } else if (type == "LoadBalancer") {
        std::set<std::string> lb;
        for (const auto* in : objects_in(child(child(&o, "status"), "loadBalancer"), "ingress")) {
            if (!str(in, "ip").empty()) {
                lb.insert(str(in, "ip"));
            } else if (!str(in, "hostname").empty()) {
                lb.insert(str(in, "hostname"));
            }
        }
        std::vector<std::string> all(lb.begin(), lb.end());
        if (!external_ips.empty()) {
            all.insert(all.end(), external_ips.begin(), external_ips.end());
            external = join(all, ",");
        } else {
            external = all.empty() ? "<pending>" : join(all, ",");
        }
    } else if (type == "ExternalName") {
        external = str(spec, "externalName");
    } else {
        external = "<unknown>";
    }
    std::vector<std::string> ports;
    for (const auto* p : objects_in(spec, "ports")) {
        const auto protocol = str(p, "protocol", "TCP");
        const auto node_port = num_or(p, "nodePort", 0);
        ports.push_back(std::to_string(num_or(p, "port", 0)) +
                        (node_port > 0 ? ":" + std::to_string(node_port) : "") + "/" + protocol);
    }
    auto ports_cell = join(ports, ",");
    row.add(name_of(o));
    row.add(type);
    row.add(cluster_ip);
    row.add(external);
    row.add(ports_cell.empty() ? "<none>" : ports_cell);
    row.add(age_of(o, now));
    row.add(format_labels(child(spec, "selector")));
}

void print_endpoints(const json::object& o, Time now, Row& row) {
    const auto subsets = objects_in(&o, "subsets");
    std::string cell;
    if (subsets.empty()) {
        cell = "<none>";
    } else {
        constexpr std::size_t kMax = 3;
        std::vector<std::string> items;
        bool more = false;
        std::size_t count = 0;
        for (const auto* ss : subsets) {
            const auto addresses = objects_in(ss, "addresses");
            const auto ports = objects_in(ss, "ports");
            if (ports.empty()) {
                // Headless services may have no ports.
                count += addresses.size();
                for (const auto* a : addresses) {
                    if (items.size() == kMax) {
                        more = true;
                        break;
                    }
                    items.push_back(str(a, "ip"));
                }
                continue;
            }
            for (const auto* p : ports) {
                count += addresses.size();
                for (const auto* a : addresses) {
                    if (items.size() == kMax) {
                        more = true;
                        break;
                    }
                    items.push_back(join_host_port(str(a, "ip"), num_or(p, "port", 0)));
                }
            }
        }
        cell = join(items, ",");
        if (more) {
            cell += " + " + std::to_string(count - kMax) + " more...";
        }
    }
    row.add(name_of(o));
    row.add(cell);
    row.add(age_of(o, now));
}

void print_endpoint_slice(const json::object& o, Time now, Row& row) {
    constexpr std::size_t kMax = 3;
    std::vector<std::string> ports;
    bool more = false;
    std::size_t count = 0;
    for (const auto* p : objects_in(&o, "ports")) {
        if (ports.size() < kMax) {
            if (auto n = num(p, "port")) {
                ports.push_back(std::to_string(*n));
            } else if (const auto* nm = member(p, "name"); nm != nullptr && nm->is_string()) {
                ports.push_back(std::string(nm->get_string()));
            } else {
                ports.push_back("*");
            }
        } else if (ports.size() == kMax) {
            more = true;
        }
        ++count;
    }
    const auto ports_cell = list_with_more(ports, more, count, kMax, "<unset>");
    std::vector<std::string> addresses;
    more = false;
    count = 0;
    for (const auto* e : objects_in(&o, "endpoints")) {
        for (const auto& a : strings_in(e, "addresses")) {
            if (addresses.size() < kMax) {
                addresses.push_back(a);
            } else if (addresses.size() == kMax) {
                more = true;
            }
            ++count;
        }
    }
    row.add(name_of(o));
    row.add(str(&o, "addressType"));
    row.add(ports_cell);
    row.add(list_with_more(addresses, more, count, kMax, "<unset>"));
    row.add(age_of(o, now));
}

void print_ingress(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    std::string class_name = "<none>";
    if (const auto* c = member(spec, "ingressClassName"); c != nullptr && c->is_string()) {
        class_name = std::string(c->get_string());
    }
    constexpr std::size_t kMax = 3;
    const auto rules = objects_in(spec, "rules");
    std::vector<std::string> hosts;
    bool more = false;
    for (const auto* r : rules) {
        if (hosts.size() == kMax) {
            more = true;
        }
        if (!more && !str(r, "host").empty()) {
            hosts.push_back(str(r, "host"));
        }
    }
    std::string hosts_cell;
    if (hosts.empty()) {
        hosts_cell = "*";
    } else {
        hosts_cell = join(hosts, ",");
        if (more) {
            hosts_cell += " + " + std::to_string(rules.size() - kMax) + " more...";
        }
    }
    std::set<std::string> lb;
    for (const auto* in : objects_in(child(child(&o, "status"), "loadBalancer"), "ingress")) {
        if (!str(in, "ip").empty()) {
            lb.insert(str(in, "ip"));
        } else if (!str(in, "hostname").empty()) {
            lb.insert(str(in, "hostname"));
        }
    }
    row.add(name_of(o));
    row.add(class_name);
    row.add(hosts_cell);
    row.add(join(std::vector<std::string>(lb.begin(), lb.end()), ","));
    row.add(count_of(spec, "tls") > 0 ? "80, 443" : "80");
    row.add(age_of(o, now));
}

void print_ingress_class(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    std::string parameters = "<none>";
    if (const auto* p = child(spec, "parameters")) {
        parameters = str(p, "kind");
        if (const auto* g = member(p, "apiGroup"); g != nullptr && g->is_string()) {
            parameters += "." + std::string(g->get_string());
        }
        parameters += "/" + str(p, "name");
    }
    row.add(name_of(o));
    row.add(str(spec, "controller"));
    row.add(parameters);
    row.add(age_of(o, now));
}

void print_network_policy(const json::object& o, Time now, Row& row) {
    // podSelector is a struct upstream: absent means the empty selector.
    static const json::value kEmpty = json::object();
    const auto* selector = member(child(&o, "spec"), "podSelector");
    row.add(name_of(o));
    row.add(
        format_label_selector(selector != nullptr && !selector->is_null() ? selector : &kEmpty));
    row.add(age_of(o, now));
}

// ---------------------------------------------------------------------------------------------
// Cluster and configuration kinds

void print_node(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    std::vector<std::string> state;
    // The last Ready condition wins, as the upstream printer's map does.
    const json::object* ready = nullptr;
    for (const auto* c : objects_in(status, "conditions")) {
        if (str(c, "type") == "Ready") {
            ready = c;
        }
    }
    if (ready != nullptr) {
        state.push_back(str(ready, "status") == "True" ? "Ready" : "NotReady");
    } else {
        state.push_back("Unknown");
    }
    if (flag(spec, "unschedulable").value_or(false)) {
        state.push_back("SchedulingDisabled");
    }
    std::set<std::string> roles;
    if (const auto* labels = child(child(&o, "metadata"), "labels")) {
        constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
        for (const auto& kv : *labels) {
            const std::string_view key = kv.key();
            if (key.substr(0, kRolePrefix.size()) == kRolePrefix) {
                if (key.size() > kRolePrefix.size()) {
                    roles.insert(std::string(key.substr(kRolePrefix.size())));
                }
            } else if (key == "kubernetes.io/role" && kv.value().is_string() &&
                       !kv.value().get_string().empty()) {
                roles.insert(std::string(kv.value().get_string()));
            }
        }
    }
    const auto roles_cell = join(std::vector<std::string>(roles.begin(), roles.end()), ",");
    const auto* info = child(status, "nodeInfo");
    const auto address = [&](std::string_view type) {
        for (const auto* a : objects_in(status, "addresses")) {
            if (str(a, "type") == type) {
                return str(a, "address");
            }
        }
        return std::string("<none>");
    };
    const auto or_unknown = [](std::string s) { return s.empty() ? "<unknown>" : s; };
    row.add(name_of(o));
    row.add(join(state, ","));
    row.add(roles_cell.empty() ? "<none>" : roles_cell);
    row.add(age_of(o, now));
    row.add(str(info, "kubeletVersion"));
    row.add(address("InternalIP"));
    row.add(address("ExternalIP"));
    row.add(or_unknown(str(info, "osImage")));
    row.add(or_unknown(str(info, "kernelVersion")));
    row.add(or_unknown(str(info, "containerRuntimeVersion")));
}

void print_namespace(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(str(child(&o, "status"), "phase"));
    row.add(age_of(o, now));
}

void print_config_map(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(static_cast<std::int64_t>(count_of(&o, "data") + count_of(&o, "binaryData")));
    row.add(age_of(o, now));
}

void print_secret(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(str(&o, "type", "Opaque"));
    row.add(static_cast<std::int64_t>(count_of(&o, "data")));
    row.add(age_of(o, now));
}

void print_service_account(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(static_cast<std::int64_t>(count_of(&o, "secrets")));
    row.add(age_of(o, now));
}

// Event fields by API: core/v1 Event and its events.k8s.io/v1 twin.
struct EventFields {
    std::string_view involved, message, source, first, last, count;
};
constexpr EventFields kCoreEvent{"involvedObject", "message",       "source",
                                 "firstTimestamp", "lastTimestamp", "count"};
constexpr EventFields kEventsEvent{"regarding",
                                   "note",
                                   "deprecatedSource",
                                   "deprecatedFirstTimestamp",
                                   "deprecatedLastTimestamp",
                                   "deprecatedCount"};

void print_event_with(const EventFields& f, const json::object& o, Time now, Row& row) {
    const auto since = [&](std::string_view ts) { return translate_timestamp_since(ts, now); };
    std::string first = since(str(&o, f.first));
    if (str(&o, f.first).empty()) {
        first = since(str(&o, "eventTime"));
    }
    std::string last = since(str(&o, f.last));
    if (str(&o, f.last).empty()) {
        last = first;
    }
    std::int64_t count = num_or(&o, f.count, 0);
    if (const auto* series = child(&o, "series")) {
        last = since(str(series, "lastObservedTime"));
        count = num_or(series, "count", 0);
    } else if (count == 0) {
        count = 1;  // singleton events of the new API have no count
    }
    const auto* involved = child(&o, f.involved);
    const auto kind = lower(str(involved, "kind"));
    const auto target = str(involved, "name").empty() ? kind : kind + "/" + str(involved, "name");
    const auto* source = child(&o, f.source);
    const auto component = !str(source, "component").empty() ? str(source, "component")
                                                             : str(&o, "reportingController");
    const auto host =
        !str(source, "host").empty() ? str(source, "host") : str(&o, "reportingInstance");
    row.add(last);
    row.add(str(&o, "type"));
    row.add(str(&o, "reason"));
    row.add(target);
    row.add(str(involved, "fieldPath"));
    row.add(host.empty() ? component : component + ", " + host);
    row.add(trim_space(str(&o, f.message)));
    row.add(first);
    row.add(count);
    row.add(name_of(o));
}

void print_core_event(const json::object& o, Time now, Row& row) {
    print_event_with(kCoreEvent, o, now, row);
}

void print_events_event(const json::object& o, Time now, Row& row) {
    print_event_with(kEventsEvent, o, now, row);
}

std::vector<PrinterColumn> event_columns() {
    auto name = name_col(1);
    return {col("Last Seen", "string", "How long ago the event was last observed."),
            col("Type", "string", "Event type: Normal or Warning."),
            col("Reason", "string", "Short machine-readable cause of the event."),
            col("Object", "string", "The object the event is about, as kind/name."),
            col("Subobject", "string",
                "The part of the object the event is about, e.g. a container.", 1),
            col("Source", "string", "The component (and host) that reported the event.", 1),
            col("Message", "string", "Human-readable description of the event."),
            col("First Seen", "string", "How long ago the event was first observed.", 1),
            col("Count", "string", "How many times the event occurred.", 1),
            name};
}

std::string access_modes(const std::vector<std::string>& modes) {
    const auto has = [&](std::string_view m) {
        return std::find(modes.begin(), modes.end(), m) != modes.end();
    };
    std::vector<std::string> out;
    if (has("ReadWriteOnce")) {
        out.push_back("RWO");
    }
    if (has("ReadOnlyMany")) {
        out.push_back("ROX");
    }
    if (has("ReadWriteMany")) {
        out.push_back("RWX");
    }
    if (has("ReadWriteOncePod")) {
        out.push_back("RWOP");
    }
    return join(out, ",");
}

// The storage class of a PV or PVC: the beta annotation wins over spec.storageClassName.
std::string storage_class_of(const json::object& o) {
    const auto* annotations = child(child(&o, "metadata"), "annotations");
    if (const auto* a = member(annotations, "volume.beta.kubernetes.io/storage-class");
        a != nullptr && a->is_string()) {
        return std::string(a->get_string());
    }
    return str(child(&o, "spec"), "storageClassName");
}

std::string string_or_unset(const json::object* o, std::string_view key) {
    const auto* v = member(o, key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "<unset>";
}

void print_persistent_volume(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    std::string claim;
    if (const auto* ref = child(spec, "claimRef")) {
        claim = str(ref, "namespace") + "/" + str(ref, "name");
    }
    auto phase = str(status, "phase");
    if (deleting(o)) {
        phase = "Terminating";
    }
    row.add(name_of(o));
    row.add(quantity_string(member(child(spec, "capacity"), "storage"), "0"));
    row.add(access_modes(strings_in(spec, "accessModes")));
    row.add(str(spec, "persistentVolumeReclaimPolicy"));
    row.add(phase);
    row.add(claim);
    row.add(storage_class_of(o));
    row.add(string_or_unset(spec, "volumeAttributesClassName"));
    row.add(str(status, "reason"));
    row.add(age_of(o, now));
    row.add(string_or_unset(spec, "volumeMode"));
}

void print_persistent_volume_claim(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    auto phase = str(status, "phase");
    if (deleting(o)) {
        phase = "Terminating";
    }
    std::string capacity, modes;
    if (!str(spec, "volumeName").empty()) {
        modes = access_modes(strings_in(status, "accessModes"));
        capacity = quantity_string(member(child(status, "capacity"), "storage"), "0");
    }
    row.add(name_of(o));
    row.add(phase);
    row.add(str(spec, "volumeName"));
    row.add(capacity);
    row.add(modes);
    row.add(storage_class_of(o));
    row.add(string_or_unset(spec, "volumeAttributesClassName"));
    row.add(age_of(o, now));
    row.add(string_or_unset(spec, "volumeMode"));
}

void print_resource_quota(const json::object& o, Time now, Row& row) {
    const auto* status = child(&o, "status");
    const auto* hard = child(status, "hard");
    const auto* used = child(status, "used");
    std::vector<std::string> names;
    if (hard != nullptr) {
        for (const auto& kv : *hard) {
            names.emplace_back(kv.key());
        }
    }
    std::sort(names.begin(), names.end());
    std::string requests, limits;
    for (const auto& n : names) {
        auto& out = n.rfind("limits.", 0) == 0 ? limits : requests;
        out += n + ": " + quantity_string(member(used, n), "0") + "/" +
               quantity_string(member(hard, n), "0") + ", ";
    }
    const auto chop = [](std::string s) {
        if (s.size() >= 2) {
            s.resize(s.size() - 2);
        }
        return s;
    };
    row.add(name_of(o));
    row.add(chop(requests));
    row.add(chop(limits));
    row.add(age_of(o, now));
}

void print_lease(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(str(child(&o, "spec"), "holderIdentity"));
    row.add(age_of(o, now));
}

void print_storage_class(const json::object& o, Time now, Row& row) {
    const auto* annotations = child(child(&o, "metadata"), "annotations");
    auto name = name_of(o);
    if (str(annotations, "storageclass.kubernetes.io/is-default-class") == "true" ||
        str(annotations, "storageclass.beta.kubernetes.io/is-default-class") == "true") {
        name += " (default)";
    }
    row.add(name);
    row.add(str(&o, "provisioner"));
    row.add(str(&o, "reclaimPolicy", "Delete"));
    row.add(str(&o, "volumeBindingMode", "Immediate"));
    row.add(flag(&o, "allowVolumeExpansion").value_or(false));
    row.add(age_of(o, now));
}

void print_priority_class(const json::object& o, Time now, Row& row) {
    row.add(name_of(o));
    row.add(num_or(&o, "value", 0));
    row.add(flag(&o, "globalDefault").value_or(false));
    row.add(age_of(o, now));
    row.add(str(&o, "preemptionPolicy"));
}

void print_binding(const json::object& o, Time now, Row& row) {
    const auto* ref = child(&o, "roleRef");
    std::vector<std::string> users, groups, sas;
    for (const auto* s : objects_in(&o, "subjects")) {
        const auto kind = str(s, "kind");
        if (kind == "ServiceAccount") {
            sas.push_back(str(s, "namespace") + "/" + str(s, "name"));
        } else if (kind == "User") {
            users.push_back(str(s, "name"));
        } else if (kind == "Group") {
            groups.push_back(str(s, "name"));
        }
    }
    row.add(name_of(o));
    row.add(str(ref, "kind") + "/" + str(ref, "name"));
    row.add(age_of(o, now));
    row.add(join(users, ", "));
    row.add(join(groups, ", "));
    row.add(join(sas, ", "));
}

std::vector<PrinterColumn> binding_columns(std::string_view what) {
    const std::string w(what);
    return {name_col(),
            col("Role", "string", "The role the binding grants, as kind/name."),
            age_col(),
            col("Users", "string", "Users the " + w + " binds.", 1),
            col("Groups", "string", "Groups the " + w + " binds.", 1),
            col("ServiceAccounts", "string", "Service accounts the " + w + " binds.", 1)};
}

void print_csr(const json::object& o, Time now, Row& row) {
    const auto* spec = child(&o, "spec");
    const auto* status = child(&o, "status");
    bool approved = false, denied = false, failed = false;
    for (const auto* c : objects_in(status, "conditions")) {
        const auto type = str(c, "type");
        approved = approved || type == "Approved";
        denied = denied || type == "Denied";
        failed = failed || type == "Failed";
    }
    std::string condition = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) {
        condition += ",Failed";
    }
    if (!str(status, "certificate").empty()) {
        condition += ",Issued";
    }
    std::string duration = "<none>";
    if (auto s = num(spec, "expirationSeconds")) {
        duration = human_duration(std::chrono::seconds(*s));
    }
    const auto signer = str(spec, "signerName");
    row.add(name_of(o));
    row.add(age_of(o, now));
    row.add(signer.empty() ? "<none>" : signer);
    row.add(str(spec, "username"));
    row.add(duration);
    row.add(condition);
}

// ---------------------------------------------------------------------------------------------
// The printers by group and kind

const std::vector<Printer>& printers() {
    static const std::vector<Printer> kPrinters = [] {
        std::vector<Printer> p;
        const auto containers = col("Containers", "string", kContainersDesc, 1);
        const auto images = col("Images", "string", kImagesDesc, 1);
        const auto selector = [](std::string_view what) {
            return col("Selector", "string",
                       "Label selector of the pods " + std::string(what) + ".", 1);
        };
        p.push_back({"", "Pod", pod_columns(), print_pod});
        p.push_back({"",
                     "PodTemplate",
                     {name_col(), col("Containers", "string", kContainersDesc),
                      col("Images", "string", kImagesDesc),
                      col("Pod Labels", "string", "Labels of the pod template.")},
                     print_pod_template});
        p.push_back({"",
                     "ReplicationController",
                     {name_col(), col("Desired", "integer", "Number of pods wanted."),
                      col("Current", "integer", "Number of pods that exist."),
                      col("Ready", "integer", "Number of ready pods."), age_col(), containers,
                      images, selector("the controller manages")},
                     print_replication_controller});
        p.push_back({"",
                     "Service",
                     {name_col(), col("Type", "string", "How the service is exposed."),
                      col("Cluster-IP", "string", "The service's virtual IP in the cluster."),
                      col("External-IP", "string",
                          "Addresses the service is reachable at from outside the cluster."),
                      col("Port(s)", "string", "The service's ports, with node ports."), age_col(),
                      selector("that back the service")},
                     print_service});
        p.push_back(
            {"",
             "Endpoints",
             {name_col(), col("Endpoints", "string", "Addresses and ports of the endpoints."),
              age_col()},
             print_endpoints});
        p.push_back({"",
                     "Node",
                     {name_col(), col("Status", "string", "Readiness of the node."),
                      col("Roles", "string", "Roles of the node, from its labels."), age_col(),
                      col("Version", "string", "Version of the node's kubelet."),
                      col("Internal-IP", "string", "The node's internal address.", 1),
                      col("External-IP", "string", "The node's external address.", 1),
                      col("OS-Image", "string", "Operating system of the node.", 1),
                      col("Kernel-Version", "string", "Kernel version of the node.", 1),
                      col("Container-Runtime", "string",
                          "Container runtime of the node and its version.", 1)},
                     print_node});
        p.push_back({"", "Event", event_columns(), print_core_event});
        p.push_back({"events.k8s.io", "Event", event_columns(), print_events_event});
        p.push_back({"",
                     "Namespace",
                     {name_col(), col("Status", "string", "Phase of the namespace."), age_col()},
                     print_namespace});
        p.push_back({"",
                     "Secret",
                     {name_col(), col("Type", "string", "Type of the secret's data."),
                      col("Data", "string", "Number of keys in the secret."), age_col()},
                     print_secret});
        p.push_back(
            {"",
             "ServiceAccount",
             {name_col(), col("Secrets", "string", "Number of secrets listed by the account."),
              age_col()},
             print_service_account});
        p.push_back(
            {"",
             "PersistentVolume",
             {name_col(), col("Capacity", "string", "Storage size of the volume."),
              col("Access Modes", "string", "Ways the volume can be mounted."),
              col("Reclaim Policy", "string", "What happens to the volume once released."),
              col("Status", "string", "Phase of the volume."),
              col("Claim", "string", "The claim bound to the volume, as namespace/name."),
              col("StorageClass", "string", "Storage class of the volume."),
              col("VolumeAttributesClass", "string", "Volume attributes class of the volume."),
              col("Reason", "string", "Why the volume is in its phase, if failed."), age_col(),
              col("VolumeMode", "string", "Filesystem or Block.", 1)},
             print_persistent_volume});
        p.push_back(
            {"",
             "PersistentVolumeClaim",
             {name_col(), col("Status", "string", "Phase of the claim."),
              col("Volume", "string", "The volume bound to the claim."),
              col("Capacity", "string", "Storage size of the bound volume."),
              col("Access Modes", "string", "Ways the bound volume can be mounted."),
              col("StorageClass", "string", "Storage class of the claim."),
              col("VolumeAttributesClass", "string", "Volume attributes class of the claim."),
              age_col(), col("VolumeMode", "string", "Filesystem or Block.", 1)},
             print_persistent_volume_claim});
        p.push_back(
            {"",
             "ConfigMap",
             {name_col(), col("Data", "string", "Number of keys in the config map."), age_col()},
             print_config_map});
        p.push_back(
            {"",
             "ResourceQuota",
             {name_col(), col("Request", "string", "Used and hard amounts of requests and counts."),
              col("Limit", "string", "Used and hard amounts of limits."), age_col()},
             print_resource_quota});
        p.push_back({"apps",
                     "Deployment",
                     {name_col(), col("Ready", "string", "Ready pods out of desired pods."),
                      col("Up-to-date", "string", "Pods running the latest template."),
                      col("Available", "string", "Pods available to serve."), age_col(), containers,
                      images, selector("the deployment manages")},
                     print_deployment});
        p.push_back({"apps",
                     "ReplicaSet",
                     {name_col(), col("Desired", "integer", "Number of pods wanted."),
                      col("Current", "integer", "Number of pods that exist."),
                      col("Ready", "integer", "Number of ready pods."), age_col(), containers,
                      images, selector("the replica set manages")},
                     print_replica_set});
        p.push_back(
            {"apps",
             "DaemonSet",
             {name_col(), col("Desired", "integer", "Nodes that should run the daemon pod."),
              col("Current", "integer", "Nodes running the daemon pod."),
              col("Ready", "integer", "Nodes with a ready daemon pod."),
              col("Up-to-date", "integer", "Nodes running the latest template."),
              col("Available", "integer", "Nodes with an available daemon pod."),
              col("Node Selector", "string", "Labels a node needs to run the pod."), age_col(),
              containers, images, selector("the daemon set manages")},
             print_daemon_set});
        p.push_back({"apps",
                     "StatefulSet",
                     {name_col(), col("Ready", "string", "Ready pods out of desired pods."),
                      age_col(), containers, images},
                     print_stateful_set});
        p.push_back({"apps",
                     "ControllerRevision",
                     {name_col(), col("Controller", "string", "The object that owns the revision."),
                      col("Revision", "string", "Revision number."), age_col()},
                     print_controller_revision});
        p.push_back({"batch",
                     "Job",
                     {name_col(), col("Status", "string", "State of the job."),
                      col("Completions", "string", "Succeeded pods out of completions wanted."),
                      col("Duration", "string", "How long the job ran or has been running."),
                      age_col(), containers, images, selector("the job manages")},
                     print_job});
        p.push_back({"batch",
                     "CronJob",
                     {name_col(), col("Schedule", "string", "Cron schedule of the job."),
                      col("Timezone", "string", "Time zone of the schedule."),
                      col("Suspend", "boolean", "Whether scheduling is suspended."),
                      col("Active", "integer", "Number of running jobs."),
                      col("Last Schedule", "string", "How long ago a job was last scheduled."),
                      age_col(), containers, images, selector("the jobs manage")},
                     print_cron_job});
        p.push_back({"autoscaling",
                     "HorizontalPodAutoscaler",
                     {name_col(), col("Reference", "string", "The scaled object, as kind/name."),
                      col("Targets", "string", "Current and target metric values."),
                      col("MinPods", "string", "Lower limit of replicas."),
                      col("MaxPods", "string", "Upper limit of replicas."),
                      col("Replicas", "string", "Current number of replicas."), age_col()},
                     print_hpa});
        p.push_back(
            {"policy",
             "PodDisruptionBudget",
             {name_col(), col("Min Available", "string", "Pods that must stay available."),
              col("Max Unavailable", "string", "Pods that may be unavailable."),
              col("Allowed Disruptions", "integer", "Pods that may be disrupted right now."),
              age_col()},
             print_pdb});
        p.push_back({"discovery.k8s.io",
                     "EndpointSlice",
                     {name_col(), col("AddressType", "string", "IPv4, IPv6 or FQDN."),
                      col("Ports", "string", "Ports of the slice."),
                      col("Endpoints", "string", "Addresses of the endpoints."), age_col()},
                     print_endpoint_slice});
        p.push_back(
            {"coordination.k8s.io",
             "Lease",
             {name_col(), col("Holder", "string", "Who currently holds the lease."), age_col()},
             print_lease});
        p.push_back({"networking.k8s.io",
                     "Ingress",
                     {name_col(), col("Class", "string", "The ingress class that implements it."),
                      col("Hosts", "string", "Host names the rules match."),
                      col("Address", "string", "Addresses of the load balancer."),
                      col("Ports", "string", "Ports the ingress serves."), age_col()},
                     print_ingress});
        p.push_back(
            {"networking.k8s.io",
             "IngressClass",
             {name_col(), col("Controller", "string", "The controller that implements the class."),
              col("Parameters", "string", "Object holding extra configuration."), age_col()},
             print_ingress_class});
        p.push_back({"networking.k8s.io",
                     "NetworkPolicy",
                     {name_col(),
                      col("Pod-Selector", "string", "Label selector of the pods it applies to."),
                      age_col()},
                     print_network_policy});
        p.push_back(
            {"storage.k8s.io",
             "StorageClass",
             {name_col(), col("Provisioner", "string", "The volume provisioner."),
              col("ReclaimPolicy", "string", "Reclaim policy of provisioned volumes."),
              col("VolumeBindingMode", "string", "When volumes are bound and provisioned."),
              col("AllowVolumeExpansion", "string", "Whether volumes can be expanded."), age_col()},
             print_storage_class});
        p.push_back(
            {"scheduling.k8s.io",
             "PriorityClass",
             {name_col(), col("Value", "integer", "Priority given to pods."),
              col("Global-Default", "boolean", "Whether pods without a class get this one."),
              age_col(),
              col("PreemptionPolicy", "string", "Whether pods of the class may preempt others.")},
             print_priority_class});
        p.push_back(
            {"rbac.authorization.k8s.io", "RoleBinding", binding_columns("role"), print_binding});
        p.push_back({"rbac.authorization.k8s.io", "ClusterRoleBinding",
                     binding_columns("cluster role"), print_binding});
        p.push_back({"certificates.k8s.io",
                     "CertificateSigningRequest",
                     {name_col(), age_col(),
                      col("SignerName", "string", "The signer asked to sign the request."),
                      col("Requestor", "string", "The user who made the request."),
                      col("RequestedDuration", "string", "Validity asked for the certificate."),
                      col("Condition", "string", "Approval state of the request.")},
                     print_csr});
        return p;
    }();
    return kPrinters;
}

const Printer* printer_for(const ResourceType& type) {
    if (type.custom) {
        return nullptr;
    }
    for (const auto& p : printers()) {
        if (p.group == type.gv.group && p.kind == type.kind) {
            return &p;
        }
    }
    return nullptr;
}

// Custom columns (CRD or registry-provided), or nullopt for the default convertor.
std::optional<std::vector<PrinterColumn>> custom_columns(const ResourceType& type) {
    if (!type.custom && type.columns.empty()) {
        return std::nullopt;
    }
    std::vector<PrinterColumn> out{name_col()};
    if (type.columns.empty()) {
        auto age = col("Age", "date", kAgeDesc);
        age.json_path = ".metadata.creationTimestamp";
        out.push_back(std::move(age));
        return out;
    }
    for (auto c : type.columns) {
        if (c.description.empty()) {
            c.description = "Printer column over the JSONPath " + c.json_path + ".";
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<PrinterColumn> default_columns() {
    return {name_col(), col("Created At", "date", "When the object was created (UTC).")};
}

// Computes rows of one type; JSONPaths are parsed once.
class RowMaker {
public:
    explicit RowMaker(const ResourceType& type) : printer_(printer_for(type)) {
        if (printer_ != nullptr) {
            columns_ = &printer_->columns;
            return;
        }
        if (auto custom = custom_columns(type)) {
            owned_ = std::move(*custom);
            custom_ = true;
            for (std::size_t i = 1; i < owned_.size(); ++i) {
                auto p = JsonPath::parse(owned_[i].json_path);
                paths_.push_back(p.ok() ? std::optional<JsonPath>(std::move(*p)) : std::nullopt);
            }
        } else {
            owned_ = default_columns();
        }
        columns_ = &owned_;
    }
    RowMaker(const RowMaker&) = delete;
    RowMaker& operator=(const RowMaker&) = delete;

    const std::vector<PrinterColumn>& columns() const { return *columns_; }

    Row row(const json::object& o, Time now) const {
        Row row;
        if (printer_ != nullptr) {
            printer_->cells(o, now, row);
        } else if (custom_) {
            row.add(name_of(o));
            for (std::size_t i = 0; i < paths_.size(); ++i) {
                row.cells.push_back(
                    custom_cell(owned_[i + 1], paths_[i] ? &*paths_[i] : nullptr, o, now));
            }
        } else {
            row.add(name_of(o));
            const auto created = parse_timestamp(str(child(&o, "metadata"), "creationTimestamp"));
            row.add(created ? format_rfc3339(*created) : std::string("0001-01-01T00:00:00Z"));
        }
        return row;
    }

private:
    const Printer* printer_;
    std::vector<PrinterColumn> owned_;  // unless a built-in printer's columns are used
    const std::vector<PrinterColumn>* columns_ = nullptr;
    bool custom_ = false;
    std::vector<std::optional<JsonPath>> paths_;
};

}  // namespace

std::vector<PrinterColumn> table_columns(const ResourceType& type) {
    return RowMaker(type).columns();
}

json::array table_cells(const ResourceType& type, const json::object& object, Time now) {
    return RowMaker(type).row(object, now).cells;
}

base::Result<IncludeObject> parse_include_object(std::string_view value) {
    if (value.empty() || value == "Metadata") {
        return IncludeObject::Metadata;
    }
    if (value == "None") {
        return IncludeObject::None;
    }
    if (value == "Object") {
        return IncludeObject::Object;
    }
    return base::bad_request("unrecognized includeObject value: \"" + std::string(value) + "\"");
}

std::optional<std::string> table_api_version(std::string_view accept) {
    struct Range {
        double q = 1;
        std::string type;
        std::map<std::string, std::string> params;
    };
    std::vector<Range> ranges;
    std::size_t start = 0;
    while (start <= accept.size()) {
        auto end = accept.find(',', start);
        if (end == std::string_view::npos) {
            end = accept.size();
        }
        auto part = accept.substr(start, end - start);
        start = end + 1;
        Range r;
        std::size_t p = 0;
        bool first = true;
        while (p <= part.size()) {
            auto semi = part.find(';', p);
            if (semi == std::string_view::npos) {
                semi = part.size();
            }
            auto item = trim(part.substr(p, semi - p));
            p = semi + 1;
            if (first) {
                r.type = lower(std::string(item));
                first = false;
                continue;
            }
            const auto eq = item.find('=');
            if (eq == std::string_view::npos) {
                continue;
            }
            auto key = lower(std::string(trim(item.substr(0, eq))));
            auto val = std::string(trim(item.substr(eq + 1)));
            if (val.size() >= 2 && val.front() == '"' && val.back() == '"') {
                val = val.substr(1, val.size() - 2);
            }
            if (key == "q") {
                char* endp = nullptr;
                r.q = std::strtod(val.c_str(), &endp);
            } else {
                r.params[key] = val;
            }
        }
        if (!r.type.empty() && r.q > 0) {
            ranges.push_back(std::move(r));
        }
    }
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const Range& a, const Range& b) { return a.q > b.q; });
    for (const auto& r : ranges) {
        const bool json_like =
            r.type == "application/json" || r.type == "application/*" || r.type == "*/*";
        if (!json_like) {
            continue;
        }
        auto as = r.params.find("as");
        if (as == r.params.end()) {
            return std::nullopt;  // a plain List answers first
        }
        if (as->second != "Table") {
            continue;
        }
        auto g = r.params.find("g");
        auto v = r.params.find("v");
        if (g == r.params.end() || g->second != "meta.k8s.io" || v == r.params.end() ||
            (v->second != "v1" && v->second != "v1beta1")) {
            continue;
        }
        return "meta.k8s.io/" + v->second;
    }
    return std::nullopt;
}

json::array column_definitions_json(const std::vector<PrinterColumn>& columns) {
    json::array out;
    out.reserve(columns.size());
    for (const auto& c : columns) {
        json::object d;
        d["name"] = c.name;
        d["type"] = c.type;
        d["format"] = c.format;
        d["description"] = c.description;
        d["priority"] = c.priority;
        out.emplace_back(std::move(d));
    }
    return out;
}

json::object make_table(const ResourceType& type, std::span<const json::object* const> objects,
                        const TableOptions& options) {
    const RowMaker maker(type);
    json::object table;
    table["kind"] = "Table";
    table["apiVersion"] = options.api_version;
    json::object metadata;
    if (!options.resource_version.empty()) {
        metadata["resourceVersion"] = options.resource_version;
    }
    if (!options.continue_token.empty()) {
        metadata["continue"] = options.continue_token;
    }
    if (options.remaining_item_count) {
        metadata["remainingItemCount"] = *options.remaining_item_count;
    }
    table["metadata"] = std::move(metadata);
    table["columnDefinitions"] =
        options.with_columns ? column_definitions_json(maker.columns()) : json::array();
    json::array rows;
    rows.reserve(objects.size());
    for (const auto* o : objects) {
        auto r = maker.row(*o, options.now);
        json::object row;
        row["cells"] = std::move(r.cells);
        if (!r.conditions.empty()) {
            row["conditions"] = std::move(r.conditions);
        }
        switch (options.include_object) {
            case IncludeObject::None:
                break;
            case IncludeObject::Metadata: {
                json::object partial;
                partial["kind"] = "PartialObjectMetadata";
                partial["apiVersion"] = options.api_version;
                const auto* m = child(o, "metadata");
                partial["metadata"] = m != nullptr ? *m : json::object();
                row["object"] = std::move(partial);
                break;
            }
            case IncludeObject::Object:
                row["object"] = *o;
                break;
        }
        rows.emplace_back(std::move(row));
    }
    table["rows"] = std::move(rows);
    return table;
}

}  // namespace skiff::api
