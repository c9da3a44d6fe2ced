// Validation: name and label rules, field error wording, the 422 Status and object meta checks.
#include "skiff/api/validation.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace skiff::api;

namespace {

const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kDNS1035Msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const std::string kNamePartMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
    "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

using Strings = std::vector<std::string>;

Strings messages(const ErrorList& errs) {
    Strings out;
    for (const auto& e : errs) {
        out.push_back(e.to_string());
    }
    return out;
}

}  // namespace

TEST_CASE("DNS names are checked with upstream's messages", "[validation]") {
    using Check = std::vector<std::string> (*)(std::string_view);
    struct Case {
        Check check;
        std::string value;
        Strings errors;
    };
    const std::string l63(63, 'a');
    const std::string l64(64, 'a');
    const Case cases[] = {
        {is_dns1123_label, "abc", {}},
        {is_dns1123_label, "a-1", {}},
        {is_dns1123_label, "1a", {}},
        {is_dns1123_label, l63, {}},
        {is_dns1123_label, l64, {"must be no more than 63 characters"}},
        {is_dns1123_label, "-a", {kLabelMsg}},
        {is_dns1123_label, "a-", {kLabelMsg}},
        {is_dns1123_label, "Abc", {kLabelMsg}},
        {is_dns1123_label, "", {kLabelMsg}},
        {is_dns1123_label, "a.b", {"must not contain dots"}},
        {is_dns1123_subdomain, "example.com", {}},
        {is_dns1123_subdomain, "a-b.c-d.e", {}},
        {is_dns1123_subdomain, "Foo", {kSubdomainMsg}},
        {is_dns1123_subdomain, "a..b", {kSubdomainMsg}},
        {is_dns1123_subdomain, "a.", {kSubdomainMsg}},
        {is_dns1123_subdomain, "a_b", {kSubdomainMsg}},
        // The regex has no per-label limit: only the total length fails here.
        {is_dns1123_subdomain, std::string(254, 'a'), {"must be no more than 253 characters"}},
        {is_dns1123_subdomain,
         std::string(254, '-'),
         {"must be no more than 253 characters", kSubdomainMsg}},
        {is_dns1035_label, "abc-1", {}},
        {is_dns1035_label, "1abc", {kDNS1035Msg}},
        {is_dns1035_label, "a.b", {kDNS1035Msg}},
    };
    for (const auto& c : cases) {
        INFO("value '" << c.value << "'");
        CHECK(c.check(c.value) == c.errors);
    }
}

TEST_CASE("qualified names and label values", "[validation]") {
    struct Case {
        std::string value;
        Strings errors;
    };
    const Case names[] = {
        {"app", {}},
        {"example.com/MyName", {}},
        {"app.kubernetes.io/name", {}},
        {"a_b.c-d", {}},
        {"/a", {"prefix part must be non-empty"}},
        {"a/", {"name part must be non-empty", kNamePartMsg}},
        {"Example.com/a", {"prefix part " + kSubdomainMsg}},
        {"-a", {kNamePartMsg}},
        {std::string(64, 'a'), {"name part must be no more than 63 characters"}},
        {"a/b/c",
         {"a qualified name " + kNamePartMsg.substr(std::string("name part ").size()) +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}},
    };
    for (const auto& c : names) {
        INFO("name '" << c.value << "'");
        CHECK(is_qualified_name(c.value) == c.errors);
    }
    const Case values[] = {
        {"", {}},
        {"MyValue", {}},
        {"my_value.1", {}},
        {"a b", {kLabelValueMsg}},
        {"-a", {kLabelValueMsg}},
        {std::string(64, 'a'), {"must be no more than 63 characters"}},
    };
    for (const auto& c : values) {
        INFO("value '" << c.value << "'");
        CHECK(is_valid_label_value(c.value) == c.errors);
    }
}

TEST_CASE("field errors are worded as upstream's field.Error", "[validation]") {
    struct Case {
        FieldError error;
        std::string text;
        std::string_view cause;
    };
    const Case cases[] = {
        {field::required("metadata.name"), "metadata.name: Required value", "FieldValueRequired"},
        {field::required("metadata.name", "name or generateName is required"),
         "metadata.name: Required value: name or generateName is required", "FieldValueRequired"},
        {field::invalid("metadata.name", "Foo", "bad"),
         "metadata.name: Invalid value: \"Foo\": bad", "FieldValueInvalid"},
        {field::invalid("spec.replicas", -1, "must be greater than or equal to 0"),
         "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
         "FieldValueInvalid"},
        {field::invalid("spec.x", true, "no"), "spec.x: Invalid value: true: no",
         "FieldValueInvalid"},
        {field::invalid("spec.x", boost::json::array{"a", "b"}, "no"),
         "spec.x: Invalid value: [\"a\",\"b\"]: no", "FieldValueInvalid"},
        {field::invalid("spec.x", nullptr, "no"), "spec.x: Invalid value: null: no",
         "FieldValueInvalid"},
        {field::not_supported("spec.restartPolicy", "Sometimes", {"Always", "OnFailure", "Never"}),
         "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
         "\"OnFailure\", \"Never\"",
         "FieldValueNotSupported"},
        {field::duplicate("spec.ports[1].name", "http"),
         "spec.ports[1].name: Duplicate value: \"http\"", "FieldValueDuplicate"},
        {field::forbidden("metadata.namespace", "not allowed on this type"),
         "metadata.namespace: Forbidden: not allowed on this type", "FieldValueForbidden"},
        {field::too_long("metadata.annotations", 262144),
         "metadata.annotations: Too long: may not be more than 262144 bytes", "FieldValueTooLong"},
        {field::too_long("x", 1), "x: Too long: may not be more than 1 byte", "FieldValueTooLong"},
        {field::too_long("x", -1), "x: Too long: value is too long", "FieldValueTooLong"},
        {field::too_many("spec.items", 5, 3), "spec.items: Too many: 5: must have at most 3 items",
         "FieldValueTooMany"},
        {field::too_many("spec.items", -1, 1), "spec.items: Too many: must have at most 1 item",
         "FieldValueTooMany"},
        {field::not_found("spec.volumes[0]", "v"), "spec.volumes[0]: Not found: \"v\"",
         "FieldValueNotFound"},
        {field::internal_error("spec", "boom"), "spec: Internal error: boom", "InternalError"},
        {field::type_invalid("spec.x", 3, "must be a string"),
         "spec.x: Invalid value: 3: must be a string", "FieldValueTypeInvalid"},
    };
    for (const auto& c : cases) {
        CHECK(c.error.to_string() == c.text);
        CHECK(cause_type(c.error.type) == c.cause);
    }
    CHECK(field::child("", "metadata") == "metadata");
    CHECK(field::child("metadata", "name") == "metadata.name");
    CHECK(field::index("spec.containers", 2) == "spec.containers[2]");
    CHECK(field::key("metadata.labels", "app") == "metadata.labels[app]");
    CHECK(go_quoted("a\"b\\c\n\t\x01") == R"("a\"b\\c\n\t\x01")");
    CHECK(go_quoted("h\xc3\xa9") == "\"h\xc3\xa9\"");
    CHECK(go_quoted("\xff") == R"("\xff")");
}

TEST_CASE("error lists become upstream's 422 Invalid status", "[validation]") {
    FieldError name = field::invalid("metadata.name", "Foo", kSubdomainMsg);
    auto one = invalid_status("", "Pod", "Foo", {name});
    CHECK(one.code() == 422);
    CHECK(one.reason() == skiff::base::Reason::Invalid);
    CHECK(one.message() ==
          "Pod \"Foo\" is invalid: metadata.name: Invalid value: \"Foo\": " + kSubdomainMsg);
    REQUIRE(one.details());
    CHECK(one.details()->name == "Foo");
    CHECK(one.details()->kind == "Pod");
    CHECK(one.details()->group.empty());
    REQUIRE(one.details()->causes.size() == 1);
    CHECK(one.details()->causes[0].reason == "FieldValueInvalid");
    CHECK(one.details()->causes[0].field == "metadata.name");
    CHECK(one.details()->causes[0].message == "Invalid value: \"Foo\": " + kSubdomainMsg);

    auto two =
        invalid_status("apps", "Deployment", "d",
                       {field::required("spec.selector"),
                        field::invalid("spec.replicas", -1, "must be greater than or equal to 0")});
    CHECK(two.message() ==
          "Deployment.apps \"d\" is invalid: [spec.selector: Required value, spec.replicas: "
          "Invalid value: -1: must be greater than or equal to 0]");
    CHECK(two.details()->group == "apps");
    CHECK(two.details()->causes.size() == 2);
    CHECK(two.details()->causes[0].reason == "FieldValueRequired");

    // Repeated messages are reported once in the message, but every cause stays.
    auto dup =
        invalid_status("", "ConfigMap", "c", {field::required("data"), field::required("data")});
    CHECK(dup.message() == "ConfigMap \"c\" is invalid: data: Required value");
    CHECK(dup.details()->causes.size() == 2);

    auto none = invalid_status("", "Pod", "p", {});
    CHECK(none.message() == "Pod \"p\" is invalid");
    CHECK(none.code() == 422);

    CHECK(aggregate_message({}).empty());
    CHECK(aggregate_message({field::required("a"), field::required("b"), field::required("a")}) ==
          "[a: Required value, b: Required value]");
}

TEST_CASE("per-kind name rules allow a trailing dash in generateName", "[validation]") {
    CHECK(name_is_dns_subdomain("web-", true).empty());
    CHECK(name_is_dns_subdomain("web-", false) == Strings{kSubdomainMsg});
    CHECK(name_is_dns_label("web-", true).empty());
    CHECK(name_is_dns_label("a.b", false) == Strings{"must not contain dots"});
    CHECK(name_is_dns1035_label("svc-", true).empty());
    CHECK(name_is_dns1035_label("1svc", false) == Strings{kDNS1035Msg});
    CHECK(validate_path_segment_name("system:admin", false).empty());
    CHECK(validate_path_segment_name(".", false) == Strings{"may not be '.'"});
    CHECK(validate_path_segment_name("..", false) == Strings{"may not be '..'"});
    CHECK(validate_path_segment_name("..", true).empty());
    CHECK(validate_path_segment_name("a/b%c", false) ==
          Strings{"may not contain '/'", "may not contain '%'"});
}

TEST_CASE("object meta is validated like ValidateObjectMeta", "[validation]") {
    struct Case {
        std::string_view meta;
        bool namespaced;
        Strings errors;
    };
    const Case cases[] = {
        {R"({"name":"web","namespace":"default"})", true, {}},
        {R"({"name":"node-1"})", false, {}},
        {R"({"name":"Foo","namespace":"default"})",
         true,
         {"metadata.name: Invalid value: \"Foo\": " + kSubdomainMsg}},
        {R"({"generateName":"web-","namespace":"default"})",
         true,
         {"metadata.name: Required value: name or generateName is required"}},
        {R"({"generateName":"Web-","name":"web-x","namespace":"default"})",
         true,
         {"metadata.generateName: Invalid value: \"Web-\": " + kSubdomainMsg}},
        {R"({"name":"web"})", true, {"metadata.namespace: Required value"}},
        {R"({"name":"web","namespace":"a.b"})",
         true,
         {"metadata.namespace: Invalid value: \"a.b\": must not contain dots"}},
        {R"({"name":"n","namespace":"default"})",
         false,
         {"metadata.namespace: Forbidden: not allowed on this type"}},
        {R"({"name":"n","generation":-1})",
         false,
         {"metadata.generation: Invalid value: -1: must be greater than or equal to 0"}},
        {R"({"name":"n","labels":{"-a":"b","c":"-d"}})",
         false,
         {"metadata.labels: Invalid value: \"-a\": " + kNamePartMsg,
          "metadata.labels: Invalid value: \"-d\": " + kLabelValueMsg}},
        {R"({"name":"n","annotations":{"Example.COM/Key":"v","bad key":"v"}})",
         false,
         {"metadata.annotations: Invalid value: \"bad key\": " + kNamePartMsg}},
        {R"({"name":"n","finalizers":["example.com/f","orphan","foregroundDeletion"]})",
         false,
         {"metadata.finalizers: Invalid value: [\"example.com/f\",\"orphan\","
          "\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set"}},
        {R"({"name":"n","finalizers":["a/b/c"]})",
         false,
         {"metadata.finalizers: Invalid value: \"a/b/c\": a qualified name " +
          kNamePartMsg.substr(std::string("name part ").size()) +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}},
        {R"({"name":"n","labels":{"a":1}})",
         false,
         {"metadata.labels: Invalid value: 1: must be a string"}},
    };
    for (const auto& c : cases) {
        INFO("metadata " << c.meta);
        auto errs = validate_object_meta(boost::json::parse(c.meta), {c.namespaced});
        CHECK(messages(errs) == c.errors);
    }
    // A kind with its own name rule.
    ObjectMetaRules svc{true, name_is_dns1035_label};
    CHECK(messages(validate_object_meta(boost::json::parse(R"({"name":"1svc","namespace":"d"})"),
                                        svc)) ==
          Strings{"metadata.name: Invalid value: \"1svc\": " + kDNS1035Msg});
}

TEST_CASE("annotations are limited to 256 KiB in total", "[validation]") {
    boost::json::object fits;
    fits["k"] = std::string(kTotalAnnotationSizeLimit - 1, 'v');
    boost::json::value fits_value = fits;
    CHECK(validate_annotations(&fits_value, "metadata.annotations").empty());
    boost::json::object over;
    over["k"] = std::string(kTotalAnnotationSizeLimit, 'v');
    boost::json::value over_value = over;
    CHECK(messages(validate_annotations(&over_value, "metadata.annotations")) ==
          Strings{"metadata.annotations: Too long: may not be more than 262144 bytes"});
    CHECK(validate_annotations(nullptr, "metadata.annotations").empty());
}

TEST_CASE("object meta updates are validated like ValidateObjectMetaUpdate", "[validation]") {
    const std::string old_meta =
        R"({"name":"a","namespace":"ns","uid":"u1","resourceVersion":"5","generation":2,)"
        R"("creationTimestamp":"2024-01-01T00:00:00Z"})";
    struct Case {
        std::string_view new_meta;
        std::string old_meta;
        Strings errors;
    };
    const Case cases[] = {
        {R"({"name":"a","namespace":"ns","uid":"u1","resourceVersion":"5","generation":2,)"
         R"("creationTimestamp":"2024-01-01T00:00:00Z"})",
         old_meta,
         {}},
        {R"({"name":"b","namespace":"ns","uid":"u1","resourceVersion":"5","generation":3,)"
         R"("creationTimestamp":"2024-01-01T00:00:00Z"})",
         old_meta,
         {"metadata.name: Invalid value: \"b\": field is immutable"}},
        {R"({"name":"a","namespace":"ns","uid":"u2","generation":1,)"
         R"("creationTimestamp":"2024-01-02T00:00:00Z","labels":{"x":"-"}})",
         old_meta,
         {"metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
          "metadata.generation: Invalid value: 1: must not be decremented",
          "metadata.uid: Invalid value: \"u2\": field is immutable",
          "metadata.creationTimestamp: Invalid value: \"2024-01-02T00:00:00Z\": field is "
          "immutable",
          "metadata.labels: Invalid value: \"-\": " + kLabelValueMsg}},
        {R"({"name":"a","resourceVersion":"7","deletionTimestamp":"2024-01-03T00:00:00Z",)"
         R"("finalizers":["b","a","c"]})",
         R"({"name":"a","resourceVersion":"6","deletionTimestamp":"2024-01-03T00:00:00Z",)"
         R"("finalizers":["a"]})",
         {"metadata.finalizers: Forbidden: no new finalizers can be added if the object is being "
          "deleted, found new finalizers []string{\"b\", \"c\"}"}},
        {R"({"name":"a","resourceVersion":"7","finalizers":["b"]})",
         R"({"name":"a","resourceVersion":"6"})",
         {}},
    };
    for (const auto& c : cases) {
        INFO("new " << c.new_meta << " old " << c.old_meta);
        auto errs = validate_object_meta_update(boost::json::parse(c.new_meta),
                                                boost::json::parse(c.old_meta));
        CHECK(messages(errs) == c.errors);
    }
    boost::json::value one = 1;
    boost::json::value two = 2;
    CHECK(validate_immutable_field(&one, &one, "spec.x").empty());
    CHECK(messages(validate_immutable_field(&two, &one, "spec.x")) ==
          Strings{"spec.x: Invalid value: 2: field is immutable"});
    CHECK(messages(validate_immutable_field(nullptr, &one, "spec.x")) ==
          Strings{"spec.x: Invalid value: null: field is immutable"});
}
