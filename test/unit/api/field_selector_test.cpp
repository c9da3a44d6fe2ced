// Field selectors: parsing, escaping, upstream's errors, matching and supported fields.
#include "skiff/api/field_selector.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::api;

namespace {

FieldSelector sel(std::string_view s) {
    auto r = FieldSelector::parse(s);
    INFO("parsing " << s << ": " << r.status().message());
    REQUIRE(r.ok());
    return *r;
}

}  // namespace

TEST_CASE("field selectors parse into sorted terms", "[field_selector]") {
    struct Case {
        std::string_view in;
        std::string_view canonical;
        std::size_t terms;
    };
    const Case cases[] = {
        {"", "", 0},
        {"metadata.name=foo", "metadata.name=foo", 1},
        {"metadata.name==foo", "metadata.name=foo", 1},
        {"status.phase!=Running", "status.phase!=Running", 1},
        {"status.phase!=Running,metadata.name=x", "metadata.name=x,status.phase!=Running", 2},
        {"a=b\\,c", "a=b\\,c", 1},
        {"a=b\\=c", "a=b\\=c", 1},
        {"a=b\\\\c", "a=b\\\\c", 1},
        {"a=", "a=", 1},
        {"=", "", 0},
        {",,a=b,", "a=b", 1},
        {"a=b,a!=c", "a!=c,a=b", 2},  // sorted by term text
    };
    for (const auto& c : cases) {
        INFO("input '" << c.in << "'");
        auto s = sel(c.in);
        CHECK(s.to_string() == c.canonical);
        CHECK(s.requirements().size() == c.terms);
        CHECK(s.empty() == (c.terms == 0));
    }
    auto escaped = sel("a=b\\,c\\=d\\\\e");
    REQUIRE(escaped.requirements().size() == 1);
    CHECK(escaped.requirements()[0].value == "b,c=d\\e");
    CHECK(escaped.requirements()[0].field == "a");
    CHECK(escaped.requirements()[0].equals);
}

TEST_CASE("field selector errors carry upstream's messages", "[field_selector]") {
    struct Case {
        std::string_view in;
        std::string message;
    };
    const Case cases[] = {
        {"a", "invalid selector: 'a'; can't understand 'a'"},
        {"x=1,a", "invalid selector: 'x=1,a'; can't understand 'a'"},
        {"a=b=c", "invalid field selector: unescaped character in value: 61"},
        {"a==b,c", "invalid selector: 'a==b,c'; can't understand 'c'"},
        {"a=b\\x", "invalid field selector: invalid escape sequence: \\x"},
        {"a=b\\", "invalid field selector: invalid escape sequence: \\"},
    };
    for (const auto& c : cases) {
        INFO("input '" << c.in << "'");
        auto r = FieldSelector::parse(c.in);
        REQUIRE_FALSE(r.ok());
        CHECK(r.status().reason() == skiff::base::Reason::BadRequest);
        CHECK(r.status().message() == c.message);
    }
}

TEST_CASE("field selectors match looked-up values, missing fields being empty",
          "[field_selector]") {
    const std::map<std::string, std::string> fields = {{"metadata.name", "foo"},
                                                       {"status.phase", "Running"}};
    FieldLookup lookup = [&](std::string_view f) -> std::optional<std::string> {
        auto it = fields.find(std::string(f));
        return it == fields.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    struct Case {
        std::string_view selector;
        bool matches;
    };
    const Case cases[] = {
        {"", true},
        {"metadata.name=foo", true},
        {"metadata.name==foo", true},
        {"metadata.name=bar", false},
        {"metadata.name!=foo", false},
        {"metadata.name!=bar", true},
        {"spec.nodeName=", true},
        {"spec.nodeName!=", false},
        {"spec.nodeName=n1", false},
        {"metadata.name=foo,status.phase=Running", true},
        {"metadata.name=foo,status.phase!=Running", false},
    };
    for (const auto& c : cases) {
        INFO("selector '" << c.selector << "'");
        auto s = sel(c.selector);
        CHECK(s.matches(lookup) == c.matches);
        CHECK(s.matches(fields) == c.matches);
    }
}

TEST_CASE("field selectors are checked against the supported fields", "[field_selector]") {
    const std::vector<std::string_view> supported = {"metadata.name", "metadata.namespace"};
    CHECK(sel("metadata.name=a,metadata.namespace!=b").check_supported(supported).ok());
    CHECK(sel("").check_supported(supported).ok());
    auto st = sel("metadata.name=a,spec.x=b,a.b=c").check_supported(supported);
    REQUIRE_FALSE(st.ok());
    CHECK(st.reason() == skiff::base::Reason::BadRequest);
    CHECK(st.code() == 400);
    CHECK(st.message() == "field label not supported: a.b");  // first in term order
}

TEST_CASE("field selector helpers", "[field_selector]") {
    CHECK(escape_field_value("a,b=c\\d") == "a\\,b\\=c\\\\d");
    CHECK(unescape_field_value("a\\,b\\=c\\\\d").value() == "a,b=c\\d");
    CHECK(unescape_field_value("plain").value() == "plain");
    CHECK(unescape_field_value("a,b").status().message() ==
          "invalid field selector: unescaped character in value: 44");

    auto one = FieldSelector::one_term_equal("metadata.name", "a,b");
    CHECK(one.to_string() == "metadata.name=a\\,b");
    CHECK(one.requires_exact_match("metadata.name") == "a,b");
    CHECK_FALSE(sel("a!=b").requires_exact_match("a"));
    CHECK(sel(one.to_string()) == one);

    auto pod = boost::json::parse(
        R"({"metadata":{"name":"p","namespace":"ns"},"spec":{"nodeName":"n1",)"
        R"("unschedulable":true,"replicas":3},"status":{"phase":"Running","x":null}})");
    CHECK(json_field_value(pod, "metadata.name") == "p");
    CHECK(json_field_value(pod, "spec.unschedulable") == "true");
    CHECK(json_field_value(pod, "spec.replicas") == "3");
    CHECK_FALSE(json_field_value(pod, "status.x"));
    CHECK_FALSE(json_field_value(pod, "metadata"));
    CHECK_FALSE(json_field_value(pod, "metadata.name.more"));
    CHECK_FALSE(json_field_value(pod, "spec.missing"));

    FieldLookup lookup = [&](std::string_view f) { return json_field_value(pod, f); };
    CHECK(sel("spec.nodeName=n1,status.phase=Running,metadata.namespace=ns").matches(lookup));
    CHECK_FALSE(sel("spec.nodeName=n2").matches(lookup));
}
