#pragma once
// The webhook receiver: an HTTP(S) server that verifies each delivery's signature over the raw
// bytes first (bad or missing -> 401, nothing stored), answers WooCommerce's unsigned creation
// ping with 200, journals signed deliveries durably before answering 200, and serves
// GET /health and (with a token) GET /changes for remote readers. cpp-httplib stays in the .cpp.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace wc::webhook {

class Journal;

struct WebhookServerOptions {
  static constexpr std::size_t kDefaultMaxBody = 10u * 1024u * 1024u;
  std::string host = "127.0.0.1";
  int port = 0;           // 0 = any free port (see WebhookServer::port())
  std::string secret;     // webhook secret (required)
  std::string store_host; // expected host of X-WC-Webhook-Source; empty = no check
  std::size_t max_body_bytes = kDefaultMaxBody;
  std::string tls_certificate; // PEM file paths; both set = HTTPS
  std::string tls_private_key;
  std::string journal_token; // bearer token for GET /changes; empty = endpoint disabled
  std::string journal_path;  // the journal file, read by GET /changes
  int threads = 32;          // concurrent requests (more = bigger group commits)
  int read_timeout_seconds = 20;
};

struct ReceiverCounters {
  std::int64_t received = 0;   // POSTs seen
  std::int64_t stored = 0;     // new journal rows
  std::int64_t duplicates = 0; // already journaled
  std::int64_t pings = 0;      // unsigned creation pings
  std::int64_t rejected_signature = 0;
  std::int64_t ignored = 0;         // signed but unusable (action.*, no id, not JSON)
  std::int64_t source_mismatch = 0; // X-WC-Webhook-Source host differs from the store's
  std::int64_t errors = 0;          // journal failures (answered 503)
  std::int64_t changes_requests = 0;
};

class WebhookServer {
public:
  WebhookServer(WebhookServerOptions options, Journal &journal);
  ~WebhookServer();
  WebhookServer(const WebhookServer &) = delete;
  WebhookServer &operator=(const WebhookServer &) = delete;

  // Binds (throws wc::Error(kConfig) when it cannot) and serves on a background thread.
  void start();
  // Stops accepting, waits for in-flight requests. Idempotent.
  void stop();
  int port() const;
  bool tls() const;
  ReceiverCounters counters() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace wc::webhook
