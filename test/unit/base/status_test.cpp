// Status: reasons, codes, upstream wording and the metav1.Status JSON form.
#include "skiff/base/status.h"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace skiff::base;

TEST_CASE("reasons map to upstream HTTP codes", "[base]") {
    CHECK(http_code(Reason::NotFound) == 404);
    CHECK(http_code(Reason::AlreadyExists) == 409);
    CHECK(http_code(Reason::Conflict) == 409);
    CHECK(http_code(Reason::Invalid) == 422);
    CHECK(http_code(Reason::Expired) == 410);
    CHECK(http_code(Reason::Gone) == 410);
    CHECK(http_code(Reason::TooManyRequests) == 429);
    CHECK(http_code(Reason::Timeout) == 504);
    CHECK(http_code(Reason::Unauthorized) == 401);
    CHECK(http_code(Reason::RequestEntityTooLarge) == 413);
    CHECK(reason_from_name("Forbidden") == Reason::Forbidden);
    CHECK(reason_from_name("nonsense") == Reason::Unknown);
    CHECK(reason_name(Reason::Unknown).empty());
}

TEST_CASE("not found is worded and serialised as upstream", "[base]") {
    Status s = not_found("apps", "deployments", "web");
    CHECK_FALSE(s.ok());
    CHECK(s.code() == 404);
    CHECK(s.message() == "deployments.apps \"web\" not found");
    CHECK(s.to_json_string() ==
          R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
          R"("message":"deployments.apps \"web\" not found","reason":"NotFound",)"
          R"("details":{"name":"web","group":"apps","kind":"deployments"},"code":404})");
    CHECK(not_found("", "pods", "x").message() == "pods \"x\" not found");
}

TEST_CASE("invalid aggregates causes like upstream", "[base]") {
    Status one = invalid("", "Pod", "p", {{"FieldValueRequired", "Required value",
                                           "spec.containers[0].image"}});
    CHECK(one.message() == "Pod \"p\" is invalid: spec.containers[0].image: Required value");
    Status two = invalid("apps", "Deployment", "d",
                         {{"FieldValueRequired", "Required value", "spec.selector"},
                          {"FieldValueInvalid", "Invalid value: -1", "spec.replicas"}});
    CHECK(two.message() ==
          "Deployment.apps \"d\" is invalid: [spec.selector: Required value, "
          "spec.replicas: Invalid value: -1]");
    CHECK(two.code() == 422);
    auto j = two.to_json();
    CHECK(j.at("details").at("causes").as_array().size() == 2);
    CHECK(j.at("details").at("causes").at(0).at("field") == "spec.selector");
}

TEST_CASE("success status serialises without code or reason", "[base]") {
    Status s;
    CHECK(s.ok());
    CHECK(s.code() == 200);
    CHECK(s.to_json_string() ==
          R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success"})");
}

TEST_CASE("status JSON round-trips", "[base]") {
    Status s = conflict("", "pods", "p", "the object has been modified");
    s.mutable_details().retry_after_seconds = 3;
    CHECK(Status::from_json(s.to_json()) == s);
    Status odd = Status(Reason::Unknown, "boom").set_code(502);
    Status back = Status::from_json(odd.to_json());
    CHECK(back.code() == 502);
    CHECK(back.message() == "boom");
    CHECK(Status::from_json(boost::json::value(3)).reason() == Reason::InternalError);
}

TEST_CASE("Result holds a value or a failure", "[base]") {
    Result<int> good = 4;
    REQUIRE(good.ok());
    CHECK(*good == 4);
    CHECK(good.status().ok());
    Result<int> bad = bad_request("no");
    CHECK_FALSE(bad.ok());
    CHECK(bad.status().reason() == Reason::BadRequest);
    Result<int> wrong = Status{};  // a success status is not a value
    CHECK(wrong.status().reason() == Reason::InternalError);
    CHECK(internal_error("disk").message() == "Internal error occurred: disk");
}
