#pragma once
// `source-woocommerce webhooks register --config FILE --delivery-url URL [--topics LIST] [--json]`
// `source-woocommerce webhooks list --config FILE [--json]`
// `source-woocommerce webhooks delete --config FILE [--delivery-url URL]`
// Manages this connector's subscriptions (named "source-woocommerce: <topic>") through
// /wc/v3/webhooks. Output for people on stdout, errors on stderr; secrets never printed.
// Exit: 0 ok, 1 failure, 2 usage.
#include <string>
#include <vector>

namespace wc::webhook {

int run_webhooks_command(const std::vector<std::string> &args);

} // namespace wc::webhook
