// Byte encodings: lowercase hex, padded base64 and unpadded base64url (RFC 4648 §4, §5).
#pragma once

#include <string>
#include <string_view>

#include "skiff/base/status.h"

namespace skiff::pki {

std::string hex_encode(std::string_view bytes);

/// Standard alphabet with '=' padding, as kubeconfig "-data" fields hold.
std::string base64_encode(std::string_view bytes);
/// Requires the padding; BadRequest for other characters (whitespace included), impossible
/// lengths and non-zero trailing bits.
base::Result<std::string> base64_decode(std::string_view text);

/// Without '=' padding.
std::string base64url_encode(std::string_view bytes);
/// Accepts input without padding only; BadRequest for characters outside the url alphabet,
/// impossible lengths and non-zero trailing bits.
base::Result<std::string> base64url_decode(std::string_view text);

}  // namespace skiff::pki
