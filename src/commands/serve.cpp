// `serve`: the webhook receiver, until SIGTERM/SIGINT (see commands.hpp).
#include "commands/commands.hpp"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <stdexcept>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "webhook/journal.hpp"
#include "webhook/receiver_log.hpp"
#include "webhook/webhook_server.hpp"

namespace wc::commands {
using namespace wc::webhook;
namespace {

bool split_listen(const std::string &listen, std::string &host, int &port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return false;
  }
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    return used == listen.size() - colon - 1 && port >= 0 && port <= 65535;
  } catch (const std::exception &) {
    return false;
  }
}

} // namespace

int run_serve(const cli::Invocation &a) {
  const std::string config_path = a.flags.at("config");
  const std::string listen = a.flags.at("listen");
  WebhookServerOptions options;
  if (!split_listen(listen, options.host, options.port)) {
    throw cli::UsageError{"--listen must be HOST:PORT, e.g. 0.0.0.0:8080."};
  }
  JournalOptions journal_options;
  if (auto days = a.get("retention-days")) {
    try {
      journal_options.retention_days = std::stoi(*days);
    } catch (const std::exception &) {
      throw cli::UsageError{"--retention-days must be a number of days."};
    }
    if (journal_options.retention_days < 1) {
      throw cli::UsageError{"--retention-days must be at least 1."};
    }
  }
  if (auto max = a.get("max-body-bytes")) {
    try {
      options.max_body_bytes = static_cast<std::size_t>(std::stoull(*max));
    } catch (const std::exception &) {
      throw cli::UsageError{"--max-body-bytes must be a number."};
    }
  }
  if (a.has("verbose")) {
    set_log_threshold(LogSeverity::kDebug);
  }

  ConnectorConfig config = load_config_file(config_path);
  if (config.webhook_secret.empty()) {
    throw config_error("The config has no webhook_secret: the receiver cannot verify "
                       "deliveries without it. Set the secret used by `webhooks register`.");
  }
  register_secret(config.webhook_secret);
  register_secret(config.webhook_journal_token);
  std::string journal_path;
  if (auto j = a.get("journal")) {
    journal_path = *j;
  } else if (!config.webhook_journal.empty() && config.webhook_journal.rfind("http", 0) != 0) {
    journal_path = config.webhook_journal;
  } else {
    throw cli::UsageError{
        "--journal PATH is required (the SQLite file deliveries are written to)."};
  }
  if (!a.get("retention-days")) {
    // Checked against the spec's bounds by parse_config, the spec's default when not given.
    journal_options.retention_days = config.webhook_retention_days;
  }
  options.secret = config.webhook_secret;
  options.store_host = config.origin.host;
  options.journal_token = config.webhook_journal_token;
  options.journal_path = journal_path;
  options.tls_certificate = a.get("tls-certificate").value_or(config.tls_certificate);
  options.tls_private_key = a.get("tls-private-key").value_or(config.tls_private_key);

  // Block the stop signals in every thread (inherited by the ones started below); the main
  // thread waits for them with sigwait().
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Journal journal(journal_path, journal_options);
  WebhookServer server(options, journal);
  server.start();
  log_line(LogSeverity::kInfo,
           std::string("Listening on ") + (server.tls() ? "https://" : "http://") + options.host +
               ":" + std::to_string(server.port()) + " (journal " + journal_path + ", retention " +
               std::to_string(journal_options.retention_days) + " days, /changes " +
               (options.journal_token.empty() ? "disabled" : "enabled") + ")");
  if (!server.tls() && options.host != "127.0.0.1" && options.host != "localhost") {
    log_line(LogSeverity::kInfo, "Serving plain HTTP: put a TLS reverse proxy in front, or "
                                 "pass --tls-certificate and --tls-private-key.");
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log_line(LogSeverity::kInfo,
           std::string("Stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + "...");
  server.stop();
  journal.close();
  auto c = server.counters();
  log_line(LogSeverity::kInfo, "Stopped cleanly: " + std::to_string(c.stored) + " stored, " +
                                   std::to_string(c.duplicates) + " duplicates, " +
                                   std::to_string(c.pings) + " pings, " +
                                   std::to_string(c.rejected_signature) + " rejected.");
  return 0;
}

} // namespace wc::commands
