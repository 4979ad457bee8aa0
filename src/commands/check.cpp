// `check`: probes the store step by step and tells the user exactly what to fix. Answers within
// a minute even when the store hangs: short timeouts, no retries, stop at the first dead end.
#include <map>
#include <sstream>

#include "catalog/definition_loader.hpp"
#include "commands/commands.hpp"
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "woocommerce/api_client.hpp"
#include "woocommerce/auth_failure.hpp"
#include "woocommerce/response_body.hpp"

namespace wc::commands {
namespace json = boost::json;
namespace {

struct Verdict {
  bool ok = false;
  std::string message;
};

bool looks_like_html(const http::Response &r) {
  return r.header("Content-Type").value_or("").find("text/html") != std::string::npos ||
         woo::looks_like_html(r.body);
}

std::string transport_advice(const ConnectorConfig &cfg, const http::Response &r) {
  std::string where = cfg.store_url;
  switch (r.error) {
  case http::TransportError::kTlsVerify:
    return "the TLS certificate of " + where + " is not trusted (" + r.error_detail +
           "). If the store uses a private CA, put its certificate in ca_certificate; otherwise "
           "fix the store's certificate (expired, wrong host name or incomplete chain).";
  case http::TransportError::kTls:
    return "the TLS handshake with " + where + " failed (" + r.error_detail +
           "). Check that the store serves HTTPS on this port.";
  case http::TransportError::kTimeout:
    return where + " did not answer in time. Check that the store is up and reachable from "
                   "this machine (firewall, VPN), or raise request_timeout_seconds.";
  case http::TransportError::kConnection:
    return "could not connect to " + where + " (" + r.error_detail +
           "): check store_url (host and port), DNS, and that the store is up.";
  default:
    return "the connection to " + where + " failed (" + std::string(http::to_string(r.error)) +
           (r.error_detail.empty() ? "" : ": " + r.error_detail) + ").";
  }
}

Verdict probe_index(woo::ApiClient &api, const ConnectorConfig &cfg) {
  http::Response r = api.probe("", {}, false);
  if (!r.transport_ok()) {
    return {false, transport_advice(cfg, r)};
  }
  if (r.status == 404) {
    api.use_rest_route(true);
    http::Response alt = api.probe("", {}, false);
    if (alt.transport_ok() && alt.status == 200 && !looks_like_html(alt)) {
      return {true, "plain permalinks: /wp-json/ is 404 but ?rest_route= works; the connector "
                    "uses ?rest_route= URLs (consider pretty permalinks in WordPress → Settings → "
                    "Permalinks)"};
    }
    api.use_rest_route(false);
    return {false, "no WooCommerce REST API at " + cfg.store_url +
                       "/wp-json/wc/v3 (HTTP 404, and ?rest_route= does not work either). Check "
                       "store_url (a store in a subdirectory needs it, e.g. "
                       "https://example.com/shop), that WooCommerce is active, and that no "
                       "security plugin disables the REST API."};
  }
  if (r.status == 401 || r.status == 403) {
    if (looks_like_html(r)) {
      return {false, "the store answered the public API index with HTTP " +
                         std::to_string(r.status) +
                         " and an HTML page: a firewall, WAF or security plugin blocks "
                         "/wp-json/. Allow the connector's IP address or User-Agent."};
    }
    return {true, ""}; // some sites protect the index; the authenticated probes decide
  }
  if (r.status == 200 && looks_like_html(r)) {
    return {false, "the store answered /wp-json/wc/v3 with an HTML page instead of JSON (a "
                   "bot challenge, maintenance page or login redirect). Allow the connector "
                   "through the firewall/WAF, or check that the site is not in maintenance mode."};
  }
  if (r.status != 200) {
    return {false, "the store answered its API index with HTTP " + std::to_string(r.status) +
                       ". Check that the site is up and WooCommerce is active."};
  }
  json::value v;
  try {
    v = woo::parse_json_body(r, "", nullptr);
  } catch (const Error &) {
    v = nullptr;
  }
  if (!v.is_object() || !v.as_object().contains("routes")) {
    return {false, cfg.store_url + "/wp-json/wc/v3 did not return WooCommerce's route index: is "
                                   "this a WooCommerce store, and is store_url its home URL?"};
  }
  return {true, ""};
}

// The first authenticated request: tells apart wrong secret, unknown key, stripped header...
Verdict probe_credentials(woo::ApiClient &api, const ConnectorConfig &cfg) {
  http::Response r = api.probe("/orders", {{"per_page", "1"}});
  if (!r.transport_ok()) {
    return {false, transport_advice(cfg, r)};
  }
  if (r.status == 200) {
    return {true, ""};
  }
  std::string code = woo::error_code(r);
  // An API key treated as anonymous is told apart below (stripped header?) before this applies.
  if (!auth::uses_api_keys(cfg.auth_method) || code != "woocommerce_rest_cannot_view") {
    if (auto why = woo::explain_auth_failure(cfg, api.uses_rest_route(), r.status, code)) {
      return {false, *why};
    }
  }
  if (r.status == 401 && code == "woocommerce_rest_authentication_error") {
    return {false, "WooCommerce rejected the credentials: the consumer secret does not match "
                   "the consumer key (or, with oauth1, the signature or timestamp was refused). "
                   "Copy consumer_key and consumer_secret again from WooCommerce → Settings → "
                   "Advanced → REST API, or create a new key."};
  }
  if (r.status == 401 && code == "woocommerce_rest_authentication_missing_parameter") {
    return {false, "WooCommerce says authentication parameters are missing: the credentials "
                   "did not arrive complete. Try auth_method query_string."};
  }
  if ((r.status == 401 || r.status == 403) && code == "woocommerce_rest_cannot_view") {
    if (cfg.auth_method == auth::AuthMethod::kBasic) {
      // Same request with the credentials in the query string: if that works, the host strips
      // the Authorization header.
      ConnectorConfig alt = cfg;
      alt.auth_method = auth::AuthMethod::kQueryString;
      auto alt_api = woo::ApiClient::create(alt);
      alt_api->use_rest_route(api.uses_rest_route());
      http::Response q = alt_api->probe("/orders", {{"per_page", "1"}});
      if (q.transport_ok() && q.status == 200) {
        return {false, "the host strips the Authorization header before WordPress sees it "
                       "(HTTP Basic fails, the same key works as query parameters). Set "
                       "auth_method to query_string, or fix the server: for Apache add "
                       "`RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` to "
                       ".htaccess."};
      }
      std::string qcode = q.transport_ok() ? woo::error_code(q) : "";
      if (q.status == 401 && qcode == "woocommerce_rest_authentication_error") {
        return {false, "WooCommerce rejected the credentials: the consumer secret does not "
                       "match the consumer key. Copy both again from WooCommerce → Settings → "
                       "Advanced → REST API."};
      }
    }
    if (auto why = woo::explain_auth_failure(cfg, api.uses_rest_route(), r.status, code)) {
      return {false, *why}; // API keys refused on ?rest_route= URLs
    }
    std::string scheme_hint =
        cfg.origin.scheme == "https"
            ? " WordPress may not see the request as HTTPS (a TLS-terminating proxy or CDN "
              "without X-Forwarded-Proto handling): then WooCommerce ignores the credentials; "
              "fix the proxy configuration (or is_ssl()), or use auth_method oauth1."
            : "";
    return {false, "WooCommerce treated the request as anonymous (HTTP " +
                       std::to_string(r.status) +
                       " woocommerce_rest_cannot_view). Either the consumer key is unknown "
                       "(revoked, or from another store: create a new key in WooCommerce → "
                       "Settings → Advanced → REST API), or the key's user may not read "
                       "orders (give the user the shop manager role)." +
                       scheme_hint};
  }
  if (looks_like_html(r)) {
    return {false, "the store answered /orders with HTTP " + std::to_string(r.status) +
                       " and an HTML page: a firewall, WAF or security plugin blocks the API. "
                       "Allow the connector's IP address or User-Agent."};
  }
  return {false, "the store answered /orders with HTTP " + std::to_string(r.status) +
                     (code.empty() ? "" : " (" + code + ")") +
                     ". Check that WooCommerce is active and up to date."};
}

// What check found about the connection itself: the URL form and the authentication method, and,
// with API keys on ?rest_route= URLs, whether the store needs the route hint (one more probe).
std::string connection_summary(woo::ApiClient &api, const ConnectorConfig &cfg) {
  std::string out = api.uses_rest_route()
                        ? "URLs: plain permalinks (" + cfg.store_url + "/?rest_route=/wc/v3/...)"
                        : "URLs: pretty permalinks (" + cfg.store_url + "/wp-json/wc/v3/...)";
  out += "; authentication: ";
  switch (cfg.auth_method) {
  case auth::AuthMethod::kBasic:
    out += "API key, HTTP Basic (auth_method basic)";
    break;
  case auth::AuthMethod::kQueryString:
    out += "API key in the query string (auth_method query_string)";
    break;
  case auth::AuthMethod::kOAuth1:
    out += "API key, OAuth 1.0a signature (auth_method oauth1)";
    break;
  case auth::AuthMethod::kApplicationPassword:
    out += "WordPress application password of user '" + cfg.username +
           "' (auth_method application_password)";
    break;
  }
  if (api.uses_rest_route() && api.uses_route_hint()) {
    api.use_route_hint(false);
    http::Response bare = api.probe("/orders", {{"per_page", "1"}});
    api.use_route_hint(true);
    if (bare.transport_ok() && bare.status == 200) {
      out += std::string("; this WooCommerce accepts API keys on ?rest_route= by itself (newer "
                         "than 10.0), the ") +
             woo::kRouteHintParam + " parameter the connector adds is harmless";
    } else if (bare.transport_ok() && (bare.status == 401 || bare.status == 403)) {
      out += std::string("; this WooCommerce accepts API keys on ?rest_route= only with the ") +
             woo::kRouteHintParam +
             "=/wp-json/wc/v3/... parameter the connector adds (WooCommerce 10.0 and older: HTTP " +
             std::to_string(bare.status) + " without it)";
    }
  }
  return out;
}

} // namespace

int run_check(const cli::Invocation &inv, protocol::MessageSink &out) {
  auto status = [&](bool ok, const std::string &message) {
    json::object cs{{"status", ok ? "SUCCEEDED" : "FAILED"}};
    if (!message.empty()) {
      cs["message"] = redact(message);
    }
    out.message(json::object{{"type", "CONNECTION_STATUS"}, {"connectionStatus", std::move(cs)}});
    return 0;
  };
  ConnectorConfig cfg;
  try {
    cfg = load_config_file(inv.flags.at("config"));
  } catch (const Error &e) {
    return status(false, std::string("configuration problem: ") + e.what());
  }
  cfg.request_timeout_seconds = std::min(cfg.request_timeout_seconds, 15);
  cfg.client.max_retries = 0;
  cfg.client.max_retry_time = std::chrono::seconds(20);
  if (cfg.origin.scheme == "http" && cfg.auth_method == auth::AuthMethod::kOAuth1 &&
      !cfg.loopback) {
    out.log(protocol::LogLevel::kWarn, "plain http:// with oauth1: the consumer key travels in "
                                       "the clear (the secret does not); prefer https://");
  }
  if (!cfg.verify_tls) {
    out.log(protocol::LogLevel::kWarn,
            "verify_tls is false: the store's TLS certificate is NOT checked; anyone on the path "
            "can read the credentials. Use ca_certificate instead.");
  }
  std::unique_ptr<woo::ApiClient> api;
  try {
    api = woo::ApiClient::create(cfg);
  } catch (const Error &e) {
    return status(false, e.what());
  }
  std::vector<std::string> notes;
  Verdict index = probe_index(*api, cfg);
  if (!index.ok) {
    return status(false, index.message);
  }
  if (!index.message.empty()) {
    notes.push_back(index.message);
  }
  Verdict creds = probe_credentials(*api, cfg);
  if (!creds.ok) {
    return status(false, creds.message);
  }
  const std::string summary = connection_summary(*api, cfg);
  // One cheap request per stream family: which streams can this key read?
  std::map<std::string, std::string> family_route{{"products", "/products"},
                                                  {"customers", "/customers"},
                                                  {"coupons", "/coupons"},
                                                  {"taxes", "/taxes"},
                                                  {"shipping", "/shipping/zones"},
                                                  {"payment_gateways", "/payment_gateways"},
                                                  {"system_status", "/system_status/tools"}};
  std::vector<std::string> unreadable;
  std::vector<std::string> problems;
  for (const auto &[family, route] : family_route) {
    http::Response r = api->probe(route, {{"per_page", "1"}});
    if (!r.transport_ok()) {
      problems.push_back(family + ": " + transport_advice(cfg, r));
      break;
    }
    if (r.status == 200) {
      continue;
    }
    for (const auto &d : catalog::builtin_definitions()) {
      if (d.family == family) {
        unreadable.push_back(d.name);
      }
    }
    if (r.status != 401 && r.status != 403) {
      problems.push_back(family + " answered HTTP " + std::to_string(r.status));
    }
  }
  std::ostringstream msg;
  msg << summary << ".";
  if (!unreadable.empty()) {
    const bool keys = auth::uses_api_keys(cfg.auth_method);
    msg << " Connected; " << (keys ? "the key" : "user '" + cfg.username + "'")
        << " cannot read these streams (they are skipped by read): ";
    for (std::size_t i = 0; i < unreadable.size(); ++i) {
      msg << (i ? ", " : "") << unreadable[i];
    }
    msg << ". They need " << (keys ? "a key whose user has" : "a user with")
        << " manager rights (manage_woocommerce).";
  }
  for (const auto &p : problems) {
    msg << (msg.tellp() > 0 ? " " : "") << p << ".";
  }
  for (const auto &n : notes) {
    msg << (msg.tellp() > 0 ? " Note: " : "Note: ") << n << ".";
  }
  return status(true, msg.str());
}

} // namespace wc::commands
