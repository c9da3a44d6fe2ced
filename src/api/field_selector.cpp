// Field selectors: the ?fieldSelector= string form, its escaping, and matching field values.
#include "skiff/api/field_selector.h"

#include <algorithm>

#include <boost/json.hpp>

namespace skiff::api {
namespace {

namespace json = boost::json;

// Splits on commas that are not escaped; the escapes stay in the terms.
std::vector<std::string_view> split_terms(std::string_view s) {
    std::vector<std::string_view> terms;
    if (s.empty()) {
        return terms;
    }
    std::size_t start = 0;
    bool escaped = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (escaped) {
            escaped = false;
        } else if (s[i] == '\\') {
            escaped = true;
        } else if (s[i] == ',') {
            terms.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    terms.push_back(s.substr(start));
    return terms;
}

// The first operator in the term splits it; "!=" and "==" are tried before "=" at each
// position. The left side has no escaping.
bool split_term(std::string_view term, std::string_view& lhs, std::string_view& op,
                std::string_view& rhs) {
    for (std::size_t i = 0; i < term.size(); ++i) {
        for (std::string_view candidate : {"!=", "==", "="}) {
            if (term.substr(i).starts_with(candidate)) {
                lhs = term.substr(0, i);
                op = candidate;
                rhs = term.substr(i + candidate.size());
                return true;
            }
        }
    }
    return false;
}

}  // namespace

std::string escape_field_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\' || c == ',' || c == '=') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

base::Result<std::string> unescape_field_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c == '\\') {
            if (i + 1 == value.size()) {
                return base::bad_request("invalid field selector: invalid escape sequence: \\");
            }
            char next = value[++i];
            if (next != '\\' && next != ',' && next != '=') {
                // Name the whole UTF-8 sequence after the backslash, as Go names the rune.
                std::size_t end = i + 1;
                while (end < value.size() &&
                       (static_cast<unsigned char>(value[end]) & 0xc0) == 0x80) {
                    ++end;
                }
                return base::bad_request("invalid field selector: invalid escape sequence: \\" +
                                         std::string(value.substr(i, end - i)));
            }
            out += next;
        } else if (c == ',' || c == '=') {
            // Upstream formats the rune with %v, which prints its code point.
            return base::bad_request("invalid field selector: unescaped character in value: " +
                                     std::to_string(static_cast<int>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

std::string FieldRequirement::to_string() const {
    return field + (equals ? "=" : "!=") + escape_field_value(value);
}

base::Result<FieldSelector> FieldSelector::parse(std::string_view text) {
    auto parts = split_terms(text);
    std::sort(parts.begin(), parts.end());
    FieldSelector selector;
    for (auto part : parts) {
        if (part.empty()) {
            continue;
        }
        std::string_view lhs;
        std::string_view op;
        std::string_view rhs;
        if (!split_term(part, lhs, op, rhs)) {
            return base::bad_request("invalid selector: '" + std::string(text) +
                                     "'; can't understand '" + std::string(part) + "'");
        }
        auto value = unescape_field_value(rhs);
        if (!value.ok()) {
            return value.status();
        }
        if (lhs.empty() && value->empty()) {
            continue;  // upstream turns an empty term into "everything"
        }
        selector.terms_.push_back(
            FieldRequirement{std::string(lhs), op != "!=", std::move(*value)});
    }
    return selector;
}

FieldSelector FieldSelector::one_term_equal(std::string field, std::string value) {
    FieldSelector s;
    s.terms_.push_back(FieldRequirement{std::move(field), true, std::move(value)});
    return s;
}

bool FieldSelector::matches(const FieldLookup& lookup) const {
    return std::all_of(terms_.begin(), terms_.end(), [&](const FieldRequirement& t) {
        std::string have = lookup(t.field).value_or("");
        return (have == t.value) == t.equals;
    });
}

bool FieldSelector::matches(const std::map<std::string, std::string>& fields) const {
    return std::all_of(terms_.begin(), terms_.end(), [&](const FieldRequirement& t) {
        auto it = fields.find(t.field);
        std::string_view have = it == fields.end() ? std::string_view() : it->second;
        return (have == t.value) == t.equals;
    });
}

std::string FieldSelector::to_string() const {
    std::string out;
    for (const auto& t : terms_) {
        if (!out.empty()) {
            out += ',';
        }
        out += t.to_string();
    }
    return out;
}

std::optional<std::string> FieldSelector::requires_exact_match(std::string_view field) const {
    for (const auto& t : terms_) {
        if (t.equals && t.field == field) {
            return t.value;
        }
    }
    return std::nullopt;
}

base::Status FieldSelector::check_supported(const std::vector<std::string_view>& supported) const {
    for (const auto& t : terms_) {
        if (std::find(supported.begin(), supported.end(), t.field) == supported.end()) {
            return base::bad_request("field label not supported: " + t.field);
        }
    }
    return {};
}

std::optional<std::string> json_field_value(const json::value& object, std::string_view path) {
    const json::value* v = &object;
    while (true) {
        const auto* o = v->if_object();
        if (!o) {
            return std::nullopt;
        }
        auto dot = path.find('.');
        v = o->if_contains(path.substr(0, dot));
        if (!v) {
            return std::nullopt;
        }
        if (dot == std::string_view::npos) {
            break;
        }
        path.remove_prefix(dot + 1);
    }
    switch (v->kind()) {
        case json::kind::string:
            return std::string(v->get_string());
        case json::kind::bool_:
            return v->get_bool() ? "true" : "false";
        case json::kind::int64:
            return std::to_string(v->get_int64());
        case json::kind::uint64:
            return std::to_string(v->get_uint64());
        default:
            return std::nullopt;
    }
}

}  // namespace skiff::api
