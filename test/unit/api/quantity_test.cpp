// Quantity: parsing, upstream's canonical strings, rounding, caps and arithmetic.
#include "skiff/api/quantity.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using skiff::api::Quantity;
using Format = Quantity::Format;

namespace {

Quantity q(std::string_view s) {
    auto r = Quantity::parse(s);
    INFO("parsing " << s << ": " << r.status().message());
    REQUIRE(r.ok());
    return *r;
}

}  // namespace

TEST_CASE("quantities parse to upstream's canonical strings and values", "[quantity]") {
    struct Case {
        std::string_view in;
        std::string_view canonical;
        std::int64_t value;
        std::int64_t milli;
        Format format;
    };
    const Case cases[] = {
        {"0", "0", 0, 0, Format::DecimalSI},
        {"1", "1", 1, 1000, Format::DecimalSI},
        {"100m", "100m", 1, 100, Format::DecimalSI},
        {"1000m", "1", 1, 1000, Format::DecimalSI},
        {"1500m", "1500m", 2, 1500, Format::DecimalSI},
        {"1.5", "1500m", 2, 1500, Format::DecimalSI},
        {"0.5", "500m", 1, 500, Format::DecimalSI},
        {"0.1", "100m", 1, 100, Format::DecimalSI},
        {".5", "500m", 1, 500, Format::DecimalSI},
        {"1k", "1k", 1000, 1000000, Format::DecimalSI},
        {"1000k", "1M", 1000000, 1000000000, Format::DecimalSI},
        {"1M", "1M", 1000000, 1000000000, Format::DecimalSI},
        {"1.5M", "1500k", 1500000, 1500000000, Format::DecimalSI},
        {"2Gi", "2Gi", 2147483648, 2147483648000, Format::BinarySI},
        {"500Mi", "500Mi", 524288000, 524288000000, Format::BinarySI},
        {"1024Mi", "1Gi", 1073741824, 1073741824000, Format::BinarySI},
        {"1.5Gi", "1536Mi", 1610612736, 1610612736000, Format::BinarySI},
        {"0.5Gi", "512Mi", 536870912, 536870912000, Format::BinarySI},
        {"0.5Ki", "512", 512, 512000, Format::BinarySI},
        {"1.0001Ki", "1024102400u", 1025, 1024103, Format::BinarySI},
        {"1e3", "1e3", 1000, 1000000, Format::DecimalExponent},
        {"1E3", "1E3", 1000, 1000000, Format::DecimalExponent},
        {"12e1", "120", 120, 120000, Format::DecimalExponent},
        {"1.5e3", "1500", 1500, 1500000, Format::DecimalExponent},
        {"1e-3", "1e-3", 1, 1, Format::DecimalExponent},
        {"1e-10", "1e-9", 1, 1, Format::DecimalExponent},
        {"-1", "-1", -1, -1000, Format::DecimalSI},
        {"-100m", "-100m", -1, -100, Format::DecimalSI},
        {"-1.5Gi", "-1536Mi", -1610612736, -1610612736000, Format::BinarySI},
        {"1n", "1n", 1, 1, Format::DecimalSI},
        {"1.5n", "2n", 1, 1, Format::DecimalSI},
        {"0.0000000001", "1n", 1, 1, Format::DecimalSI},
        {"1u", "1u", 1, 1, Format::DecimalSI},
        // Upstream keeps the text when its fast check finds it canonical, quirks included.
        {"+1", "+1", 1, 1000, Format::DecimalSI},
        {"5.", "5.", 5, 5000, Format::DecimalSI},
        // Only a sign or a point is zero; a binary suffix alone is zero on the fast path.
        {".", "0", 0, 0, Format::DecimalSI},
        {"-", "0", 0, 0, Format::DecimalSI},
        {"Ki", "0", 0, 0, Format::BinarySI},
        {"00", "0", 0, 0, Format::DecimalSI},
        // 19 digits take the arbitrary-precision path, which caps at 2^63-1.
        {"9223372036854775807", "9223372036854775807", INT64_MAX, INT64_MAX, Format::DecimalSI},
        {"9223372036854775808", "9223372036854775807", INT64_MAX, INT64_MAX, Format::DecimalSI},
        {"8Ei", "9223372036854775807", INT64_MAX, INT64_MAX, Format::BinarySI},
        {"1Ei", "1Ei", 1152921504606846976, INT64_MAX, Format::BinarySI},
        // The fast path is not capped; past "E" the exponent is written out.
        {"1000E", "1e21", INT64_MAX, INT64_MAX, Format::DecimalSI},
    };
    for (const auto& c : cases) {
        INFO("input " << c.in);
        Quantity x = q(c.in);
        CHECK(x.to_string() == c.canonical);
        CHECK(x.value() == c.value);
        CHECK(x.milli_value() == c.milli);
        CHECK(x.format() == c.format);
        CHECK(x.to_json() == boost::json::value(c.canonical));
    }
}

TEST_CASE("malformed quantities are rejected with upstream's messages", "[quantity]") {
    const std::string format_wrong =
        "quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    const std::string suffix = "unable to parse quantity's suffix";
    const std::string numeric = "unable to parse numeric part of quantity";
    struct Case {
        std::string_view in;
        std::string message;
    };
    const Case cases[] = {
        {"", format_wrong},     {"abc", format_wrong},  {"1.5.5", format_wrong},
        {"5KiB", format_wrong}, {"1 Gi", format_wrong}, {" 1", format_wrong},
        {"1Mb", format_wrong},  {"5K", suffix},         {"1e", suffix},
        {"1ee3", suffix},       {"1Gi1", suffix},       {"--1", suffix},
        {"1kk", suffix},        {"Pi", numeric},        {".Ei", numeric},
    };
    for (const auto& c : cases) {
        INFO("input '" << c.in << "'");
        auto r = Quantity::parse(c.in);
        REQUIRE_FALSE(r.ok());
        CHECK(r.status().reason() == skiff::base::Reason::BadRequest);
        CHECK(r.status().code() == 400);
        CHECK(r.status().message() == c.message);
    }
}

TEST_CASE("quantity arithmetic is exact and keeps the receiver's format", "[quantity]") {
    CHECK((q("1") + q("500m")).to_string() == "1500m");
    CHECK((q("1Gi") + q("1Gi")).to_string() == "2Gi");
    CHECK((q("1Gi") - q("1Gi")).to_string() == "0");
    CHECK((q("100m") - q("1")).to_string() == "-900m");
    CHECK((q("0.1") + q("0.2")).to_string() == "300m");  // no floating point
    CHECK((q("1Gi") + q("1")).to_string() == "1073741825");
    CHECK((q("1Gi") + q("0.5")).to_string() == "1073741824500m");  // not whole: DecimalSI

    // A zero receiver takes the other side's format.
    Quantity sum;
    sum += q("1Ki");
    CHECK(sum.format() == Format::BinarySI);
    CHECK(sum.to_string() == "1Ki");
    Quantity diff = q("0") - q("1e3");
    CHECK(diff.format() == Format::DecimalExponent);
    CHECK(diff.to_string() == "-1e3");

    // The kept text is dropped once the value changes.
    Quantity plus = q("+1");
    plus += q("0");
    CHECK(plus.to_string() == "1");
    CHECK((-q("1Gi")).to_string() == "-1Gi");
    CHECK((-q("+1")).to_string() == "-1");
}

TEST_CASE("quantities compare by value across formats", "[quantity]") {
    CHECK(q("1000m") == q("1"));
    CHECK(q("1Ki") == q("1024"));
    CHECK(q("1e3") == q("1k"));
    CHECK(q("1Gi") > q("1G"));
    CHECK(q("-1") < q("0"));
    CHECK(q("999m").compare(q("1")) == -1);
    CHECK(q("2").compare(q("1999m")) == 1);
    CHECK(q("5").sign() == 1);
    CHECK(q("-5m").sign() == -1);
    CHECK(q("0Mi").is_zero());
}

TEST_CASE("quantities are built from integers and JSON", "[quantity]") {
    CHECK(Quantity::from_int(5).to_string() == "5");
    CHECK(Quantity::from_int(2048, Format::BinarySI).to_string() == "2Ki");
    CHECK(Quantity::from_int(1000).to_string() == "1k");
    CHECK(Quantity::from_milli(1500).to_string() == "1500m");
    CHECK(Quantity::from_milli(-250).milli_value() == -250);
    CHECK(Quantity::from_scaled(3, 6).to_string() == "3M");
    CHECK(Quantity::from_scaled(15, -10).to_string() == "2n");

    struct Case {
        std::string_view json;
        std::string_view canonical;
    };
    const Case cases[] = {
        {R"("100m")", "100m"}, {R"(" 1Gi ")", "1Gi"}, {"3", "3"},
        {"1.5", "1500m"},      {"-2", "-2"},          {"null", "0"},
        {"1e21", "1e21"},      {"1e-9", "1e-9"},      {"2.5e-7", "250e-9"},
    };
    for (const auto& c : cases) {
        INFO("json " << c.json);
        auto r = Quantity::from_json(boost::json::parse(c.json));
        REQUIRE(r.ok());
        CHECK(r->to_string() == c.canonical);
    }
    CHECK_FALSE(Quantity::from_json(boost::json::parse("true")).ok());
    CHECK_FALSE(Quantity::from_json(boost::json::parse("{}")).ok());
    CHECK_FALSE(Quantity::from_json(boost::json::parse(R"("")")).ok());
}
