// Resource quantities ("100m", "2Gi", "1e3"): exact parsing, arithmetic and upstream's canonical
// form.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// A resource.Quantity as an exact count of nano-units (a 128-bit integer) plus the format its
/// text was written in; no floating point anywhere.
///
/// Range and precision: values are exact to 1n (1e-9). Parsing rounds a finer non-zero value
/// away from zero to the next nano-unit and, where upstream falls back to its arbitrary-
/// precision path (more than 18 digits, a fraction finer than 1n, a binary suffix with a
/// fraction or above Ti), caps the magnitude at 2^63-1 units as upstream does. Values beyond
/// about 1.7e29 units (only reachable with explicit exponents such as "1e40", or by adding
/// such values) saturate at the 128-bit limit, where upstream would stay exact.
class Quantity {
public:
    /// How the quantity was written; the canonical string keeps the family.
    enum class Format {
        DecimalExponent,  // 12e6
        BinarySI,         // 12Mi
        DecimalSI,        // 12M
    };

    Quantity() = default;  // zero, DecimalSI

    /// resource.ParseQuantity. Failures are BadRequest with upstream's messages: "quantities
    /// must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    /// "unable to parse quantity's suffix" or "unable to parse numeric part of quantity".
    static base::Result<Quantity> parse(std::string_view text);
    /// Quantity.UnmarshalJSON: a string (blanks trimmed) or a JSON number; null is zero.
    static base::Result<Quantity> from_json(const boost::json::value& value);
    /// resource.NewQuantity / NewMilliQuantity / NewScaledQuantity(value, 10^scale).
    static Quantity from_int(std::int64_t value, Format format = Format::DecimalSI);
    static Quantity from_milli(std::int64_t milli, Format format = Format::DecimalSI);
    static Quantity from_scaled(std::int64_t value, int scale, Format format = Format::DecimalSI);

    Format format() const { return format_; }
    bool is_zero() const { return nano_ == 0; }
    /// -1, 0 or 1.
    int sign() const { return nano_ < 0 ? -1 : nano_ > 0 ? 1 : 0; }

    /// The value in whole units, rounded away from zero ("1500m" → 2, "-1500m" → -2),
    /// saturating at the int64 limits.
    std::int64_t value() const;
    /// The value in milli-units, rounded away from zero, saturating at the int64 limits.
    std::int64_t milli_value() const;

    /// Quantity.String(): the text it was parsed from when upstream keeps it (it was already
    /// canonical in upstream's fast check, e.g. "100m", "1Gi", "+1"), else the canonical form:
    /// no fractional digits, the largest suffix of the format family that loses nothing
    /// ("1000m" → "1", "1024Mi" → "1Gi", "0.5" → "500m", "1.5Gi" → "1536Mi", "1e3" → "1e3").
    /// A BinarySI value below 1024 in magnitude or not a whole number is written DecimalSI.
    std::string to_string() const;
    /// The JSON string of to_string().
    boost::json::value to_json() const;

    /// -1, 0 or 1 as this is less than, equal to or greater than `other` (formats ignored).
    int compare(const Quantity& other) const;
    bool operator==(const Quantity& other) const { return compare(other) == 0; }
    std::strong_ordering operator<=>(const Quantity& other) const { return compare(other) <=> 0; }

    /// Exact sum/difference (saturating at the 128-bit limit). The result keeps this
    /// quantity's format, or takes `other`'s when this one is zero, and prints canonically.
    Quantity& operator+=(const Quantity& other);
    Quantity& operator-=(const Quantity& other);
    friend Quantity operator+(Quantity a, const Quantity& b) { return a += b; }
    friend Quantity operator-(Quantity a, const Quantity& b) { return a -= b; }
    /// The negation, in the same format.
    Quantity operator-() const;

private:
    __int128 nano_ = 0;
    Format format_ = Format::DecimalSI;
    std::string text_;  // the parsed text when upstream keeps it for String()
};

}  // namespace skiff::api
