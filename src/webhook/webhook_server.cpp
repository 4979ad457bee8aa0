#include "webhook/webhook_server.hpp"

#include <httplib.h>
#include <openssl/crypto.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/time_util.hpp"
#include "webhook/event_mapper.hpp"
#include "webhook/journal.hpp"
#include "webhook/journal_reader.hpp"
#include "webhook/journal_source.hpp"
#include "webhook/receiver_log.hpp"
#include "webhook/signature.hpp"

namespace wc::webhook {
namespace {

constexpr std::size_t kDefaultChangesLimit = 500;
constexpr std::size_t kMaxChangesLimit = 5000;

bool is_ping_body(std::string_view body) {
  constexpr std::string_view kPrefix = "webhook_id=";
  if (body.substr(0, kPrefix.size()) != kPrefix || body.size() == kPrefix.size() ||
      body.size() > kPrefix.size() + 20) {
    return false;
  }
  for (char c : body.substr(kPrefix.size())) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// Host part of "https://host:port/path" (lower case, no brackets), or "" when malformed.
std::string url_host(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return {};
  }
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    rest = rest.substr(at + 1);
  }
  if (!rest.empty() && rest.front() == '[') {
    return lower(rest.substr(1, rest.find(']') - 1));
  }
  return lower(rest.substr(0, rest.find(':')));
}

std::int64_t parse_int(std::string_view s, std::int64_t fallback) {
  if (s.empty() || s.size() > 18) {
    return fallback;
  }
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return fallback;
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

bool token_matches(std::string_view given, std::string_view expected) {
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

void json_reply(httplib::Response &res, int status, const boost::json::object &body) {
  res.status = status;
  res.set_content(boost::json::serialize(body), "application/json");
}

} // namespace

struct WebhookServer::Impl {
  WebhookServerOptions options;
  Journal &journal;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int bound_port = 0;
  bool running = false;
  std::mutex reader_mu;
  std::unique_ptr<JournalReader> reader;

  std::atomic<std::int64_t> received{0}, stored{0}, duplicates{0}, pings{0}, rejected_signature{0},
      ignored{0}, source_mismatch{0}, errors{0}, changes_requests{0};

  Impl(WebhookServerOptions o, Journal &j) : options(std::move(o)), journal(j) {}

  void handle_delivery(const httplib::Request &req, httplib::Response &res) {
    ++received;
    std::string signature = req.get_header_value("X-WC-Webhook-Signature");
    if (signature.empty()) {
      if (is_ping_body(req.body)) {
        ++pings;
        log_line(LogSeverity::kInfo, "Creation ping received (" + req.body + ") on " + req.path);
        res.status = 200;
        res.set_content("ok", "text/plain");
        return;
      }
      ++rejected_signature;
      log_line(LogSeverity::kWarn, "Rejected a POST to " + req.path + " from " + req.remote_addr +
                                       ": no X-WC-Webhook-Signature.");
      json_reply(res, 401, {{"error", "missing signature"}});
      return;
    }
    if (!verify_signature(req.body, signature, options.secret)) {
      ++rejected_signature;
      log_line(LogSeverity::kWarn,
               "Rejected a POST to " + req.path + " from " + req.remote_addr +
                   ": the signature does not match (wrong webhook secret, or a forged body).");
      json_reply(res, 401, {{"error", "bad signature"}});
      return;
    }
    std::string source = req.get_header_value("X-WC-Webhook-Source");
    if (!options.store_host.empty() && url_host(source) != lower(options.store_host)) {
      ++source_mismatch;
      log_line(LogSeverity::kWarn, "Signed delivery from X-WC-Webhook-Source '" + source +
                                       "' whose host is not the configured store's (" +
                                       options.store_host + "); accepted on its signature.");
    }
    std::string topic = req.get_header_value("X-WC-Webhook-Topic");
    std::string resource = req.get_header_value("X-WC-Webhook-Resource");
    std::string event = req.get_header_value("X-WC-Webhook-Event");
    if (resource.empty()) {
      resource = std::string(topic_resource(topic));
    }
    if (event.empty()) {
      event = std::string(topic_event(topic));
    }
    if (topic.empty()) {
      topic = resource + "." + event;
    }
    if (stream_for_resource(resource).empty()) {
      ++ignored;
      log_line(LogSeverity::kInfo, "Ignored a signed '" + topic + "' delivery (not a stream).");
      json_reply(res, 200, {{"stored", false}, {"ignored", "topic"}});
      return;
    }
    boost::system::error_code ec;
    auto payload = boost::json::parse(req.body, ec);
    const boost::json::object *obj = !ec && payload.is_object() ? &payload.as_object() : nullptr;
    const boost::json::value *id = obj != nullptr ? obj->if_contains("id") : nullptr;
    if (id == nullptr || !(id->is_int64() || id->is_uint64()) ||
        id->to_number<std::int64_t>() <= 0) {
      ++ignored;
      log_line(LogSeverity::kWarn,
               "Ignored a signed '" + topic +
                   "' delivery without a record id (an error object? the webhook's owner may "
                   "have lost the capability to read this resource).");
      json_reply(res, 200, {{"stored", false}, {"ignored", "payload"}});
      return;
    }
    Delivery d;
    d.topic = topic;
    d.resource = resource;
    d.event = event;
    d.webhook_id = parse_int(req.get_header_value("X-WC-Webhook-ID"), 0);
    d.delivery_id = req.get_header_value("X-WC-Webhook-Delivery-ID");
    d.record_id = id->to_number<std::int64_t>();
    if (event != "deleted") {
      if (const auto *dm = obj->if_contains("date_modified_gmt");
          dm != nullptr && dm->is_string()) {
        d.date_modified_gmt = std::string(dm->as_string());
      }
    }
    d.received_at_ms = now_millis();
    d.payload = req.body;
    try {
      AppendResult r = journal.append(std::move(d));
      if (r.stored) {
        ++stored;
      } else {
        ++duplicates;
      }
      log_line(LogSeverity::kDebug, topic + " #" + std::to_string(id->to_number<std::int64_t>()) +
                                        (r.stored ? " stored" : " duplicate"));
      json_reply(res, 200, {{"stored", r.stored}, {"seq", r.seq}});
    } catch (const std::exception &e) {
      ++errors;
      log_line(LogSeverity::kError, std::string("Could not journal a delivery: ") + e.what());
      json_reply(res, 503, {{"error", "journal unavailable"}});
    }
  }

  void handle_changes(const httplib::Request &req, httplib::Response &res) {
    if (options.journal_token.empty()) {
      json_reply(res, 404, {{"error", "the /changes endpoint is disabled (no journal token)"}});
      return;
    }
    std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer ||
        !token_matches(std::string_view(auth).substr(kBearer.size()), options.journal_token)) {
      log_line(LogSeverity::kWarn, "Refused GET /changes from " + req.remote_addr + ": bad token.");
      json_reply(res, 401, {{"error", "bad or missing bearer token"}});
      return;
    }
    ++changes_requests;
    std::int64_t after = parse_int(req.get_param_value("after"), 0);
    auto limit = static_cast<std::size_t>(
        parse_int(req.get_param_value("limit"), static_cast<std::int64_t>(kDefaultChangesLimit)));
    limit = std::min(limit, kMaxChangesLimit);
    std::int64_t gaps_since = parse_int(req.get_param_value("gaps_since"), 0);
    boost::json::object body;
    try {
      std::lock_guard lock(reader_mu);
      if (!reader) {
        reader = std::make_unique<JournalReader>(options.journal_path);
      }
      boost::json::array changes;
      std::int64_t cursor = after;
      while (changes.size() < limit) {
        auto rows = reader->fetch(cursor, limit - changes.size());
        if (rows.empty()) {
          break;
        }
        for (const auto &row : rows) {
          cursor = row.seq;
          auto c = to_journal_change(row);
          if (!c) {
            continue;
          }
          boost::json::object item;
          item["seq"] = c->seq;
          item["stream"] = c->stream;
          item["event"] = c->event;
          item["id"] = c->id;
          item["received_at_ms"] = c->received_at_ms;
          item["record"] = boost::json::parse(c->record_json);
          changes.push_back(std::move(item));
        }
      }
      boost::json::array gaps;
      for (const auto &g : reader->down_times(gaps_since, now_millis())) {
        gaps.push_back(boost::json::object{{"from_ms", g.from_ms}, {"to_ms", g.to_ms}});
      }
      body["changes"] = std::move(changes);
      body["gaps"] = std::move(gaps);
      body["last_seq"] = reader->last_seq();
    } catch (const std::exception &e) {
      ++errors;
      log_line(LogSeverity::kError, std::string("GET /changes failed: ") + e.what());
      json_reply(res, 503, {{"error", "journal unavailable"}});
      return;
    }
    json_reply(res, 200, body);
  }

  void handle_health(httplib::Response &res) {
    auto s = journal.stats();
    boost::json::object body{{"status", "ok"},
                             {"received", received.load()},
                             {"stored", stored.load()},
                             {"duplicates", duplicates.load()},
                             {"pings", pings.load()},
                             {"rejected_signature", rejected_signature.load()},
                             {"ignored", ignored.load()},
                             {"source_mismatch", source_mismatch.load()},
                             {"errors", errors.load()},
                             {"journal_transactions", s.transactions},
                             {"journal_pruned", s.pruned}};
    json_reply(res, 200, body);
  }
};

WebhookServer::WebhookServer(WebhookServerOptions options, Journal &journal)
    : impl_(std::make_unique<Impl>(std::move(options), journal)) {}

WebhookServer::~WebhookServer() { stop(); }

void WebhookServer::start() {
  Impl &m = *impl_;
  if (m.options.secret.empty()) {
    throw config_error("The webhook receiver needs webhook_secret in the config.");
  }
  bool want_tls = !m.options.tls_certificate.empty() || !m.options.tls_private_key.empty();
  if (want_tls) {
    if (m.options.tls_certificate.empty() || m.options.tls_private_key.empty()) {
      throw config_error("TLS needs both tls_certificate and tls_private_key.");
    }
    auto ssl = std::make_unique<httplib::SSLServer>(m.options.tls_certificate.c_str(),
                                                    m.options.tls_private_key.c_str());
    if (!ssl->is_valid()) {
      throw config_error("Cannot load the TLS certificate '" + m.options.tls_certificate +
                         "' or its private key: check both are readable PEM files that match.");
    }
    m.server = std::move(ssl);
  } else {
    m.server = std::make_unique<httplib::Server>();
  }
  httplib::Server &srv = *m.server;
  int threads = std::max(1, m.options.threads);
  srv.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  srv.set_payload_max_length(m.options.max_body_bytes);
  srv.set_read_timeout(m.options.read_timeout_seconds, 0);
  srv.set_write_timeout(m.options.read_timeout_seconds, 0);
  srv.set_keep_alive_timeout(5);
  srv.set_tcp_nodelay(true);
  srv.Get("/health",
          [&m](const httplib::Request &, httplib::Response &res) { m.handle_health(res); });
  srv.Get("/changes", [&m](const httplib::Request &req, httplib::Response &res) {
    m.handle_changes(req, res);
  });
  srv.Post(".*", [&m](const httplib::Request &req, httplib::Response &res) {
    m.handle_delivery(req, res);
  });
  srv.set_exception_handler(
      [&m](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
        ++m.errors;
        res.status = 500;
        res.set_content("{\"error\":\"internal\"}", "application/json");
      });
  if (m.options.port == 0) {
    m.bound_port = srv.bind_to_any_port(m.options.host);
    if (m.bound_port <= 0) {
      throw config_error("Cannot listen on " + m.options.host + " (any port).");
    }
  } else {
    if (!srv.bind_to_port(m.options.host, m.options.port)) {
      throw config_error("Cannot listen on " + m.options.host + ":" +
                         std::to_string(m.options.port) +
                         " (in use, or a privileged port without the right to bind it).");
    }
    m.bound_port = m.options.port;
  }
  m.running = true;
  auto listening_ended = std::make_shared<std::atomic<bool>>(false);
  m.thread = std::thread([&srv, listening_ended] {
    srv.listen_after_bind();
    *listening_ended = true;
  });
  // httplib's stop() does nothing until the listening thread has begun (is_running()): a SIGTERM
  // right after "Listening on" would leave the loop running and stop() joining it forever. Wait
  // for it (bounded; a listen that failed ends the thread instead).
  for (int i = 0; i < 10000 && !srv.is_running() && !*listening_ended; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void WebhookServer::stop() {
  Impl &m = *impl_;
  if (!m.running) {
    return;
  }
  m.running = false;
  m.server->stop();
  if (m.thread.joinable()) {
    m.thread.join();
  }
}

int WebhookServer::port() const { return impl_->bound_port; }
bool WebhookServer::tls() const {
  return !impl_->options.tls_certificate.empty() && !impl_->options.tls_private_key.empty();
}

ReceiverCounters WebhookServer::counters() const {
  const Impl &m = *impl_;
  ReceiverCounters c;
  c.received = m.received;
  c.stored = m.stored;
  c.duplicates = m.duplicates;
  c.pings = m.pings;
  c.rejected_signature = m.rejected_signature;
  c.ignored = m.ignored;
  c.source_mismatch = m.source_mismatch;
  c.errors = m.errors;
  c.changes_requests = m.changes_requests;
  return c;
}

} // namespace wc::webhook
