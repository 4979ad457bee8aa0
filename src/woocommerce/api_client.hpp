#pragma once
// WooCommerce's REST API (wc/v3) on top of the generic HttpClient: builds URLs for pretty
// permalinks (/wp-json/wc/v3/...) or plain ones (/?rest_route=/wc/v3/...), under a subdirectory
// install, parses bodies (BOM, PHP notices, HTML pages) and turns error statuses into wc::Error
// with a message that says what to fix.
//
// Plain permalinks and API keys: WooCommerce up to 10.0.x authenticates API keys only when the
// raw request URI contains "wp-json/wc/" (WC_REST_Authentication::is_request_to_rest_api), so a
// bare "?rest_route=/wc/v3/orders" request with keys is served as anonymous (401
// woocommerce_rest_cannot_view). Newer WooCommerce reads rest_route itself. With an API-key
// method, ?rest_route= URLs therefore carry one more parameter, kRouteHintParam, whose value is
// the pretty path of the same route ("wc_route_hint=/wp-json/wc/v3/orders", slashes unencoded):
// it makes the URI match on 10.0.x, WordPress and newer WooCommerce ignore it, and OAuth 1.0a
// signs it like every other query parameter. Application passwords are checked by WordPress
// itself on every route, so their requests go without it.
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/page_arena.hpp"
#include "core/record_page.hpp"
#include "core/time_util.hpp"
#include "http/http_client.hpp"

namespace wc::woo {

// The query parameter that makes WooCommerce 10.0.x see a ?rest_route= request as an API request.
inline constexpr const char *kRouteHintParam = "wc_route_hint";

// An error answer of the API: the status and WooCommerce's error code ("woocommerce_rest_...").
class ApiError : public Error {
public:
  ApiError(FailureType type, const std::string &message, int status, std::string code)
      : Error(type, message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string &code() const { return code_; }
  // The key (or application password) is valid but its user may not read this route
  // (manager-only streams): 403 woocommerce_rest_cannot_view. A 401 is an anonymous request.
  bool permission_denied() const;

private:
  int status_;
  std::string code_;
};

struct ApiResponse {
  http::Response raw;                     // status, headers, body as received
  std::shared_ptr<PageArena> arena;       // owns `body` when it was read as raw records
  boost::json::value body;                // parsed JSON
  std::int64_t total = -1;                // X-WP-Total, -1 when absent
  std::int64_t total_pages = -1;          // X-WP-TotalPages, -1 when absent
  std::optional<UnixSeconds> server_date; // the Date header
};

class ApiClient {
public:
  ApiClient(const ConnectorConfig &config, std::unique_ptr<http::HttpClient> client);
  // The real thing: httplib transport, authenticator and budget from the config.
  static std::unique_ptr<ApiClient> create(const ConnectorConfig &config);

  // GET <route> (relative to wc/v3, e.g. "/orders"), with retries. Throws wc::Error: 401/403 as
  // config_error, 400/404 as system_error, exhausted retries as transient_error; the message
  // names `label` (the stream) and what the user should do.
  ApiResponse get(std::string_view route, http::Params params, std::string_view label,
                  RecordShape shape = RecordShape::tree());
  // The same for a page of a stream: its answer is a latency sample of the in-flight limit.
  ApiResponse get_page(std::string_view route, http::Params params, std::string_view label,
                       RecordShape shape);
  // POST/PUT/DELETE with a JSON body (webhook management). Same error rules.
  ApiResponse send(std::string_view method, std::string_view route, http::Params params,
                   std::string json_body, std::string_view label,
                   RecordShape shape = RecordShape::tree());
  // One attempt, no throwing on HTTP statuses (check probes). Transport errors come back in
  // raw.error. `route` may be empty for the API index. `authenticated` = false sends no
  // credentials.
  http::Response probe(std::string_view route, http::Params params, bool authenticated = true);

  // Switch to ?rest_route= URLs (plain permalinks), e.g. after check found /wp-json missing.
  void use_rest_route(bool on);
  bool uses_rest_route() const;
  // Whether ?rest_route= URLs carry kRouteHintParam. On by default with an API-key method, off
  // with an application password; check turns it off for one probe to see whether the store
  // needs it.
  void use_route_hint(bool on);
  bool uses_route_hint() const;
  http::Request build_request(std::string_view method, std::string_view route,
                              http::Params params) const;
  http::HttpClient &http();
  void set_warn(std::function<void(std::string_view)> warn);

private:
  const ConnectorConfig &config_;
  ApiResponse send_request(http::Request req, std::string_view route, std::string_view label,
                           RecordShape shape);

  std::unique_ptr<http::HttpClient> client_;
  bool rest_route_ = false;
  bool route_hint_ = true;
  std::function<void(std::string_view)> warn_;
};

} // namespace wc::woo
