#include "woocommerce/api_client.hpp"

#include <charconv>

#include "core/redact.hpp"
#include "woocommerce/auth_failure.hpp"
#include "woocommerce/response_body.hpp"

namespace wc::woo {
namespace json = boost::json;
namespace {

std::int64_t header_int(const http::Response &r, std::string_view name) {
  auto v = r.header(name);
  if (!v) {
    return -1;
  }
  std::int64_t n = -1;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  return ec == std::errc() ? n : -1;
}

} // namespace

bool ApiError::permission_denied() const {
  // 403: a known user without the capability. 401 with the same code means the request was
  // anonymous (credentials ignored or unknown): that is a credentials problem on every stream.
  return status_ == 403 && code_ == "woocommerce_rest_cannot_view";
}

ApiClient::ApiClient(const ConnectorConfig &config, std::unique_ptr<http::HttpClient> client)
    : config_(config), client_(std::move(client)),
      route_hint_(auth::uses_api_keys(config.auth_method)) {}

std::unique_ptr<ApiClient> ApiClient::create(const ConnectorConfig &config) {
  http::TransportOptions topts;
  topts.ca_certificate_pem = config.ca_certificate_pem;
  topts.verify_tls = config.verify_tls;
  topts.user_agent = config.user_agent;
  topts.read_timeout_seconds = config.request_timeout_seconds;
  topts.connect_timeout_seconds = std::min(10, config.request_timeout_seconds);
  topts.proxy_url = config.proxy_url;
  auto client = std::make_unique<http::HttpClient>(
      http::make_httplib_transport(config.origin, topts),
      config.auth_method == auth::AuthMethod::kApplicationPassword
          ? auth::make_authenticator(config.auth_method, config.username,
                                     config.application_password)
          : auth::make_authenticator(config.auth_method, config.consumer_key,
                                     config.consumer_secret),
      config.origin, config.client);
  auto api = std::make_unique<ApiClient>(config, std::move(client));
  return api;
}

void ApiClient::use_rest_route(bool on) { rest_route_ = on; }
bool ApiClient::uses_rest_route() const { return rest_route_; }
void ApiClient::use_route_hint(bool on) { route_hint_ = on; }
bool ApiClient::uses_route_hint() const { return route_hint_; }
http::HttpClient &ApiClient::http() { return *client_; }
void ApiClient::set_warn(std::function<void(std::string_view)> warn) { warn_ = std::move(warn); }

http::Request ApiClient::build_request(std::string_view method, std::string_view route,
                                       http::Params params) const {
  http::Request req;
  req.method = std::string(method);
  if (rest_route_) {
    req.path = config_.base_path + "/";
    req.params.emplace_back("rest_route", "/wc/v3" + std::string(route));
    if (route_hint_) {
      req.params.emplace_back(kRouteHintParam, "/wp-json/wc/v3" + std::string(route));
    }
    for (auto &p : params) {
      req.params.push_back(std::move(p));
    }
  } else {
    req.path = config_.base_path + "/wp-json/wc/v3" + std::string(route);
    req.params = std::move(params);
  }
  return req;
}

ApiResponse ApiClient::get(std::string_view route, http::Params params, std::string_view label,
                           RecordShape shape) {
  return send("GET", route, std::move(params), {}, label, shape);
}

ApiResponse ApiClient::get_page(std::string_view route, http::Params params, std::string_view label,
                                RecordShape shape) {
  http::Request req = build_request("GET", route, std::move(params));
  req.samples_latency = true;
  return send_request(std::move(req), route, label, shape);
}

ApiResponse ApiClient::send(std::string_view method, std::string_view route, http::Params params,
                            std::string json_body, std::string_view label, RecordShape shape) {
  http::Request req = build_request(method, route, std::move(params));
  if (!json_body.empty()) {
    req.body = std::move(json_body);
    req.content_type = "application/json";
  }
  return send_request(std::move(req), route, label, shape);
}

ApiResponse ApiClient::send_request(http::Request req, std::string_view route,
                                    std::string_view label, RecordShape shape) {
  req.label = std::string(label);
  std::string where = label.empty() ? std::string(route) : std::string(label);
  auto warn = [this](std::string_view w) {
    if (warn_) {
      warn_(w);
    }
  };
  req.retry_body = body_needs_retry;
  http::Response raw = client_->send(std::move(req));
  if (raw.status >= 200 && raw.status < 300) {
    // Constructed, not assigned: assigning a json::value copies it into the target's storage,
    // while construction keeps the page's arena.
    std::shared_ptr<PageArena> arena;
    boost::json::value body = parse_json_body(raw, where, warn, shape, &arena);
    ApiResponse out{{}, std::move(arena), std::move(body), -1, -1, std::nullopt};
    out.total = header_int(raw, "X-WP-Total");
    out.total_pages = header_int(raw, "X-WP-TotalPages");
    if (auto d = raw.header("Date")) {
      out.server_date = parse_http_date(*d);
    }
    out.raw = std::move(raw);
    return out;
  }
  const std::string code = error_code(raw);
  const std::string detail =
      redact("HTTP " + std::to_string(raw.status) + " " + describe_error_body(raw));
  if (raw.status == 401 && code == "woocommerce_rest_authentication_error") {
    throw ApiError(FailureType::kConfig,
                   where + ": WooCommerce rejected the credentials (" + detail +
                       "). Check consumer_key and consumer_secret (WooCommerce → Settings → "
                       "Advanced → REST API).",
                   raw.status, code);
  }
  if (auto why = explain_auth_failure(config_, rest_route_, raw.status, code)) {
    throw ApiError(FailureType::kConfig, where + ": " + redact(*why), raw.status, code);
  }
  if (raw.status == 401 || raw.status == 403) {
    throw ApiError(FailureType::kConfig,
                   where + ": not allowed (" + detail +
                       "). Either the key's user lacks the permission for this data (manager "
                       "rights are needed for taxes, shipping, payment gateways, system status "
                       "and webhooks), or the credentials never reached WooCommerce (unknown key, "
                       "Authorization header stripped by the host, or WordPress not seeing the "
                       "request as HTTPS). Run `check` for a diagnosis.",
                   raw.status, code);
  }
  if (raw.status == 404 && route.empty()) {
    throw ApiError(FailureType::kConfig,
                   "the WooCommerce REST API was not found at " + config_.store_url + " (" +
                       detail +
                       "): check store_url, that WooCommerce is active and that the REST API "
                       "is not disabled by a plugin.",
                   raw.status, code);
  }
  if (raw.status == 400 || raw.status == 404) {
    throw ApiError(FailureType::kSystem, where + ": the store refused the request (" + detail + ")",
                   raw.status, code);
  }
  throw ApiError(FailureType::kTransient, where + ": the store answered " + detail, raw.status,
                 code);
}

http::Response ApiClient::probe(std::string_view route, http::Params params, bool authenticated) {
  http::Request req = build_request("GET", route, std::move(params));
  req.label = "check";
  req.anonymous = !authenticated;
  return client_->send_once(std::move(req));
}

} // namespace wc::woo
