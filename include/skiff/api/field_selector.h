// Field selectors: the ?fieldSelector= string form, its escaping, and matching field values.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// One term: `field=value` (also written `==`) or `field!=value`.
struct FieldRequirement {
    std::string field;
    bool equals = true;  // false: !=
    std::string value;   // unescaped

    /// "field=value" or "field!=value" with the value escaped.
    std::string to_string() const;
    bool operator==(const FieldRequirement&) const = default;
};

/// The value of a field path (e.g. "metadata.name", "status.phase") of the object being
/// matched; nullopt when the object has none.
using FieldLookup = std::function<std::optional<std::string>(std::string_view field)>;

/// A conjunction of field terms (fields.ParseSelector). Terms are kept in the order upstream
/// keeps them: sorted by their text.
class FieldSelector {
public:
    FieldSelector() = default;  // everything

    /// Parses comma-separated terms; a comma inside a value is written `\,`, likewise `\=` and
    /// `\\`. No blanks are trimmed. Empty terms and a bare "=" are dropped. Failures are
    /// BadRequest with upstream's message: "invalid selector: '<text>'; can't understand
    /// '<term>'", "invalid field selector: invalid escape sequence: \\x" or "invalid field
    /// selector: unescaped character in value: 61" (Go prints the rune's number).
    static base::Result<FieldSelector> parse(std::string_view text);
    /// A selector of one equality term.
    static FieldSelector one_term_equal(std::string field, std::string value);

    bool empty() const { return terms_.empty(); }
    /// Whether every term holds; a field the lookup does not know has the value "", as
    /// upstream's fields.Set does.
    bool matches(const FieldLookup& lookup) const;
    bool matches(const std::map<std::string, std::string>& fields) const;
    /// Terms joined by ',' with values escaped; "" when empty.
    std::string to_string() const;
    const std::vector<FieldRequirement>& requirements() const { return terms_; }
    /// The value an `=` term on `field` demands, if there is one.
    std::optional<std::string> requires_exact_match(std::string_view field) const;

    /// BadRequest "field label not supported: <field>" for the first term (in term order)
    /// whose field is not in `supported`; success otherwise.
    base::Status check_supported(const std::vector<std::string_view>& supported) const;

    bool operator==(const FieldSelector&) const = default;

private:
    std::vector<FieldRequirement> terms_;
};

/// Escapes `\`, `,` and `=` with a backslash (fields.EscapeValue).
std::string escape_field_value(std::string_view value);
/// Reverses escape_field_value; an unknown escape, a trailing `\` or a bare `,`/`=` fail as
/// in FieldSelector::parse.
base::Result<std::string> unescape_field_value(std::string_view value);

/// The value at a dotted path of a JSON object, as upstream's field sets hold it: strings as
/// is, booleans as "true"/"false", integers in decimal; nullopt when missing, null, or an
/// object/array.
std::optional<std::string> json_field_value(const boost::json::value& object,
                                            std::string_view path);

}  // namespace skiff::api
