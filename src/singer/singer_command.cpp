#include "singer/singer_command.hpp"

#include <boost/json/serialize.hpp>
#include <memory>

#include "catalog/configured_catalog.hpp"
#include "cli/progress_sink.hpp"
#include "commands/commands.hpp"
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "protocol/line_output.hpp"
#include "relational/output.hpp"
#include "singer/singer_about.hpp"
#include "singer/singer_catalog.hpp"
#include "singer/singer_sink.hpp"
#include "singer/singer_state.hpp"
#include "state/state_store.hpp"

namespace wc::singer {
namespace json = boost::json;
namespace {

void say(std::string_view line) {
  std::string l = redact(line);
  l += '\n';
  std::fwrite(l.data(), 1, l.size(), stderr);
  std::fflush(stderr);
}

// --about and --discover: one document, written like every other stdout line (redacted).
void print_document(const json::value &doc) {
  std::string text = json::serialize(doc);
  protocol::write_redacted_line(stdout, text, true);
}

commands::ReadResult sync(const cli::Invocation &inv, std::atomic<bool> &cancelled, bool progress,
                          bool ansi) {
  auto warn = [](const std::string &m) { say("WARN " + m); };
  // The config is read first (and only once) so its secrets are registered before anything is
  // printed.
  commands::ReadInputs inputs;
  inputs.config = load_config_file(inv.flags.at("config"));
  // The Airbyte catalog the config's output switch offers: what the Singer streams mirror.
  const json::object airbyte_catalog = relational::offered_catalog(inputs.config);

  std::vector<SelectedStream> streams;
  std::string catalog_path;
  if (auto it = inv.flags.find("catalog"); it != inv.flags.end()) {
    catalog_path = it->second;
  } else if (auto p = inv.flags.find("properties"); p != inv.flags.end()) {
    catalog_path = p->second;
  }
  if (catalog_path.empty()) {
    warn("no --catalog: every stream is synced (incrementally where it can be)");
    streams = all_streams(airbyte_catalog);
  } else {
    streams = selected_streams(
        parse_json_or_yaml(read_file_or_throw(catalog_path, "catalog file"), "catalog file"),
        airbyte_catalog, warn);
  }

  json::object bookmarks;
  json::value engine_state = json::array{};
  if (auto it = inv.flags.find("state"); it != inv.flags.end()) {
    std::string text = read_file_or_throw(it->second, "state file");
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
      json::value state = parse_json_or_yaml(text, "state file");
      if (is_airbyte_state(state)) {
        engine_state = state; // an Airbyte state seeds the Singer sync as it is
        // Its streams' blobs are the bookmarks (read like `read` reads it: its warnings are
        // written once, when the engine's inputs are built below).
        bookmarks = airbyte_bookmarks(state::StateStore::parse(state, [](const std::string &) {}));
      } else {
        bookmarks = singer_bookmarks(state);
        engine_state = airbyte_state(bookmarks);
      }
    }
  }
  if (streams.empty()) {
    warn("the catalog selects no stream: nothing to sync (select streams with "
         "\"selected\": true in the breadcrumb [] metadata)");
    return {};
  }

  SingerSink sink(stdout, streams, std::move(bookmarks));
  std::unique_ptr<cli::ProgressSink> display;
  protocol::MessageSink *out = &sink;
  if (progress) {
    cli::ProgressOptions options;
    options.ansi = ansi;
    display = std::make_unique<cli::ProgressSink>(sink, stderr, options);
    sink.set_text_writer([d = display.get()](std::string_view line) { d->print_line(line); });
    display->start();
    out = display.get();
  }
  // The display stops however the read ends (an error is then printed by the front door).
  struct StopDisplay {
    cli::ProgressSink *display;
    ~StopDisplay() {
      if (display != nullptr) {
        display->finish();
      }
      std::fflush(stdout);
    }
  } stop{display.get()};
  // The same inputs `read` loads from its files, built in memory: the Airbyte configured catalog
  // of the selected streams and the engine's state.
  auto engine_warn = [out](const std::string &m) { out->log(protocol::LogLevel::kWarn, m); };
  inputs.streams = catalog::parse_configured_catalog(
      airbyte_configured_catalog(streams, airbyte_catalog), engine_warn,
      relational::offered_definitions(inputs.config));
  inputs.state = state::StateStore::parse(engine_state, engine_warn);
  return commands::run_read(inputs, *out, cancelled);
}

} // namespace

commands::ReadResult run_singer(const cli::Invocation &inv, std::atomic<bool> &cancelled,
                                bool progress, bool ansi) {
  if (inv.flags.count("about")) {
    print_document(about());
    return {};
  }
  if (inv.flags.count("discover")) {
    // A broken config is still reported; its output switch decides the catalog.
    print_document(build_singer_catalog(
        relational::offered_catalog(load_config_file(inv.flags.at("config")))));
    return {};
  }
  return sync(inv, cancelled, progress, ansi);
}

} // namespace wc::singer
