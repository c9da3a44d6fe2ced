// Join tokens in k3s's formats: "K10<ca sha256>::<user>:<password>", "K10<hash>::<id>.<secret>", or a bare password.
#pragma once

#include <string>
#include <string_view>

#include "skiff/base/status.h"

namespace skiff::cli {

struct JoinToken {
    /// Lowercase hex SHA-256 of the cluster CA bundle; empty for a bare token (no pinning).
    std::string ca_hash;
    /// Basic credentials ("server"/"node" users), or a bootstrap token id and secret.
    std::string username;
    std::string password;
    bool bootstrap = false;  // then username is the id and password the secret
};

/// BadRequest, saying which part is wrong, for a malformed token.
base::Result<JoinToken> parse_join_token(std::string_view text, std::string_view default_user);

/// "K10<ca_hash>::<user>:<password>".
std::string format_join_token(std::string_view ca_hash, std::string_view user,
                              std::string_view password);

/// A random bootstrap token "[a-z0-9]{6}.[a-z0-9]{16}".
std::string generate_bootstrap_token();

}  // namespace skiff::cli
