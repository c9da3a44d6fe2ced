// YAML to JSON over yaml-cpp, with go-yaml v2's scalar resolution (what kubectl uses).
#include "skiff/base/yaml.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

namespace skiff::base {
namespace json = boost::json;
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

Status yaml_error(std::string_view message, const YAML::Mark& mark) {
    std::string out = "yaml: ";
    if (mark.line >= 0) {
        out += "line " + std::to_string(mark.line + 1) + ": ";
    }
    out += message;
    return bad_request(out);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Go's strconv.ParseInt/ParseUint with base 0: sign, then 0x / 0o / 0b / 0 (octal) prefixes.
/// Returns false when `s` is not an integer in that syntax or overflows 64 bits.
bool parse_go_int(std::string_view s, json::value& out) {
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return false;
    }
    int base = 10;
    if (s.size() >= 2 && s[0] == '0') {
        char p = s[1];
        if (p == 'x' || p == 'X') {
            base = 16;
            s.remove_prefix(2);
        } else if (p == 'o' || p == 'O') {
            base = 8;
            s.remove_prefix(2);
        } else if (p == 'b' || p == 'B') {
            base = 2;
            s.remove_prefix(2);
        } else {
            base = 8;
            s.remove_prefix(1);
        }
    }
    if (s.empty()) {
        return false;
    }
    unsigned __int128 v = 0;
    for (char c : s) {
        int d;
        if (is_digit(c)) {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return false;
        }
        if (d >= base) {
            return false;
        }
        v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
        if (v > UINT64_MAX) {
            return false;
        }
    }
    if (negative) {
        if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) {
            return false;
        }
        out = v == static_cast<unsigned __int128>(INT64_MAX) + 1
                  ? INT64_MIN
                  : -static_cast<std::int64_t>(v);
    } else if (v <= INT64_MAX) {
        out = static_cast<std::int64_t>(v);
    } else {
        out = static_cast<std::uint64_t>(v);
    }
    return true;
}

/// A float as JSON: integral values print as integers, as Go's encoding/json prints them.
json::value float_value(double d) {
    if (std::nearbyint(d) == d && std::fabs(d) < 9.007199254740992e15) {
        return static_cast<std::int64_t>(d);
    }
    return d;
}

/// go-yaml's float syntax: [-+]? ( .D+ | D+ (.D*)? ) ([eE][-+]?D+)?
bool looks_like_yaml_float(std::string_view s) {
    size_t i = 0;
    auto digits = [&] {
        size_t start = i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
        return i - start;
    };
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        ++i;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (digits() == 0) {
            return false;
        }
    } else {
        if (digits() == 0) {
            return false;
        }
        if (i < s.size() && s[i] == '.') {
            ++i;
            digits();
        }
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            ++i;
        }
        if (digits() == 0) {
            return false;
        }
    }
    return i == s.size();
}

bool parse_float(const std::string& s, json::value& out) {
    if (!looks_like_yaml_float(s)) {
        return false;
    }
    errno = 0;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (errno == ERANGE || end != s.c_str() + s.size() || !std::isfinite(d)) {
        return false;
    }
    out = float_value(d);
    return true;
}

bool starts_like_timestamp(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && is_digit(s[i])) {
        ++i;
    }
    return i == 4 && i < s.size() && s[i] == '-';
}

/// go-yaml v2's resolve() for an untagged plain scalar.
Result<json::value> resolve_plain(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
        return json::value(nullptr);
    }
    static constexpr std::string_view kTrue[] = {"y",  "Y",    "yes",  "Yes", "YES", "true",
                                                 "True", "TRUE", "on", "On",  "ON"};
    static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                  "False", "FALSE", "off", "Off", "OFF"};
    for (auto t : kTrue) {
        if (s == t) {
            return json::value(true);
        }
    }
    for (auto f : kFalse) {
        if (s == f) {
            return json::value(false);
        }
    }
    for (std::string_view special : {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf",
                                     "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"}) {
        if (s == special) {
            return bad_request("json: unsupported value: " + s + " (NaN and infinities have no "
                               "JSON form; quote the value to keep it a string)");
        }
    }
    const char first = s[0];
    json::value out;
    if (first == '.') {
        if (parse_float(s, out)) {
            return out;
        }
    } else if (is_digit(first) || first == '+' || first == '-') {
        if (starts_like_timestamp(s)) {
            return json::value(s);  // go-yaml v2 keeps timestamps as strings in interface{}
        }
        std::string plain;
        for (char c : s) {
            if (c != '_') {
                plain += c;
            }
        }
        if (parse_go_int(plain, out) || parse_float(plain, out)) {
            return out;
        }
    }
    return json::value(s);
}

Result<json::value> convert(const YAML::Node& node, int depth);

Result<json::value> convert_scalar(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    const std::string& s = node.Scalar();
    if (tag == "!") {
        return json::value(s);  // quoted or block scalar: a string, whatever it looks like
    }
    if (tag.empty() || tag == "?") {
        return resolve_plain(s);
    }
    std::string_view t = tag;
    if (t.starts_with(kTagPrefix)) {
        t.remove_prefix(kTagPrefix.size());
        if (t == "str" || t == "binary" || t == "timestamp") {
            return json::value(s);
        }
        auto v = resolve_plain(s);
        if (!v.ok()) {
            return v;
        }
        bool matches = (t == "int" && (v->is_int64() || v->is_uint64())) ||
                       (t == "float" && (v->is_number())) || (t == "bool" && v->is_bool()) ||
                       (t == "null" && v->is_null());
        if (!matches) {
            return yaml_error("cannot decode `" + s + "` as a !!" + std::string(t), node.Mark());
        }
        if (t == "float" && !v->is_double()) {
            return json::value(v->to_number<double>());
        }
        return v;
    }
    return json::value(s);  // a local tag (!foo): go-yaml keeps the text
}

std::string key_text(const json::value& key) {
    if (key.is_string()) {
        return std::string(key.get_string());
    }
    return json::serialize(key);  // numbers, booleans and null as their JSON text
}

Status merge_into(json::object& target, const json::value& source, const YAML::Mark& mark) {
    if (const auto* o = source.if_object()) {
        for (const auto& kv : *o) {
            if (!target.contains(kv.key())) {
                target[kv.key()] = kv.value();
            }
        }
        return {};
    }
    if (const auto* a = source.if_array()) {
        for (const auto& e : *a) {
            if (!e.is_object()) {
                return yaml_error("map merge requires map or sequence of maps as the value", mark);
            }
            if (auto s = merge_into(target, e, mark); !s.ok()) {
                return s;
            }
        }
        return {};
    }
    return yaml_error("map merge requires map or sequence of maps as the value", mark);
}

Result<json::value> convert_map(const YAML::Node& node, int depth) {
    json::object out;
    std::vector<YAML::Node> merge_values;
    for (const auto& entry : node) {
        // The iterator yields a temporary pair: copy the nodes (handles) out of it.
        const YAML::Node k = entry.first;
        const YAML::Node v = entry.second;
        if (k.IsScalar() && k.Tag() != "!" && k.Scalar() == "<<") {
            merge_values.push_back(v);
            continue;
        }
        if (!k.IsScalar() && !k.IsNull()) {
            return yaml_error("invalid map key: keys must be scalars", k.Mark());
        }
        auto key = k.IsNull() ? Result<json::value>(json::value(nullptr)) : convert_scalar(k);
        if (!key.ok()) {
            return key;
        }
        auto value = convert(v, depth + 1);
        if (!value.ok()) {
            return value;
        }
        out[key_text(*key)] = std::move(*value);  // a repeated key: the last one wins
    }
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    for (const auto& m : merge_values) {
        auto source = convert(m, depth + 1);
        if (!source.ok()) {
            return source;
        }
        if (auto s = merge_into(out, *source, m.Mark()); !s.ok()) {
            return s;
        }
    }
    return json::value(std::move(out));
}

Result<json::value> convert(const YAML::Node& node, int depth) {
    if (depth > 1000) {
        return yaml_error("exceeded max depth of 1000", node.Mark());
    }
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return json::value(nullptr);
        case YAML::NodeType::Scalar:
            return convert_scalar(node);
        case YAML::NodeType::Sequence: {
            json::array out;
            for (const auto& e : node) {
                auto v = convert(e, depth + 1);
                if (!v.ok()) {
                    return v;
                }
                out.push_back(std::move(*v));
            }
            return json::value(std::move(out));
        }
        case YAML::NodeType::Map:
            return convert_map(node, depth);
    }
    return json::value(nullptr);
}

}  // namespace

Result<std::vector<json::value>> yaml_documents_to_json(std::string_view text) {
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception& e) {
        return yaml_error(e.msg, e.mark);
    }
    std::vector<json::value> out;
    for (const auto& doc : docs) {
        if (doc.IsNull() || !doc.IsDefined()) {
            continue;
        }
        auto v = convert(doc, 0);
        if (!v.ok()) {
            return v.status();
        }
        out.push_back(std::move(*v));
    }
    return out;
}

Result<json::value> yaml_to_json(std::string_view text) {
    auto docs = yaml_documents_to_json(text);
    if (!docs.ok()) {
        return docs.status();
    }
    if (docs->size() > 1) {
        return bad_request("yaml: expected a single document, found " +
                           std::to_string(docs->size()));
    }
    return docs->empty() ? json::value(nullptr) : std::move(docs->front());
}

}  // namespace skiff::base
