#pragma once
// The user's configuration, validated once into plain values. Accepts JSON or YAML, our own
// keys and, as aliases, the keys of Airbyte's WooCommerce connector (shop, api_key, api_secret).
// Every option's default and bounds come from spec/spec.json (config/option_rules.hpp), so the
// members below carry no defaults of their own: parse_config sets each one.
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>

#include "auth/authenticator.hpp"
#include "core/time_util.hpp"
#include "http/http_client.hpp"
#include "http/transport.hpp"

namespace wc {
class OptionRules;

enum class DeletionDetection { kOff, kTrash, kTrashAndSweep };
// What discover offers and read writes (docs/relational.md): WooCommerce's JSON as sent, or the
// relational family (flattened, typed records).
enum class OutputShape { kRaw, kRelational };

struct ConnectorConfig {
  // Connection.
  std::string store_url; // normalized: scheme://host[:port][/base], no trailing slash
  http::Origin origin;   // scheme, host, port of store_url
  std::string base_path; // "" or "/shop" (subdirectory installs)
  std::string consumer_key;
  std::string consumer_secret;
  auth::AuthMethod auth_method{};
  // auth_method application_password: a WordPress user and one of its application passwords
  // (consumer_key/consumer_secret are then not needed).
  std::string username;
  std::string application_password;
  std::optional<UnixSeconds> start_date;
  std::string ca_certificate_pem; // resolved PEM text (from a file path or inline)
  bool verify_tls = true;         // fail safe until parse_config sets it
  std::string user_agent;
  std::string proxy_url;
  bool loopback = false; // host is 127.0.0.0/8, ::1 or localhost

  // Requests.
  int per_page{};
  int request_timeout_seconds{};
  int max_concurrency{};
  http::ClientOptions client;
  // Why the request budget is what it is, when the config did not say (logged by read).
  std::string budget_note;

  // Incremental sync.
  int lookback_window_seconds{};
  int full_resync_every_syncs{}; // 0 = never
  DeletionDetection deletion_detection{};
  int sweep_requests_per_sync{};
  bool order_notes_full_pass{};

  // Webhooks.
  std::string webhook_secret;
  std::string webhook_journal;       // local path or https://receiver/changes URL
  std::string webhook_journal_token; // bearer token for a remote journal
  // The receiver (`serve`): how long it keeps deliveries, its certificate and key files.
  int webhook_retention_days{};
  std::string tls_certificate;
  std::string tls_private_key;

  // Output (docs/relational.md).
  OutputShape output{};
  bool money_as_number{};  // relational: money as JSON numbers (store's own decimal text)
  bool keep_local_times{}; // relational: keep the site-local date columns too

  // Unified commerce streams (docs/unified.md).
  bool unified{};       // discover also offers the unified streams
  std::string store_id; // in every unified key; default: the store URL's host
  std::map<std::string, std::string, std::less<>> unified_status_map; // custom status -> target
};

// Parses JSON or YAML text (decided by content). Throws wc::Error(kConfig) that names the field
// and what is wrong with it. Registers every secret with the redactor.
ConnectorConfig parse_config(std::string_view text);
// The same with other rules than the embedded spec's (tests).
ConnectorConfig parse_config(std::string_view text, const OptionRules &rules);
ConnectorConfig load_config_file(const std::string &path);
// JSON or YAML text to a JSON value (shared by config, catalog and state loaders). Throws
// wc::Error(kConfig) naming `what` (e.g. "config file") on malformed input.
boost::json::value parse_json_or_yaml(std::string_view text, std::string_view what);
// Reads a whole file; throws wc::Error(kConfig) naming `what` when it cannot.
std::string read_file_or_throw(const std::string &path, std::string_view what);

} // namespace wc
