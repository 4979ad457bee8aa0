#pragma once
// Small OpenSSL-backed helpers the authenticators need.
#include <string>
#include <string_view>

#include "core/encoding.hpp"

namespace wc::auth {

// Standard base64 with padding (core/encoding.hpp).
using wc::base64_encode;
// Raw (binary) HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);
// `length` random characters from [A-Za-z0-9], from the OpenSSL CSPRNG.
std::string random_alnum(std::size_t length);

} // namespace wc::auth
