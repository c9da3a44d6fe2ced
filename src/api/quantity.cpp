// Resource quantities ("100m", "2Gi", "1e3"): exact parsing, arithmetic and upstream's canonical
// form.
#include "skiff/api/quantity.h"

#include <array>
#include <charconv>
#include <optional>

#include <boost/json.hpp>

namespace skiff::api {
namespace {

namespace json = boost::json;

using Int128 = __int128;

constexpr Int128 kMax = static_cast<Int128>(~static_cast<unsigned __int128>(0) >> 1);
constexpr Int128 kNanoPerUnit = 1'000'000'000;
// Upstream's arbitrary-precision path caps magnitudes at 2^63-1 units.
constexpr Int128 kSlowPathCap = static_cast<Int128>(INT64_MAX) * kNanoPerUnit;

constexpr std::string_view kFormatWrong =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr std::string_view kNumericError = "unable to parse numeric part of quantity";
constexpr std::string_view kSuffixError = "unable to parse quantity's suffix";

Int128 abs128(Int128 v) {
    return v < 0 ? -v : v;
}

// Saturating arithmetic on magnitudes below kMax.
Int128 mul_sat(Int128 a, Int128 b) {
    Int128 r;
    if (__builtin_mul_overflow(a, b, &r)) {
        return (a < 0) != (b < 0) ? -kMax : kMax;
    }
    return r;
}

Int128 add_sat(Int128 a, Int128 b) {
    Int128 r;
    if (__builtin_add_overflow(a, b, &r) || r > kMax || r < -kMax) {
        return b < 0 ? -kMax : kMax;
    }
    return r;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A run of decimal digits as an integer, saturating.
Int128 parse_digits(std::string_view digits) {
    Int128 x = 0;
    for (char c : digits) {
        x = add_sat(mul_sat(x, 10), c - '0');
    }
    return x;
}

// ceil(D * k * 10^shift) for the decimal digits D and k > 0, saturating. A negative shift
// divides: the digits that fall below the point are folded in from the right (Horner), with
// a sticky bit for anything non-zero lost on the way.
Int128 scaled_ceil(std::string_view digits, Int128 k, std::int64_t shift) {
    if (shift >= 0) {
        Int128 x = mul_sat(parse_digits(digits), k);
        for (std::int64_t i = 0; i < shift && x != 0 && x != kMax; ++i) {
            x = mul_sat(x, 10);
        }
        return x;
    }
    auto drop = static_cast<std::uint64_t>(-shift);
    std::size_t n = digits.size();
    std::string_view head = drop < n ? digits.substr(0, n - drop) : std::string_view();
    Int128 whole = mul_sat(parse_digits(head), k);
    // Invariant: fraction < k, so d * k + fraction stays far below the 128-bit limit.
    Int128 fraction = 0;
    bool sticky = false;
    for (std::uint64_t j = 0; j < drop; ++j) {
        int d = j < n ? digits[n - 1 - j] - '0' : 0;
        Int128 v = d * k + fraction;
        sticky = sticky || v % 10 != 0;
        fraction = v / 10;
        if (j + 1 >= n && fraction == 0) {
            break;  // only zeros remain
        }
    }
    return add_sat(whole, fraction + (sticky ? 1 : 0));
}

// Go's strconv.ParseInt(s, 10, 64).
std::optional<std::int64_t> parse_int64(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return std::nullopt;
    }
    std::uint64_t magnitude = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), magnitude);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) {
        return std::nullopt;
    }
    constexpr auto kLimit = static_cast<std::uint64_t>(INT64_MAX);
    if (magnitude > kLimit + (negative ? 1 : 0)) {
        return std::nullopt;
    }
    if (negative) {
        return magnitude == kLimit + 1 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
    }
    return static_cast<std::int64_t>(magnitude);
}

struct Suffix {
    int base;  // 10 or 2
    std::int32_t exponent;
    Quantity::Format format;
};

constexpr std::array<std::pair<std::string_view, std::int32_t>, 10> kDecimalSuffixes = {{
    {"n", -9},
    {"u", -6},
    {"m", -3},
    {"", 0},
    {"k", 3},
    {"M", 6},
    {"G", 9},
    {"T", 12},
    {"P", 15},
    {"E", 18},
}};
constexpr std::array<std::string_view, 7> kBinarySuffixes = {"",   "Ki", "Mi", "Gi",
                                                             "Ti", "Pi", "Ei"};

std::optional<Suffix> interpret(std::string_view s) {
    for (const auto& [text, exponent] : kDecimalSuffixes) {
        if (s == text) {
            return Suffix{10, exponent, Quantity::Format::DecimalSI};
        }
    }
    for (std::size_t i = 1; i < kBinarySuffixes.size(); ++i) {
        if (s == kBinarySuffixes[i]) {
            return Suffix{2, static_cast<std::int32_t>(i * 10), Quantity::Format::BinarySI};
        }
    }
    if (s.size() > 1 && (s.front() == 'e' || s.front() == 'E')) {
        auto parsed = parse_int64(s.substr(1));
        if (!parsed) {
            return std::nullopt;
        }
        // Upstream narrows the parsed int64 to int32 the same way.
        return Suffix{10, static_cast<std::int32_t>(*parsed), Quantity::Format::DecimalExponent};
    }
    return std::nullopt;
}

std::string int128_string(Int128 v) {
    if (v == 0) {
        return "0";
    }
    bool negative = v < 0;
    auto u = static_cast<unsigned __int128>(negative ? -v : v);
    std::string digits;
    while (u != 0) {
        digits += static_cast<char>('0' + static_cast<int>(u % 10));
        u /= 10;
    }
    if (negative) {
        digits += '-';
    }
    return {digits.rbegin(), digits.rend()};
}

Int128 pow10(int n) {
    Int128 x = 1;
    for (int i = 0; i < n; ++i) {
        x = mul_sat(x, 10);
    }
    return x;
}

// nano / divisor rounded away from zero, saturated to int64.
std::int64_t round_away(Int128 nano, Int128 divisor) {
    Int128 q = nano / divisor;
    if (nano % divisor != 0) {
        q += nano < 0 ? -1 : 1;
    }
    if (q > INT64_MAX) {
        return INT64_MAX;
    }
    if (q < INT64_MIN) {
        return INT64_MIN;
    }
    return static_cast<std::int64_t>(q);
}

}  // namespace

base::Result<Quantity> Quantity::parse(std::string_view str) {
    if (str.empty()) {
        return base::bad_request(std::string(kFormatWrong));
    }
    Quantity q;
    if (str == "0") {
        q.text_ = "0";
        return q;
    }

    // Scan: [sign] digits [. digits] suffix, where the suffix is letters from the set, then an
    // optional sign and digits. Leading zeros are not part of `num`.
    bool positive = true;
    std::size_t pos = 0;
    const std::size_t end = str.size();
    if (str[0] == '-' || str[0] == '+') {
        positive = str[0] == '+';
        ++pos;
    }
    while (pos < end && str[pos] == '0') {
        ++pos;
    }
    std::string_view num;
    std::string_view denom;
    std::string_view suffix;
    bool has_digit = false;
    if (pos == end) {
        num = "0";  // only zeros (or only a sign)
        has_digit = true;
    } else {
        std::size_t num_start = pos;
        while (pos < end && is_digit(str[pos])) {
            ++pos;
        }
        num = str.substr(num_start, pos - num_start);
        if (pos < end && str[pos] == '.') {
            std::size_t denom_start = ++pos;
            while (pos < end && is_digit(str[pos])) {
                ++pos;
            }
            denom = str.substr(denom_start, pos - denom_start);
        }
        for (std::size_t i = 0; i < pos; ++i) {
            has_digit = has_digit || is_digit(str[i]);
        }
        if (num.empty()) {
            num = "0";
        }
        std::size_t suffix_start = pos;
        while (pos < end &&
               std::string_view("eEinumkKMGTP").find(str[pos]) != std::string_view::npos) {
            ++pos;
        }
        if (pos < end && (str[pos] == '-' || str[pos] == '+')) {
            ++pos;
        }
        while (pos < end && is_digit(str[pos])) {
            ++pos;
        }
        if (pos != end) {
            return base::bad_request(std::string(kFormatWrong));
        }
        suffix = str.substr(suffix_start);
    }

    auto sfx = interpret(suffix);
    if (!sfx) {
        return base::bad_request(std::string(kSuffixError));
    }
    q.format_ = sfx->format;

    // Upstream's int64 fast path: few enough digits, no finer than nano, no overflow. Only on
    // it is the input text kept, and only off it are values capped.
    bool fast = false;
    std::int64_t precision = 0;
    std::int64_t scale = 0;
    std::int64_t mantissa = 1;
    if (sfx->base == 10) {
        scale = sfx->exponent;
        precision = 18 - static_cast<std::int64_t>(num.size() + denom.size());
    } else if (denom.empty()) {
        mantissa = std::int64_t{1} << sfx->exponent;
        precision = 15 - static_cast<std::int64_t>(num.size()) - sfx->exponent * 3 / 10 - 1;
    } else {
        precision = -1;
    }
    std::string shifted = std::string(num) + std::string(denom);
    if (precision >= 0) {
        scale -= static_cast<std::int64_t>(denom.size());
        std::int64_t value = 0;
        std::int64_t product = 0;
        if (scale >= -9 &&
            std::from_chars(shifted.data(), shifted.data() + shifted.size(), value).ec ==
                std::errc{} &&
            !__builtin_mul_overflow(value, mantissa, &product)) {
            fast = true;
            bool canonical = sfx->base == 2
                                 ? sfx->exponent % 10 == 0 && (value & 0x07) != 0
                                 : scale % 3 == 0 && !shifted.ends_with("000") && shifted[0] != '0';
            if (canonical) {
                q.text_ = std::string(str);
            }
        }
    }
    if (!fast && !has_digit) {
        return base::bad_request(std::string(kNumericError));
    }

    Int128 k = sfx->base == 2 ? Int128{1} << sfx->exponent : Int128{1};
    std::int64_t shift =
        (sfx->base == 10 ? sfx->exponent : 0) - static_cast<std::int64_t>(denom.size()) + 9;
    Int128 magnitude = scaled_ceil(shifted, k, shift);
    if (!fast) {
        if (magnitude > kSlowPathCap) {
            magnitude = kSlowPathCap;
        }
        if (q.format_ == Format::BinarySI && magnitude > 0 && magnitude < kNanoPerUnit) {
            q.format_ = Format::DecimalSI;
        }
    }
    q.nano_ = positive ? magnitude : -magnitude;
    return q;
}

base::Result<Quantity> Quantity::from_json(const json::value& value) {
    switch (value.kind()) {
        case json::kind::null:
            return Quantity{};
        case json::kind::string: {
            std::string_view s = value.get_string();
            constexpr std::string_view kBlank = " \t\n\r\v\f";
            auto first = s.find_first_not_of(kBlank);
            if (first == std::string_view::npos) {
                return parse("");
            }
            return parse(s.substr(first, s.find_last_not_of(kBlank) - first + 1));
        }
        case json::kind::int64:
            return parse(std::to_string(value.get_int64()));
        case json::kind::uint64:
            return parse(std::to_string(value.get_uint64()));
        case json::kind::double_: {
            std::array<char, 32> buf{};
            auto r = std::to_chars(buf.data(), buf.data() + buf.size(), value.get_double());
            // The JSON text itself is gone; write the shortest form with the exponent as a JSON
            // author would ("1e21", not "1e+21" or "1e-07").
            std::string text(buf.data(), r.ptr);
            if (auto e = text.find('e'); e != std::string::npos) {
                std::size_t digits = e + 1;
                if (digits < text.size() && (text[digits] == '+' || text[digits] == '-')) {
                    if (text[digits] == '+') {
                        text.erase(digits, 1);
                    } else {
                        ++digits;
                    }
                }
                while (digits + 1 < text.size() && text[digits] == '0') {
                    text.erase(digits, 1);
                }
            }
            return parse(text);
        }
        default:
            return base::bad_request(std::string(kFormatWrong));
    }
}

Quantity Quantity::from_int(std::int64_t value, Format format) {
    return from_scaled(value, 0, format);
}

Quantity Quantity::from_milli(std::int64_t milli, Format format) {
    return from_scaled(milli, -3, format);
}

Quantity Quantity::from_scaled(std::int64_t value, int scale, Format format) {
    Quantity q;
    q.format_ = format;
    if (scale >= -9) {
        q.nano_ = mul_sat(value, pow10(scale + 9));
    } else {
        Int128 divisor = pow10(-9 - scale);
        Int128 v = value;
        q.nano_ = v / divisor + (v % divisor != 0 ? (v < 0 ? -1 : 1) : 0);
    }
    return q;
}

std::int64_t Quantity::value() const {
    return round_away(nano_, kNanoPerUnit);
}

std::int64_t Quantity::milli_value() const {
    return round_away(nano_, 1'000'000);
}

std::string Quantity::to_string() const {
    if (!text_.empty()) {
        return text_;
    }
    if (nano_ == 0) {
        return "0";
    }
    Format format = format_;
    if (format == Format::BinarySI &&
        (abs128(nano_) < 1024 * kNanoPerUnit || nano_ % kNanoPerUnit != 0)) {
        // Small or fractional binary values are written in decimal rather than rounded.
        format = Format::DecimalSI;
    }
    if (format == Format::BinarySI) {
        Int128 units = nano_ / kNanoPerUnit;
        std::size_t exponent = 0;
        while (exponent + 1 < kBinarySuffixes.size() && abs128(units) >= 1024 &&
               units % 1024 == 0) {
            units /= 1024;
            ++exponent;
        }
        return int128_string(units) + std::string(kBinarySuffixes[exponent]);
    }
    // Move factors of ten into the exponent, then lower it to a multiple of three.
    Int128 mantissa = nano_;
    std::int32_t exponent = -9;
    while (abs128(mantissa) >= 10 && mantissa % 10 == 0) {
        mantissa /= 10;
        ++exponent;
    }
    switch (exponent % 3) {
        case 1:
        case -2:
            mantissa *= 10;
            exponent -= 1;
            break;
        case 2:
        case -1:
            mantissa *= 100;
            exponent -= 2;
            break;
        default:
            break;
    }
    std::string out = int128_string(mantissa);
    if (format == Format::DecimalSI) {
        for (const auto& [text, e] : kDecimalSuffixes) {
            if (e == exponent) {
                return out + std::string(text);
            }
        }
    }
    // DecimalExponent, or a DecimalSI value past "E": an explicit exponent.
    return exponent == 0 ? out : out + "e" + std::to_string(exponent);
}

json::value Quantity::to_json() const {
    return json::string(to_string());
}

int Quantity::compare(const Quantity& other) const {
    return nano_ < other.nano_ ? -1 : nano_ > other.nano_ ? 1 : 0;
}

Quantity& Quantity::operator+=(const Quantity& other) {
    if (nano_ == 0) {
        format_ = other.format_;
    }
    nano_ = add_sat(nano_, other.nano_);
    text_.clear();
    return *this;
}

Quantity& Quantity::operator-=(const Quantity& other) {
    if (nano_ == 0) {
        format_ = other.format_;
    }
    nano_ = add_sat(nano_, -other.nano_);
    text_.clear();
    return *this;
}

Quantity Quantity::operator-() const {
    Quantity q;
    q.nano_ = -nano_;
    q.format_ = format_;
    return q;
}

}  // namespace skiff::api
