// SHA-256 digests and random bytes from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace skiff::pki {

/// The 32-byte digest.
std::string sha256(std::string_view data);
/// The digest as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

/// `n` bytes from the CSPRNG; aborts (SKIFF_CHECK) if the CSPRNG fails, which only a broken
/// system does.
std::string random_bytes(size_t n);
/// `n` random bytes as 2n lowercase hex characters.
std::string random_hex(size_t n);

}  // namespace skiff::pki
