// Label selectors: the ?labelSelector= string form and metav1.LabelSelector, and matching labels.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "skiff/api/validation.h"
#include "skiff/base/status.h"

namespace skiff::api {

/// selection.Operator.
enum class SelectorOperator {
    In,            // "in"
    NotIn,         // "notin"
    Equals,        // "="
    DoubleEquals,  // "=="
    NotEquals,     // "!="
    Exists,        // "exists"
    DoesNotExist,  // "!"
    GreaterThan,   // "gt"
    LessThan,      // "lt"
};

/// Upstream's name of an operator ("in", "notin", "=", "==", "!=", "exists", "!", "gt", "lt").
std::string_view operator_name(SelectorOperator op);

/// One requirement: key, operator and values (empty for Exists/DoesNotExist).
struct Requirement {
    std::string key;
    SelectorOperator op = SelectorOperator::Exists;
    std::vector<std::string> values;

    /// Whether a label set satisfies it: In/Equals need the key with one of the values,
    /// NotIn/NotEquals are satisfied by a missing key, Gt/Lt need both sides to be integers.
    /// `labels` nullptr means no labels; members that are not strings count as missing.
    bool matches(const boost::json::object* labels) const;
    bool matches(const std::map<std::string, std::string>& labels) const;
    /// "key", "!key", "key=v", "key in (a,b)" (values sorted for output).
    std::string to_string() const;

    bool operator==(const Requirement&) const = default;
};

/// labels.NewRequirement: checks the key (qualified name), the number of values for the
/// operator, integer values for Gt/Lt and every value as a label value. The failure is
/// BadRequest whose message is upstream's aggregate of field errors at "key"/"values[i]",
/// e.g. `values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`.
base::Result<Requirement> make_requirement(std::string key, SelectorOperator op,
                                           std::vector<std::string> values);

/// A conjunction of requirements, kept sorted by key.
///
/// Three states, as upstream: the default (and a parsed "" or a metav1.LabelSelector with no
/// requirements) matches everything and is empty(); `nothing()` (a null metav1.LabelSelector)
/// matches no object; otherwise every requirement must match.
class LabelSelector {
public:
    LabelSelector() = default;

    static LabelSelector everything() { return {}; }
    static LabelSelector nothing();
    /// Parses the string form (labels.Parse): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
    /// `a notin (x)`, `a`, `!a`, `a>3`, `a<3`, joined by commas, blanks allowed between tokens.
    /// Failures are BadRequest with upstream's message, e.g. "unable to parse requirement:
    /// <nil>: Invalid value: \"a/b/c\": ..." or "found ',', expected: !, identifier, or 'end of
    /// string'".
    static base::Result<LabelSelector> parse(std::string_view text);
    /// From a metav1.LabelSelector (metav1.LabelSelectorAsSelector): nullptr or JSON null is
    /// nothing(), an object without matchLabels/matchExpressions is everything(). Failures
    /// are BadRequest: an unknown operator ("\"Foo\" is not a valid label selector
    /// operator"), a requirement make_requirement rejects, or a value of the wrong JSON type.
    static base::Result<LabelSelector> from_json(const boost::json::value* selector);
    /// Equality on every pair of the set (labels.SelectorFromSet), without validation.
    static LabelSelector from_set(const std::map<std::string, std::string>& set);

    /// True when the selector does not restrict anything (everything()); false for nothing().
    bool empty() const { return !nothing_ && requirements_.empty(); }
    bool matches_nothing() const { return nothing_; }
    bool matches(const boost::json::object* labels) const;
    bool matches(const std::map<std::string, std::string>& labels) const;
    /// The canonical string form: requirements in key order joined by ','; "" for
    /// everything() and nothing().
    std::string to_string() const;
    const std::vector<Requirement>& requirements() const { return requirements_; }
    /// The single value the selector requires `key` to have (=, == or a one-value in), if any.
    std::optional<std::string> requires_exact_match(std::string_view key) const;

    bool operator==(const LabelSelector&) const = default;

private:
    std::vector<Requirement> requirements_;
    bool nothing_ = false;
};

/// metav1 ValidateLabelSelector for a selector inside an object (e.g. at "spec.selector"):
/// matchLabels as labels, each matchExpressions[i] with a known operator, values required for
/// In/NotIn and forbidden for Exists/DoesNotExist, a qualified-name key, and label values
/// (unless `allow_invalid_label_value`). nullptr or null is valid.
ErrorList validate_label_selector(const boost::json::value* selector, const std::string& path,
                                  bool allow_invalid_label_value = false);

}  // namespace skiff::api
