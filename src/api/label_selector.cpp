// Label selectors: the ?labelSelector= string form and metav1.LabelSelector, and matching labels.
#include "skiff/api/label_selector.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <boost/json.hpp>

namespace skiff::api {
namespace {

namespace json = boost::json;

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in range.
std::optional<std::int64_t> parse_int64(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    // Parse the magnitude as unsigned so that -9223372036854775808 fits.
    std::uint64_t magnitude = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), magnitude);
    if (r.ec != std::errc{}) {
        return std::nullopt;
    }
    constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
    if (negative) {
        if (magnitude > kMax + 1) {
            return std::nullopt;
        }
        return magnitude == kMax + 1 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
    }
    if (magnitude > kMax) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(magnitude);
}

// labels' validateLabelKey: one Invalid error whose detail joins every problem with "; ".
std::optional<FieldError> label_key_error(std::string_view key, std::string path) {
    auto msgs = is_qualified_name(key);
    if (msgs.empty()) {
        return std::nullopt;
    }
    std::string joined;
    for (const auto& m : msgs) {
        joined += joined.empty() ? m : "; " + m;
    }
    return field::invalid(std::move(path), json::string(key), std::move(joined));
}

// Label lookup over either representation: the value, or nullopt when missing.
std::optional<std::string_view> lookup(const json::object* labels, std::string_view key) {
    if (!labels) {
        return std::nullopt;
    }
    const auto* v = labels->if_contains(key);
    if (!v || !v->is_string()) {
        return std::nullopt;
    }
    return std::string_view(v->get_string());
}

std::optional<std::string_view> lookup(const std::map<std::string, std::string>& labels,
                                       std::string_view key) {
    auto it = labels.find(std::string(key));
    if (it == labels.end()) {
        return std::nullopt;
    }
    return std::string_view(it->second);
}

template <typename Labels>
bool requirement_matches(const Requirement& r, const Labels& labels) {
    auto has_value = [&](std::string_view v) {
        return std::find(r.values.begin(), r.values.end(), v) != r.values.end();
    };
    auto value = lookup(labels, r.key);
    switch (r.op) {
        case SelectorOperator::In:
        case SelectorOperator::Equals:
        case SelectorOperator::DoubleEquals:
            return value && has_value(*value);
        case SelectorOperator::NotIn:
        case SelectorOperator::NotEquals:
            return !value || !has_value(*value);
        case SelectorOperator::Exists:
            return value.has_value();
        case SelectorOperator::DoesNotExist:
            return !value;
        case SelectorOperator::GreaterThan:
        case SelectorOperator::LessThan: {
            if (!value || r.values.size() != 1) {
                return false;
            }
            auto have = parse_int64(*value);
            auto want = parse_int64(r.values.front());
            if (!have || !want) {
                return false;
            }
            return r.op == SelectorOperator::GreaterThan ? *have > *want : *have < *want;
        }
    }
    return false;
}

// A JSON array of values as upstream's error rendering sees the []string: null when empty.
json::value values_json(const std::vector<std::string>& values) {
    if (values.empty()) {
        return nullptr;
    }
    json::array a;
    for (const auto& v : values) {
        a.emplace_back(v);
    }
    return a;
}

// ---- The string form's lexer and parser (labels.Parse). ----

enum class Token {
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
};

struct Item {
    Token token;
    std::string literal;
};

std::optional<Token> keyword(std::string_view s) {
    static constexpr std::pair<std::string_view, Token> kTokens[] = {
        {")", Token::ClosedPar},     {",", Token::Comma},    {"!", Token::DoesNotExist},
        {"==", Token::DoubleEquals}, {"=", Token::Equals},   {">", Token::GreaterThan},
        {"in", Token::In},           {"<", Token::LessThan}, {"!=", Token::NotEquals},
        {"notin", Token::NotIn},     {"(", Token::OpenPar},
    };
    for (const auto& [text, token] : kTokens) {
        if (s == text) {
            return token;
        }
    }
    return std::nullopt;
}

bool is_whitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_special(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    Item next() {
        char c = read();
        while (is_whitespace(c)) {
            c = read();
        }
        if (c == 0) {
            return {Token::EndOfString, ""};
        }
        --pos_;
        return is_special(c) ? special() : identifier_or_keyword();
    }

private:
    // Like upstream, a NUL byte ends the input.
    char read() { return pos_ < s_.size() ? s_[pos_++] : (++pos_, '\0'); }

    Item identifier_or_keyword() {
        std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] != 0 && !is_special(s_[pos_]) &&
               !is_whitespace(s_[pos_])) {
            ++pos_;
        }
        std::string lit(s_.substr(start, pos_ - start));
        if (auto t = keyword(lit)) {
            return {*t, lit};
        }
        return {Token::Identifier, lit};
    }

    // The longest run of operator characters that still forms a token ("!=", "==", ...).
    Item special() {
        std::string buffer;
        std::optional<Item> last;
        while (pos_ < s_.size() && is_special(s_[pos_])) {
            buffer += s_[pos_];
            if (auto t = keyword(buffer)) {
                last = Item{*t, buffer};
                ++pos_;
            } else if (last) {
                break;
            } else {
                ++pos_;
            }
        }
        if (!last) {
            return {Token::Error, "error expected: keyword found '" + buffer + "'"};
        }
        return *last;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

// The parser's view of a token: 'in' and 'notin' are plain identifiers where values go.
enum class Context { KeyAndOperator, Values };

class Parser {
public:
    explicit Parser(std::string_view s) {
        Lexer lexer(s);
        while (true) {
            items_.push_back(lexer.next());
            if (items_.back().token == Token::EndOfString) {
                break;
            }
        }
    }

    base::Result<std::vector<Requirement>> parse() {
        std::vector<Requirement> out;
        while (true) {
            auto [tok, lit] = lookahead(Context::Values);
            switch (tok) {
                case Token::Identifier:
                case Token::DoesNotExist: {
                    auto r = requirement();
                    if (!r.ok()) {
                        return base::bad_request("unable to parse requirement: " +
                                                 r.status().message());
                    }
                    out.push_back(std::move(*r));
                    auto [t, l] = consume(Context::Values);
                    if (t == Token::EndOfString) {
                        return out;
                    }
                    if (t != Token::Comma) {
                        return base::bad_request("found '" + l +
                                                 "', expected: ',' or 'end of string'");
                    }
                    auto [t2, l2] = lookahead(Context::Values);
                    if (t2 != Token::Identifier && t2 != Token::DoesNotExist) {
                        return base::bad_request("found '" + l2 +
                                                 "', expected: identifier after ','");
                    }
                    break;
                }
                case Token::EndOfString:
                    return out;
                default:
                    return base::bad_request("found '" + lit +
                                             "', expected: !, identifier, or 'end of string'");
            }
        }
    }

private:
    static Token in_context(Token t, Context c) {
        return c == Context::Values && (t == Token::In || t == Token::NotIn) ? Token::Identifier
                                                                             : t;
    }

    std::pair<Token, std::string> lookahead(Context c) const {
        const auto& item = items_[pos_];
        return {in_context(item.token, c), item.literal};
    }

    std::pair<Token, std::string> consume(Context c) {
        const auto& item = items_[pos_];
        if (pos_ + 1 < items_.size()) {
            ++pos_;
        }
        return {in_context(item.token, c), item.literal};
    }

    base::Result<Requirement> requirement() {
        std::optional<SelectorOperator> op;
        auto [tok, lit] = consume(Context::Values);
        if (tok == Token::DoesNotExist) {
            op = SelectorOperator::DoesNotExist;
            std::tie(tok, lit) = consume(Context::Values);
        }
        if (tok != Token::Identifier) {
            return base::bad_request("found '" + lit + "', expected: identifier");
        }
        // Upstream validates the key with a nil field path, which prints as "<nil>".
        if (auto err = label_key_error(lit, "<nil>")) {
            return base::bad_request(err->to_string());
        }
        std::string key = std::move(lit);
        auto next = lookahead(Context::Values).first;
        if ((next == Token::EndOfString || next == Token::Comma) && !op) {
            op = SelectorOperator::Exists;
        }
        if (op) {
            // Exists, or DoesNotExist whatever follows (the caller rejects what follows).
            return make_requirement(std::move(key), *op, {});
        }

        auto [optok, oplit] = consume(Context::KeyAndOperator);
        SelectorOperator binary;
        switch (optok) {
            case Token::In:
                binary = SelectorOperator::In;
                break;
            case Token::Equals:
                binary = SelectorOperator::Equals;
                break;
            case Token::DoubleEquals:
                binary = SelectorOperator::DoubleEquals;
                break;
            case Token::GreaterThan:
                binary = SelectorOperator::GreaterThan;
                break;
            case Token::LessThan:
                binary = SelectorOperator::LessThan;
                break;
            case Token::NotIn:
                binary = SelectorOperator::NotIn;
                break;
            case Token::NotEquals:
                binary = SelectorOperator::NotEquals;
                break;
            default:
                return base::bad_request("found '" + oplit +
                                         "', expected: in, notin, =, ==, !=, gt, lt");
        }
        std::set<std::string> values;
        auto status = binary == SelectorOperator::In || binary == SelectorOperator::NotIn
                          ? set_values(values)
                          : exact_value(values);
        if (!status.ok()) {
            return status;
        }
        return make_requirement(std::move(key), binary, {values.begin(), values.end()});
    }

    // "(" values ")"; "()" is the one empty value.
    base::Status set_values(std::set<std::string>& values) {
        auto [tok, lit] = consume(Context::Values);
        if (tok != Token::OpenPar) {
            return base::bad_request("found '" + lit + "' expected: '('");
        }
        std::tie(tok, lit) = lookahead(Context::Values);
        switch (tok) {
            case Token::Identifier:
            case Token::Comma: {
                auto status = identifier_list(values);
                if (!status.ok()) {
                    return status;
                }
                // Upstream names the token that opened the list here, not the offending one.
                if (consume(Context::Values).first != Token::ClosedPar) {
                    return base::bad_request("found '" + lit + "', expected: ')'");
                }
                return {};
            }
            case Token::ClosedPar:
                consume(Context::Values);
                values.insert("");
                return {};
            default:
                return base::bad_request("found '" + lit + "', expected: ',', ')' or identifier");
        }
    }

    // Comma-separated, possibly empty identifiers: "a,,b" and "(,a" hold the empty value.
    base::Status identifier_list(std::set<std::string>& values) {
        while (true) {
            auto [tok, lit] = consume(Context::Values);
            if (tok == Token::Identifier) {
                values.insert(lit);
                auto [t2, l2] = lookahead(Context::Values);
                if (t2 == Token::Comma) {
                    continue;
                }
                if (t2 == Token::ClosedPar) {
                    return {};
                }
                return base::bad_request("found '" + l2 + "', expected: ',' or ')'");
            }
            if (tok == Token::Comma) {
                if (values.empty()) {
                    values.insert("");
                }
                auto t2 = lookahead(Context::Values).first;
                if (t2 == Token::ClosedPar) {
                    values.insert("");
                    return {};
                }
                if (t2 == Token::Comma) {
                    consume(Context::Values);
                    values.insert("");
                }
                continue;
            }
            return base::bad_request("found '" + lit + "', expected: ',', or identifier");
        }
    }

    // The one value after =, ==, !=, > or <; nothing before ',' or the end is "".
    base::Status exact_value(std::set<std::string>& values) {
        auto next = lookahead(Context::Values).first;
        if (next == Token::EndOfString || next == Token::Comma) {
            values.insert("");
            return {};
        }
        auto [tok, lit] = consume(Context::Values);
        if (tok == Token::Identifier) {
            values.insert(lit);
            return {};
        }
        return base::bad_request("found '" + lit + "', expected: identifier");
    }

    std::vector<Item> items_;
    std::size_t pos_ = 0;
};

void sort_by_key(std::vector<Requirement>& rs) {
    std::stable_sort(rs.begin(), rs.end(),
                     [](const Requirement& a, const Requirement& b) { return a.key < b.key; });
}

}  // namespace

std::string_view operator_name(SelectorOperator op) {
    switch (op) {
        case SelectorOperator::In:
            return "in";
        case SelectorOperator::NotIn:
            return "notin";
        case SelectorOperator::Equals:
            return "=";
        case SelectorOperator::DoubleEquals:
            return "==";
        case SelectorOperator::NotEquals:
            return "!=";
        case SelectorOperator::Exists:
            return "exists";
        case SelectorOperator::DoesNotExist:
            return "!";
        case SelectorOperator::GreaterThan:
            return "gt";
        case SelectorOperator::LessThan:
            return "lt";
    }
    return "";
}

bool Requirement::matches(const json::object* labels) const {
    return requirement_matches(*this, labels);
}

bool Requirement::matches(const std::map<std::string, std::string>& labels) const {
    return requirement_matches(*this, labels);
}

std::string Requirement::to_string() const {
    std::string out;
    if (op == SelectorOperator::DoesNotExist) {
        out += '!';
    }
    out += key;
    switch (op) {
        case SelectorOperator::Exists:
        case SelectorOperator::DoesNotExist:
            return out;
        case SelectorOperator::In:
            out += " in (";
            break;
        case SelectorOperator::NotIn:
            out += " notin (";
            break;
        case SelectorOperator::GreaterThan:
            out += '>';
            break;
        case SelectorOperator::LessThan:
            out += '<';
            break;
        default:
            out += operator_name(op);
            break;
    }
    std::vector<std::string> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += sorted[i];
    }
    if (op == SelectorOperator::In || op == SelectorOperator::NotIn) {
        out += ')';
    }
    return out;
}

base::Result<Requirement> make_requirement(std::string key, SelectorOperator op,
                                           std::vector<std::string> values) {
    ErrorList errs;
    if (auto err = label_key_error(key, "key")) {
        errs.push_back(std::move(*err));
    }
    const std::string values_path = "values";
    switch (op) {
        case SelectorOperator::In:
        case SelectorOperator::NotIn:
            if (values.empty()) {
                errs.push_back(
                    field::invalid(values_path, values_json(values),
                                   "for 'in', 'notin' operators, values set can't be empty"));
            }
            break;
        case SelectorOperator::Equals:
        case SelectorOperator::DoubleEquals:
        case SelectorOperator::NotEquals:
            if (values.size() != 1) {
                errs.push_back(
                    field::invalid(values_path, values_json(values),
                                   "exact-match compatibility requires one single value"));
            }
            break;
        case SelectorOperator::Exists:
        case SelectorOperator::DoesNotExist:
            if (!values.empty()) {
                errs.push_back(
                    field::invalid(values_path, values_json(values),
                                   "values set must be empty for exists and does not exist"));
            }
            break;
        case SelectorOperator::GreaterThan:
        case SelectorOperator::LessThan:
            if (values.size() != 1) {
                errs.push_back(
                    field::invalid(values_path, values_json(values),
                                   "for 'Gt', 'Lt' operators, exactly one value is required"));
            }
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (!parse_int64(values[i])) {
                    errs.push_back(
                        field::invalid(field::index(values_path, i), json::string(values[i]),
                                       "for 'Gt', 'Lt' operators, the value must be an integer"));
                }
            }
            break;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto msgs = is_valid_label_value(values[i]);
        if (!msgs.empty()) {
            std::string joined;
            for (const auto& m : msgs) {
                joined += joined.empty() ? m : "; " + m;
            }
            errs.push_back(field::invalid(field::key(field::index(values_path, i), key),
                                          json::string(values[i]), std::move(joined)));
        }
    }
    if (!errs.empty()) {
        return base::bad_request(aggregate_message(errs));
    }
    return Requirement{std::move(key), op, std::move(values)};
}

LabelSelector LabelSelector::nothing() {
    LabelSelector s;
    s.nothing_ = true;
    return s;
}

base::Result<LabelSelector> LabelSelector::parse(std::string_view text) {
    auto requirements = Parser(text).parse();
    if (!requirements.ok()) {
        return requirements.status();
    }
    LabelSelector s;
    s.requirements_ = std::move(*requirements);
    sort_by_key(s.requirements_);
    return s;
}

base::Result<LabelSelector> LabelSelector::from_json(const json::value* selector) {
    if (!selector || selector->is_null()) {
        return nothing();
    }
    const auto* o = selector->if_object();
    if (!o) {
        return base::bad_request("a label selector must be an object");
    }
    LabelSelector s;
    if (const auto* ml = o->if_contains("matchLabels"); ml && !ml->is_null()) {
        if (!ml->is_object()) {
            return base::bad_request("matchLabels must be an object");
        }
        for (const auto& [k, v] : ml->get_object()) {
            if (!v.is_string()) {
                return base::bad_request("matchLabels values must be strings");
            }
            auto r = make_requirement(k, SelectorOperator::Equals, {std::string(v.get_string())});
            if (!r.ok()) {
                return r.status();
            }
            s.requirements_.push_back(std::move(*r));
        }
    }
    if (const auto* me = o->if_contains("matchExpressions"); me && !me->is_null()) {
        if (!me->is_array()) {
            return base::bad_request("matchExpressions must be an array");
        }
        for (const auto& expr : me->get_array()) {
            const auto* e = expr.if_object();
            if (!e) {
                return base::bad_request("matchExpressions entries must be objects");
            }
            std::string key;
            std::string op_name;
            std::vector<std::string> values;
            if (const auto* k = e->if_contains("key"); k && k->is_string()) {
                key = k->get_string();
            }
            if (const auto* op = e->if_contains("operator"); op && op->is_string()) {
                op_name = op->get_string();
            }
            if (const auto* vs = e->if_contains("values"); vs && !vs->is_null()) {
                if (!vs->is_array()) {
                    return base::bad_request("matchExpressions values must be an array");
                }
                for (const auto& v : vs->get_array()) {
                    if (!v.is_string()) {
                        return base::bad_request("matchExpressions values must be strings");
                    }
                    values.emplace_back(v.get_string());
                }
            }
            SelectorOperator op;
            if (op_name == "In") {
                op = SelectorOperator::In;
            } else if (op_name == "NotIn") {
                op = SelectorOperator::NotIn;
            } else if (op_name == "Exists") {
                op = SelectorOperator::Exists;
            } else if (op_name == "DoesNotExist") {
                op = SelectorOperator::DoesNotExist;
            } else {
                return base::bad_request(go_quoted(op_name) +
                                         " is not a valid label selector operator");
            }
            auto r = make_requirement(std::move(key), op, std::move(values));
            if (!r.ok()) {
                return r.status();
            }
            s.requirements_.push_back(std::move(*r));
        }
    }
    sort_by_key(s.requirements_);
    return s;
}

LabelSelector LabelSelector::from_set(const std::map<std::string, std::string>& set) {
    LabelSelector s;
    for (const auto& [k, v] : set) {
        s.requirements_.push_back(Requirement{k, SelectorOperator::Equals, {v}});
    }
    return s;  // already in key order
}

bool LabelSelector::matches(const json::object* labels) const {
    return !nothing_ && std::all_of(requirements_.begin(), requirements_.end(),
                                    [&](const Requirement& r) { return r.matches(labels); });
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
    return !nothing_ && std::all_of(requirements_.begin(), requirements_.end(),
                                    [&](const Requirement& r) { return r.matches(labels); });
}

std::string LabelSelector::to_string() const {
    std::string out;
    for (const auto& r : requirements_) {
        if (!out.empty()) {
            out += ',';
        }
        out += r.to_string();
    }
    return out;
}

std::optional<std::string> LabelSelector::requires_exact_match(std::string_view key) const {
    for (const auto& r : requirements_) {
        if (r.key != key) {
            continue;
        }
        bool exact = r.op == SelectorOperator::Equals || r.op == SelectorOperator::DoubleEquals ||
                     r.op == SelectorOperator::In;
        if (exact && r.values.size() == 1) {
            return r.values.front();
        }
        return std::nullopt;
    }
    return std::nullopt;
}

ErrorList validate_label_selector(const json::value* selector, const std::string& path,
                                  bool allow_invalid_label_value) {
    ErrorList errs;
    const auto* o = selector ? selector->if_object() : nullptr;
    if (!o) {
        return errs;
    }
    auto more = validate_labels(o->if_contains("matchLabels"), field::child(path, "matchLabels"));
    errs.insert(errs.end(), more.begin(), more.end());
    const auto* me = o->if_contains("matchExpressions");
    const auto* exprs = me ? me->if_array() : nullptr;
    if (!exprs) {
        return errs;
    }
    for (std::size_t i = 0; i < exprs->size(); ++i) {
        std::string at = field::index(field::child(path, "matchExpressions"), i);
        const auto* e = (*exprs)[i].if_object();
        static const json::object kEmpty;
        const json::object& expr = e ? *e : kEmpty;
        std::string key;
        json::value op = "";
        std::vector<std::string> values;
        if (const auto* k = expr.if_contains("key"); k && k->is_string()) {
            key = k->get_string();
        }
        if (const auto* v = expr.if_contains("operator"); v && v->is_string()) {
            op = *v;
        }
        if (const auto* vs = expr.if_contains("values"); vs && vs->is_array()) {
            for (const auto& v : vs->get_array()) {
                values.emplace_back(v.is_string() ? std::string(v.get_string())
                                                  : json::serialize(v));
            }
        }
        std::string_view op_name = op.get_string();
        std::string values_path = field::child(at, "values");
        if (op_name == "In" || op_name == "NotIn") {
            if (values.empty()) {
                errs.push_back(field::required(
                    values_path, "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        } else if (op_name == "Exists" || op_name == "DoesNotExist") {
            if (!values.empty()) {
                errs.push_back(field::forbidden(
                    values_path,
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
        } else {
            errs.push_back(
                field::invalid(field::child(at, "operator"), op, "not a valid selector operator"));
        }
        more = validate_label_name(key, field::child(at, "key"));
        errs.insert(errs.end(), more.begin(), more.end());
        if (!allow_invalid_label_value) {
            for (std::size_t j = 0; j < values.size(); ++j) {
                for (auto& msg : is_valid_label_value(values[j])) {
                    errs.push_back(field::invalid(field::index(values_path, j),
                                                  json::string(values[j]), std::move(msg)));
                }
            }
        }
    }
    return errs;
}

}  // namespace skiff::api
