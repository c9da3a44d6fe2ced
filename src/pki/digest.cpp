// SHA-256 digests and random bytes from OpenSSL's CSPRNG.
#include "skiff/pki/digest.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "skiff/base/check.h"
#include "skiff/pki/encoding.h"

namespace skiff::pki {

std::string sha256(std::string_view data) {
    std::string out(32, '\0');
    unsigned int size = 0;
    SKIFF_CHECK(EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()),
                           &size, EVP_sha256(), nullptr) == 1);
    SKIFF_CHECK(size == out.size());
    return out;
}

std::string sha256_hex(std::string_view data) {
    return hex_encode(sha256(data));
}

std::string random_bytes(size_t n) {
    std::string out(n, '\0');
    if (n > 0) {
        SKIFF_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) ==
                    1);
    }
    return out;
}

std::string random_hex(size_t n) {
    return hex_encode(random_bytes(n));
}

}  // namespace skiff::pki
