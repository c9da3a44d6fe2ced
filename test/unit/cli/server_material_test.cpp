// Server material: created once, reused, renewed near expiry or on new SANs; token rules.
#include "server_material.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "skiff/pki/ca_hash.h"

using namespace skiff::cli;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/skiff-material-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("first start creates CAs, certificates and a token; restarts reuse them", "[cli]") {
    TempDir dir;
    ServerMaterialOptions options{.data_dir = dir.path, .node_name = "edge-1",
                                  .tls_sans = {"api.example.test", "192.0.2.7"},
                                  .host_ips = {"198.51.100.3"}};
    auto first = prepare_server_material(options, kNow);
    REQUIRE(first.ok());
    const auto& serving = first->serving.cert;
    CHECK(serving.verify_signed_by(first->server_ca.cert).ok());
    auto dns = serving.dns_names();
    auto ips = serving.ip_addresses();
    for (const char* name : {"localhost", "edge-1", "kubernetes.default.svc", "api.example.test"}) {
        CHECK(std::find(dns.begin(), dns.end(), name) != dns.end());
    }
    for (const char* ip : {"127.0.0.1", "::1", "192.0.2.7", "198.51.100.3", "10.43.0.1"}) {
        CHECK(std::find(ips.begin(), ips.end(), ip) != ips.end());
    }
    CHECK(first->admin.cert.common_name() == "system:admin");
    CHECK(first->admin.cert.organizations() == std::vector<std::string>{"system:masters"});
    CHECK(first->admin.cert.verify_signed_by(first->client_ca.cert).ok());
    CHECK_FALSE(first->admin.cert.verify_signed_by(first->server_ca.cert).ok());

    auto hash = skiff::pki::ca_bundle_hash(first->server_ca_pem, kNow);
    REQUIRE(hash.ok());
    CHECK(first->join_token.starts_with("K10" + *hash + "::server:"));
    CHECK(mode_of(first->token_path) == 0600);
    CHECK(mode_of(dir.path / "server/tls/server-ca.key") == 0600);
    CHECK(mode_of(dir.path / "server/tls/client-admin.key") == 0600);

    auto again = prepare_server_material(options, kNow + 24h);
    REQUIRE(again.ok());
    CHECK(again->server_ca.cert == first->server_ca.cert);
    CHECK(again->serving.cert == first->serving.cert);
    CHECK(again->join_token == first->join_token);
}

TEST_CASE("leaf certificates are renewed near expiry and for new SANs; CAs stay", "[cli]") {
    TempDir dir;
    ServerMaterialOptions options{.data_dir = dir.path, .node_name = "n"};
    auto first = prepare_server_material(options, kNow);
    REQUIRE(first.ok());
    auto later = prepare_server_material(options, kNow + 24h * 250);  // < 120 days left
    REQUIRE(later.ok());
    CHECK(later->server_ca.cert == first->server_ca.cert);
    CHECK_FALSE(later->serving.cert == first->serving.cert);
    CHECK_FALSE(later->admin.cert == first->admin.cert);

    options.tls_sans = {"new.example.test"};
    auto widened = prepare_server_material(options, kNow + 24h * 251);
    REQUIRE(widened.ok());
    CHECK_FALSE(widened->serving.cert == later->serving.cert);
    CHECK(widened->admin.cert == later->admin.cert);
}

TEST_CASE("--token is kept, and a different one later is refused", "[cli]") {
    TempDir dir;
    ServerMaterialOptions options{.data_dir = dir.path, .node_name = "n", .token = "hunter2"};
    auto first = prepare_server_material(options, kNow);
    REQUIRE(first.ok());
    CHECK(first->join_token.ends_with("::server:hunter2"));
    // The full token printed by the server is accepted back as --token.
    options.token = first->join_token;
    CHECK(prepare_server_material(options, kNow).ok());
    options.token = "other";
    auto refused = prepare_server_material(options, kNow);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("--token differs") != std::string::npos);
    options.token = "K10" + std::string(64, 'b') + "::server:hunter2";
    CHECK(prepare_server_material(options, kNow).status().message().find("pins CA hash") !=
          std::string::npos);
}

TEST_CASE("the admin kubeconfig embeds the CA and client certificate", "[cli]") {
    TempDir dir;
    auto m = prepare_server_material({.data_dir = dir.path, .node_name = "n"}, kNow);
    REQUIRE(m.ok());
    std::string kc = admin_kubeconfig(*m, "https://127.0.0.1:6443");
    CHECK(kc.find("server: https://127.0.0.1:6443\n") != std::string::npos);
    CHECK(kc.find("certificate-authority-data: LS0t") != std::string::npos);
    CHECK(kc.find("client-key-data: LS0t") != std::string::npos);
}
