// Byte encodings: lowercase hex, padded base64 and unpadded base64url (RFC 4648 §4, §5).
#include "skiff/pki/encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace skiff::pki {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using DecodeTable = std::array<int8_t, 256>;

constexpr DecodeTable make_decode_table(std::string_view alphabet) {
    DecodeTable table{};
    table.fill(-1);
    for (size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    }
    return table;
}

constexpr DecodeTable kBase64Table = make_decode_table(kBase64);
constexpr DecodeTable kBase64UrlTable = make_decode_table(kBase64Url);

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        size_t n = std::min<size_t>(3, bytes.size() - i);
        uint32_t v = 0;
        for (size_t j = 0; j < 3; ++j) {
            v = v << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
        }
        // n bytes need n + 1 characters.
        for (size_t j = 0; j <= n; ++j) {
            out.push_back(alphabet[(v >> (18 - 6 * j)) & 63]);
        }
        if (pad) {
            out.append(3 - n, '=');
        }
    }
    return out;
}

// Decodes unpadded `text`; `name` words the errors.
base::Result<std::string> decode(std::string_view text, const DecodeTable& table,
                                 std::string_view name) {
    if (text.size() % 4 == 1) {
        return base::bad_request("invalid " + std::string(name) + " length");
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int8_t v = table[static_cast<unsigned char>(c)];
        if (v < 0) {
            return base::bad_request("invalid " + std::string(name) + " character");
        }
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    // Leftover bits must be zero, so that every byte string has exactly one encoding.
    if ((acc & ((1u << bits) - 1)) != 0) {
        return base::bad_request("invalid " + std::string(name) + " trailing bits");
    }
    return out;
}

}  // namespace

std::string hex_encode(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kHexDigits[c >> 4]);
        out.push_back(kHexDigits[c & 0xf]);
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    return encode(bytes, kBase64, true);
}

base::Result<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return base::bad_request("invalid base64 length");
    }
    for (int i = 0; i < 2 && !text.empty() && text.back() == '='; ++i) {
        text.remove_suffix(1);
    }
    return decode(text, kBase64Table, "base64");
}

std::string base64url_encode(std::string_view bytes) {
    return encode(bytes, kBase64Url, false);
}

base::Result<std::string> base64url_decode(std::string_view text) {
    return decode(text, kBase64UrlTable, "base64url");
}

}  // namespace skiff::pki
