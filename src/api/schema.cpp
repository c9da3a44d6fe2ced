// OpenAPI v3 structural schemas: compilation, unknown fields, pruning, defaulting, validation.
#include "skiff/api/schema.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/json.hpp>
#include <boost/regex.hpp>

namespace skiff::api {

namespace json = boost::json;

struct Schema::Node {
    enum class Additional { Unset, False, True, Schema };

    // Types as written; empty means any. int_or_string stands for ["integer","string"].
    std::optional<std::vector<std::string>> types;
    std::optional<bool> nullable;
    std::optional<bool> preserve_unknown;
    std::optional<bool> int_or_string;
    std::optional<bool> embedded_resource;
    std::optional<bool> unique_items;
    std::optional<bool> exclusive_minimum;
    std::optional<bool> exclusive_maximum;
    // The format as written (messages use it) once unsupported ones are dropped.
    std::optional<std::string> format;
    std::optional<std::string> list_type;
    std::optional<std::string> map_type;
    std::optional<std::string> pattern;
    std::shared_ptr<const boost::regex> regex;  // null when the pattern does not compile
    std::string regex_error;
    std::optional<std::vector<std::string>> required;
    std::optional<std::vector<std::string>> list_map_keys;
    std::optional<json::value> default_value;
    std::optional<json::array> enum_values;
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::optional<double> multiple_of;
    std::optional<std::int64_t> min_length;
    std::optional<std::int64_t> max_length;
    std::optional<std::int64_t> min_items;
    std::optional<std::int64_t> max_items;
    std::optional<std::int64_t> min_properties;
    std::optional<std::int64_t> max_properties;
    std::optional<std::vector<std::pair<std::string, const Node*>>> properties;
    Additional additional = Additional::Unset;
    const Node* additional_schema = nullptr;
    const Node* items = nullptr;
    std::vector<const Node*> all_of;
    std::vector<const Node*> any_of;
    std::vector<const Node*> one_of;
    const Node* not_schema = nullptr;
    // $ref (or a lone allOf [$ref]): merged into this node once everything is compiled.
    const Node* ref = nullptr;
    int flatten_state = 0;  // 0 pending, 1 in progress, 2 done

    const Node* property(std::string_view name) const {
        if (!properties) {
            return nullptr;
        }
        for (const auto& [k, n] : *properties) {
            if (k == name) {
                return n;
            }
        }
        return nullptr;
    }
    bool is_nullable() const { return nullable.value_or(false); }
    bool preserves() const { return preserve_unknown.value_or(false); }
    bool embedded() const { return embedded_resource.value_or(false); }
    const Node* additional_node() const {
        return additional == Additional::Schema ? additional_schema : nullptr;
    }
};

struct Schema::Arena {
    std::deque<Node> nodes;
};

namespace {

using Node = Schema::Node;
using Additional = Node::Additional;

// ---------------------------------------------------------------------------------------------
// JSON helpers

bool is_integer(const json::value& v) {
    return v.is_int64() || v.is_uint64();
}

bool is_number(const json::value& v) {
    return is_integer(v) || v.is_double();
}

double as_double(const json::value& v) {
    if (v.is_int64()) {
        return static_cast<double>(v.get_int64());
    }
    if (v.is_uint64()) {
        return static_cast<double>(v.get_uint64());
    }
    return v.get_double();
}

// The JSON type kube-openapi infers for a decoded value.
std::string_view json_type_name(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "boolean";
        case json::kind::int64:
        case json::kind::uint64:
            return "integer";
        case json::kind::double_:
            return "number";
        case json::kind::string:
            return "string";
        case json::kind::array:
            return "array";
        case json::kind::object:
            return "object";
    }
    return "";
}

// swag.IsFloat64AJSONInteger: an integral float within JSON's exact integer range.
bool is_json_integer(double f) {
    constexpr double kMax = 9007199254740992.0;  // 2^53
    if (!std::isfinite(f) || f < -kMax || f > kMax) {
        return false;
    }
    return std::abs(f - std::nearbyint(f)) < 1e-9;
}

// Go's formatting of a float64: %v (shortest digits, exponent form below 1e-4 or from 1e21) or
// encoding/json (exponent form below 1e-6 or from 1e21, "e-7" rather than "e-07").
std::string go_float(double f, bool json_style) {
    if (std::isnan(f)) {
        return "NaN";
    }
    if (std::isinf(f)) {
        return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
        return "0";
    }
    std::array<char, 64> buf{};
    auto r = std::to_chars(buf.data(), buf.data() + buf.size(), f, std::chars_format::scientific);
    std::string_view sci(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
    bool neg = sci.front() == '-';
    if (neg) {
        sci.remove_prefix(1);
    }
    auto e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos)) {
        if (c != '.') {
            digits += c;
        }
    }
    int exp = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
    double mag = std::abs(f);
    bool exponent_form = json_style ? (mag < 1e-6 || mag >= 1e21) : (exp < -4 || exp >= 21);
    std::string out = neg ? "-" : "";
    if (exponent_form) {
        out += digits[0];
        if (digits.size() > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += 'e';
        out += exp < 0 ? '-' : '+';
        std::string e = std::to_string(std::abs(exp));
        if (e.size() < 2 && !(json_style && exp < 0)) {
            e = "0" + e;
        }
        out += e;
        return out;
    }
    if (exp >= 0) {
        auto int_len = static_cast<std::size_t>(exp) + 1;
        if (digits.size() <= int_len) {
            out += digits;
            out.append(int_len - digits.size(), '0');
        } else {
            out += digits.substr(0, int_len);
            out += '.';
            out += digits.substr(int_len);
        }
    } else {
        out += "0.";
        out.append(static_cast<std::size_t>(-exp - 1), '0');
        out += digits;
    }
    return out;
}

// Go's json.Marshal of a decoded value: object keys sorted, floats as encoding/json writes them.
void go_json(const json::value& v, std::string& out) {
    switch (v.kind()) {
        case json::kind::double_:
            out += go_float(v.get_double(), true);
            return;
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v.get_array()) {
                if (!first) {
                    out += ',';
                }
                first = false;
                go_json(e, out);
            }
            out += ']';
            return;
        }
        case json::kind::object: {
            const auto& o = v.get_object();
            std::vector<std::string_view> keys;
            keys.reserve(o.size());
            for (const auto& kv : o) {
                keys.push_back(kv.key());
            }
            std::sort(keys.begin(), keys.end());
            out += '{';
            bool first = true;
            for (auto k : keys) {
                if (!first) {
                    out += ',';
                }
                first = false;
                out += json::serialize(json::string(k));
                out += ':';
                go_json(*o.if_contains(k), out);
            }
            out += '}';
            return;
        }
        default:
            out += json::serialize(v);
    }
}

std::string go_json(const json::value& v) {
    std::string out;
    go_json(v, out);
    return out;
}

// reflect.DeepEqual on decoded JSON, except that numbers compare by value (1 equals 1.0).
bool same_value(const json::value& a, const json::value& b) {
    if (is_number(a) && is_number(b)) {
        if (is_integer(a) && is_integer(b)) {
            if (a.is_int64() && b.is_int64()) {
                return a.get_int64() == b.get_int64();
            }
            if (a.is_uint64() && b.is_uint64()) {
                return a.get_uint64() == b.get_uint64();
            }
            return false;  // one negative or beyond int64, the other not
        }
        return as_double(a) == as_double(b);
    }
    if (a.kind() != b.kind()) {
        return false;
    }
    switch (a.kind()) {
        case json::kind::array: {
            const auto& x = a.get_array();
            const auto& y = b.get_array();
            if (x.size() != y.size()) {
                return false;
            }
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (!same_value(x[i], y[i])) {
                    return false;
                }
            }
            return true;
        }
        case json::kind::object: {
            const auto& x = a.get_object();
            const auto& y = b.get_object();
            if (x.size() != y.size()) {
                return false;
            }
            for (const auto& kv : x) {
                const auto* other = y.if_contains(kv.key());
                if (other == nullptr || !same_value(kv.value(), *other)) {
                    return false;
                }
            }
            return true;
        }
        default:
            return a == b;
    }
}

std::size_t rune_count(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++n;
        }
    }
    return n;
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

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string strip_dashes(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c != '-') {
            out += c;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Formats (kube-openapi strfmt, as far as apiextensions keeps them)

// The string formats apiextensions supports, dashes removed as go-openapi normalizes them.
bool supported_string_format(std::string_view normalized) {
    static constexpr std::array<std::string_view, 24> kFormats = {
        "bsonobjectid", "uri",    "email",    "hostname",   "ipv4",     "ipv6",
        "cidr",         "mac",    "uuid",     "uuid3",      "uuid4",    "uuid5",
        "isbn",         "isbn10", "isbn13",   "creditcard", "ssn",      "hexcolor",
        "rgbcolor",     "byte",   "password", "date",       "duration", "datetime",
    };
    return std::find(kFormats.begin(), kFormats.end(), normalized) != kFormats.end();
}

bool all_of_chars(std::string_view s, bool (*pred)(char)) {
    return std::all_of(s.begin(), s.end(), pred);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_date(std::string_view s) {
    // rxDate: ^(\d{4})-(\d{2})-(\d{2})$ with month 01-12 and day 01-31.
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    if (!all_of_chars(s.substr(0, 4), is_digit) || !all_of_chars(s.substr(5, 2), is_digit) ||
        !all_of_chars(s.substr(8, 2), is_digit)) {
        return false;
    }
    auto month = s.substr(5, 2);
    auto day = s.substr(8, 2);
    return month >= "01" && month <= "12" && day >= "01" && day <= "31";
}

bool is_date_time(std::string_view in) {
    // strfmt.IsDateTime: lower-cased, split at 't'; date, then hh:mm:ss(.frac)?(z|±hh:mm).
    if (in.size() < 4) {
        return false;
    }
    std::string s(in);
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto t = s.find('t');
    if (t == std::string::npos || !is_date(std::string_view(s).substr(0, t))) {
        return false;
    }
    std::string_view rest = std::string_view(s).substr(t + 1);
    auto next_t = rest.find('t');
    if (next_t != std::string_view::npos) {
        rest = rest.substr(0, next_t);
    }
    if (rest.size() < 9 || rest[2] != ':' || rest[5] != ':' ||
        !all_of_chars(rest.substr(0, 2), is_digit) || !all_of_chars(rest.substr(3, 2), is_digit) ||
        !all_of_chars(rest.substr(6, 2), is_digit)) {
        return false;
    }
    if (rest.substr(0, 2) > "23" || rest.substr(3, 2) > "59" || rest.substr(6, 2) > "59") {
        return false;
    }
    std::string_view tail = rest.substr(8);
    if (!tail.empty() && tail[0] == '.') {
        std::size_t i = 1;
        while (i < tail.size() && is_digit(tail[i])) {
            ++i;
        }
        if (i == 1) {
            return false;
        }
        tail = tail.substr(i);
    }
    if (tail == "z") {
        return true;
    }
    return tail.size() == 6 && (tail[0] == '+' || tail[0] == '-') && is_digit(tail[1]) &&
           is_digit(tail[2]) && tail[3] == ':' && is_digit(tail[4]) && is_digit(tail[5]);
}

bool is_ipv4(std::string_view s) {
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t start = i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
        auto len = i - start;
        if (len == 0 || len > 3 || (len > 1 && s[start] == '0')) {
            return false;
        }
        if (std::atoi(std::string(s.substr(start, len)).c_str()) > 255) {
            return false;
        }
        ++parts;
        if (i == s.size()) {
            break;
        }
        if (s[i] != '.' || parts == 4) {
            return false;
        }
        ++i;
    }
    return parts == 4;
}

bool is_ipv6(std::string_view s) {
    // net.ParseIP's IPv6 forms: eight groups, one "::", an optional dotted IPv4 tail.
    if (s.size() < 2) {
        return false;
    }
    int groups = 0;
    bool ellipsis = false;
    std::size_t i = 0;
    if (s.substr(0, 2) == "::") {
        ellipsis = true;
        i = 2;
        if (i == s.size()) {
            return true;
        }
    }
    while (i < s.size()) {
        std::size_t start = i;
        while (i < s.size() && is_hex(s[i])) {
            ++i;
        }
        if (i < s.size() && s[i] == '.') {
            // IPv4 tail counts as two groups.
            if (!is_ipv4(s.substr(start))) {
                return false;
            }
            groups += 2;
            i = s.size();
            break;
        }
        auto len = i - start;
        if (len == 0 || len > 4) {
            return false;
        }
        ++groups;
        if (i == s.size()) {
            break;
        }
        if (s[i] != ':') {
            return false;
        }
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (ellipsis) {
                return false;
            }
            ellipsis = true;
            ++i;
            if (i == s.size()) {
                break;
            }
        } else if (i == s.size()) {
            return false;
        }
    }
    return ellipsis ? groups < 8 : groups == 8;
}

bool is_cidr(std::string_view s) {
    auto slash = s.find('/');
    if (slash == std::string_view::npos) {
        return false;
    }
    auto bits = s.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || !all_of_chars(bits, is_digit)) {
        return false;
    }
    int n = std::atoi(std::string(bits).c_str());
    auto ip = s.substr(0, slash);
    if (is_ipv4(ip)) {
        return n <= 32;
    }
    return is_ipv6(ip) && n <= 128;
}

bool is_mac(std::string_view s) {
    // net.ParseMAC: 6, 8 or 20 octets as xx:xx.., xx-xx.. or xxxx.xxxx..
    for (char sep : {':', '-'}) {
        if (s.size() >= 14 && s[2] == sep) {
            if ((s.size() + 1) % 3 != 0) {
                return false;
            }
            auto n = (s.size() + 1) / 3;
            if (n != 6 && n != 8 && n != 20) {
                return false;
            }
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (i % 3 == 2 ? s[i] != sep : !is_hex(s[i])) {
                    return false;
                }
            }
            return true;
        }
    }
    if (s.size() >= 14 && s[4] == '.') {
        if ((s.size() + 1) % 5 != 0) {
            return false;
        }
        auto n = 2 * (s.size() + 1) / 5;
        if (n != 6 && n != 8 && n != 20) {
            return false;
        }
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i % 5 == 4 ? s[i] != '.' : !is_hex(s[i])) {
                return false;
            }
        }
        return true;
    }
    return false;
}

bool is_uuid(std::string_view s, char version) {
    // (?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?V[0-9a-f]{3}-?[89ab]?[0-9a-f]{3}-?[0-9a-f]{12}$
    std::string hex;
    std::size_t i = 0;
    static constexpr std::array<std::size_t, 5> kGroups = {8, 4, 4, 4, 12};
    for (std::size_t g = 0; g < kGroups.size(); ++g) {
        if (g > 0 && i < s.size() && s[i] == '-') {
            ++i;
        }
        for (std::size_t k = 0; k < kGroups[g]; ++k, ++i) {
            if (i >= s.size() || !is_hex(s[i])) {
                return false;
            }
            hex += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
        }
    }
    if (i != s.size()) {
        return false;
    }
    if (version == 0) {
        return true;
    }
    if (hex[12] != version) {
        return false;
    }
    return version == '3' || std::string_view("89ab").find(hex[16]) != std::string_view::npos;
}

bool is_hostname(std::string_view s) {
    // Labels of letters, digits (and any non-ASCII) with inner dashes, 63 bytes at most,
    // 255 in all.
    if (s.empty() || s.size() > 255) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        auto dot = s.find('.', start);
        auto label = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char c : label) {
            auto u = static_cast<unsigned char>(c);
            if (!(std::isalnum(u) || c == '-' || u >= 0x80)) {
                return false;
            }
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

bool is_base64(std::string_view s) {
    // govalidator.IsBase64: standard alphabet with padding, a non-empty multiple of 4.
    if (s.empty() || s.size() % 4 != 0) {
        return false;
    }
    std::size_t pad = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '=') {
            ++pad;
            continue;
        }
        if (pad > 0) {
            return false;
        }
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
            return false;
        }
    }
    return pad <= 2;
}

bool is_duration(std::string_view s) {
    // time.ParseDuration, or "<n> <unit>" sequences with strfmt's unit names.
    static const boost::regex kGo(
        R"(^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$)");
    static const boost::regex kScala(
        R"(^\s*(?:\d+\s*(?:ns|nano\w*|us|µs|micro\w*|ms|milli\w*|s|sec\w*|m|min\w*|h|hr|hour\w*|d|day\w*|w|wk|week\w*)\s*)+$)",
        boost::regex::perl | boost::regex::icase);
    if (s == "0") {
        return true;
    }
    return boost::regex_match(s.begin(), s.end(), kGo) ||
           boost::regex_match(s.begin(), s.end(), kScala);
}

bool is_email(std::string_view s) {
    auto at = s.rfind('@');
    return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
           s.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool is_request_uri(std::string_view s) {
    // url.ParseRequestURI: an absolute URI or an absolute path.
    if (!s.empty() && s[0] == '/') {
        return true;
    }
    auto colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        !std::isalpha(static_cast<unsigned char>(s[0]))) {
        return false;
    }
    for (char c : s.substr(0, colon)) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) {
            return false;
        }
    }
    return s.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool matches_format(std::string_view normalized, std::string_view s) {
    if (normalized == "datetime") {
        return is_date_time(s);
    }
    if (normalized == "date") {
        return is_date(s);
    }
    if (normalized == "byte") {
        return is_base64(s);
    }
    if (normalized == "uuid") {
        return is_uuid(s, 0);
    }
    if (normalized == "uuid3" || normalized == "uuid4" || normalized == "uuid5") {
        return is_uuid(s, normalized.back());
    }
    if (normalized == "ipv4") {
        return is_ipv4(s);
    }
    if (normalized == "ipv6") {
        return is_ipv6(s);
    }
    if (normalized == "cidr") {
        return is_cidr(s);
    }
    if (normalized == "mac") {
        return is_mac(s);
    }
    if (normalized == "hostname") {
        return is_hostname(s);
    }
    if (normalized == "duration") {
        return is_duration(s);
    }
    if (normalized == "email") {
        return is_email(s);
    }
    if (normalized == "uri") {
        return is_request_uri(s);
    }
    if (normalized == "bsonobjectid") {
        return s.size() == 24 && all_of_chars(s, is_hex);
    }
    if (normalized == "hexcolor") {
        auto h = !s.empty() && s[0] == '#' ? s.substr(1) : s;
        return (h.size() == 3 || h.size() == 6) && all_of_chars(h, is_hex);
    }
    if (normalized == "rgbcolor") {
        static const boost::regex kRgb(
            R"(^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$)");
        return boost::regex_match(s.begin(), s.end(), kRgb);
    }
    if (normalized == "ssn") {
        static const boost::regex kSsn(R"(^\d{3}[- ]?\d{2}[- ]?\d{4}$)");
        return boost::regex_match(s.begin(), s.end(), kSsn);
    }
    // isbn, isbn10, isbn13, creditcard, password: accepted as they come.
    return true;
}

// StripUnsupportedFormatsPostProcess: the formats validation keeps, by schema type.
bool format_kept(const std::optional<std::vector<std::string>>& types, bool int_or_string,
                 std::string_view format) {
    std::string type;
    if (!int_or_string && types && types->size() == 1) {
        type = types->front();
    }
    if (type.empty() || type == "string") {
        return supported_string_format(strip_dashes(format));
    }
    if (type == "integer") {
        return format == "int32" || format == "int64";
    }
    if (type == "number") {
        return format == "float" || format == "double";
    }
    return false;
}

boost::regex::flag_type regex_flags() {
    // RE2 and ECMAScript anchor ^/$ at the text and keep '.' off newlines.
    return boost::regex::perl | boost::regex::no_mod_m | boost::regex::no_mod_s;
}

// ---------------------------------------------------------------------------------------------
// Compilation

std::string schema_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

class Compiler {
public:
    Compiler(Schema::Arena& arena, const json::object& definitions)
        : arena_(arena), definitions_(definitions) {}

    Node* compile(const json::value& v, const std::string& path) {
        Node* n = &arena_.nodes.emplace_back();
        if (!fill(*n, v, path)) {
            return nullptr;
        }
        return n;
    }

    const base::Status& status() const { return status_; }

    void flatten_all() {
        for (auto& n : arena_.nodes) {
            flatten(n);
        }
    }

private:
    bool fail(const std::string& path, std::string_view what) {
        if (status_.ok()) {
            status_ = base::bad_request("invalid schema at " + (path.empty() ? "<root>" : path) +
                                        ": " + std::string(what));
        }
        return false;
    }

    bool read_bool(const json::object& o, std::string_view key, std::optional<bool>& out,
                   const std::string& path) {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return true;
        }
        if (!v->is_bool()) {
            return fail(schema_path(path, key), "must be a boolean");
        }
        out = v->get_bool();
        return true;
    }

    bool read_string(const json::object& o, std::string_view key, std::optional<std::string>& out,
                     const std::string& path) {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return true;
        }
        if (!v->is_string()) {
            return fail(schema_path(path, key), "must be a string");
        }
        out = std::string(v->get_string());
        return true;
    }

    bool read_number(const json::object& o, std::string_view key, std::optional<double>& out,
                     const std::string& path) {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return true;
        }
        if (!is_number(*v)) {
            return fail(schema_path(path, key), "must be a number");
        }
        out = as_double(*v);
        return true;
    }

    bool read_count(const json::object& o, std::string_view key, std::optional<std::int64_t>& out,
                    const std::string& path) {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return true;
        }
        if (v->is_int64()) {
            out = v->get_int64();
        } else if (v->is_uint64()) {
            out = std::numeric_limits<std::int64_t>::max();
        } else if (v->is_double() && is_json_integer(v->get_double())) {
            out = static_cast<std::int64_t>(v->get_double());
        } else {
            return fail(schema_path(path, key), "must be an integer");
        }
        return true;
    }

    bool read_strings(const json::object& o, std::string_view key,
                      std::optional<std::vector<std::string>>& out, const std::string& path) {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return true;
        }
        if (!v->is_array()) {
            return fail(schema_path(path, key), "must be a list of strings");
        }
        std::vector<std::string> list;
        for (const auto& e : v->get_array()) {
            if (!e.is_string()) {
                return fail(schema_path(path, key), "must be a list of strings");
            }
            list.emplace_back(e.get_string());
        }
        out = std::move(list);
        return true;
    }

    bool read_schema_list(const json::object& o, std::string_view key,
                          std::vector<const Node*>& out, const std::string& path) {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return true;
        }
        if (!v->is_array()) {
            return fail(schema_path(path, key), "must be a list of schemas");
        }
        const auto& a = v->get_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
            const Node* n = compile(a[i], field::index(schema_path(path, key), i));
            if (n == nullptr) {
                return false;
            }
            out.push_back(n);
        }
        return true;
    }

    const Node* resolve_ref(std::string_view ref, const std::string& path) {
        std::string_view name;
        for (std::string_view prefix : {"#/components/schemas/", "#/definitions/"}) {
            if (ref.substr(0, prefix.size()) == prefix) {
                name = ref.substr(prefix.size());
                break;
            }
        }
        if (name.empty()) {
            fail(schema_path(path, "$ref"), "unsupported reference \"" + std::string(ref) + "\"");
            return nullptr;
        }
        // JSON pointer escapes.
        std::string key;
        for (std::size_t i = 0; i < name.size(); ++i) {
            if (name[i] == '~' && i + 1 < name.size() &&
                (name[i + 1] == '0' || name[i + 1] == '1')) {
                key += name[i + 1] == '0' ? '~' : '/';
                ++i;
            } else {
                key += name[i];
            }
        }
        if (auto it = refs_.find(key); it != refs_.end()) {
            return it->second;
        }
        const auto* target = definitions_.if_contains(key);
        if (target == nullptr) {
            fail(schema_path(path, "$ref"), "unresolved reference \"" + std::string(ref) + "\"");
            return nullptr;
        }
        // Registered before filling so that recursive references find it.
        Node* n = &arena_.nodes.emplace_back();
        refs_.emplace(key, n);
        if (!fill(*n, *target, std::string(ref))) {
            return nullptr;
        }
        return n;
    }

    static bool is_pure_ref(const json::value& v) {
        return v.is_object() && v.get_object().size() == 1 && v.get_object().contains("$ref") &&
               v.get_object().at("$ref").is_string();
    }

    bool fill(Node& n, const json::value& v, const std::string& path) {
        if (v.is_bool() && v.get_bool()) {
            return true;  // "true": anything
        }
        if (!v.is_object()) {
            return fail(path, "must be an object");
        }
        const auto& o = v.get_object();

        if (const auto* t = o.if_contains("type"); t != nullptr && !t->is_null()) {
            if (t->is_string()) {
                if (!t->get_string().empty()) {
                    n.types = std::vector<std::string>{std::string(t->get_string())};
                }
            } else if (t->is_array()) {
                std::vector<std::string> types;
                for (const auto& e : t->get_array()) {
                    if (!e.is_string()) {
                        return fail(schema_path(path, "type"), "must be a string");
                    }
                    types.emplace_back(e.get_string());
                }
                n.types = std::move(types);
            } else {
                return fail(schema_path(path, "type"), "must be a string");
            }
        }
        if (!read_bool(o, "nullable", n.nullable, path) ||
            !read_bool(o, "x-kubernetes-preserve-unknown-fields", n.preserve_unknown, path) ||
            !read_bool(o, "x-kubernetes-int-or-string", n.int_or_string, path) ||
            !read_bool(o, "x-kubernetes-embedded-resource", n.embedded_resource, path) ||
            !read_bool(o, "uniqueItems", n.unique_items, path)) {
            return false;
        }
        // OpenAPI 3.0 booleans, or JSON Schema's numeric exclusive bounds.
        for (auto [key, flag, bound] :
             {std::tuple{"exclusiveMinimum", &n.exclusive_minimum, &n.minimum},
              std::tuple{"exclusiveMaximum", &n.exclusive_maximum, &n.maximum}}) {
            const auto* e = o.if_contains(key);
            if (e != nullptr && is_number(*e)) {
                *flag = true;
                *bound = as_double(*e);
            } else if (!read_bool(o, key, *flag, path)) {
                return false;
            }
        }
        std::optional<std::string> format;
        if (!read_string(o, "format", format, path) ||
            !read_string(o, "x-kubernetes-list-type", n.list_type, path) ||
            !read_string(o, "x-kubernetes-map-type", n.map_type, path) ||
            !read_string(o, "pattern", n.pattern, path) ||
            !read_strings(o, "required", n.required, path) ||
            !read_strings(o, "x-kubernetes-list-map-keys", n.list_map_keys, path)) {
            return false;
        }
        if (format == "int-or-string") {
            n.int_or_string = true;
        } else if (format && format_kept(n.types, n.int_or_string.value_or(false), *format)) {
            n.format = std::move(format);
        }
        if (!n.minimum && !read_number(o, "minimum", n.minimum, path)) {
            return false;
        }
        if (!n.maximum && !read_number(o, "maximum", n.maximum, path)) {
            return false;
        }
        if (!read_number(o, "multipleOf", n.multiple_of, path) ||
            !read_count(o, "minLength", n.min_length, path) ||
            !read_count(o, "maxLength", n.max_length, path) ||
            !read_count(o, "minItems", n.min_items, path) ||
            !read_count(o, "maxItems", n.max_items, path) ||
            !read_count(o, "minProperties", n.min_properties, path) ||
            !read_count(o, "maxProperties", n.max_properties, path)) {
            return false;
        }
        if (n.pattern) {
            try {
                n.regex = std::make_shared<const boost::regex>(*n.pattern, regex_flags());
            } catch (const std::exception& e) {
                n.regex_error = e.what();
            }
        }
        if (const auto* d = o.if_contains("default"); d != nullptr) {
            n.default_value = *d;
        }
        if (const auto* e = o.if_contains("enum"); e != nullptr && !e->is_null()) {
            if (!e->is_array()) {
                return fail(schema_path(path, "enum"), "must be a list");
            }
            n.enum_values = e->get_array();
        }
        if (const auto* p = o.if_contains("properties"); p != nullptr && !p->is_null()) {
            if (!p->is_object()) {
                return fail(schema_path(path, "properties"), "must be an object");
            }
            std::vector<std::pair<std::string, const Node*>> props;
            for (const auto& kv : p->get_object()) {
                const Node* child =
                    compile(kv.value(), field::key(schema_path(path, "properties"), kv.key()));
                if (child == nullptr) {
                    return false;
                }
                props.emplace_back(std::string(kv.key()), child);
            }
            n.properties = std::move(props);
        }
        if (const auto* a = o.if_contains("additionalProperties"); a != nullptr && !a->is_null()) {
            if (a->is_bool()) {
                n.additional = a->get_bool() ? Additional::True : Additional::False;
            } else {
                n.additional_schema = compile(*a, schema_path(path, "additionalProperties"));
                if (n.additional_schema == nullptr) {
                    return false;
                }
                n.additional = Additional::Schema;
            }
        }
        if (const auto* i = o.if_contains("items"); i != nullptr && !i->is_null()) {
            if (i->is_array()) {
                return fail(schema_path(path, "items"), "must be a schema, not a list");
            }
            n.items = compile(*i, schema_path(path, "items"));
            if (n.items == nullptr) {
                return false;
            }
        }
        if (const auto* r = o.if_contains("$ref"); r != nullptr && !r->is_null()) {
            if (!r->is_string()) {
                return fail(schema_path(path, "$ref"), "must be a string");
            }
            n.ref = resolve_ref(r->get_string(), path);
            if (n.ref == nullptr) {
                return false;
            }
        }
        const auto* all = o.if_contains("allOf");
        if (n.ref == nullptr && all != nullptr && all->is_array() && all->get_array().size() == 1 &&
            is_pure_ref(all->get_array()[0])) {
            n.ref = resolve_ref(all->get_array()[0].get_object().at("$ref").get_string(),
                                field::index(schema_path(path, "allOf"), 0));
            if (n.ref == nullptr) {
                return false;
            }
        } else if (!read_schema_list(o, "allOf", n.all_of, path)) {
            return false;
        }
        if (!read_schema_list(o, "anyOf", n.any_of, path) ||
            !read_schema_list(o, "oneOf", n.one_of, path)) {
            return false;
        }
        if (const auto* x = o.if_contains("not"); x != nullptr && !x->is_null()) {
            n.not_schema = compile(*x, schema_path(path, "not"));
            if (n.not_schema == nullptr) {
                return false;
            }
        }
        return true;
    }

    // Keywords beside a reference win; the rest come from the target.
    static void merge(Node& n, const Node& t) {
        auto take = [](auto& mine, const auto& theirs) {
            if (!mine) {
                mine = theirs;
            }
        };
        take(n.types, t.types);
        take(n.nullable, t.nullable);
        take(n.preserve_unknown, t.preserve_unknown);
        take(n.int_or_string, t.int_or_string);
        take(n.embedded_resource, t.embedded_resource);
        take(n.unique_items, t.unique_items);
        take(n.format, t.format);
        take(n.list_type, t.list_type);
        take(n.map_type, t.map_type);
        if (!n.pattern) {
            n.pattern = t.pattern;
            n.regex = t.regex;
            n.regex_error = t.regex_error;
        }
        take(n.required, t.required);
        take(n.list_map_keys, t.list_map_keys);
        take(n.default_value, t.default_value);
        take(n.enum_values, t.enum_values);
        if (!n.minimum) {
            n.minimum = t.minimum;
            n.exclusive_minimum = t.exclusive_minimum;
        }
        if (!n.maximum) {
            n.maximum = t.maximum;
            n.exclusive_maximum = t.exclusive_maximum;
        }
        take(n.multiple_of, t.multiple_of);
        take(n.min_length, t.min_length);
        take(n.max_length, t.max_length);
        take(n.min_items, t.min_items);
        take(n.max_items, t.max_items);
        take(n.min_properties, t.min_properties);
        take(n.max_properties, t.max_properties);
        take(n.properties, t.properties);
        if (n.additional == Additional::Unset) {
            n.additional = t.additional;
            n.additional_schema = t.additional_schema;
        }
        if (n.items == nullptr) {
            n.items = t.items;
        }
        if (n.all_of.empty()) {
            n.all_of = t.all_of;
        }
        if (n.any_of.empty()) {
            n.any_of = t.any_of;
        }
        if (n.one_of.empty()) {
            n.one_of = t.one_of;
        }
        if (n.not_schema == nullptr) {
            n.not_schema = t.not_schema;
        }
    }

    void flatten(Node& n) {
        if (n.flatten_state != 0) {
            return;
        }
        n.flatten_state = 1;
        if (n.ref != nullptr) {
            // Every node lives in the arena, which is still ours to change.
            auto& target = const_cast<Node&>(*n.ref);
            flatten(target);
            merge(n, target);
        }
        n.flatten_state = 2;
    }

    Schema::Arena& arena_;
    const json::object& definitions_;
    std::map<std::string, Node*, std::less<>> refs_;
    base::Status status_;
};

constexpr std::string_view kObjectMetaSchema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "generateName": {"type": "string"},
    "namespace": {"type": "string"},
    "selfLink": {"type": "string"},
    "uid": {"type": "string"},
    "resourceVersion": {"type": "string"},
    "generation": {"type": "integer", "format": "int64"},
    "creationTimestamp": {"type": "string", "format": "date-time"},
    "deletionTimestamp": {"type": "string", "format": "date-time"},
    "deletionGracePeriodSeconds": {"type": "integer", "format": "int64"},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
    "ownerReferences": {"type": "array", "items": {"type": "object", "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "name": {"type": "string"},
      "uid": {"type": "string"},
      "controller": {"type": "boolean"},
      "blockOwnerDeletion": {"type": "boolean"}}}},
    "finalizers": {"type": "array", "items": {"type": "string"}},
    "managedFields": {"type": "array", "items": {"type": "object", "properties": {
      "manager": {"type": "string"},
      "operation": {"type": "string"},
      "apiVersion": {"type": "string"},
      "time": {"type": "string", "format": "date-time"},
      "fieldsType": {"type": "string"},
      "fieldsV1": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
      "subresource": {"type": "string"}}}}
  }
})";

// ---------------------------------------------------------------------------------------------
// Unknown fields and pruning

bool is_meta_field(std::string_view k) {
    return k == "apiVersion" || k == "kind" || k == "metadata";
}

// pruning.prune/skipPrune over a const value (report only) or a mutable one (report and erase).
template <typename V>
class Pruner {
public:
    static constexpr bool kErase = !std::is_const_v<V>;

    explicit Pruner(std::vector<std::string>& out) : out_(out) {}

    void prune(V& x, const Node* s, bool resource = false) {
        if (s != nullptr && s->preserves()) {
            skip(x, s, resource);
            return;
        }
        if (x.is_object()) {
            auto& obj = x.as_object();
            std::vector<std::string> unknown;
            for (auto& kv : obj) {
                std::string_view k = kv.key();
                if (s != nullptr && (resource || s->embedded()) && is_meta_field(k)) {
                    meta(k, kv.value());
                    continue;
                }
                auto mark = enter(k);
                const Node* prop = s == nullptr ? nullptr : s->property(k);
                if (prop != nullptr) {
                    prune(kv.value(), prop);
                } else if (s != nullptr && s->additional == Additional::Schema) {
                    prune(kv.value(), s->additional_schema);
                } else if (s == nullptr || s->additional != Additional::True) {
                    out_.push_back(path_);
                    unknown.emplace_back(k);
                }
                path_.resize(mark);
            }
            if constexpr (kErase) {
                for (const auto& k : unknown) {
                    obj.erase(k);
                }
            }
        } else if (x.is_array()) {
            auto& arr = x.as_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                auto mark = enter_index(i);
                prune(arr[i], s == nullptr ? nullptr : s->items);
                path_.resize(mark);
            }
        }
    }

private:
    void skip(V& x, const Node* s, bool resource) {
        if (s == nullptr) {
            return;
        }
        if (x.is_object()) {
            for (auto& kv : x.as_object()) {
                std::string_view k = kv.key();
                if ((resource || s->embedded()) && is_meta_field(k)) {
                    meta(k, kv.value());
                    continue;
                }
                auto mark = enter(k);
                if (const Node* prop = s->property(k); prop != nullptr) {
                    prune(kv.value(), prop);
                } else if (s->additional == Additional::Schema) {
                    prune(kv.value(), s->additional_schema);
                }
                path_.resize(mark);
            }
        } else if (x.is_array()) {
            auto& arr = x.as_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                auto mark = enter_index(i);
                skip(arr[i], s->items, false);
                path_.resize(mark);
            }
        }
    }

    // apiVersion and kind are always known; metadata is ObjectMeta (objectmeta's coercion).
    void meta(std::string_view k, V& v) {
        if (k != "metadata" || !v.is_object()) {
            return;
        }
        auto mark = enter(k);
        prune(v, &Schema::object_meta().root());
        path_.resize(mark);
    }

    std::size_t enter(std::string_view k) {
        auto mark = path_.size();
        if (!path_.empty()) {
            path_ += '.';
        }
        path_ += k;
        return mark;
    }

    std::size_t enter_index(std::size_t i) {
        auto mark = path_.size();
        path_ += '[';
        path_ += std::to_string(i);
        path_ += ']';
        return mark;
    }

    std::vector<std::string>& out_;
    std::string path_;
};

// ---------------------------------------------------------------------------------------------
// Defaulting

const Node* member_schema(const Node* s, std::string_view k) {
    if (s == nullptr) {
        return nullptr;
    }
    if (const Node* p = s->property(k); p != nullptr) {
        return p;
    }
    return s->additional_node();
}

void prune_nulls(json::value& x, const Node* s) {
    if (x.is_object()) {
        auto& obj = x.get_object();
        std::vector<std::string> drop;
        for (auto& kv : obj) {
            const Node* f = member_schema(s, kv.key());
            if (kv.value().is_null() && f != nullptr && !f->is_nullable() && !f->default_value) {
                drop.emplace_back(kv.key());
            } else {
                prune_nulls(kv.value(), f);
            }
        }
        for (const auto& k : drop) {
            obj.erase(k);
        }
    } else if (x.is_array()) {
        for (auto& e : x.get_array()) {
            prune_nulls(e, s == nullptr ? nullptr : s->items);
        }
    }
}

void default_walk(json::value& x, const Node* s) {
    if (s == nullptr) {
        return;
    }
    if (x.is_object()) {
        auto& obj = x.get_object();
        if (s->properties) {
            for (const auto& [k, prop] : *s->properties) {
                if (!prop->default_value) {
                    continue;
                }
                auto* m = obj.if_contains(k);
                if (m == nullptr) {
                    obj[k] = *prop->default_value;
                } else if (m->is_null() && !prop->is_nullable()) {
                    *m = *prop->default_value;
                }
            }
        }
        for (auto& kv : obj) {
            if (const Node* prop = s->property(kv.key()); prop != nullptr) {
                default_walk(kv.value(), prop);
            } else if (const Node* a = s->additional_node(); a != nullptr) {
                if (kv.value().is_null() && !a->is_nullable() && a->default_value) {
                    kv.value() = *a->default_value;
                }
                default_walk(kv.value(), a);
            }
        }
    } else if (x.is_array()) {
        const Node* it = s->items;
        for (auto& e : x.get_array()) {
            if (it != nullptr && e.is_null() && !it->is_nullable() && it->default_value) {
                e = *it->default_value;
            }
            default_walk(e, it);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: kube-openapi's schema validator, converted as apiextensions converts its result

// The field of a kube-openapi error named `name` under a nil path.
std::string error_field(std::string_view name) {
    if (name.empty() || name == ".") {
        return "<nil>";
    }
    if (name.front() == '.') {
        name.remove_prefix(1);
    }
    return std::string(name);
}

std::string in_body(std::string_view name) {
    return std::string(name) + " in body";
}

std::vector<std::string> effective_types(const Node& s) {
    if (s.int_or_string.value_or(false)) {
        return {"integer", "string"};
    }
    return s.types.value_or(std::vector<std::string>{});
}

// A composite error (anyOf, oneOf, allOf, not): not a Validation, so it lands on the nil path.
FieldError composite(std::string detail) {
    return field::invalid("<nil>", "", std::move(detail));
}

void validate_value(const json::value& v, const Node& s, const std::string& name, ErrorList& out);

void check_type(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    auto types = effective_types(s);
    const std::string fmt = s.format.value_or("");
    if (types.empty() && fmt.empty()) {
        return;
    }
    auto fail = [&](std::string_view type_list, std::string_view got) {
        out.push_back(field::type_invalid(
            error_field(name), json::string(got),
            in_body(name) + " must be of type " + std::string(type_list) + ": " + go_quoted(got)));
    };
    if (v.is_null()) {
        if (!types.empty() && !contains(types, "null") && !s.is_nullable()) {
            fail(join(types, ","), "null");
        }
        return;
    }
    std::string_view sch = json_type_name(v);
    std::string_view data_format = is_integer(v) ? "int64" : v.is_double() ? "float64" : "";
    bool float_int = v.is_double() && is_json_integer(v.get_double()) && contains(types, "integer");
    bool int_float = is_integer(v) && contains(types, "number");
    bool stringish = v.is_string() || v.is_array();
    if (!stringish && !fmt.empty() &&
        !(contains(types, sch) || data_format == fmt || float_int || int_float)) {
        fail(fmt, data_format);
        return;
    }
    if (!(contains(types, "number") || contains(types, "integer")) && !fmt.empty() && stringish) {
        return;
    }
    if (!(contains(types, sch) || float_int || int_float)) {
        fail(join(types, ","), sch);
    }
}

void check_composition(const json::value& v, const Node& s, const std::string& name,
                       ErrorList& out) {
    if (!s.any_of.empty()) {
        std::optional<ErrorList> best;
        bool ok = false;
        for (const Node* sub : s.any_of) {
            ErrorList r;
            validate_value(v, *sub, name, r);
            if (r.empty()) {
                ok = true;
                best.reset();
                break;
            }
            if (!best || r.size() < best->size()) {
                best = std::move(r);
            }
        }
        if (!ok) {
            out.push_back(
                composite(go_quoted(name) + " must validate at least one schema (anyOf)"));
        }
        if (best) {
            out.insert(out.end(), best->begin(), best->end());
        }
    }
    if (!s.one_of.empty()) {
        std::optional<ErrorList> best;
        int valid = 0;
        for (const Node* sub : s.one_of) {
            ErrorList r;
            validate_value(v, *sub, name, r);
            if (r.empty()) {
                ++valid;
                best.reset();
                continue;
            }
            if (valid == 0 && (!best || r.size() < best->size())) {
                best = std::move(r);
            }
        }
        if (valid != 1) {
            std::string more = valid == 0
                                   ? "Found none valid"
                                   : "Found " + std::to_string(valid) + " valid alternatives";
            out.push_back(composite(go_quoted(name) +
                                    " must validate one and only one schema (oneOf). " + more));
            if (best) {
                out.insert(out.end(), best->begin(), best->end());
            }
        }
    }
    if (!s.all_of.empty()) {
        std::size_t valid = 0;
        for (const Node* sub : s.all_of) {
            ErrorList r;
            validate_value(v, *sub, name, r);
            if (r.empty()) {
                ++valid;
            }
            out.insert(out.end(), r.begin(), r.end());
        }
        if (valid != s.all_of.size()) {
            out.push_back(composite(go_quoted(name) + " must validate all the schemas (allOf)" +
                                    (valid == 0 ? ". None validated" : "")));
        }
    }
    if (s.not_schema != nullptr) {
        ErrorList r;
        validate_value(v, *s.not_schema, name, r);
        if (r.empty()) {
            out.push_back(composite(go_quoted(name) + " must not validate the schema (not)"));
        }
    }
}

// The string validator stops at its first failure.
void check_string(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    std::string_view str = v.get_string();
    auto runes = static_cast<std::int64_t>(rune_count(str));
    if (s.max_length && runes > *s.max_length) {
        out.push_back(field::too_long(error_field(name), *s.max_length));
        return;
    }
    if (s.min_length && runes < *s.min_length) {
        out.push_back(field::invalid(error_field(name), v,
                                     in_body(name) + " should be at least " +
                                         std::to_string(*s.min_length) + " chars long"));
        return;
    }
    if (s.pattern) {
        if (!s.regex) {
            out.push_back(field::invalid(error_field(name), v,
                                         in_body(name) + " should match '" + *s.pattern +
                                             ", but pattern is invalid: " + s.regex_error + "'"));
            return;
        }
        bool found = false;
        try {
            found = boost::regex_search(str.begin(), str.end(), *s.regex);
        } catch (const std::exception&) {
            found = false;  // too complex to decide: treat as no match
        }
        if (!found) {
            out.push_back(field::invalid(error_field(name), v,
                                         in_body(name) + " should match '" + *s.pattern + "'"));
        }
    }
}

void check_format(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    if (!s.format) {
        return;
    }
    std::string normalized = strip_dashes(*s.format);
    if (!supported_string_format(normalized)) {
        return;  // int32, float...: not string formats
    }
    std::string_view str = v.get_string();
    bool ok = false;
    try {
        ok = matches_format(normalized, str);
    } catch (const std::exception&) {
        ok = false;  // a format regex gave up on the value
    }
    if (!ok) {
        out.push_back(field::type_invalid(
            error_field(name), v,
            in_body(name) + " must be of type " + *s.format + ": " + go_quoted(str)));
    }
}

std::int64_t to_int64(double d) {
    constexpr double kMax = 9223372036854775807.0;
    if (d >= kMax) {
        return std::numeric_limits<std::int64_t>::max();
    }
    if (d <= -kMax) {
        return std::numeric_limits<std::int64_t>::min();
    }
    return static_cast<std::int64_t>(d);
}

// numberValidator: multipleOf, then minimum, then maximum, each in the value's native type.
void check_number(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    const std::string f = error_field(name);
    if (s.multiple_of) {
        double factor = *s.multiple_of;
        if (v.is_int64() && to_int64(factor) != 0) {
            std::int64_t k = to_int64(factor);
            if (k < 0) {
                out.push_back(field::invalid(f, k,
                                             "factor MultipleOf declared for " + name +
                                                 " must be positive: " + std::to_string(k)));
            } else if (v.get_int64() % k != 0) {
                out.push_back(field::invalid(
                    f, v, in_body(name) + " should be a multiple of " + std::to_string(k)));
            }
        } else if (factor < 0) {
            out.push_back(field::invalid(f, factor,
                                         "factor MultipleOf declared for " + name +
                                             " must be positive: " + go_float(factor, false)));
        } else {
            double data = as_double(v);
            double mult = factor < 1 ? 1 / factor * data : data / factor;
            if (!is_json_integer(mult)) {
                out.push_back(field::invalid(
                    f, v, in_body(name) + " should be a multiple of " + go_float(factor, false)));
            }
        }
    }
    auto bound = [&](double limit, bool exclusive, bool is_min) {
        std::string rel =
            is_min
                ? (exclusive ? " should be greater than " : " should be greater than or equal to ")
                : (exclusive ? " should be less than " : " should be less than or equal to ");
        if (v.is_int64()) {
            std::int64_t d = v.get_int64();
            std::int64_t l = to_int64(limit);
            bool bad = is_min ? (exclusive ? d <= l : d < l) : (exclusive ? d >= l : d > l);
            if (bad) {
                out.push_back(field::invalid(f, v, in_body(name) + rel + std::to_string(l)));
            }
            return;
        }
        if (v.is_uint64()) {
            std::uint64_t d = v.get_uint64();
            if (limit < 0) {
                if (!is_min) {
                    out.push_back(
                        field::invalid(f, v, in_body(name) + rel + go_float(limit, false)));
                }
                return;
            }
            auto l = limit >= 18446744073709551615.0 ? std::numeric_limits<std::uint64_t>::max()
                                                     : static_cast<std::uint64_t>(limit);
            bool bad = is_min ? (exclusive ? d <= l : d < l) : (exclusive ? d >= l : d > l);
            if (bad) {
                out.push_back(field::invalid(f, v, in_body(name) + rel + std::to_string(l)));
            }
            return;
        }
        double d = v.get_double();
        bool bad =
            is_min ? (exclusive ? d <= limit : d < limit) : (exclusive ? d >= limit : d > limit);
        if (bad) {
            out.push_back(field::invalid(f, v, in_body(name) + rel + go_float(limit, false)));
        }
    };
    if (s.minimum) {
        bound(*s.minimum, s.exclusive_minimum.value_or(false), true);
    }
    if (s.maximum) {
        bound(*s.maximum, s.exclusive_maximum.value_or(false), false);
    }
}

void check_array(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    const auto& arr = v.get_array();
    if (s.items != nullptr) {
        for (std::size_t i = 0; i < arr.size(); ++i) {
            validate_value(arr[i], *s.items, name + "[" + std::to_string(i) + "]", out);
        }
    }
    auto size = static_cast<std::int64_t>(arr.size());
    if (s.min_items && size < *s.min_items) {
        out.push_back(field::invalid(
            error_field(name), size,
            in_body(name) + " should have at least " + std::to_string(*s.min_items) + " items"));
    }
    if (s.max_items && size > *s.max_items) {
        out.push_back(field::too_many(error_field(name), size, *s.max_items));
    }
    if (s.unique_items.value_or(false)) {
        bool dup = false;
        for (std::size_t i = 0; i < arr.size() && !dup; ++i) {
            for (std::size_t j = 0; j < i && !dup; ++j) {
                dup = same_value(arr[i], arr[j]);
            }
        }
        if (dup) {
            out.push_back(field::invalid(error_field(name), "",
                                         in_body(name) + " shouldn't contain duplicates"));
        }
    }
}

void check_enum(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    if (!s.enum_values || s.enum_values->empty()) {
        return;
    }
    if (!v.is_null()) {
        for (const auto& e : *s.enum_values) {
            if (same_value(v, e)) {
                return;
            }
        }
    }
    std::vector<std::string> allowed;
    for (const auto& e : *s.enum_values) {
        allowed.push_back(e.is_string() ? std::string(e.get_string()) : go_json(e));
    }
    out.push_back(field::not_supported(error_field(name), v, allowed));
}

void check_object(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    const auto& obj = v.get_object();
    auto count = static_cast<std::int64_t>(obj.size());
    if (s.min_properties && count < *s.min_properties) {
        out.push_back(field::invalid(error_field(name), count,
                                     in_body(name) + " should have at least " +
                                         std::to_string(*s.min_properties) + " properties"));
        return;
    }
    if (s.max_properties && count > *s.max_properties) {
        out.push_back(field::too_many(error_field(name), count, *s.max_properties));
        return;
    }
    for (const auto& kv : obj) {
        if (s.property(kv.key()) != nullptr) {
            continue;
        }
        if (s.additional == Additional::False) {
            out.push_back(field::invalid(
                error_field(name), json::string(kv.key()),
                name + "." + std::string(kv.key()) + " in body is a forbidden property"));
        } else if (s.additional == Additional::Schema) {
            validate_value(kv.value(), *s.additional_schema, name + "." + std::string(kv.key()),
                           out);
        }
    }
    for (const auto& kv : obj) {
        if (const Node* prop = s.property(kv.key()); prop != nullptr) {
            validate_value(
                kv.value(), *prop,
                name.empty() ? std::string(kv.key()) : name + "." + std::string(kv.key()), out);
        }
    }
    if (s.required) {
        for (const auto& k : *s.required) {
            if (!obj.contains(k)) {
                out.push_back(field::required(error_field(name + "." + k)));
            }
        }
    }
}

// SchemaValidator.Validate: every validator that applies to the value's kind, in kube-openapi's
// order (type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object).
void validate_value(const json::value& v, const Node& s, const std::string& name, ErrorList& out) {
    check_type(v, s, name, out);
    if (v.is_null()) {
        check_enum(v, s, name, out);
        return;
    }
    check_composition(v, s, name, out);
    if (v.is_string()) {
        check_string(v, s, name, out);
        check_format(v, s, name, out);
    }
    if (is_number(v)) {
        check_number(v, s, name, out);
    }
    if (v.is_array()) {
        check_array(v, s, name, out);
    }
    check_enum(v, s, name, out);
    if (v.is_object()) {
        check_object(v, s, name, out);
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: embedded resources (objectmeta.Validate below the root)

std::optional<std::string> group_version_error(std::string_view gv) {
    // schema.ParseGroupVersion: "", "/", "v1" and "group/v1" parse; more slashes do not.
    if (gv.empty() || gv == "/") {
        return std::nullopt;
    }
    auto first = gv.find('/');
    if (first != std::string_view::npos && gv.find('/', first + 1) != std::string_view::npos) {
        return "unexpected GroupVersion string: " + std::string(gv);
    }
    return std::nullopt;
}

void validate_embedded_resource(const json::object& x, const std::string& path, ErrorList& out) {
    if (!x.contains("apiVersion")) {
        out.push_back(field::required(field::child(path, "apiVersion")));
    }
    if (!x.contains("kind")) {
        out.push_back(field::required(field::child(path, "kind")));
    }
    for (const auto& kv : x) {
        const auto& v = kv.value();
        if (kv.key() == "apiVersion") {
            auto p = field::child(path, "apiVersion");
            if (!v.is_string()) {
                out.push_back(field::invalid(p, v, "must be a string"));
            } else if (v.get_string().empty()) {
                out.push_back(field::required(p));
            } else if (auto err = group_version_error(v.get_string())) {
                out.push_back(field::invalid(p, v, *err));
            }
        } else if (kv.key() == "kind") {
            auto p = field::child(path, "kind");
            if (!v.is_string()) {
                out.push_back(field::invalid(p, v, "must be a string"));
            } else if (v.get_string().empty()) {
                out.push_back(field::required(p));
            } else {
                std::string lower(v.get_string());
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (auto errs = is_dns1035_label(lower); !errs.empty()) {
                    out.push_back(field::invalid(
                        p, v,
                        "may have mixed case, but should otherwise match: " + join(errs, ",")));
                }
            }
        } else if (kv.key() == "metadata") {
            auto p = field::child(path, "metadata");
            if (!v.is_object()) {
                out.push_back(field::invalid(p, v, "must be an object"));
                continue;
            }
            json::value meta = v;
            auto& m = meta.get_object();
            if (const auto* n = m.if_contains("name");
                n == nullptr || !n->is_string() || n->get_string().empty()) {
                m["name"] = "fakename";  // as upstream, to skip the name requirement
            }
            const auto* ns = m.if_contains("namespace");
            ObjectMetaRules rules;
            rules.namespaced = ns != nullptr && ns->is_string() && !ns->get_string().empty();
            rules.name = validate_path_segment_name;
            auto errs = validate_object_meta(meta, rules, p);
            out.insert(out.end(), errs.begin(), errs.end());
        }
    }
}

void validate_embedded(const json::value& x, const Node* s, const std::string& path,
                       ErrorList& out) {
    if (s == nullptr) {
        return;
    }
    if (x.is_object()) {
        const auto& obj = x.get_object();
        if (s->embedded()) {
            validate_embedded_resource(obj, path, out);
        }
        for (const auto& kv : obj) {
            if (const Node* prop = s->property(kv.key()); prop != nullptr) {
                validate_embedded(kv.value(), prop, field::child(path, kv.key()), out);
            } else if (const Node* a = s->additional_node(); a != nullptr) {
                validate_embedded(kv.value(), a, field::key(path, kv.key()), out);
            }
        }
    } else if (x.is_array()) {
        const auto& arr = x.get_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            validate_embedded(arr[i], s->items, field::index(path, i), out);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: list-type set and map uniqueness (listtype.ValidateListSetsAndMaps)

// A key under which Go's map[interface{}] or its JSON form would collide: scalars by type and
// value (int 1 and float 1.0 differ), compounds by their JSON.
std::string set_key(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return "n";
        case json::kind::bool_:
            return v.get_bool() ? "b:1" : "b:0";
        case json::kind::int64:
            return "i:" + std::to_string(v.get_int64());
        case json::kind::uint64:
            // Decoded as float64 upstream, beyond int64.
            return "f:" + go_float(static_cast<double>(v.get_uint64()), true);
        case json::kind::double_:
            return "f:" + go_float(v.get_double(), true);
        case json::kind::string:
            return "s:" + std::string(v.get_string());
        default:
            return "c:" + go_json(v);
    }
}

// The indices of the second appearance of each repeated key.
std::vector<std::size_t> repeated(const std::vector<std::string>& keys) {
    std::map<std::string_view, int> seen;
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (++seen[keys[i]] == 2) {
            out.push_back(i);
        }
    }
    return out;
}

void validate_list(const json::array& arr, const Node& s, const std::string& path, ErrorList& out) {
    const std::string type = s.list_type.value_or("");
    if (type == "set") {
        if (arr.size() <= 1) {
            return;
        }
        std::vector<std::string> keys;
        for (const auto& e : arr) {
            keys.push_back(set_key(e));
        }
        for (auto i : repeated(keys)) {
            out.push_back(field::duplicate(field::index(path, i), arr[i]));
        }
    } else if (type == "map") {
        for (std::size_t i = 0; i < arr.size(); ++i) {
            if (!arr[i].is_null() && !arr[i].is_object()) {
                out.push_back(field::invalid(field::index(path, i), arr[i],
                                             "must be an object for an array of list-type map"));
                return;
            }
        }
        if (arr.size() <= 1) {
            return;
        }
        const auto map_keys = s.list_map_keys.value_or(std::vector<std::string>{});
        std::vector<std::string> keys;
        std::vector<json::value> shown;
        for (const auto& e : arr) {
            json::object key;
            for (const auto& k : map_keys) {
                if (const auto* kv = e.is_object() ? e.get_object().if_contains(k) : nullptr) {
                    key[k] = *kv;
                }
            }
            if (map_keys.size() == 1) {
                // One key: compared as the value itself, missing keys all alike.
                const auto* kv = key.if_contains(map_keys[0]);
                keys.push_back(kv == nullptr ? std::string("unspecified") : set_key(*kv));
            } else {
                keys.push_back(set_key(key));
            }
            shown.emplace_back(std::move(key));
        }
        for (auto i : repeated(keys)) {
            out.push_back(field::duplicate(field::index(path, i), shown[i]));
        }
    }
}

void validate_lists(const json::value& x, const Node* s, const std::string& path, ErrorList& out) {
    if (s == nullptr) {
        return;
    }
    if (x.is_array()) {
        const auto& arr = x.get_array();
        validate_list(arr, *s, path, out);
        if (s->items != nullptr) {
            for (std::size_t i = 0; i < arr.size(); ++i) {
                validate_lists(arr[i], s->items, field::index(path, i), out);
            }
        }
    } else if (x.is_object()) {
        const auto& obj = x.get_object();
        if (const Node* a = s->additional_node(); a != nullptr) {
            for (const auto& kv : obj) {
                validate_lists(kv.value(), a, field::key(path, kv.key()), out);
            }
        }
        if (s->properties) {
            for (const auto& kv : obj) {
                if (const Node* prop = s->property(kv.key()); prop != nullptr) {
                    validate_lists(kv.value(), prop, field::child(path, kv.key()), out);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CRD schema checks (apiextensions validation and structural schema invariants)

enum class Level { Root, Item, Field };

struct CrdContext {
    bool inside_meta = false;
    std::optional<std::string> forbid_defaults;  // the reason, when defaults are forbidden
};

const json::value* member(const json::object& o, std::string_view k) {
    const auto* v = o.if_contains(k);
    return v != nullptr && !v->is_null() ? v : nullptr;
}

bool flag(const json::object& o, std::string_view k) {
    const auto* v = member(o, k);
    return v != nullptr && v->is_bool() && v->get_bool();
}

std::string text(const json::object& o, std::string_view k) {
    const auto* v = member(o, k);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* sub_object(const json::object& o, std::string_view k) {
    const auto* v = member(o, k);
    return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string props_path(const std::string& path, std::string_view k) {
    return field::key(field::child(path, "properties"), k);
}

class CrdSchemaChecker {
public:
    ErrorList errors;

    void check(const json::value& v, const std::string& path, Level lvl, const CrdContext& ctx) {
        if (!v.is_object()) {
            errors.push_back(field::invalid(path, v, "must be an object"));
            return;
        }
        const auto& o = v.get_object();
        const std::string type = text(o, "type");
        const bool embedded = flag(o, "x-kubernetes-embedded-resource");
        const bool int_or_string = flag(o, "x-kubernetes-int-or-string");
        const bool preserve = flag(o, "x-kubernetes-preserve-unknown-fields");
        const auto* props = sub_object(o, "properties");
        const auto* additional = member(o, "additionalProperties");
        const auto* items = member(o, "items");

        standard(o, path, ctx, embedded);

        if (flag(o, "uniqueItems")) {
            errors.push_back(field::forbidden(field::child(path, "uniqueItems"),
                                              "uniqueItems cannot be set to true since the runtime "
                                              "complexity becomes quadratic"));
        }
        if (additional != nullptr) {
            bool schema = additional->is_object();
            bool disallows = additional->is_bool() && !additional->get_bool();
            if (props != nullptr && !props->empty() && (disallows || schema)) {
                errors.push_back(
                    field::forbidden(field::child(path, "additionalProperties"),
                                     "additionalProperties and properties are mutual exclusive"));
            }
            if (lvl == Level::Root) {
                errors.push_back(field::forbidden(field::child(path, "additionalProperties"),
                                                  "must not be used at the root"));
            }
            if (embedded) {
                errors.push_back(
                    field::forbidden(field::child(path, "additionalProperties"),
                                     "must not be used if x-kubernetes-embedded-resource is set"));
            }
            if (schema) {
                CrdContext sub = ctx;
                if (ctx.inside_meta) {
                    sub.forbid_defaults = "inside additionalProperties applying to object metadata";
                }
                check(*additional, field::child(path, "additionalProperties"), Level::Field, sub);
            }
        }
        if (props != nullptr) {
            for (const auto& kv : *props) {
                CrdContext sub = ctx;
                if ((lvl == Level::Root || embedded) && is_meta_field(kv.key())) {
                    sub.inside_meta = true;
                    if (lvl == Level::Root) {
                        sub.forbid_defaults = "in top-level " + std::string(kv.key());
                    }
                }
                check(kv.value(), props_path(path, kv.key()), Level::Field, sub);
            }
        }
        if (items != nullptr && items->is_object()) {
            check(*items, field::child(path, "items"), Level::Item, ctx);
        }
        if (const auto* p = member(o, "x-kubernetes-preserve-unknown-fields");
            p != nullptr && p->is_bool() && !p->get_bool()) {
            errors.push_back(
                field::invalid(field::child(path, "x-kubernetes-preserve-unknown-fields"), false,
                               "must be true or undefined"));
        }
        map_and_list_types(o, path, type);

        // Structural invariants.
        if (type == "array" && items == nullptr) {
            errors.push_back(field::required(field::child(path, "items"), "must be specified"));
        }
        if (int_or_string && preserve) {
            errors.push_back(
                field::invalid(field::child(path, "x-kubernetes-preserve-unknown-fields"), true,
                               "must be false if x-kubernetes-int-or-string is true"));
        }
        if (int_or_string && embedded) {
            errors.push_back(field::invalid(field::child(path, "x-kubernetes-embedded-resource"),
                                            true,
                                            "must be false if x-kubernetes-int-or-string is true"));
        }
        bool skip_any_of = int_or_string_any_of(o);
        bool skip_first_all_of_any_of = false;
        if (const auto* all = member(o, "allOf"); all != nullptr && all->is_array() &&
                                                  !all->get_array().empty() &&
                                                  all->get_array()[0].is_object()) {
            skip_first_all_of_any_of = int_or_string_any_of(all->get_array()[0].get_object());
        }
        value_validations(o, path, skip_any_of, skip_first_all_of_any_of);

        if (embedded && type != "object") {
            if (type.empty()) {
                errors.push_back(
                    field::required(field::child(path, "type"),
                                    "must be object if x-kubernetes-embedded-resource is true"));
            } else {
                errors.push_back(
                    field::invalid(field::child(path, "type"), json::string(type),
                                   "must be object if x-kubernetes-embedded-resource is true"));
            }
        } else if (type.empty() && !int_or_string && !preserve) {
            static constexpr std::array<std::string_view, 3> kWhere = {
                "must not be empty at the root", "must not be empty for specified array items",
                "must not be empty for specified object fields"};
            errors.push_back(field::required(field::child(path, "type"),
                                             std::string(kWhere[static_cast<int>(lvl)])));
        }
        if (lvl == Level::Root && !type.empty() && type != "object") {
            errors.push_back(field::invalid(field::child(path, "type"), json::string(type),
                                            "must be object at the root"));
        }
        bool check_meta = lvl == Level::Root || embedded;
        if (props != nullptr && check_meta) {
            for (std::string_view k : {"kind", "apiVersion"}) {
                if (const auto* p = sub_object(*props, k);
                    p != nullptr && text(*p, "type") != "string") {
                    errors.push_back(field::invalid(field::child(props_path(path, k), "type"),
                                                    json::string(text(*p, "type")),
                                                    "must be string"));
                }
            }
        }
        if (const auto* meta = props == nullptr ? nullptr : sub_object(*props, "metadata")) {
            metadata(*meta, props_path(path, "metadata"), check_meta, lvl == Level::Root);
        }
        if (embedded && !preserve && (props == nullptr || props->empty())) {
            errors.push_back(field::required(
                field::child(path, "properties"),
                "must not be empty if x-kubernetes-embedded-resource is true without "
                "x-kubernetes-preserve-unknown-fields"));
        }
        if (lvl == Level::Root) {
            completeness(&o, path, o, path);
        }
    }

private:
    // specStandardValidatorV3.validate and the keywords CRD schemas do not support.
    void standard(const json::object& o, const std::string& path, const CrdContext& ctx,
                  bool embedded) {
        if (const auto* t = member(o, "type")) {
            static const std::vector<std::string> kTypes = {"array",  "boolean", "integer",
                                                            "number", "object",  "string"};
            if (!t->is_string() ||
                (!t->get_string().empty() && !contains(kTypes, t->get_string()))) {
                errors.push_back(field::not_supported(field::child(path, "type"), *t, kTypes));
            }
            if (t->is_string() && t->get_string() == "null") {
                errors.push_back(
                    field::forbidden(field::child(path, "type"),
                                     "type cannot be set to null, use nullable as an alternative"));
            }
        }
        if (member(o, "default") != nullptr && ctx.forbid_defaults) {
            errors.push_back(field::forbidden(field::child(path, "default"),
                                              "must not be set " + *ctx.forbid_defaults));
        }
        unsupported(o, path);
        if (const auto* i = member(o, "items"); i != nullptr && i->is_array()) {
            errors.push_back(field::forbidden(field::child(path, "items"),
                                              "items must be a schema object and not an array"));
        }
        if (ctx.inside_meta && embedded) {
            errors.push_back(field::forbidden(field::child(path, "x-kubernetes-embedded-resource"),
                                              "must not be used inside of resource meta"));
        }
        pattern(o, path);
    }

    void unsupported(const json::object& o, const std::string& path) {
        static constexpr std::array<std::string_view, 6> kKeys = {
            "id", "additionalItems", "patternProperties", "definitions", "dependencies", "$ref"};
        for (auto k : kKeys) {
            if (member(o, k) != nullptr) {
                errors.push_back(
                    field::forbidden(field::child(path, k), std::string(k) + " is not supported"));
            }
        }
    }

    void pattern(const json::object& o, const std::string& path) {
        const auto* p = member(o, "pattern");
        if (p == nullptr || !p->is_string()) {
            return;
        }
        try {
            boost::regex re(std::string(p->get_string()), regex_flags());
        } catch (const std::exception& e) {
            errors.push_back(field::invalid(
                field::child(path, "pattern"), *p,
                std::string("must be a valid regular expression, but isn't: ") + e.what()));
        }
    }

    void map_and_list_types(const json::object& o, const std::string& path,
                            const std::string& type) {
        const auto* map_type = member(o, "x-kubernetes-map-type");
        if (map_type != nullptr && type != "object") {
            std::string why = "must be object if x-kubernetes-map-type is specified";
            errors.push_back(
                type.empty() ? field::required(field::child(path, "type"), why)
                             : field::invalid(field::child(path, "type"), json::string(type), why));
        }
        if (map_type != nullptr &&
            !(map_type->is_string() &&
              (map_type->get_string() == "atomic" || map_type->get_string() == "granular"))) {
            errors.push_back(field::not_supported(field::child(path, "x-kubernetes-map-type"),
                                                  *map_type, {"atomic", "granular"}));
        }
        const auto* list_type_v = member(o, "x-kubernetes-list-type");
        const std::string list_type = text(o, "x-kubernetes-list-type");
        const auto* items = sub_object(o, "items");
        if (list_type_v != nullptr && type != "array") {
            std::string why = "must be array if x-kubernetes-list-type is specified";
            errors.push_back(
                type.empty() ? field::required(field::child(path, "type"), why)
                             : field::invalid(field::child(path, "type"), json::string(type), why));
        } else if (list_type == "set" && items != nullptr) {
            const std::string item_type = text(*items, "type");
            auto item_list = member(*items, "x-kubernetes-list-type");
            json::value shown = item_list != nullptr ? *item_list : json::value(nullptr);
            if (item_type == "array" && item_list != nullptr &&
                text(*items, "x-kubernetes-list-type") != "atomic") {
                errors.push_back(field::invalid(
                    field::child(field::child(path, "items"), "x-kubernetes-list-type"), shown,
                    "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
            if (item_type == "object" && text(*items, "x-kubernetes-map-type") != "atomic") {
                errors.push_back(field::invalid(
                    field::child(field::child(path, "items"), "x-kubernetes-map-type"), shown,
                    "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
        }
        if (list_type_v != nullptr && list_type != "atomic" && list_type != "set" &&
            list_type != "map") {
            errors.push_back(field::not_supported(field::child(path, "x-kubernetes-list-type"),
                                                  *list_type_v, {"atomic", "set", "map"}));
        }
        const auto* keys_v = member(o, "x-kubernetes-list-map-keys");
        std::vector<std::string> keys;
        if (keys_v != nullptr && keys_v->is_array()) {
            for (const auto& k : keys_v->get_array()) {
                if (k.is_string()) {
                    keys.emplace_back(k.get_string());
                }
            }
        }
        if (!keys.empty()) {
            std::string why = "must be map if x-kubernetes-list-map-keys is non-empty";
            if (list_type_v == nullptr) {
                errors.push_back(
                    field::required(field::child(path, "x-kubernetes-list-type"), why));
            } else if (list_type != "map") {
                errors.push_back(field::invalid(field::child(path, "x-kubernetes-list-type"),
                                                *list_type_v, why));
            }
        }
        if (list_type != "map") {
            if (list_type == "set" && items != nullptr && flag(*items, "nullable")) {
                errors.push_back(
                    field::forbidden(field::child(field::child(path, "items"), "nullable"),
                                     "cannot be nullable when x-kubernetes-list-type is set"));
            }
            return;
        }
        if (keys.empty()) {
            errors.push_back(field::required(field::child(path, "x-kubernetes-list-map-keys"),
                                             "must not be empty if x-kubernetes-list-type is map"));
        }
        if (items == nullptr) {
            errors.push_back(
                field::required(field::child(path, "items"),
                                "must have a schema if x-kubernetes-list-type is map"));
            return;
        }
        const std::string items_path = field::child(path, "items");
        const std::string item_type = text(*items, "type");
        if (item_type != "object") {
            errors.push_back(
                field::invalid(field::child(items_path, "type"), json::string(item_type),
                               "must be object if parent array's x-kubernetes-list-type is map"));
        } else {
            const auto* item_props = sub_object(*items, "properties");
            std::vector<std::string> seen;
            for (const auto& k : keys) {
                const auto* p = item_props == nullptr ? nullptr : sub_object(*item_props, k);
                if (p != nullptr) {
                    auto t = text(*p, "type");
                    if (t == "array" || t == "object") {
                        errors.push_back(
                            field::invalid(field::child(props_path(items_path, k), "type"),
                                           json::string(item_type),
                                           "must be a scalar type if parent array's "
                                           "x-kubernetes-list-type is map"));
                    }
                } else {
                    errors.push_back(
                        field::invalid(field::child(path, "x-kubernetes-list-map-keys"), *keys_v,
                                       "entries must all be names of item properties"));
                }
                if (contains(seen, k)) {
                    errors.push_back(
                        field::invalid(field::child(path, "x-kubernetes-list-map-keys"), *keys_v,
                                       "must not contain duplicate entries"));
                }
                seen.push_back(k);
            }
        }
        // Map keys must be required or defaulted and not nullable; items not nullable.
        if (flag(*items, "nullable")) {
            errors.push_back(
                field::forbidden(field::child(items_path, "nullable"),
                                 "cannot be nullable when x-kubernetes-list-type is map"));
        }
        std::vector<std::string> required;
        if (const auto* r = member(*items, "required"); r != nullptr && r->is_array()) {
            for (const auto& e : r->get_array()) {
                if (e.is_string()) {
                    required.emplace_back(e.get_string());
                }
            }
        }
        const auto* item_props = sub_object(*items, "properties");
        for (const auto& k : keys) {
            const auto* p = item_props == nullptr ? nullptr : sub_object(*item_props, k);
            if (p == nullptr) {
                continue;
            }
            if (!contains(required, k) && member(*p, "default") == nullptr) {
                errors.push_back(
                    field::required(field::child(props_path(items_path, k), "default"),
                                    "this property is in x-kubernetes-list-map-keys, so it must "
                                    "have a default or be a required property"));
            }
            if (flag(*p, "nullable")) {
                errors.push_back(field::forbidden(
                    field::child(props_path(items_path, k), "nullable"),
                    "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
            }
        }
    }

    // anyOf: [{type: integer}, {type: string}], the int-or-string exception.
    static bool int_or_string_any_of(const json::object& o) {
        const auto* any = member(o, "anyOf");
        if (any == nullptr || !any->is_array() || any->get_array().size() != 2) {
            return false;
        }
        const auto& a = any->get_array();
        auto only_type = [](const json::value& v, std::string_view t) {
            return v.is_object() && v.get_object().size() == 1 && text(v.get_object(), "type") == t;
        };
        return only_type(a[0], "integer") && only_type(a[1], "string");
    }

    void value_validations(const json::object& o, const std::string& path, bool skip_any_of,
                           bool skip_first_all_of_any_of) {
        auto each = [&](std::string_view key, auto&& fn) {
            const auto* list = member(o, key);
            if (list == nullptr || !list->is_array()) {
                return;
            }
            const auto& a = list->get_array();
            for (std::size_t i = 0; i < a.size(); ++i) {
                fn(a[i], field::index(field::child(path, key), i), i);
            }
        };
        if (!skip_any_of) {
            each("anyOf", [&](const json::value& v, const std::string& p, std::size_t) {
                nested(v, p, false, false);
            });
        }
        each("allOf", [&](const json::value& v, const std::string& p, std::size_t i) {
            nested(v, p, skip_first_all_of_any_of && i == 0, false);
        });
        each("oneOf", [&](const json::value& v, const std::string& p, std::size_t) {
            nested(v, p, false, false);
        });
        if (const auto* n = member(o, "not")) {
            nested(*n, field::child(path, "not"), false, false);
        }
    }

    // validateNestedValueValidation: what allOf/anyOf/oneOf/not may not say.
    void nested(const json::value& v, const std::string& path, bool skip_any_of,
                bool skip_first_all_of_any_of) {
        if (!v.is_object()) {
            errors.push_back(field::invalid(path, v, "must be an object"));
            return;
        }
        const auto& o = v.get_object();
        value_validations(o, path, skip_any_of, skip_first_all_of_any_of);
        if (const auto* items = member(o, "items"); items != nullptr && items->is_object()) {
            nested(*items, field::child(path, "items"), false, false);
        }
        if (const auto* props = sub_object(o, "properties")) {
            for (const auto& kv : *props) {
                nested(kv.value(), props_path(path, kv.key()), false, false);
            }
            if (props->contains("metadata")) {
                errors.push_back(field::forbidden(props_path(path, "metadata"),
                                                  "must not be specified in a nested context"));
            }
        }
        struct Rule {
            std::string_view key;
            std::string_view detail;
            bool only_true;  // a boolean that is forbidden only when true
        };
        static constexpr std::array<Rule, 13> kRules = {{
            {"type", "must be empty to be structural", false},
            {"additionalProperties", "must be undefined to be structural", false},
            {"default", "must be undefined to be structural", false},
            {"title", "must be empty to be structural", false},
            {"description", "must be empty to be structural", false},
            {"nullable", "must be false to be structural", true},
            {"externalDocs", "must be undefined to be structural", false},
            {"x-kubernetes-preserve-unknown-fields", "must be false to be structural", true},
            {"x-kubernetes-embedded-resource", "must be false to be structural", true},
            {"x-kubernetes-int-or-string", "must be false to be structural", true},
            {"x-kubernetes-list-map-keys", "must be empty to be structural", false},
            {"x-kubernetes-list-type", "must be undefined to be structural", false},
            {"x-kubernetes-map-type", "must be undefined to be structural", false},
        }};
        for (const auto& r : kRules) {
            const auto* m = member(o, r.key);
            if (m == nullptr || (r.only_true && !(m->is_bool() && m->get_bool())) ||
                (m->is_string() && m->get_string().empty()) ||
                (m->is_array() && m->get_array().empty())) {
                continue;
            }
            errors.push_back(field::forbidden(field::child(path, r.key), std::string(r.detail)));
        }
        if (const auto* x = member(o, "x-kubernetes-validations");
            x != nullptr && x->is_array() && !x->get_array().empty()) {
            errors.push_back(field::forbidden(field::child(path, "x-kubernetes-validations"),
                                              "must be empty to be structural"));
        }
        unsupported(o, path);
        pattern(o, path);
    }

    // The root's metadata may only restrict name and generateName; resource metadata is an
    // object.
    void metadata(const json::object& m, const std::string& path, bool check_meta, bool root) {
        if (check_meta && text(m, "type") != "object") {
            errors.push_back(field::invalid(field::child(path, "type"),
                                            json::string(text(m, "type")), "must be object"));
        }
        if (!root) {
            return;
        }
        bool extra = false;
        for (const auto& kv : m) {
            if (kv.key() == "type" || kv.key() == "default") {
                continue;
            }
            if (kv.key() == "properties" && kv.value().is_object()) {
                for (const auto& p : kv.value().get_object()) {
                    extra = extra || (p.key() != "name" && p.key() != "generateName");
                }
                continue;
            }
            extra = true;
        }
        if (extra) {
            errors.push_back(
                field::forbidden(path,
                                 "must not specify anything other than name and "
                                 "generateName, but metadata is implicitly specified"));
        }
    }

    // validateStructuralCompleteness: what value validations mention must be specified
    // structurally (upstream checks the root's value validations).
    void completeness(const json::object* s, const std::string& s_path, const json::object& v,
                      const std::string& v_path) {
        auto visit = [&](const json::value& n, const std::string& p) {
            if (n.is_object()) {
                nested_completeness(n.get_object(), s, s_path, p);
            }
        };
        if (const auto* n = member(v, "not")) {
            visit(*n, field::child(v_path, "not"));
        }
        for (std::string_view key : {"allOf", "anyOf", "oneOf"}) {
            const auto* list = member(v, key);
            if (list == nullptr || !list->is_array()) {
                continue;
            }
            const auto& a = list->get_array();
            for (std::size_t i = 0; i < a.size(); ++i) {
                visit(a[i], field::index(field::child(v_path, key), i));
            }
        }
    }

    void nested_completeness(const json::object& v, const json::object* s,
                             const std::string& s_path, const std::string& v_path) {
        if (s == nullptr) {
            errors.push_back(field::required(s_path, "because it is defined in " + v_path));
            return;
        }
        completeness(s, s_path, v, v_path);
        if (const auto* items = sub_object(v, "items")) {
            nested_completeness(*items, sub_object(*s, "items"), field::child(s_path, "items"),
                                field::child(v_path, "items"));
        }
        if (const auto* props = sub_object(v, "properties")) {
            const auto* s_props = sub_object(*s, "properties");
            for (const auto& kv : *props) {
                if (!kv.value().is_object()) {
                    continue;
                }
                const auto* s_prop = s_props == nullptr ? nullptr : sub_object(*s_props, kv.key());
                if (s_prop == nullptr) {
                    errors.push_back(field::required(
                        props_path(s_path, kv.key()),
                        "because it is defined in " + props_path(v_path, kv.key())));
                } else {
                    nested_completeness(kv.value().get_object(), s_prop,
                                        props_path(s_path, kv.key()), props_path(v_path, kv.key()));
                }
            }
        }
    }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Schema

Schema::Schema() {
    auto arena = std::make_shared<Arena>();
    Node& n = arena->nodes.emplace_back();
    n.preserve_unknown = true;
    root_ = &n;
    arena_ = std::move(arena);
}

Schema::Schema(std::shared_ptr<const Arena> arena, const Node* root)
    : arena_(std::move(arena)), root_(root) {}

base::Result<Schema> Schema::compile(const json::value& schema, const json::object& definitions) {
    auto arena = std::make_shared<Arena>();
    Compiler c(*arena, definitions);
    const Node* root = c.compile(schema, "");
    if (root == nullptr) {
        return c.status();
    }
    c.flatten_all();
    return Schema(std::move(arena), root);
}

const Schema& Schema::object_meta() {
    static const Schema kObjectMeta = [] {
        auto compiled = Schema::compile(json::parse(kObjectMetaSchema));
        return std::move(compiled).value();
    }();
    return kObjectMeta;
}

// ---------------------------------------------------------------------------------------------
// Operations

std::vector<std::string> unknown_fields(const json::value& object, const Schema& schema,
                                        bool resource_root) {
    std::vector<std::string> out;
    Pruner<const json::value>(out).prune(object, &schema.root(), resource_root);
    return out;
}

std::vector<std::string> prune(json::value& object, const Schema& schema, bool resource_root) {
    std::vector<std::string> out;
    Pruner<json::value>(out).prune(object, &schema.root(), resource_root);
    return out;
}

std::string unknown_field_message(std::string_view path) {
    return "unknown field " + go_quoted(path);
}

std::string strict_decoding_message(const std::vector<std::string>& paths) {
    if (paths.empty()) {
        return {};
    }
    std::string out = "strict decoding error: ";
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += unknown_field_message(paths[i]);
    }
    return out;
}

base::Status strict_decoding_status(std::string_view kind, std::string_view version,
                                    const std::vector<std::string>& paths) {
    return base::bad_request(std::string(kind) + " in version " + go_quoted(version) +
                             " cannot be handled as a " + std::string(kind) + ": " +
                             strict_decoding_message(paths));
}

void prune_non_nullable_nulls(json::value& object, const Schema& schema) {
    prune_nulls(object, &schema.root());
}

void apply_defaults(json::value& object, const Schema& schema) {
    default_walk(object, &schema.root());
}

ErrorList validate(const json::value& object, const Schema& schema) {
    ErrorList out;
    validate_value(object, schema.root(), "", out);
    validate_embedded(object, &schema.root(), "", out);
    validate_lists(object, &schema.root(), "", out);
    return out;
}

ErrorList validate_crd_schema(const json::value& schema, const std::string& path) {
    CrdSchemaChecker checker;
    checker.check(schema, path, Level::Root, CrdContext{});
    auto errors = std::move(checker.errors);
    std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
        return a.to_string() < b.to_string();
    });
    return errors;
}

base::Result<std::vector<CrdVersionSchema>> crd_version_schemas(const json::value& crd) {
    const auto* spec = crd.is_object() ? crd.get_object().if_contains("spec") : nullptr;
    const auto* versions =
        spec != nullptr && spec->is_object() ? spec->get_object().if_contains("versions") : nullptr;
    if (versions == nullptr || !versions->is_array()) {
        return base::bad_request("spec.versions must be a list");
    }
    std::vector<CrdVersionSchema> out;
    const auto& list = versions->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& v = list[i];
        const auto* name = v.is_object() ? v.get_object().if_contains("name") : nullptr;
        if (name == nullptr || !name->is_string()) {
            return base::bad_request(field::index("spec.versions", i) + ".name must be a string");
        }
        CrdVersionSchema entry;
        entry.name = std::string(name->get_string());
        const auto& o = v.get_object();
        entry.served = flag(o, "served");
        entry.storage = flag(o, "storage");
        if (const auto* s = sub_object(o, "schema")) {
            if (const auto* schema = member(*s, "openAPIV3Schema")) {
                entry.schema = *schema;
            }
        }
        out.push_back(std::move(entry));
    }
    return out;
}

ErrorList validate_crd_schemas(const json::value& crd) {
    auto versions = crd_version_schemas(crd);
    if (!versions.ok()) {
        return {field::invalid("spec.versions", nullptr, versions.status().message())};
    }
    ErrorList out;
    for (std::size_t i = 0; i < versions->size(); ++i) {
        auto path = field::child(field::index("spec.versions", i), "schema.openAPIV3Schema");
        const auto& schema = (*versions)[i].schema;
        if (schema.is_null()) {
            out.push_back(field::required(path, "schemas are required"));
            continue;
        }
        auto errs = validate_crd_schema(schema, path);
        out.insert(out.end(), errs.begin(), errs.end());
    }
    return out;
}

}  // namespace skiff::api
