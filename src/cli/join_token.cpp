// Join token parsing and formatting.
#include "join_token.h"

#include "skiff/pki/digest.h"

namespace skiff::cli {
namespace {

bool is_lower_alnum(std::string_view s) {
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return !s.empty();
}

bool is_hex(std::string_view s) {
    for (char c : s) {
        if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return true;
}

}  // namespace

base::Result<JoinToken> parse_join_token(std::string_view text, std::string_view default_user) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return base::bad_request("the token is empty");
    }
    JoinToken token;
    std::string_view creds = text;
    if (text.starts_with("K10")) {
        auto sep = text.find("::");
        if (sep == std::string_view::npos) {
            return base::bad_request("token starts with K10 but has no \"::\" after the CA hash");
        }
        std::string_view hash = text.substr(3, sep - 3);
        if (hash.size() != 64 || !is_hex(hash)) {
            return base::bad_request("token CA hash must be 64 lowercase hex characters");
        }
        token.ca_hash = std::string(hash);
        creds = text.substr(sep + 2);
        if (creds.empty()) {
            return base::bad_request("token has no credentials after \"::\"");
        }
    }
    auto dot = creds.find('.');
    if (dot == 6 && creds.size() == 23 && is_lower_alnum(creds.substr(0, 6)) &&
        is_lower_alnum(creds.substr(7))) {
        token.bootstrap = true;
        token.username = std::string(creds.substr(0, 6));
        token.password = std::string(creds.substr(7));
        return token;
    }
    if (auto colon = creds.find(':'); colon != std::string_view::npos && !token.ca_hash.empty()) {
        token.username = std::string(creds.substr(0, colon));
        token.password = std::string(creds.substr(colon + 1));
        if (token.username.empty() || token.password.empty()) {
            return base::bad_request("token credentials must be <user>:<password>");
        }
        return token;
    }
    token.username = std::string(default_user);
    token.password = std::string(creds);
    return token;
}

std::string format_join_token(std::string_view ca_hash, std::string_view user,
                              std::string_view password) {
    return "K10" + std::string(ca_hash) + "::" + std::string(user) + ":" + std::string(password);
}

std::string generate_bootstrap_token() {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    // Rejection sampling keeps every character equally likely.
    while (out.size() < 23) {
        for (unsigned char b : pki::random_bytes(32)) {
            if (out.size() == 23) {
                break;
            }
            if (out.size() == 6) {
                out += '.';
                continue;
            }
            if (b < 252) {
                out += kAlphabet[b % kAlphabet.size()];
            }
        }
    }
    return out;
}

}  // namespace skiff::cli
