#pragma once
// What an authentication answer of the store means, said so that the user can act on it:
// WordPress's application-password errors (incorrect_password, invalid_username, invalid_email,
// application_passwords_disabled[_for_user], all 401), an application password that never
// reached WordPress (401 woocommerce_rest_cannot_view) or whose user lacks WooCommerce's
// capabilities (403), and API keys refused on ?rest_route= URLs (plain permalinks). Used by
// `check` and by every API call. The messages name the user, never a secret.
#include <optional>
#include <string>
#include <string_view>

#include "config/connector_config.hpp"

namespace wc::woo {

// nullopt when the answer is none of the cases above (the caller keeps its generic message).
// `rest_route`: the request used a ?rest_route= URL.
std::optional<std::string> explain_auth_failure(const ConnectorConfig &cfg, bool rest_route,
                                                int status, std::string_view code);

} // namespace wc::woo
