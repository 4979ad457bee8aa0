#include "config/connector_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/application_password_auth.hpp"
#include "config/option_rules.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"

namespace wc {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxConfigBytes = 4u * 1024u * 1024u;

// A YAML document may expand far beyond its size through aliases ("billion laughs"): the
// conversion counts the values it produces and stops at this many.
constexpr std::size_t kMaxYamlValues = 1000000;

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (n == 0 || i + n > s.size()) {
      return false;
    }
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += n;
  }
  return true;
}

const std::string &checked_text(const std::string &s) {
  if (!valid_utf8(s)) {
    throw config_error("it holds text that is not valid UTF-8");
  }
  return s;
}

json::value yaml_to_json(const YAML::Node &node, int depth, std::size_t &budget) {
  if (depth > 64) {
    throw config_error("nesting deeper than 64 levels");
  }
  if (budget == 0) {
    throw config_error("it expands to more than " + std::to_string(kMaxYamlValues) +
                       " values (YAML aliases?)");
  }
  --budget;
  switch (node.Type()) {
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    return nullptr;
  case YAML::NodeType::Sequence: {
    json::array arr;
    for (const auto &item : node) {
      arr.push_back(yaml_to_json(item, depth + 1, budget));
    }
    return arr;
  }
  case YAML::NodeType::Map: {
    json::object obj;
    for (const auto &kv : node) {
      obj[checked_text(kv.first.as<std::string>())] = yaml_to_json(kv.second, depth + 1, budget);
    }
    return obj;
  }
  case YAML::NodeType::Scalar: {
    const std::string &s = checked_text(node.Scalar());
    if (node.Tag() == "!") { // quoted: always a string
      return json::string(s);
    }
    if (s == "true" || s == "True" || s == "TRUE") {
      return true;
    }
    if (s == "false" || s == "False" || s == "FALSE") {
      return false;
    }
    if (s == "null" || s == "~" || s.empty()) {
      return nullptr;
    }
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && p == s.data() + s.size()) {
      return i;
    }
    return json::string(s);
  }
  }
  return nullptr;
}

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Reads the keys that are not options of the spec (Airbyte's connector's aliases) and the
// secrets, which are registered before the options are checked.
class Reader {
public:
  explicit Reader(const json::object &obj) : obj_(obj) {}

  const json::value *find(std::string_view key) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
      return nullptr;
    }
    return &it->value();
  }

  std::optional<std::string> string(std::string_view key, std::string_view alias = {}) const {
    const json::value *v = find(key);
    std::string_view used = key;
    if (v == nullptr && !alias.empty()) {
      v = find(alias);
      used = alias;
    }
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_string()) {
      throw config_error("config field '" + std::string(used) + "' must be a string, got " +
                         json_kind(*v));
    }
    return std::string(v->as_string());
  }

private:
  const json::object &obj_;
};

bool is_loopback_host(const std::string &host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") {
    return true;
  }
  return host.rfind("127.", 0) == 0;
}

void parse_store_url(ConnectorConfig &cfg, std::string url, bool from_shop) {
  url = trim(url);
  if (url.empty()) {
    throw config_error("config field 'store_url' is empty: give the store's home URL, e.g. "
                       "https://shop.example.com");
  }
  if (from_shop && url.find("://") == std::string::npos) {
    url = "https://" + url; // Airbyte's `shop` is the host without a scheme
  }
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    throw config_error("config field 'store_url' (\"" + url +
                       "\") has no scheme: write it as https://" + url);
  }
  std::string scheme = lower(url.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") {
    throw config_error("config field 'store_url' must start with https:// (got scheme \"" + scheme +
                       "\")");
  }
  std::string rest = url.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "" : rest.substr(path_start);
  if (authority.find('@') != std::string::npos) {
    throw config_error("config field 'store_url' must not contain a user name or password; put "
                       "the API credentials in consumer_key and consumer_secret");
  }
  if (path.find_first_of("?#") != std::string::npos) {
    throw config_error("config field 'store_url' must not contain a query or fragment: give the "
                       "store's home URL only, e.g. https://shop.example.com");
  }
  std::string host = authority;
  int port = scheme == "https" ? 443 : 80;
  if (!authority.empty() && authority.front() == '[') { // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string::npos) {
      throw config_error("config field 'store_url' has a malformed IPv6 host");
    }
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        throw config_error("config field 'store_url' has a malformed host");
      }
      authority = "x" + authority.substr(close + 1);
    } else {
      authority.clear();
    }
  }
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && host == authority) {
    host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) {
    std::string port_text = authority.substr(colon + 1);
    auto p = http::parse_port(port_text);
    if (!p) {
      throw config_error("config field 'store_url' has an invalid port \"" + port_text + "\"");
    }
    port = *p;
  }
  host = lower(host);
  if (host.size() > 253) {
    throw config_error("config field 'store_url' has a host name longer than 253 characters");
  }
  if (host.empty() ||
      host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-:") != std::string::npos) {
    throw config_error("config field 'store_url' has an invalid host \"" + host + "\"");
  }
  // Normalise the path: strip trailing slashes, and a pasted /wp-json/... or /wp-admin suffix.
  for (std::string suffix : {"/wp-json", "/wp-admin", "/index.php"}) {
    auto pos = path.find(suffix);
    if (pos != std::string::npos) {
      path = path.substr(0, pos);
    }
  }
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  cfg.origin.scheme = scheme;
  cfg.origin.host = host;
  cfg.origin.port = port;
  cfg.base_path = path;
  cfg.loopback = is_loopback_host(host);
  bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  std::string host_text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  cfg.store_url =
      scheme + "://" + host_text + (default_port ? "" : ":" + std::to_string(port)) + path;
}

// auth_method application_password: `username` and `application_password` (WordPress → Users →
// Profile → Application Passwords; shown as six groups of four characters, spaces optional).
void parse_application_password(ConnectorConfig &cfg, const OptionValues &o) {
  auto user = o.string("username");
  auto password = o.string("application_password");
  if (!user || trim(*user).empty()) {
    throw config_error("config field 'username' is missing: with auth_method "
                       "application_password, give the WordPress user name (or e-mail) the "
                       "application password belongs to");
  }
  if (!password || auth::compact_application_password(*password).empty()) {
    throw config_error("config field 'application_password' is missing: create one in WordPress "
                       "→ Users → Profile → Application Passwords (it is shown once)");
  }
  cfg.username = trim(*user);
  cfg.application_password = auth::compact_application_password(*password);
}

std::string proxy_from_env(const ConnectorConfig &cfg) {
  auto env = [](const char *a, const char *b) -> std::string {
    const char *v = std::getenv(a);
    if (v == nullptr || *v == '\0') {
      v = std::getenv(b);
    }
    return v == nullptr ? "" : v;
  };
  std::string proxy = cfg.origin.scheme == "https" ? env("HTTPS_PROXY", "https_proxy")
                                                   : env("HTTP_PROXY", "http_proxy");
  if (proxy.empty()) {
    return "";
  }
  std::string no_proxy = env("NO_PROXY", "no_proxy");
  std::stringstream ss(no_proxy);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = lower(trim(item));
    if (item.empty()) {
      continue;
    }
    if (item == "*") {
      return "";
    }
    if (!item.empty() && item.front() == '.') {
      item.erase(0, 1);
    }
    const std::string &h = cfg.origin.host;
    if (h == item ||
        (h.size() > item.size() && h.compare(h.size() - item.size(), item.size(), item) == 0 &&
         h[h.size() - item.size() - 1] == '.')) {
      return "";
    }
  }
  if (cfg.loopback && no_proxy.empty()) {
    return ""; // never send loopback traffic through a proxy
  }
  return proxy;
}

} // namespace

std::string read_file_or_throw(const std::string &path, std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw config_error("the " + std::string(what) + " \"" + path +
                       "\" is a directory: give the path of a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw config_error("cannot open the " + std::string(what) + " \"" + path +
                       "\": check the path and its permissions");
  }
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > 64u * 1024u * 1024u) {
      throw config_error("the " + std::string(what) + " \"" + path + "\" is larger than 64 MB");
    }
  }
  return data;
}

json::value parse_json_or_yaml(std::string_view text, std::string_view what) {
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") {
    body.remove_prefix(3);
  }
  auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    throw config_error("the " + std::string(what) + " is empty");
  }
  if (body.find('\0') != std::string_view::npos) {
    throw config_error("the " + std::string(what) + " is binary data, not JSON or YAML");
  }
  if (body[first] == '{' || body[first] == '[') {
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 64;
    json::value v = json::parse(body, ec, {}, opts);
    if (ec) {
      throw config_error("the " + std::string(what) + " is not valid JSON: " + ec.message());
    }
    return v;
  }
  try {
    YAML::Node node = YAML::Load(std::string(body));
    std::size_t budget = kMaxYamlValues;
    return yaml_to_json(node, 0, budget);
  } catch (const YAML::Exception &e) {
    throw config_error(
        "the " + std::string(what) + " is neither valid JSON nor valid YAML: " + e.msg + " (line " +
        std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) + ")");
  } catch (const Error &e) {
    throw config_error("the " + std::string(what) + " cannot be used: " + e.what());
  } catch (const std::exception &e) {
    throw config_error("the " + std::string(what) + " could not be read: " + e.what());
  }
}

// request_budget: adaptive, fixed or off (the spec's default when the config names neither it
// nor the fixed budget's fields). Without it, a config that carries the old defaults
// (requests_per_window 25, window_seconds 10: what Airbyte's UI saved into every config) gets
// adaptive; other explicit values were chosen by someone and stay a fixed budget (0 = off, as
// before). See docs/configuration.md.
void parse_request_budget(const OptionValues &o, ConnectorConfig &cfg) {
  const bool window_given = o.given("requests_per_window") || o.given("window_seconds");
  if (o.given("request_budget") || !window_given) {
    const auto m = o.string("request_budget").value_or("");
    if (m == "adaptive") {
      cfg.client.budget = http::BudgetMode::kAdaptive;
    } else if (m == "fixed") {
      cfg.client.budget = http::BudgetMode::kFixed;
      if (cfg.client.requests_per_window == 0) {
        throw config_error("config field 'request_budget' is fixed but 'requests_per_window' is "
                           "0 (unlimited): give a positive requests_per_window, or use "
                           "request_budget: off");
      }
    } else {
      cfg.client.budget = http::BudgetMode::kOff;
    }
    return;
  }
  // The values Airbyte's UI once saved into every config (history, not today's defaults).
  constexpr int kOldRequestsPerWindow = 25;
  constexpr int kOldWindowSeconds = 10;
  if (cfg.client.requests_per_window == kOldRequestsPerWindow &&
      cfg.client.window_seconds == kOldWindowSeconds) {
    cfg.client.budget = http::BudgetMode::kAdaptive;
    cfg.budget_note = "requests_per_window 25 / window_seconds 10 are the old defaults (saved into "
                      "the config by the UI): using the adaptive request budget. Set "
                      "request_budget: fixed to keep a fixed 25 requests per 10 s";
  } else if (cfg.client.requests_per_window == 0) {
    cfg.client.budget = http::BudgetMode::kOff;
  } else {
    cfg.client.budget = http::BudgetMode::kFixed;
    cfg.budget_note = "request budget: fixed at " + std::to_string(cfg.client.requests_per_window) +
                      " requests per " + std::to_string(cfg.client.window_seconds) +
                      " s (explicit requests_per_window without request_budget)";
  }
}

ConnectorConfig parse_config(std::string_view text) {
  return parse_config(text, OptionRules::spec());
}

ConnectorConfig parse_config(std::string_view text, const OptionRules &rules) {
  if (text.size() > kMaxConfigBytes) {
    throw config_error("the config file is larger than 4 MB: is it the right file?");
  }
  json::value root = parse_json_or_yaml(text, "config file");
  if (!root.is_object()) {
    throw config_error("the config file must hold an object (key: value pairs), got " +
                       json_kind(root));
  }
  ConnectorConfig cfg;
  const json::object &given = root.as_object();
  Reader r(given);

  // Secrets first, so that no later error message can carry them.
  auto key = r.string("consumer_key", "api_key");
  auto secret = r.string("consumer_secret", "api_secret");
  if (key) {
    register_secret(*key);
  }
  if (secret) {
    register_secret(*secret);
  }
  for (const char *k : {"webhook_secret", "webhook_journal_token", "application_password"}) {
    if (auto v = r.string(k)) {
      register_secret(*v);
    }
  }
  if (auto v = r.string("application_password")) {
    register_secret(auth::compact_application_password(*v)); // the form that is sent
  }
  // Every option of the spec, checked against its type, enum and bounds; defaults filled in.
  const OptionValues o = rules.apply(given);

  auto url = r.string("store_url");
  bool from_shop = false;
  if (!url) {
    url = r.string("shop");
    from_shop = url.has_value();
  }
  if (!url) {
    throw config_error("config field 'store_url' is missing: give the store's home URL, e.g. "
                       "https://shop.example.com");
  }
  parse_store_url(cfg, *url, from_shop);

  const auto method = o.string("auth_method").value_or("");
  if (method == "basic") {
    cfg.auth_method = auth::AuthMethod::kBasic;
  } else if (method == "query_string") {
    cfg.auth_method = auth::AuthMethod::kQueryString;
  } else if (method == "oauth1") {
    cfg.auth_method = auth::AuthMethod::kOAuth1;
  } else {
    cfg.auth_method = auth::AuthMethod::kApplicationPassword;
  }
  if (cfg.auth_method == auth::AuthMethod::kApplicationPassword) {
    parse_application_password(cfg, o);
  } else {
    if (!key || trim(*key).empty()) {
      throw config_error("config field 'consumer_key' is missing: create a REST API key in "
                         "WooCommerce → Settings → Advanced → REST API");
    }
    if (!secret || trim(*secret).empty()) {
      throw config_error("config field 'consumer_secret' is missing: it is shown once when the "
                         "REST API key is created in WooCommerce → Settings → Advanced → REST "
                         "API");
    }
    cfg.consumer_key = trim(*key);
    cfg.consumer_secret = trim(*secret);
  }
  if (cfg.origin.scheme == "http" && !cfg.loopback &&
      cfg.auth_method == auth::AuthMethod::kApplicationPassword) {
    throw config_error("config field 'store_url' uses plain http:// (" + cfg.store_url +
                       "): WordPress accepts application passwords only over HTTPS, and the "
                       "password would travel in the clear. Use the https:// URL of the store, "
                       "or an API key with auth_method oauth1 if the store really has no HTTPS");
  }
  if (cfg.origin.scheme == "http" && !cfg.loopback &&
      cfg.auth_method != auth::AuthMethod::kOAuth1) {
    throw config_error("config field 'store_url' uses plain http:// (" + cfg.store_url +
                       "): WooCommerce accepts Basic and query-string credentials only over "
                       "HTTPS. Use the https:// URL of the store, or set auth_method to oauth1 "
                       "if the store really has no HTTPS (the consumer key then travels in the "
                       "clear)");
  }

  if (auto sd = o.string("start_date")) {
    if (!trim(*sd).empty()) {
      cfg.start_date = parse_utc(trim(*sd));
      if (!cfg.start_date) {
        throw config_error("config field 'start_date' (\"" + *sd +
                           "\") is not a date: use YYYY-MM-DD or RFC 3339 such as "
                           "2024-01-31T00:00:00Z");
      }
    }
  }
  if (auto ca = o.string("ca_certificate")) {
    std::string value = trim(*ca);
    if (value.find("-----BEGIN") != std::string::npos) {
      cfg.ca_certificate_pem = value;
    } else if (!value.empty()) {
      cfg.ca_certificate_pem = read_file_or_throw(value, "ca_certificate file");
      if (cfg.ca_certificate_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        throw config_error("config field 'ca_certificate' points to \"" + value +
                           "\", which holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
    }
  }
  cfg.verify_tls = o.boolean("verify_tls");
  cfg.user_agent = o.string("user_agent").value_or("");
  if (cfg.user_agent.empty()) {
    cfg.user_agent = std::string("source-woocommerce/") + WCC_VERSION +
                     " (+https://github.com/source-woocommerce/source-woocommerce)";
  }
  cfg.proxy_url = o.string("proxy_url").value_or("");
  if (cfg.proxy_url.empty()) {
    cfg.proxy_url = proxy_from_env(cfg);
  }
  if (!cfg.proxy_url.empty() && cfg.proxy_url.rfind("http://", 0) != 0 &&
      cfg.proxy_url.rfind("https://", 0) != 0) {
    throw config_error("config field 'proxy_url' must look like http://host:port");
  }

  cfg.per_page = o.integer("per_page");
  cfg.request_timeout_seconds = o.integer("request_timeout_seconds");
  cfg.max_concurrency = o.integer("max_concurrency");
  cfg.client.max_in_flight = cfg.max_concurrency; // every request's in-flight limit
  cfg.client.max_retries = o.integer("max_retries");
  cfg.client.max_retry_time = std::chrono::seconds(o.integer("max_retry_seconds"));
  cfg.client.requests_per_window = o.integer("requests_per_window");
  cfg.client.window_seconds = o.integer("window_seconds");
  parse_request_budget(o, cfg);
  cfg.client.initial_backoff = std::chrono::milliseconds(o.integer("initial_backoff_ms"));

  cfg.lookback_window_seconds = o.integer("lookback_window_seconds");
  cfg.full_resync_every_syncs = o.integer("full_resync_every");
  const auto deletion = o.string("deletion_detection").value_or("");
  cfg.deletion_detection = deletion == "trash"             ? DeletionDetection::kTrash
                           : deletion == "trash_and_sweep" ? DeletionDetection::kTrashAndSweep
                                                           : DeletionDetection::kOff;
  cfg.sweep_requests_per_sync = o.integer("sweep_requests_per_sync");
  cfg.order_notes_full_pass = o.boolean("order_notes_full_pass");

  const auto output = o.string("output").value_or("");
  cfg.output = output == "relational" ? OutputShape::kRelational : OutputShape::kRaw;
  cfg.money_as_number = o.string("money_as").value_or("") == "number";
  cfg.keep_local_times = o.boolean("keep_local_times");
  cfg.unified = o.boolean("unified");
  cfg.store_id = o.string("store_id").value_or("");
  if (cfg.store_id.empty()) {
    cfg.store_id = cfg.origin.host;
  }
  for (const auto &kv : o.object("unified_status_map")) {
    cfg.unified_status_map[std::string(kv.key())] = std::string(kv.value().as_string());
  }

  cfg.webhook_secret = o.string("webhook_secret").value_or("");
  cfg.webhook_journal = o.string("webhook_journal").value_or("");
  cfg.webhook_journal_token = o.string("webhook_journal_token").value_or("");
  cfg.webhook_retention_days = o.integer("webhook_retention_days");
  cfg.tls_certificate = o.string("tls_certificate").value_or("");
  cfg.tls_private_key = o.string("tls_private_key").value_or("");
  return cfg;
}

ConnectorConfig load_config_file(const std::string &path) {
  return parse_config(read_file_or_throw(path, "config file"));
}

} // namespace wc
