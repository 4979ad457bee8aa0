#pragma once
// payment_gateways returns each gateway's settings raw, including the payment provider's API
// keys. Every setting whose type is "password", or whose id names a secret, is masked.
#include <boost/json/object.hpp>
#include <string_view>

namespace wc::woo {

inline constexpr std::string_view kMask = "**********";

// True when a setting id looks like it holds a credential (secret, key, password, token...).
bool setting_name_is_secret(std::string_view id);
// Masks the secrets inside one payment_gateways record; returns how many were masked.
int mask_gateway_secrets(boost::json::object &gateway);

} // namespace wc::woo
