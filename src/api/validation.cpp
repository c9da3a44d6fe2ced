// Name, label and annotation validation and field errors, worded as upstream's validation packages.
#include "skiff/api/validation.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include <boost/json.hpp>

namespace skiff::api {
namespace {

namespace json = boost::json;

// Upstream's regexes, quoted in the messages, and their descriptions.
constexpr std::string_view kDNS1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDNS1123LabelErr =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr std::string_view kDNS1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDNS1123SubdomainErr =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kDNS1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDNS1035LabelErr =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";
constexpr std::string_view kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kQualifiedNameErr =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelValueErr =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";

std::string max_len_error(std::size_t n) {
    return "must be no more than " + std::to_string(n) + " characters";
}

std::string empty_error() {
    return "must be non-empty";
}

// validation.RegexError: "<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')".
// The double space before "or" is upstream's.
std::string regex_error(std::string_view msg, std::string_view fmt,
                        std::initializer_list<std::string_view> examples) {
    std::string out(msg);
    if (examples.size() == 0) {
        out += " (regex used for validation is '";
    } else {
        out += " (e.g. ";
        bool first = true;
        for (auto e : examples) {
            if (!first) {
                out += " or ";
            }
            first = false;
            out += "'";
            out += e;
            out += "', ";
        }
        out += "regex used for validation is '";
    }
    out += fmt;
    out += "')";
    return out;
}

bool is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
bool match_dns1123_label(std::string_view s) {
    if (s.empty() || !is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) { return is_lower_alnum(c) || c == '-'; });
}

bool match_dns1123_subdomain(std::string_view s) {
    while (true) {
        auto dot = s.find('.');
        if (!match_dns1123_label(s.substr(0, dot))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        s.remove_prefix(dot + 1);
    }
}

bool match_dns1035_label(std::string_view s) {
    return match_dns1123_label(s) && s.front() >= 'a' && s.front() <= 'z';
}

// ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
bool match_qualified_name_part(std::string_view s) {
    if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// Renders a field error's bad value as upstream's ErrorBody does.
std::string render_value(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            return go_quoted(v.get_string());
        case json::kind::int64:
            return std::to_string(v.get_int64());
        case json::kind::uint64:
            return std::to_string(v.get_uint64());
        case json::kind::double_: {
            std::array<char, 32> buf{};
            auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.get_double());
            return std::string(buf.data(), r.ptr);
        }
        case json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case json::kind::null:
            return "null";
        default:
            return json::serialize(v);
    }
}

FieldError make(FieldErrorType type, std::string path, json::value bad, std::string detail) {
    FieldError e;
    e.type = type;
    e.field = std::move(path);
    e.bad_value = std::move(bad);
    e.detail = std::move(detail);
    return e;
}

const json::object* as_object(const json::value* v) {
    return v ? v->if_object() : nullptr;
}

std::string string_member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v && v->is_int64()) {
        return v->get_int64();
    }
    if (v && v->is_uint64()) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    return 0;
}

// The string entries of a JSON array of strings (others are skipped).
std::vector<std::string> string_list(const json::value* v) {
    std::vector<std::string> out;
    if (const auto* a = v ? v->if_array() : nullptr) {
        for (const auto& e : *a) {
            if (e.is_string()) {
                out.emplace_back(e.get_string());
            }
        }
    }
    return out;
}

// Go's %#v of a []string: []string{"a", "b"}.
std::string go_string_slice(const std::vector<std::string>& v) {
    std::string out = "[]string{";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += go_quoted(v[i]);
    }
    out += "}";
    return out;
}

void append(ErrorList& to, ErrorList&& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// Lets a generateName end in '-' by checking it with the dash replaced.
std::string mask_trailing_dash(std::string_view name) {
    std::string out(name);
    if (out.size() > 1 && out.back() == '-') {
        out.back() = 'a';
    }
    return out;
}

}  // namespace

std::vector<std::string> is_dns1123_label(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > kDNS1123LabelMaxLength) {
        errs.push_back(max_len_error(kDNS1123LabelMaxLength));
    }
    if (!match_dns1123_label(value)) {
        if (match_dns1123_subdomain(value)) {
            // A valid subdomain that is no label: the length was checked, so it is the dots.
            errs.emplace_back("must not contain dots");
        } else {
            errs.push_back(regex_error(kDNS1123LabelErr, kDNS1123LabelFmt, {"my-name", "123-abc"}));
        }
    }
    return errs;
}

std::vector<std::string> is_dns1123_subdomain(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > kDNS1123SubdomainMaxLength) {
        errs.push_back(max_len_error(kDNS1123SubdomainMaxLength));
    }
    if (!match_dns1123_subdomain(value)) {
        errs.push_back(regex_error(kDNS1123SubdomainErr, kDNS1123SubdomainFmt, {"example.com"}));
    }
    return errs;
}

std::vector<std::string> is_dns1035_label(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > kDNS1035LabelMaxLength) {
        errs.push_back(max_len_error(kDNS1035LabelMaxLength));
    }
    if (!match_dns1035_label(value)) {
        errs.push_back(regex_error(kDNS1035LabelErr, kDNS1035LabelFmt, {"my-name", "abc-123"}));
    }
    return errs;
}

std::vector<std::string> is_qualified_name(std::string_view value) {
    std::vector<std::string> errs;
    std::string_view name = value;
    auto slash = value.find('/');
    if (slash != std::string_view::npos) {
        if (value.find('/', slash + 1) != std::string_view::npos) {
            errs.push_back("a qualified name " +
                           regex_error(kQualifiedNameErr, kQualifiedNameFmt,
                                       {"MyName", "my.name", "123-abc"}) +
                           " with an optional DNS subdomain prefix and '/' (e.g. "
                           "'example.com/MyName')");
            return errs;
        }
        std::string_view prefix = value.substr(0, slash);
        name = value.substr(slash + 1);
        if (prefix.empty()) {
            errs.push_back("prefix part " + empty_error());
        } else {
            for (auto& msg : is_dns1123_subdomain(prefix)) {
                errs.push_back("prefix part " + msg);
            }
        }
    }
    if (name.empty()) {
        errs.push_back("name part " + empty_error());
    } else if (name.size() > kQualifiedNameMaxLength) {
        errs.push_back("name part " + max_len_error(kQualifiedNameMaxLength));
    }
    if (!match_qualified_name_part(name)) {
        errs.push_back("name part " + regex_error(kQualifiedNameErr, kQualifiedNameFmt,
                                                  {"MyName", "my.name", "123-abc"}));
    }
    return errs;
}

std::vector<std::string> is_valid_label_value(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > kLabelValueMaxLength) {
        errs.push_back(max_len_error(kLabelValueMaxLength));
    }
    if (!value.empty() && !match_qualified_name_part(value)) {
        errs.push_back(
            regex_error(kLabelValueErr, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
    }
    return errs;
}

std::string go_quoted(std::string_view s) {
    // strconv.Quote: printable runes stay, the rest become \a, \n, \xNN or \uNNNN. Multi-byte
    // UTF-8 is kept except C1 controls; bytes that are not UTF-8 become \xNN.
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    auto hex_byte = [&](unsigned char c) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    };
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
                case '"':
                    out += "\\\"";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\a':
                    out += "\\a";
                    break;
                case '\b':
                    out += "\\b";
                    break;
                case '\f':
                    out += "\\f";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\v':
                    out += "\\v";
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        hex_byte(c);
                    } else {
                        out += static_cast<char>(c);
                    }
            }
            ++i;
            continue;
        }
        std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
        bool valid = len != 0 && c < 0xf5 && i + len <= s.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            valid = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
        }
        if (!valid) {
            hex_byte(c);
            ++i;
            continue;
        }
        if (len == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) {
            // U+0080..U+009F are control characters.
            out += "\\u00";
            auto r = static_cast<unsigned char>(s[i + 1]);
            out += kHex[r >> 4];
            out += kHex[r & 0xf];
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    out += '"';
    return out;
}

std::string_view cause_type(FieldErrorType type) {
    switch (type) {
        case FieldErrorType::NotFound:
            return "FieldValueNotFound";
        case FieldErrorType::Required:
            return "FieldValueRequired";
        case FieldErrorType::Duplicate:
            return "FieldValueDuplicate";
        case FieldErrorType::Invalid:
            return "FieldValueInvalid";
        case FieldErrorType::NotSupported:
            return "FieldValueNotSupported";
        case FieldErrorType::Forbidden:
            return "FieldValueForbidden";
        case FieldErrorType::TooLong:
            return "FieldValueTooLong";
        case FieldErrorType::TooMany:
            return "FieldValueTooMany";
        case FieldErrorType::Internal:
            return "InternalError";
        case FieldErrorType::TypeInvalid:
            return "FieldValueTypeInvalid";
    }
    return "FieldValueInvalid";
}

std::string_view type_text(FieldErrorType type) {
    switch (type) {
        case FieldErrorType::NotFound:
            return "Not found";
        case FieldErrorType::Required:
            return "Required value";
        case FieldErrorType::Duplicate:
            return "Duplicate value";
        case FieldErrorType::Invalid:
            return "Invalid value";
        case FieldErrorType::NotSupported:
            return "Unsupported value";
        case FieldErrorType::Forbidden:
            return "Forbidden";
        case FieldErrorType::TooLong:
            return "Too long";
        case FieldErrorType::TooMany:
            return "Too many";
        case FieldErrorType::Internal:
            return "Internal error";
        case FieldErrorType::TypeInvalid:
            return "Invalid value";
    }
    return "Invalid value";
}

std::string FieldError::body() const {
    std::string s(type_text(type));
    switch (type) {
        case FieldErrorType::Required:
        case FieldErrorType::Forbidden:
        case FieldErrorType::TooLong:
        case FieldErrorType::Internal:
            break;  // these never show the value
        default:
            if (!omit_value) {
                s += ": ";
                s += render_value(bad_value);
            }
    }
    if (!detail.empty()) {
        s += ": ";
        s += detail;
    }
    return s;
}

std::string FieldError::to_string() const {
    return field + ": " + body();
}

namespace field {

std::string child(std::string_view path, std::string_view name) {
    std::string out(path);
    if (!out.empty()) {
        out += '.';
    }
    out += name;
    return out;
}

std::string index(std::string_view path, std::size_t i) {
    return std::string(path) + "[" + std::to_string(i) + "]";
}

std::string key(std::string_view path, std::string_view k) {
    std::string out(path);
    out += '[';
    out += k;
    out += ']';
    return out;
}

FieldError not_found(std::string path, json::value bad_value) {
    return make(FieldErrorType::NotFound, std::move(path), std::move(bad_value), {});
}

FieldError required(std::string path, std::string detail) {
    return make(FieldErrorType::Required, std::move(path), "", std::move(detail));
}

FieldError duplicate(std::string path, json::value bad_value) {
    return make(FieldErrorType::Duplicate, std::move(path), std::move(bad_value), {});
}

FieldError invalid(std::string path, json::value bad_value, std::string detail) {
    return make(FieldErrorType::Invalid, std::move(path), std::move(bad_value), std::move(detail));
}

FieldError not_supported(std::string path, json::value bad_value,
                         const std::vector<std::string>& valid) {
    std::string detail;
    if (!valid.empty()) {
        detail = "supported values: ";
        for (std::size_t i = 0; i < valid.size(); ++i) {
            if (i > 0) {
                detail += ", ";
            }
            detail += go_quoted(valid[i]);
        }
    }
    return make(FieldErrorType::NotSupported, std::move(path), std::move(bad_value),
                std::move(detail));
}

FieldError forbidden(std::string path, std::string detail) {
    return make(FieldErrorType::Forbidden, std::move(path), "", std::move(detail));
}

FieldError too_long(std::string path, std::int64_t max_length) {
    std::string detail = max_length >= 0 ? "may not be more than " + std::to_string(max_length) +
                                               (max_length == 1 ? " byte" : " bytes")
                                         : "value is too long";
    return make(FieldErrorType::TooLong, std::move(path), "<value omitted>", std::move(detail));
}

FieldError too_many(std::string path, std::int64_t actual, std::int64_t max_quantity) {
    std::string detail = max_quantity >= 0 ? "must have at most " + std::to_string(max_quantity) +
                                                 (max_quantity == 1 ? " item" : " items")
                                           : "has too many items";
    FieldError e = make(FieldErrorType::TooMany, std::move(path), actual, std::move(detail));
    e.omit_value = actual < 0;
    return e;
}

FieldError internal_error(std::string path, std::string detail) {
    return make(FieldErrorType::Internal, std::move(path), nullptr, std::move(detail));
}

FieldError type_invalid(std::string path, json::value bad_value, std::string detail) {
    return make(FieldErrorType::TypeInvalid, std::move(path), std::move(bad_value),
                std::move(detail));
}

}  // namespace field

std::string aggregate_message(const ErrorList& errors) {
    std::vector<std::string> msgs;
    std::set<std::string> seen;
    for (const auto& e : errors) {
        auto m = e.to_string();
        if (seen.insert(m).second) {
            msgs.push_back(std::move(m));
        }
    }
    std::string out;
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += msgs[i];
    }
    return msgs.size() > 1 ? "[" + out + "]" : out;
}

std::vector<base::Cause> to_causes(const ErrorList& errors) {
    std::vector<base::Cause> causes;
    causes.reserve(errors.size());
    for (const auto& e : errors) {
        causes.push_back({std::string(cause_type(e.type)), e.body(), e.field});
    }
    return causes;
}

base::Status invalid_status(std::string_view group, std::string_view kind, std::string_view name,
                            const ErrorList& errors) {
    base::Status status = base::invalid(group, kind, name, to_causes(errors));
    // base::invalid joins every cause; upstream drops repeated messages and, for no errors,
    // the ": ..." part. Keep its details and code, correct the message when they differ.
    std::string message(kind);
    if (!group.empty()) {
        message += ".";
        message += group;
    }
    message += " " + go_quoted(name) + " is invalid";
    if (!errors.empty()) {
        message += ": " + aggregate_message(errors);
    }
    if (message != status.message()) {
        status = base::Status(base::Reason::Invalid, std::move(message), *status.details());
    }
    return status;
}

std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix) {
    return prefix ? is_dns1123_subdomain(mask_trailing_dash(name)) : is_dns1123_subdomain(name);
}

std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix) {
    return prefix ? is_dns1123_label(mask_trailing_dash(name)) : is_dns1123_label(name);
}

std::vector<std::string> name_is_dns1035_label(std::string_view name, bool prefix) {
    return prefix ? is_dns1035_label(mask_trailing_dash(name)) : is_dns1035_label(name);
}

std::vector<std::string> validate_path_segment_name(std::string_view name, bool prefix) {
    if (!prefix) {
        for (std::string_view bad : {".", ".."}) {
            if (name == bad) {
                return {"may not be '" + std::string(bad) + "'"};
            }
        }
    }
    std::vector<std::string> errs;
    for (std::string_view bad : {"/", "%"}) {
        if (name.find(bad) != std::string_view::npos) {
            errs.push_back("may not contain '" + std::string(bad) + "'");
        }
    }
    return errs;
}

ErrorList validate_label_name(std::string_view key, const std::string& path) {
    ErrorList errs;
    for (auto& msg : is_qualified_name(key)) {
        errs.push_back(field::invalid(path, json::string(key), std::move(msg)));
    }
    return errs;
}

ErrorList validate_labels(const json::value* labels, const std::string& path) {
    ErrorList errs;
    const auto* o = as_object(labels);
    if (!o) {
        return errs;
    }
    for (const auto& [k, v] : *o) {
        append(errs, validate_label_name(k, path));
        if (!v.is_string()) {
            errs.push_back(field::invalid(path, v, "must be a string"));
            continue;
        }
        for (auto& msg : is_valid_label_value(v.get_string())) {
            errs.push_back(field::invalid(path, v, std::move(msg)));
        }
    }
    return errs;
}

ErrorList validate_annotations(const json::value* annotations, const std::string& path) {
    ErrorList errs;
    const auto* o = as_object(annotations);
    if (!o) {
        return errs;
    }
    std::size_t total = 0;
    for (const auto& [k, v] : *o) {
        // Annotation keys are qualified names in any case.
        std::string lower(k);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
        for (auto& msg : is_qualified_name(lower)) {
            errs.push_back(field::invalid(path, json::string(k), std::move(msg)));
        }
        total += k.size();
        if (v.is_string()) {
            total += v.get_string().size();
        } else {
            errs.push_back(field::invalid(path, v, "must be a string"));
        }
    }
    if (total > kTotalAnnotationSizeLimit) {
        errs.push_back(field::too_long(path, static_cast<std::int64_t>(kTotalAnnotationSizeLimit)));
    }
    return errs;
}

ErrorList validate_finalizers(const json::value* finalizers, const std::string& path) {
    ErrorList errs;
    const auto* a = finalizers ? finalizers->if_array() : nullptr;
    if (!a) {
        return errs;
    }
    bool orphan = false;
    bool foreground = false;
    for (const auto& f : *a) {
        if (!f.is_string()) {
            errs.push_back(field::invalid(path, f, "must be a string"));
            continue;
        }
        for (auto& msg : is_qualified_name(f.get_string())) {
            errs.push_back(field::invalid(path, f, std::move(msg)));
        }
        orphan = orphan || f.get_string() == "orphan";
        foreground = foreground || f.get_string() == "foregroundDeletion";
    }
    if (orphan && foreground) {
        errs.push_back(field::invalid(
            path, *finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
    }
    return errs;
}

ErrorList validate_immutable_field(const json::value* new_value, const json::value* old_value,
                                   const std::string& path) {
    static const json::value kNull;
    const json::value& n = new_value ? *new_value : kNull;
    const json::value& o = old_value ? *old_value : kNull;
    if (n == o) {
        return {};
    }
    return {field::invalid(path, n, "field is immutable")};
}

ErrorList validate_object_meta(const json::value& metadata, const ObjectMetaRules& rules,
                               const std::string& path) {
    static const json::object kEmpty;
    const json::object& meta = metadata.is_object() ? metadata.get_object() : kEmpty;
    ErrorList errs;

    std::string generate_name = string_member(meta, "generateName");
    if (!generate_name.empty()) {
        for (auto& msg : rules.name(generate_name, true)) {
            errs.push_back(field::invalid(field::child(path, "generateName"),
                                          json::string(generate_name), std::move(msg)));
        }
    }
    std::string name = string_member(meta, "name");
    if (name.empty()) {
        errs.push_back(
            field::required(field::child(path, "name"), "name or generateName is required"));
    } else {
        for (auto& msg : rules.name(name, false)) {
            errs.push_back(
                field::invalid(field::child(path, "name"), json::string(name), std::move(msg)));
        }
    }
    std::string ns = string_member(meta, "namespace");
    if (rules.namespaced) {
        if (ns.empty()) {
            errs.push_back(field::required(field::child(path, "namespace")));
        } else {
            for (auto& msg : name_is_dns_label(ns, false)) {
                errs.push_back(field::invalid(field::child(path, "namespace"), json::string(ns),
                                              std::move(msg)));
            }
        }
    } else if (!ns.empty()) {
        errs.push_back(
            field::forbidden(field::child(path, "namespace"), "not allowed on this type"));
    }

    std::int64_t generation = int_member(meta, "generation");
    if (generation < 0) {
        errs.push_back(field::invalid(field::child(path, "generation"), generation,
                                      "must be greater than or equal to 0"));
    }
    append(errs, validate_labels(meta.if_contains("labels"), field::child(path, "labels")));
    append(errs, validate_annotations(meta.if_contains("annotations"),
                                      field::child(path, "annotations")));
    append(errs,
           validate_finalizers(meta.if_contains("finalizers"), field::child(path, "finalizers")));
    return errs;
}

ErrorList validate_object_meta_update(const json::value& new_metadata,
                                      const json::value& old_metadata, const std::string& path) {
    static const json::object kEmpty;
    const json::object& nm = new_metadata.is_object() ? new_metadata.get_object() : kEmpty;
    const json::object& om = old_metadata.is_object() ? old_metadata.get_object() : kEmpty;
    ErrorList errs;

    const auto* old_deletion = om.if_contains("deletionTimestamp");
    if (old_deletion && !old_deletion->is_null()) {
        std::set<std::string> old_set;
        for (auto& f : string_list(om.if_contains("finalizers"))) {
            old_set.insert(std::move(f));
        }
        std::set<std::string> extra;
        for (auto& f : string_list(nm.if_contains("finalizers"))) {
            if (!old_set.count(f)) {
                extra.insert(std::move(f));
            }
        }
        if (!extra.empty()) {
            errs.push_back(field::forbidden(
                field::child(path, "finalizers"),
                "no new finalizers can be added if the object is being deleted, found new "
                "finalizers " +
                    go_string_slice({extra.begin(), extra.end()})));
        }
    }
    std::string rv = string_member(nm, "resourceVersion");
    if (rv.empty()) {
        errs.push_back(field::invalid(field::child(path, "resourceVersion"), json::string(rv),
                                      "must be specified for an update"));
    }
    std::int64_t new_generation = int_member(nm, "generation");
    if (new_generation < int_member(om, "generation")) {
        errs.push_back(field::invalid(field::child(path, "generation"), new_generation,
                                      "must not be decremented"));
    }
    // String members compare as their Go zero value "" when absent.
    for (std::string_view key : {"name", "namespace", "uid"}) {
        json::value n = json::string(string_member(nm, key));
        json::value o = json::string(string_member(om, key));
        append(errs, validate_immutable_field(&n, &o, field::child(path, key)));
    }
    for (std::string_view key :
         {"creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
        append(errs, validate_immutable_field(nm.if_contains(key), om.if_contains(key),
                                              field::child(path, key)));
    }
    append(errs, validate_labels(nm.if_contains("labels"), field::child(path, "labels")));
    append(errs,
           validate_annotations(nm.if_contains("annotations"), field::child(path, "annotations")));
    return errs;
}

}  // namespace skiff::api
