// Kubeconfig files: the HttpClient settings of a kubeconfig's current context.
#pragma once

#include <string>

#include "skiff/base/status.h"
#include "skiff/client/client.h"

namespace skiff::client {

/// Reads `path` (YAML, as kubectl writes it) and returns the server URL and TLS settings of
/// its current context: certificate-authority(-data), client-certificate(-data) and
/// client-key(-data), insecure-skip-tls-verify. Token and exec credentials are refused with a
/// message naming them (not supported yet). BadRequest for anything else it cannot use.
base::Result<HttpClientConfig> load_kubeconfig(const std::string& path);

}  // namespace skiff::client
