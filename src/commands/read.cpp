// `read`: reads the configured streams, several at once (max_concurrency workers share one
// request budget), one writer owning stdout. A stream that fails does not hide the others: the
// read goes on, then ends with a TRACE error naming the failed streams and a non-zero exit.
#include <boost/json/serialize.hpp>
#include <mutex>
#include <thread>

#include "catalog/configured_catalog.hpp"
#include "commands/commands.hpp"
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "state/state_store.hpp"
#include "woocommerce/api_client.hpp"
#include "woocommerce/gateway_secrets.hpp"
#include "woocommerce/inventory.hpp"
#include "woocommerce/store_capabilities.hpp"

namespace wc::commands {
namespace json = boost::json;
using protocol::LogLevel;
using protocol::StreamStatus;

int run_read(const cli::Invocation &inv, protocol::MessageSink &out, std::atomic<bool> &cancelled) {
  auto warn = [&out](const std::string &m) { out.log(LogLevel::kWarn, m); };
  ConnectorConfig cfg = load_config_file(inv.flags.at("config"));
  json::value catalog_json =
      parse_json_or_yaml(read_file_or_throw(inv.flags.at("catalog"), "catalog file"), "catalog file");
  auto streams = catalog::parse_configured_catalog(catalog_json, warn);
  state::StateStore states;
  if (auto it = inv.flags.find("state"); it != inv.flags.end()) {
    std::string text = read_file_or_throw(it->second, "state file");
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
      states = state::StateStore::parse(parse_json_or_yaml(text, "state file"), warn);
    }
  }
  if (!cfg.verify_tls) {
    warn("verify_tls is false: the store's TLS certificate is NOT checked; anyone on the path can "
         "read the credentials. Use ca_certificate for a private CA instead.");
  }
  if (cfg.origin.scheme == "http" && !cfg.loopback) {
    warn("plain http:// with oauth1: the consumer key travels in the clear (the secret does "
         "not); prefer https://");
  }
  if (streams.empty()) {
    warn("the catalog selects no stream this connector has: nothing to read");
    return 0;
  }

  auto api = woo::ApiClient::create(cfg);
  api->set_warn([&](std::string_view m) { out.log(LogLevel::kWarn, m); });
  api->http().set_wait_observer([&](const http::WaitEvent &e) {
    if (e.rate_limited && !e.label.empty()) {
      out.stream_status(e.label, StreamStatus::kRunning, e.resume_at_ms);
    }
    out.log(LogLevel::kInfo, (e.label.empty() ? std::string("request") : e.label) + ": waiting (" +
                                 e.cause + ") until " +
                                 format_rfc3339(e.resume_at_ms / 1000));
  });
  bool need_filter = false;
  for (const auto &s : streams) {
    need_filter = need_filter || (s.sync_mode == catalog::SyncMode::kIncremental &&
                                  s.definition->cursor_kind == source::CursorKind::kModified);
  }
  auto caps = woo::detect_capabilities(*api, need_filter, warn);
  woo::ApiPageSource pages(*api);

  source::ReadContext base{pages, out, cfg};
  base.capabilities = caps;
  base.ceiling = caps.store_now;
  base.cancelled = &cancelled;
  base.transforms["mask_gateway_secrets"] = [](const source::StreamDefinition &,
                                               json::object &record) {
    woo::mask_gateway_secrets(record);
    return true;
  };
  base.custom_readers["inventory"] = woo::read_inventory;

  std::mutex mu;
  std::vector<std::string> failed;
  std::vector<FailureType> failure_types;
  std::size_t next = 0;
  auto worker = [&] {
    for (;;) {
      std::size_t index;
      {
        std::lock_guard lock(mu);
        if (next >= streams.size()) {
          return;
        }
        index = next++;
      }
      const auto &stream = streams[index];
      const std::string &name = stream.definition->name;
      const json::object *incoming = states.stream(name);
      out.stream_status(name, StreamStatus::kStarted);
      out.stream_status(name, StreamStatus::kRunning);
      source::ReadContext ctx = base;
      try {
        if (cancelled.load()) {
          throw transient_error(name + ": the sync was interrupted before this stream started");
        }
        source::read_stream(ctx, stream, incoming);
        out.stream_status(name, StreamStatus::kComplete);
      } catch (const woo::ApiError &e) {
        if (e.permission_denied() && ctx.emitted == 0) {
          warn("stream " + name + " skipped: the API key may not read it (" +
               std::to_string(e.status()) + " " + e.code() +
               "); it needs a key whose user has manager rights (manage_woocommerce).");
          if (incoming != nullptr) {
            out.stream_state(name, *incoming);
          }
          out.stream_status(name, StreamStatus::kComplete);
          continue;
        }
        out.error(e.type(), redact(e.what()), "", name);
        out.stream_status(name, StreamStatus::kIncomplete);
        std::lock_guard lock(mu);
        failed.push_back(name);
        failure_types.push_back(e.type());
      } catch (const Error &e) {
        out.error(e.type(), redact(e.what()), redact(e.internal()), name);
        out.stream_status(name, StreamStatus::kIncomplete);
        std::lock_guard lock(mu);
        failed.push_back(name);
        failure_types.push_back(e.type());
      } catch (const std::exception &e) {
        out.error(FailureType::kSystem, redact(name + ": unexpected error: " + e.what()), "", name);
        out.stream_status(name, StreamStatus::kIncomplete);
        std::lock_guard lock(mu);
        failed.push_back(name);
        failure_types.push_back(FailureType::kSystem);
      }
    }
  };
  std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(cfg.max_concurrency),
                                              streams.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) {
    threads.emplace_back(worker);
  }
  worker();
  for (auto &t : threads) {
    t.join();
  }
  if (!failed.empty()) {
    std::string list;
    FailureType type = failure_types.front();
    for (std::size_t i = 0; i < failed.size(); ++i) {
      list += (i ? ", " : "") + failed[i];
      if (failure_types[i] == FailureType::kConfig) {
        type = FailureType::kConfig;
      }
    }
    out.error(type, "the sync did not complete: these streams failed: " + list +
                        " (see the errors above; every other stream completed)",
              "", "");
    return 1;
  }
  if (cancelled.load()) {
    out.error(FailureType::kTransient, "the sync was interrupted (SIGTERM/SIGINT)", "", "");
    return 1;
  }
  return 0;
}

} // namespace wc::commands
