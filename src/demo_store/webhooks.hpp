#pragma once
// The demo store's WooCommerce webhooks: /wc/v3/webhooks GET/POST/PUT/DELETE (manager keys),
// the synchronous unsigned creation ping, and asynchronous signed deliveries of store changes
// (X-WC-Webhook-* headers, HTTP/1.0 Connection: close, coalesced per (webhook, record) within a
// window, success = 200..302, disabled after more than 5 consecutive failures). Loopback delivery
// URLs are allowed (it is a test store). Registered with register_extra_routes() from webhooks.cpp.
//
// The coalescing window (WooCommerce: up to 10 minutes, in practice until WP-Cron runs) is
// WOO_DEMO_WEBHOOK_DELAY_MS milliseconds (default 1000).
#include <cstdint>
#include <string>
#include <string_view>

namespace wc::demo {

// base64(HMAC-SHA256(body, secret)) with the secret HTML-entity-decoded as WordPress does
// (an independent implementation from the connector's, so each checks the other).
std::string webhook_signature(std::string_view body, std::string_view secret);

// The coalescing window from the environment (WOO_DEMO_WEBHOOK_DELAY_MS), in milliseconds.
std::int64_t webhook_delay_ms();

} // namespace wc::demo
