#include "singer/singer_sink.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "core/redact.hpp"
#include "core/time_util.hpp"
#include "protocol/line_output.hpp"

namespace wc::singer {
namespace json = boost::json;
namespace {

std::string_view level_name(protocol::LogLevel level) {
  switch (level) {
  case protocol::LogLevel::kFatal:
    return "FATAL";
  case protocol::LogLevel::kError:
    return "ERROR";
  case protocol::LogLevel::kWarn:
    return "WARN";
  case protocol::LogLevel::kInfo:
    return "INFO";
  case protocol::LogLevel::kDebug:
    return "DEBUG";
  case protocol::LogLevel::kTrace:
    return "TRACE";
  }
  return "INFO";
}

json::array string_array(const std::vector<std::string> &items) {
  json::array a;
  for (const auto &s : items) {
    a.emplace_back(s);
  }
  return a;
}

} // namespace

std::string rfc3339_millis(std::int64_t ms) {
  std::string s = format_rfc3339(ms / 1000); // ...SSZ
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
  s.insert(s.size() - 1, frac);
  return s;
}

SingerSink::SingerSink(std::FILE *out, const std::vector<SelectedStream> &streams,
                       json::object bookmarks, std::function<std::int64_t()> clock)
    : out_(out), bookmarks_(std::move(bookmarks)), clock_(std::move(clock)) {
  for (const auto &s : streams) {
    specs_.emplace(s.name, s);
  }
  if (!clock_) {
    clock_ = [] { return now_millis(); };
  }
  text_ = [](std::string_view line) {
    std::string l(line);
    l += '\n';
    std::fwrite(l.data(), 1, l.size(), stderr);
    std::fflush(stderr);
  };
}

void SingerSink::set_text_writer(TextWriter writer) {
  std::lock_guard lock(text_mu_);
  text_ = std::move(writer);
}

void SingerSink::text(std::string_view line) {
  std::string l = redact(line);
  std::lock_guard lock(text_mu_);
  text_(l);
}

SingerSink::Stream &SingerSink::stream(std::string_view name) {
  auto it = streams_.find(name);
  if (it != streams_.end()) {
    return it->second;
  }
  Stream st;
  if (auto spec = specs_.find(name); spec != specs_.end()) {
    st.spec = spec->second;
  } else {
    // Not in the catalog we were given (should not happen: the engine reads only the streams of
    // that catalog): described by its name alone.
    st.spec.name = std::string(name);
  }
  return streams_.emplace(std::string(name), std::move(st)).first->second;
}

void SingerSink::write_line(std::string &line, bool flush) {
  protocol::write_redacted_line(out_, line, flush);
}

void SingerSink::record(std::string_view name, std::string_view data_json) {
  std::lock_guard lock(mu_);
  Stream &st = stream(name);
  if (!st.schema_sent) {
    json::object schema{{"type", "SCHEMA"},
                        {"stream", name},
                        {"schema", st.spec.schema},
                        {"key_properties", string_array(st.spec.key_properties)}};
    if (!st.spec.replication_key.empty()) {
      schema["bookmark_properties"] = json::array{json::string(st.spec.replication_key)};
    }
    std::string line = json::serialize(schema);
    write_line(line, false);
    st.schema_sent = true;
  }
  std::string rewritten;
  const bool rename = data_json.find(kAirbyteDeletedAt) != std::string_view::npos;
  if (rename || !st.spec.excluded_fields.empty()) {
    boost::system::error_code ec;
    json::value v = json::parse(data_json, ec);
    if (!ec && v.is_object()) {
      auto &obj = v.as_object();
      if (auto it = obj.find(kAirbyteDeletedAt); it != obj.end()) {
        json::value deleted = it->value();
        obj.erase(it);
        obj[kSingerDeletedAt] = std::move(deleted);
      }
      for (const auto &f : st.spec.excluded_fields) {
        obj.erase(f);
      }
      rewritten = json::serialize(obj);
      data_json = rewritten;
    }
  }
  buffer_.clear();
  buffer_ += R"({"type":"RECORD","stream":)";
  buffer_ += json::serialize(json::string_view(name.data(), name.size()));
  buffer_ += R"(,"record":)";
  buffer_ += data_json;
  buffer_ += R"(,"time_extracted":")";
  buffer_ += rfc3339_millis(clock_());
  buffer_ += "\"}";
  write_line(buffer_, false);
  ++st.records;
  ++records_since_state_;
}

void SingerSink::stream_state(std::string_view name, const json::value &state) {
  std::lock_guard lock(mu_);
  bookmarks_[name] = state;
  json::object msg{{"type", "STATE"}, {"value", json::object{{"bookmarks", bookmarks_}}}};
  std::string line = json::serialize(msg);
  if (line == last_state_ && records_since_state_ == 0) {
    return; // the same checkpoint again
  }
  last_state_ = line;
  records_since_state_ = 0;
  write_line(line, true);
}

void SingerSink::log(protocol::LogLevel level, std::string_view message) {
  text(std::string(level_name(level)) + " " + std::string(message));
}

void SingerSink::stream_status(std::string_view name, protocol::StreamStatus status,
                               std::int64_t /*rate_limited_until_ms*/) {
  std::int64_t records = 0;
  {
    std::lock_guard lock(mu_);
    records = stream(name).records;
  }
  switch (status) {
  case protocol::StreamStatus::kStarted:
    text("INFO " + std::string(name) + ": sync started");
    break;
  case protocol::StreamStatus::kRunning:
    break; // waits are logged by the engine itself
  case protocol::StreamStatus::kComplete:
    text("INFO " + std::string(name) + ": sync completed, " + std::to_string(records) +
         " record(s)");
    break;
  case protocol::StreamStatus::kIncomplete:
    text("ERROR " + std::string(name) + ": sync incomplete after " + std::to_string(records) +
         " record(s)");
    break;
  }
}

void SingerSink::estimate(std::string_view, std::int64_t) {}

void SingerSink::error(FailureType type, std::string_view message, std::string_view internal,
                       std::string_view name) {
  std::string line = "ERROR [" + std::string(to_string(type)) + "] ";
  if (!name.empty()) {
    line += std::string(name) + ": ";
  }
  line += message;
  if (!internal.empty()) {
    line += " (" + std::string(internal) + ")";
  }
  text(line);
  std::lock_guard lock(mu_);
  std::fflush(out_);
}

void SingerSink::message(const json::object &msg) {
  // Airbyte-only messages (SPEC, CATALOG, CONNECTION_STATUS) have no Singer form: for people.
  text("INFO " + json::serialize(msg));
}

std::int64_t SingerSink::records_emitted(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(name);
  return it == streams_.end() ? 0 : it->second.records;
}

} // namespace wc::singer
