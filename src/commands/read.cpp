// `read`: reads the configured streams, several at once (max_concurrency workers share one
// request budget), one writer owning stdout. A stream that fails does not hide the others: the
// read goes on, then returns the failed streams (the front door ends with a TRACE error naming
// them and a non-zero exit).
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <mutex>

#include "catalog/configured_catalog.hpp"
#include "catalog/definition_loader.hpp"
#include "commands/commands.hpp"
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/executor.hpp"
#include "core/redact.hpp"
#include "protocol/forwarding_sink.hpp"
#include "relational/output.hpp"
#include "source/derived_streams.hpp"
#include "source/incoming_state.hpp"
#include "state/request_budget_state.hpp"
#include "state/state_store.hpp"
#include "state/stream_checkpoint.hpp"
#include "unified/unified_sink.hpp"
#include "webhook/journal_source.hpp"
#include "webhook/subscriptions.hpp"
#include "woocommerce/api_client.hpp"
#include "woocommerce/gateway_secrets.hpp"
#include "woocommerce/inventory.hpp"
#include "woocommerce/read_options.hpp"
#include "woocommerce/store_capabilities.hpp"

namespace wc::commands {
namespace json = boost::json;
using protocol::LogLevel;
using protocol::StreamStatus;
namespace {

// Forwards everything and remembers each stream's last checkpoint, so the webhook journal's
// position can be added to it.
class StateTap : public protocol::ForwardingSink {
public:
  explicit StateTap(protocol::MessageSink &out) : ForwardingSink(out) {}
  void record(std::string_view s, std::string_view d) override { out_.record(s, d); }
  void record_for(const std::vector<std::string> &s, std::string_view d) override {
    out_.record_for(s, d);
  }
  void record_from(std::string_view src, const std::vector<std::string> &s,
                   std::string_view d) override {
    out_.record_from(src, s, d);
  }
  void stream_state(std::string_view s, const json::value &state) override {
    json::value with_budget = state;
    {
      std::lock_guard lock(mu_);
      if (with_budget.is_object()) {
        // The request budget's learned rate rides in every stream's state (replacing the one
        // carried from the incoming state, dropping an expired one).
        with_budget = state::with_request_budget(state.as_object(), budget_);
      }
      last_[std::string(s)] = with_budget;
    }
    out_.stream_state(s, with_budget);
  }
  void set_budget(std::optional<state::SavedBudget> budget) {
    std::lock_guard lock(mu_);
    budget_ = std::move(budget);
  }
  json::object last(const std::string &stream) {
    std::lock_guard lock(mu_);
    auto it = last_.find(stream);
    return it != last_.end() && it->second.is_object() ? it->second.as_object() : json::object{};
  }

private:
  std::mutex mu_;
  std::map<std::string, json::value> last_;
  std::optional<state::SavedBudget> budget_;
};

// Emits the journaled webhook deliveries of one stream after its polling pass and remembers the
// journal position in the stream's state, so nothing is emitted twice or skipped. The journal is
// an addition to polling: when it cannot be read (receiver unreachable) the stream still
// completes, with a WARN, and keeps the position reached so far.
// Its records and checkpoints go through the fan-out, to every stream the source feeds (the
// nested-list streams of a journaled root get their rows from the journal's records too).
void read_journal(webhook::JournalSource &journal, const std::string &stream,
                  const json::object *incoming, source::FanOutSink &tap, StateTap &written) {
  // Read and written through the typed checkpoint. The journal reads no cursor (an empty cursor
  // field): the cursor's key passes through verbatim, in `extra`.
  std::int64_t seq = 0;
  if (incoming != nullptr) {
    seq = state::from_json(*incoming, "", stream).webhook_seq.value_or(0);
  }
  std::int64_t emitted = 0;
  try {
    const std::int64_t end = journal.last_seq(); // deliveries arriving meanwhile: next read
    if (seq > end) {
      tap.log(LogLevel::kWarn, stream + ": the state's webhook_seq " + std::to_string(seq) +
                                   " is beyond the journal's last position " + std::to_string(end) +
                                   " (journal recreated?): reading the journal from its start");
      seq = 0;
    }
    bool done = false;
    while (!done && seq < end) {
      auto changes = journal.fetch(seq, 1000);
      if (changes.empty()) {
        break;
      }
      for (const auto &c : changes) {
        if (c.seq > end) {
          done = true; // rows up to `end` not returned were pruned or cannot be mapped
          break;
        }
        seq = c.seq;
        if (c.stream == stream) {
          tap.record(stream, c.record_json);
          ++emitted;
        }
      }
    }
  } catch (const Error &e) {
    if (e.type() == FailureType::kConfig) {
      throw;
    }
    tap.log(LogLevel::kWarn, stream + ": the webhook journal could not be read (" +
                                 redact(e.what()) + "); polling covered this sync");
  }
  // The source's last checkpoint as written (request budget included, so the blob's keys keep
  // their order): its own, else that of a stream it feeds alone.
  json::object last = written.last(stream);
  for (const auto &m : tap.members(stream)) {
    if (!last.empty()) {
      break;
    }
    last = written.last(m);
    if (last.contains(source::kSourcesKey)) {
      last.clear(); // a stream fed by several sources holds one checkpoint per source
    }
  }
  state::StreamCheckpoint checkpoint =
      state::from_json(last.empty() ? tap.last(stream) : last, "", stream);
  checkpoint.webhook_seq = seq;
  tap.stream_state(stream, state::to_json(checkpoint));
  if (emitted > 0) {
    tap.log(LogLevel::kInfo,
            stream + ": " + std::to_string(emitted) + " change(s) from the webhook journal");
  }
}

// The checkpoint of a stream skipped before it read anything: its incoming checkpoint, the blob
// echoed as it came (the engine's rule for a stream that did not move).
json::object unread_checkpoint(const source::StreamDefinition &d, const json::object &incoming) {
  const source::IncomingState in = source::IncomingState::read(d, &incoming);
  return in.unchanged(in.checkpoint);
}

std::string describe_rate(const http::LearnedRate &r) {
  const double per_minute =
      static_cast<double>(r.requests) * 60000.0 / static_cast<double>(r.window.count());
  char text[96];
  std::snprintf(text, sizeof text, "%d requests per %.1f s (%.1f per minute)", r.requests,
                static_cast<double>(r.window.count()) / 1000.0, per_minute);
  return text;
}

// The request budget of this read: the adaptive one starts under the rate an earlier sync
// learned (from the state, until it expires) and puts what it learns into every STATE.
void start_request_budget(const ConnectorConfig &cfg, const state::StateStore &states,
                          http::HttpClient &http, StateTap &out) {
  if (!cfg.budget_note.empty()) {
    out.log(LogLevel::kInfo, cfg.budget_note);
  }
  const UnixSeconds now = now_millis() / 1000;
  auto saved = state::latest_saved_budget(
      states, now, [&out](const std::string &m) { out.log(LogLevel::kWarn, m); });
  // Kept in the state whatever the mode, so switching modes back and forth loses nothing.
  out.set_budget(saved);
  if (cfg.client.budget != http::BudgetMode::kAdaptive) {
    return;
  }
  if (saved) {
    const http::LearnedRate rate{saved->requests, std::chrono::milliseconds(saved->window_ms)};
    http.start_budget_from(rate);
    out.log(LogLevel::kInfo, "request budget: starting at " + describe_rate(rate) +
                                 ", learned from the store's pushback at " +
                                 format_rfc3339(saved->learned_at) + " (kept until " +
                                 format_rfc3339(saved->expires_at) + ")");
  }
  http.set_budget_observer([&out](const http::LearnedRate &rate, const std::string &cause) {
    const UnixSeconds at = now_millis() / 1000;
    state::SavedBudget b{rate.requests, rate.window.count(), at, at + state::kRequestBudgetTtl};
    out.set_budget(b);
    out.log(LogLevel::kInfo, "request budget: the store pushed back (" + cause +
                                 "); from now on at most " + describe_rate(rate) +
                                 "; kept in the state until " + format_rfc3339(b.expires_at));
  });
}

bool journaled(const std::string &stream) {
  return stream == "orders" || stream == "products" || stream == "product_variations" ||
         stream == "customers" || stream == "coupons";
}

} // namespace

ReadResult run_read(const ReadInputs &in, protocol::MessageSink &raw_out,
                    std::atomic<bool> &cancelled) {
  const ConnectorConfig &cfg = in.config;
  // output: relational converts each record on its way out (nullptr with output: raw).
  const auto relational_out = relational::output_sink(cfg, raw_out);
  protocol::MessageSink &converted = relational_out ? *relational_out : raw_out;
  // unified: true makes the selected unified streams' records (nullptr: none selected).
  std::vector<std::string> selected;
  for (const auto &s : in.streams) {
    selected.push_back(s.definition->name);
  }
  const auto unified_out = unified::output_sink(cfg, selected, converted);
  StateTap out(unified_out ? *unified_out : converted);
  auto warn = [&out](const std::string &m) { out.log(LogLevel::kWarn, m); };
  const auto &streams = in.streams;
  const state::StateStore &states = in.state;
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
    return {};
  }
  // One read per source stream, for every selected stream it feeds (source/derived_streams.hpp:
  // nested-list streams, countries and states); a stream read for itself alone is its own group.
  const catalog::DefinitionLookup offered = unified::offered_definitions(cfg);
  const auto find = [&offered](std::string_view n) {
    return offered ? offered(n) : catalog::find_definition(n);
  };
  const std::vector<source::StreamRequest> requests(streams.begin(), streams.end());
  const std::vector<source::SourceRead> reads = source::plan_source_reads(requests, find);
  std::map<std::string, json::object> multi_incoming;
  for (const auto &s : streams) {
    if (const auto *blob = states.stream(s.definition->name);
        blob != nullptr && s.definition->fed_by.size() > 1) {
      multi_incoming[s.definition->name] = *blob;
    }
  }
  source::FanOutSink fan(out, reads, find, std::move(multi_incoming));

  auto api = woo::ApiClient::create(cfg);
  api->set_warn([&](std::string_view m) { out.log(LogLevel::kWarn, m); });
  start_request_budget(cfg, states, api->http(), out);
  api->http().set_wait_observer([&](const http::WaitEvent &e) {
    if (e.rate_limited && !e.label.empty()) {
      fan.stream_status(e.label, StreamStatus::kRunning, e.resume_at_ms);
    }
    out.log(LogLevel::kInfo, (e.label.empty() ? std::string("request") : e.label) + ": waiting (" +
                                 e.cause + ") until " + format_rfc3339(e.resume_at_ms / 1000));
  });
  bool need_filter = false;
  for (const auto &r : reads) {
    need_filter = need_filter || (r.sync_mode == catalog::SyncMode::kIncremental &&
                                  r.source->cursor_kind == source::CursorKind::kModified);
  }
  auto caps = woo::detect_capabilities(*api, need_filter, warn);
  // One executor for the whole read: max_concurrency workers run the streams, their date
  // windows and their pages ahead; every request passes the HttpClient's in-flight limit.
  core::Executor executor(cfg.max_concurrency);
  woo::ApiPageSource pages(*api);
  // Streams whose records are written as received take them raw: no tree, no serialization.
  std::vector<const source::StreamDefinition *> definitions;
  for (const auto &r : reads) {
    definitions.push_back(r.source);
  }
  const KeptMembers kept = source::raw_record_members(definitions);
  // The relational output reads each record in place: its page's reading keeps the tokens.
  woo::ApiPageSource raw_pages(*api, RecordShape::raw_records(&kept, relational_out != nullptr));

  source::ReadServices base{.pages = pages,
                            .out = fan,
                            .options = woo::read_options_from(cfg),
                            .capabilities = caps,
                            .ceiling = caps.store_now,
                            .cancelled = &cancelled,
                            .parallel_pages = cfg.max_concurrency,
                            .executor = &executor,
                            .in_flight = api->http().in_flight()};
  base.transforms["mask_gateway_secrets"] = [](const source::StreamDefinition &,
                                               json::object &record) {
    woo::mask_gateway_secrets(record);
    return true;
  };
  base.custom_readers["inventory"] = woo::read_inventory;

  std::unique_ptr<webhook::JournalSource> journal;
  if (!cfg.webhook_journal.empty()) {
    journal = webhook::open_journal_source(cfg);
    auto since = now_millis() - 7LL * 24 * 3600 * 1000;
    try {
      for (const auto &gap : journal->gaps(since)) {
        warn("the webhook receiver was down from " + format_rfc3339(gap.from_ms / 1000) + " to " +
             format_rfc3339(gap.to_ms / 1000) +
             ": deliveries of that time are lost (WooCommerce does not retry); polling covers "
             "them");
      }
    } catch (const Error &e) {
      if (e.type() == FailureType::kConfig) {
        throw;
      }
      warn("the webhook journal could not be read (" + redact(e.what()) +
           "); polling still reads every stream");
    }
    try {
      auto disabled =
          api->get("/webhooks", {{"status", "disabled"}, {"per_page", "100"}}, "webhooks");
      const auto ours = disabled.body.is_array() ? webhook::our_webhooks(disabled.body.as_array())
                                                 : std::vector<webhook::StoreWebhook>{};
      if (!ours.empty()) {
        warn("WooCommerce has disabled " + std::to_string(ours.size()) +
             " webhook(s) after failed deliveries: run `source-woocommerce webhooks register` to "
             "re-activate ours");
      }
    } catch (const std::exception &) {
      // Listing webhooks needs manager rights; polling still covers everything.
    }
  }
  std::mutex mu;
  std::vector<std::string> failed;
  std::vector<FailureType> failure_types;
  // A source's failure is reported (for every stream it feeds) and remembered; the other
  // sources go on.
  auto fail = [&](const source::SourceRead &r, FailureType type, const std::string &message,
                  const std::string &internal) {
    const std::string &name = r.source->name;
    fan.error(type, redact(message), redact(internal), name);
    fan.stream_status(name, StreamStatus::kIncomplete);
    std::lock_guard lock(mu);
    for (const auto &m : r.members) {
      failed.push_back(m);
      failure_types.push_back(type);
    }
  };
  auto read_one = [&](const source::SourceRead &r) {
    const source::StreamDefinition &def = *r.source;
    const std::string &name = def.name;
    fan.stream_status(name, StreamStatus::kStarted);
    fan.stream_status(name, StreamStatus::kRunning);
    catalog::ConfiguredStream stream;
    stream.definition = &def;
    stream.sync_mode = r.sync_mode;
    source::ReadContext ctx(source::reads_raw_records(def) ? base.with_pages(raw_pages) : base);
    const json::object *incoming = nullptr;
    try {
      // The lowest state among the streams it feeds (a stream read for itself alone: its own).
      std::vector<std::pair<std::string, const json::object *>> member_states;
      for (const auto &m : r.members) {
        const source::StreamDefinition *md = m == name ? &def : find(m);
        member_states.emplace_back(m, source::member_checkpoint(*md, states.stream(m), name));
      }
      incoming = member_states.size() == 1 ? member_states[0].second
                                           : source::lowest_checkpoint(def, member_states);
      if (cancelled.load()) {
        throw transient_error(name + ": the sync was interrupted before this stream started");
      }
      source::read_stream(ctx, stream, incoming);
      if (journal && journaled(name)) {
        read_journal(*journal, name, incoming, fan, out);
      }
      // What the stream cost (bench/ reads it: a sync where nothing changed should cost
      // about one request per incremental stream).
      out.log(LogLevel::kInfo, name + ": " + std::to_string(ctx.emitted) + " record(s), " +
                                   std::to_string(pages.requests(name) + raw_pages.requests(name)) +
                                   " page request(s)");
      fan.stream_status(name, StreamStatus::kComplete);
    } catch (const woo::ApiError &e) {
      if (e.permission_denied() && ctx.emitted == 0) {
        warn("stream " + name + " skipped: the API key may not read it (" +
             std::to_string(e.status()) + " " + e.code() +
             "); it needs a key whose user has manager rights (manage_woocommerce).");
        for (const auto &m : r.members) {
          if (const auto *blob = states.stream(m)) {
            // Each stream's own checkpoint, echoed as it came.
            out.stream_state(m, m == name ? unread_checkpoint(def, *blob) : *blob);
          }
        }
        fan.stream_status(name, StreamStatus::kComplete);
        return;
      }
      fail(r, e.type(), e.what(), "");
    } catch (const Error &e) {
      fail(r, e.type(), e.what(), e.internal());
    } catch (const std::exception &e) {
      fail(r, FailureType::kSystem, name + ": unexpected error: " + e.what(), "");
    }
  };
  // One task per source, started in catalog order as workers free up.
  std::vector<core::Task<void>> stream_tasks;
  for (const auto &r : reads) {
    stream_tasks.push_back(executor.submit([&read_one, &r] { read_one(r); }));
  }
  core::wait_all(stream_tasks);
  ReadResult result;
  for (std::size_t i = 0; i < failed.size(); ++i) {
    result.failed.push_back({failed[i], failure_types[i]});
  }
  result.interrupted = cancelled.load();
  return result;
}

} // namespace wc::commands
