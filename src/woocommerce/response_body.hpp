#pragma once
// Turns a WooCommerce response body into JSON, tolerating what real stores send: a UTF-8 BOM, PHP
// notices printed before (or after) the JSON. Refuses, with a message that says what to fix,
// HTML pages (WAF / bot challenges, maintenance mode, login redirects), empty bodies and
// garbage. Never returns an empty array for a body it could not read.
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/page_arena.hpp"
#include "core/record_page.hpp"
#include "http/http_types.hpp"

namespace wc::woo {

// Throws wc::Error: transient for empty/garbage bodies, PHP fatal errors, maintenance pages and
// HTML error pages from 5xx; config for bot challenges, login redirects and HTML served with a
// 2xx/4xx. `warn` (may be empty) is told once when PHP output had to be skipped.
// With a raw RecordShape, a clean listing (an array of objects) comes back as raw records
// (core/raw_record.hpp); anything else comes back as a tree, as with kTree.
boost::json::value parse_json_body(const http::Response &response, std::string_view label,
                                   const std::function<void(std::string_view warn)> &warn,
                                   RecordShape shape = RecordShape::tree(),
                                   std::shared_ptr<PageArena> *arena = nullptr);

// True when a 2xx body cannot be JSON and may pass on retry: empty, or an HTML page (a bot
// challenge or maintenance page a shared host shows now and then). Looks at the start only.
bool body_needs_retry(const http::Response &response);
// True when the body is an HTML page.
bool looks_like_html(std::string_view body);
// WooCommerce's error code ("woocommerce_rest_cannot_view") from an error body, or "".
std::string error_code(const http::Response &response);

// "woocommerce_rest_cannot_view: Sorry, you cannot list resources." from a WooCommerce error
// body; otherwise a short, redacted description of what the body is. Never throws.
std::string describe_error_body(const http::Response &response);

} // namespace wc::woo
