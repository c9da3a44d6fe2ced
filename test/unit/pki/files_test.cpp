// Files: atomic writes with exact modes, cert+key save/load, and load errors that name the path.
#include "skiff/pki/files.h"

#include "fixtures.h"

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

using namespace skiff;
using namespace skiff::pki;
using namespace skiff::pki::testing;

namespace {

unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Sets the umask for a scope; the tests run on one thread.
class Umask {
public:
    explicit Umask(mode_t mask) : old_(::umask(mask)) {}
    Umask(const Umask&) = delete;
    Umask& operator=(const Umask&) = delete;
    ~Umask() { ::umask(old_); }

private:
    mode_t old_;
};

size_t entries_in(const std::filesystem::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("write_file_atomic sets the mode whatever the umask and replaces content", "[pki]") {
    TempDir dir;
    auto path = dir.path() / "file";
    for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
        Umask umask(mask);
        for (unsigned mode : {0600u, 0644u, 0640u}) {
            INFO("umask " << mask << " mode " << mode);
            std::string data = "content " + std::to_string(mode);
            REQUIRE(write_file_atomic(path, data, mode).ok());
            CHECK(mode_of(path) == mode);
            CHECK(take(read_file(path)) == data);
        }
    }
    CHECK(entries_in(dir.path()) == 1);  // no temporary file left behind
}

TEST_CASE("write_file_atomic into a missing directory names the path", "[pki]") {
    TempDir dir;
    auto path = dir.path() / "missing" / "file";
    base::Status status = write_file_atomic(path, "x", 0600);
    CHECK(status.reason() == base::Reason::InternalError);
    CHECK_THAT(status.message(), Catch::Contains((dir.path() / "missing").string()));
}

TEST_CASE("a cert and key are saved with their modes and loaded back", "[pki]") {
    TempDir dir;
    CertificateAuthority ca = take(generate_ca("skiff-server-ca", kNow));
    auto cert_path = dir.path() / "server-ca.crt";
    auto key_path = dir.path() / "server-ca.key";
    REQUIRE(save_cert_and_key(cert_path, key_path, ca.cert, ca.key).ok());
    CHECK(mode_of(key_path) == 0600);
    CHECK(mode_of(cert_path) == 0644);

    CertifiedKey loaded = take(load_cert_and_key(cert_path, key_path));
    CHECK(loaded.cert == ca.cert);
    CHECK(loaded.key.public_key() == ca.key.public_key());
    CertificateAuthority loaded_ca = take(load_ca(cert_path, key_path));
    CHECK(loaded_ca.cert == ca.cert);
}

TEST_CASE("load errors name the path and say why", "[pki]") {
    TempDir dir;
    CertificateAuthority ca = take(generate_ca("ca", kNow));
    PrivateKey other_key = take(PrivateKey::generate());
    PrivateKey leaf_key = take(PrivateKey::generate());
    Certificate leaf = take(issue_client_cert(ca, leaf_key.public_key(), "u", {}, kNow));
    auto cert_path = dir.path() / "ca.crt";
    auto key_path = dir.path() / "ca.key";
    auto garbage_path = dir.path() / "garbage";
    auto leaf_path = dir.path() / "leaf.crt";
    auto leaf_key_path = dir.path() / "leaf.key";
    auto other_key_path = dir.path() / "other.key";
    REQUIRE(save_cert_and_key(cert_path, key_path, ca.cert, ca.key).ok());
    REQUIRE(save_cert_and_key(leaf_path, leaf_key_path, leaf, leaf_key).ok());
    REQUIRE(write_file_atomic(other_key_path, other_key.to_pem(), kKeyFileMode).ok());
    REQUIRE(write_file_atomic(garbage_path, "garbage", kCertFileMode).ok());
    auto missing_path = dir.path() / "missing";

    struct Case {
        std::filesystem::path cert;
        std::filesystem::path key;
        base::Reason reason;
        std::filesystem::path named;
    };
    const Case cases[] = {
        {missing_path, key_path, base::Reason::NotFound, missing_path},
        {cert_path, missing_path, base::Reason::NotFound, missing_path},
        {garbage_path, key_path, base::Reason::BadRequest, garbage_path},
        {cert_path, garbage_path, base::Reason::BadRequest, garbage_path},
        {cert_path, other_key_path, base::Reason::BadRequest, other_key_path},
    };
    for (const auto& c : cases) {
        INFO(c.cert << " " << c.key);
        base::Status status = load_cert_and_key(c.cert, c.key).status();
        CHECK(status.reason() == c.reason);
        CHECK_THAT(status.message(), Catch::Contains(c.named.string()));
    }
    base::Status not_ca = load_ca(leaf_path, leaf_key_path).status();
    CHECK(not_ca.reason() == base::Reason::BadRequest);
    CHECK_THAT(not_ca.message(), Catch::Contains("not a ca"));
}
