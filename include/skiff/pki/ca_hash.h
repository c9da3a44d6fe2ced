// The CA hash a join token pins (k3s "K10<hash>::…"), computed as k3s computes it.
#pragma once

#include <string>
#include <string_view>

#include "skiff/base/status.h"
#include "skiff/pki/certificate.h"

namespace skiff::pki {

/// k3s's hashCA (pkg/clientaccess/token.go). For a single certificate: the lowercase hex
/// SHA-256 of the exact `pem` bytes (whitespace included). For a bundle: of the DER of the
/// root that the first certificate chains to at `now`, taking as roots the later certificates
/// without an authority key id or with one equal to their subject key id and the others as
/// intermediates; when no chain verifies, of the bytes again. BadRequest if `pem` holds no
/// certificate or one that does not parse.
base::Result<std::string> ca_bundle_hash(std::string_view pem, Clock::time_point now);

}  // namespace skiff::pki
