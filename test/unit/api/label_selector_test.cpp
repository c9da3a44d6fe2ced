// Label selectors: parsing, canonical strings, upstream's errors, matching and the JSON form.
#include "skiff/api/label_selector.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::api;

namespace {

LabelSelector sel(std::string_view s) {
    auto r = LabelSelector::parse(s);
    INFO("parsing " << s << ": " << r.status().message());
    REQUIRE(r.ok());
    return *r;
}

const std::string kNameRegex =
    "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

}  // namespace

TEST_CASE("label selectors parse into their canonical form", "[label_selector]") {
    struct Case {
        std::string_view in;
        std::string_view canonical;
    };
    const Case cases[] = {
        {"", ""},
        {"x=a", "x=a"},
        {"x==a", "x==a"},
        {"x!=a", "x!=a"},
        {"x in (a,b)", "x in (a,b)"},
        {"x in (b,a,a)", "x in (a,b)"},
        {"x notin (a)", "x notin (a)"},
        {"x", "x"},
        {"!x", "!x"},
        {"x>1", "x>1"},
        {"x<10", "x<10"},
        {"  x = a ,\ty in ( b )\n", "x=a,y in (b)"},
        {"z=a,x=b,y", "x=b,y,z=a"},
        {"x=", "x="},
        {"x=,y", "x=,y"},
        {"x in ()", "x in ()"},
        {"x in (,a)", "x in (,a)"},
        {"x in (a,,b)", "x in (,a,b)"},
        {"in in (in,notin)", "in in (in,notin)"},
        {"!example.com/old,example.com/app=web", "example.com/app=web,!example.com/old"},
    };
    for (const auto& c : cases) {
        INFO("input '" << c.in << "'");
        auto s = sel(c.in);
        CHECK(s.to_string() == c.canonical);
        CHECK(s.empty() == c.canonical.empty());
        // The canonical form parses back to the same selector.
        CHECK(sel(s.to_string()) == s);
    }
}

TEST_CASE("label selector syntax errors carry upstream's messages", "[label_selector]") {
    struct Case {
        std::string_view in;
        std::string message;
    };
    const Case cases[] = {
        {"x=a b", "found 'b', expected: ',' or 'end of string'"},
        {"x=a)", "found ')', expected: ',' or 'end of string'"},
        {"!x=a", "found '=', expected: ',' or 'end of string'"},
        {"x=a,", "found '', expected: identifier after ','"},
        {"x,,y", "found ',', expected: identifier after ','"},
        {",x", "found ',', expected: !, identifier, or 'end of string'"},
        {"=a", "found '=', expected: !, identifier, or 'end of string'"},
        {"x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"},
        {"x in a", "unable to parse requirement: found 'a' expected: '('"},
        {"x in (a", "unable to parse requirement: found '', expected: ',' or ')'"},
        {"x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"},
        {"x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"},
        {"x=(", "unable to parse requirement: found '(', expected: identifier"},
        {"!!x", "unable to parse requirement: found '!', expected: identifier"},
        // Gt/Lt values must also be label values, so negative numbers are rejected.
        {"x<-1",
         "unable to parse requirement: values[0][x]: Invalid value: \"-1\": " + kLabelValueMsg},
        {"x>a",
         "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' "
         "operators, the value must be an integer"},
        {"x=a$",
         "unable to parse requirement: values[0][x]: Invalid value: \"a$\": " + kLabelValueMsg},
        {"app:monolith",
         "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must "
         "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
         "alphanumeric character " +
             kNameRegex},
        {"a/b/c=d",
         "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must "
         "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
         "alphanumeric character " +
             kNameRegex +
             " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"},
    };
    for (const auto& c : cases) {
        INFO("input '" << c.in << "'");
        auto r = LabelSelector::parse(c.in);
        REQUIRE_FALSE(r.ok());
        CHECK(r.status().reason() == skiff::base::Reason::BadRequest);
        CHECK(r.status().message() == c.message);
    }
}

TEST_CASE("label selectors match label maps", "[label_selector]") {
    const auto labels_json =
        boost::json::parse(R"({"app":"web","tier":"fe","n":"5","odd":7})").as_object();
    const std::map<std::string, std::string> labels_map = {
        {"app", "web"}, {"tier", "fe"}, {"n", "5"}};
    struct Case {
        std::string_view selector;
        bool matches;
        bool matches_no_labels;
    };
    const Case cases[] = {
        {"", true, true},
        {"app=web", true, false},
        {"app==web", true, false},
        {"app=db", false, false},
        {"app!=db", true, true},
        {"app!=web", false, true},
        {"missing!=x", true, true},
        {"app in (web,db)", true, false},
        {"app in (db)", false, false},
        {"app notin (web)", false, true},
        {"missing notin (x)", true, true},
        {"app", true, false},
        {"!app", false, true},
        {"!missing", true, true},
        {"n>4", true, false},
        {"n>5", false, false},
        {"n<6", true, false},
        {"n<5", false, false},
        {"app>1", false, false},
        {"missing>1", false, false},
        {"odd", false, false},  // not a string: treated as missing
        {"app=web,tier=fe", true, false},
        {"app=web,tier=be", false, false},
        {"!missing,app in (web),n>1", true, false},
    };
    for (const auto& c : cases) {
        INFO("selector '" << c.selector << "'");
        auto s = sel(c.selector);
        CHECK(s.matches(&labels_json) == c.matches);
        CHECK(s.matches(labels_map) == c.matches);
        CHECK(s.matches(nullptr) == c.matches_no_labels);
    }
    CHECK_FALSE(LabelSelector::nothing().matches(&labels_json));
    CHECK_FALSE(LabelSelector::nothing().matches(nullptr));
    CHECK_FALSE(LabelSelector::nothing().empty());
    CHECK(LabelSelector::nothing().to_string().empty());
    CHECK(LabelSelector::everything().matches(nullptr));
}

TEST_CASE("metav1.LabelSelector JSON converts like LabelSelectorAsSelector", "[label_selector]") {
    struct Case {
        std::string_view json;
        std::string_view canonical;
    };
    const Case cases[] = {
        {R"({})", ""},
        {R"({"matchLabels":{},"matchExpressions":[]})", ""},
        {R"({"matchLabels":{"b":"2","a":"1"}})", "a=1,b=2"},
        {R"({"matchExpressions":[{"key":"k","operator":"In","values":["y","x"]}]})", "k in (x,y)"},
        {R"({"matchExpressions":[{"key":"k","operator":"NotIn","values":["x"]}]})", "k notin (x)"},
        {R"({"matchExpressions":[{"key":"k","operator":"Exists"}]})", "k"},
        {R"({"matchExpressions":[{"key":"k","operator":"DoesNotExist","values":[]}]})", "!k"},
        {R"({"matchLabels":{"z":"1"},"matchExpressions":[{"key":"a","operator":"Exists"}]})",
         "a,z=1"},
    };
    for (const auto& c : cases) {
        INFO("json " << c.json);
        auto v = boost::json::parse(c.json);
        auto r = LabelSelector::from_json(&v);
        REQUIRE(r.ok());
        CHECK(r->to_string() == c.canonical);
        CHECK(r->empty() == c.canonical.empty());
        CHECK_FALSE(r->matches_nothing());
    }

    auto null = boost::json::parse("null");
    auto from_null = LabelSelector::from_json(&null);
    REQUIRE(from_null.ok());
    CHECK(from_null->matches_nothing());
    CHECK_FALSE(from_null->matches(nullptr));
    auto from_nullptr = LabelSelector::from_json(nullptr);
    REQUIRE(from_nullptr.ok());
    CHECK(from_nullptr->matches_nothing());

    const auto labels = boost::json::parse(R"({"k":"x"})").as_object();
    auto in = boost::json::parse(
        R"({"matchExpressions":[{"key":"k","operator":"In","values":["x","y"]}]})");
    CHECK(LabelSelector::from_json(&in)->matches(&labels));
    CHECK_FALSE(LabelSelector::from_json(&in)->matches(nullptr));
}

TEST_CASE("metav1.LabelSelector conversion errors", "[label_selector]") {
    struct Case {
        std::string_view json;
        std::string message;
    };
    const Case cases[] = {
        {R"({"matchExpressions":[{"key":"k","operator":"Foo"}]})",
         "\"Foo\" is not a valid label selector operator"},
        {R"({"matchExpressions":[{"key":"k","operator":"In"}]})",
         "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"},
        {R"({"matchExpressions":[{"key":"k","operator":"Exists","values":["a"]}]})",
         "values: Invalid value: [\"a\"]: values set must be empty for exists and does not "
         "exist"},
        {R"({"matchLabels":{"-k":"v"}})",
         "key: Invalid value: \"-k\": name part must consist of alphanumeric characters, '-', "
         "'_' or '.', and must start and end with an alphanumeric character " +
             kNameRegex},
        {R"({"matchLabels":{"k":"-v"}})", "values[0][k]: Invalid value: \"-v\": " + kLabelValueMsg},
        {R"({"matchExpressions":[{"key":"","operator":"In"}]})",
         "[key: Invalid value: \"\": name part must be non-empty; name part must consist of "
         "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
         "character " +
             kNameRegex +
             ", values: Invalid value: null: for 'in', 'notin' operators, values set can't be "
             "empty]"},
    };
    for (const auto& c : cases) {
        INFO("json " << c.json);
        auto v = boost::json::parse(c.json);
        auto r = LabelSelector::from_json(&v);
        REQUIRE_FALSE(r.ok());
        CHECK(r.status().reason() == skiff::base::Reason::BadRequest);
        CHECK(r.status().message() == c.message);
    }
}

TEST_CASE("make_requirement checks values per operator", "[label_selector]") {
    CHECK(make_requirement("a", SelectorOperator::Equals, {"x"}).ok());
    CHECK(make_requirement("a", SelectorOperator::GreaterThan, {"-3"}).status().message() ==
          "values[0][a]: Invalid value: \"-3\": " + kLabelValueMsg);
    CHECK(make_requirement("a", SelectorOperator::Equals, {"x", "y"}).status().message() ==
          "values: Invalid value: [\"x\",\"y\"]: exact-match compatibility requires one single "
          "value");
    CHECK(make_requirement("a", SelectorOperator::LessThan, {}).status().message() ==
          "values: Invalid value: null: for 'Gt', 'Lt' operators, exactly one value is required");
    CHECK(operator_name(SelectorOperator::NotIn) == "notin");
    CHECK(operator_name(SelectorOperator::DoesNotExist) == "!");
}

TEST_CASE("requires_exact_match finds a single required value", "[label_selector]") {
    auto s = sel("a=1,b in (2),c in (3,4),d!=5,e");
    CHECK(s.requires_exact_match("a") == "1");
    CHECK(s.requires_exact_match("b") == "2");
    CHECK_FALSE(s.requires_exact_match("c"));
    CHECK_FALSE(s.requires_exact_match("d"));
    CHECK_FALSE(s.requires_exact_match("e"));
    CHECK_FALSE(s.requires_exact_match("zz"));
    auto set = LabelSelector::from_set({{"b", "2"}, {"a", "1"}});
    CHECK(set.to_string() == "a=1,b=2");
    CHECK(set.requires_exact_match("b") == "2");
}

TEST_CASE("label selectors inside objects validate like ValidateLabelSelector",
          "[label_selector]") {
    struct Case {
        std::string_view json;
        std::vector<std::string> errors;
    };
    const Case cases[] = {
        {R"({"matchLabels":{"a":"b"},"matchExpressions":[{"key":"k","operator":"In","values":["x"]}]})",
         {}},
        {R"({"matchExpressions":[{"key":"k","operator":"In"}]})",
         {"spec.selector.matchExpressions[0].values: Required value: must be specified when "
          "`operator` is 'In' or 'NotIn'"}},
        {R"({"matchExpressions":[{"key":"k","operator":"Exists","values":["a"]}]})",
         {"spec.selector.matchExpressions[0].values: Forbidden: may not be specified when "
          "`operator` is 'Exists' or 'DoesNotExist'"}},
        {R"({"matchExpressions":[{"key":"k","operator":"Foo"}]})",
         {"spec.selector.matchExpressions[0].operator: Invalid value: \"Foo\": not a valid "
          "selector operator"}},
        {R"({"matchExpressions":[{"key":"k","operator":"NotIn","values":["ok","-bad"]}]})",
         {"spec.selector.matchExpressions[0].values[1]: Invalid value: \"-bad\": " +
          kLabelValueMsg}},
        {R"({"matchLabels":{"a":"-x"}})",
         {"spec.selector.matchLabels: Invalid value: \"-x\": " + kLabelValueMsg}},
    };
    for (const auto& c : cases) {
        INFO("json " << c.json);
        auto v = boost::json::parse(c.json);
        auto errs = validate_label_selector(&v, "spec.selector");
        std::vector<std::string> got;
        for (const auto& e : errs) {
            got.push_back(e.to_string());
        }
        CHECK(got == c.errors);
    }
    auto bad_value = boost::json::parse(
        R"({"matchExpressions":[{"key":"k","operator":"In","values":["-bad"]}]})");
    CHECK(validate_label_selector(&bad_value, "spec.selector", true).empty());
    CHECK(validate_label_selector(nullptr, "spec.selector").empty());
}
