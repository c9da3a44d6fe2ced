// Certificates and keys on disk: atomic writes with exact modes, loads whose errors name the path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "skiff/base/status.h"
#include "skiff/pki/authority.h"
#include "skiff/pki/certificate.h"
#include "skiff/pki/key.h"

namespace skiff::pki {

inline constexpr unsigned kKeyFileMode = 0600;
inline constexpr unsigned kCertFileMode = 0644;

/// Writes `data` to a temporary file beside `path` created with `mode` (set explicitly, so the
/// umask does not widen or narrow it) before any data is written, fsyncs it, renames it over
/// `path` and fsyncs the directory. Readers see the old or the new content, never a part.
/// InternalError naming the path on failure; the parent directory must exist.
base::Status write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               unsigned mode);

/// NotFound if `path` does not exist, InternalError for other I/O errors; both name the path.
base::Result<std::string> read_file(const std::filesystem::path& path);

struct CertifiedKey {
    Certificate cert;
    PrivateKey key;
};

/// Writes the key (kKeyFileMode) first, then the certificate (kCertFileMode).
base::Status save_cert_and_key(const std::filesystem::path& cert_path,
                               const std::filesystem::path& key_path, const Certificate& cert,
                               const PrivateKey& key);
/// Errors name the path they are about: NotFound for a missing file, BadRequest for
/// unparsable content or a key that does not match the certificate.
base::Result<CertifiedKey> load_cert_and_key(const std::filesystem::path& cert_path,
                                             const std::filesystem::path& key_path);
/// load_cert_and_key, and BadRequest unless the certificate is a CA.
base::Result<CertificateAuthority> load_ca(const std::filesystem::path& cert_path,
                                           const std::filesystem::path& key_path);

}  // namespace skiff::pki
