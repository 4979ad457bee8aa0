#include "singer/singer_command.hpp"

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unistd.h>

#include "cli/progress_sink.hpp"
#include "commands/commands.hpp"
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "relational/output.hpp"
#include "singer/singer_about.hpp"
#include "singer/singer_catalog.hpp"
#include "singer/singer_sink.hpp"
#include "singer/singer_state.hpp"

namespace wc::singer {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

void say(std::string_view line) {
  std::string l = redact(line);
  l += '\n';
  std::fwrite(l.data(), 1, l.size(), stderr);
  std::fflush(stderr);
}

void print_document(const json::value &doc) {
  std::string text = json::serialize(doc);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

// A private directory for the translated catalog and state, removed on exit.
class TempDir {
public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "source-woocommerce-singer-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw system_error("cannot create a temporary directory under " +
                         fs::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string &name, const json::value &doc) const {
    fs::path p = path_ / name;
    std::ofstream f(p);
    f << json::serialize(doc);
    if (!f) {
      throw system_error("cannot write " + p.string());
    }
    return p.string();
  }

private:
  fs::path path_;
};

int sync(const cli::Invocation &inv, std::atomic<bool> &cancelled, bool progress, bool ansi) {
  auto warn = [](const std::string &m) { say("WARN " + m); };
  // The config is read first so its secrets are registered before anything is printed.
  relational::set_process_output(load_config_file(inv.flags.at("config")));

  std::vector<SelectedStream> streams;
  std::string catalog_path;
  if (auto it = inv.flags.find("catalog"); it != inv.flags.end()) {
    catalog_path = it->second;
  } else if (auto p = inv.flags.find("properties"); p != inv.flags.end()) {
    catalog_path = p->second;
  }
  if (catalog_path.empty()) {
    warn("no --catalog: every stream is synced (incrementally where it can be)");
    streams = all_streams();
  } else {
    streams = selected_streams(
        parse_json_or_yaml(read_file_or_throw(catalog_path, "catalog file"), "catalog file"), warn);
  }

  json::object bookmarks;
  json::value engine_state = json::array{};
  if (auto it = inv.flags.find("state"); it != inv.flags.end()) {
    std::string text = read_file_or_throw(it->second, "state file");
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
      json::value state = parse_json_or_yaml(text, "state file");
      if (is_airbyte_state(state)) {
        engine_state = state; // an Airbyte state seeds the Singer sync as it is
        if (state.is_array()) {
          for (const auto &m : state.as_array()) {
            const auto *s = m.is_object() ? m.as_object().if_contains("stream") : nullptr;
            if (s != nullptr && s->is_object() && s->as_object().contains("stream_state") &&
                s->as_object().at("stream_state").is_object()) {
              const auto &d = s->as_object().at("stream_descriptor").as_object();
              bookmarks[d.at("name").as_string()] = s->as_object().at("stream_state");
            }
          }
        }
      } else {
        bookmarks = singer_bookmarks(state);
        engine_state = airbyte_state(bookmarks);
      }
    }
  }
  if (streams.empty()) {
    warn("the catalog selects no stream: nothing to sync (select streams with "
         "\"selected\": true in the breadcrumb [] metadata)");
    return 0;
  }

  TempDir tmp;
  cli::Invocation read;
  read.command = "read";
  read.flags["config"] = inv.flags.at("config");
  read.flags["catalog"] = tmp.write("catalog.json", airbyte_configured_catalog(streams));
  read.flags["state"] = tmp.write("state.json", engine_state);

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
  int rc = 1;
  try {
    rc = commands::run_read(read, *out, cancelled);
  } catch (const Error &e) {
    out->error(e.type(), redact(e.what()), redact(e.internal()), "");
  } catch (const std::exception &e) {
    out->error(FailureType::kSystem, redact(std::string("unexpected error: ") + e.what()), "", "");
  }
  if (display) {
    display->finish();
  }
  std::fflush(stdout);
  return rc;
}

} // namespace

int run_singer(const cli::Invocation &inv, std::atomic<bool> &cancelled, bool progress, bool ansi) {
  if (inv.flags.count("about")) {
    print_document(about());
    return 0;
  }
  if (inv.flags.count("discover")) {
    // A broken config is still reported; its output switch decides the catalog.
    relational::set_process_output(load_config_file(inv.flags.at("config")));
    print_document(build_singer_catalog());
    return 0;
  }
  return sync(inv, cancelled, progress, ansi);
}

} // namespace wc::singer
