#include "protocol/message_writer.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstring>

#include "core/redact.hpp"
#include "core/time_util.hpp"
#include "protocol/line_output.hpp"

namespace wc::protocol {
namespace json = boost::json;
namespace {

std::string_view level_name(LogLevel level) {
  switch (level) {
  case LogLevel::kFatal:
    return "FATAL";
  case LogLevel::kError:
    return "ERROR";
  case LogLevel::kWarn:
    return "WARN";
  case LogLevel::kInfo:
    return "INFO";
  case LogLevel::kDebug:
    return "DEBUG";
  case LogLevel::kTrace:
    return "TRACE";
  }
  return "INFO";
}

std::string_view status_name(StreamStatus status) {
  switch (status) {
  case StreamStatus::kStarted:
    return "STARTED";
  case StreamStatus::kRunning:
    return "RUNNING";
  case StreamStatus::kComplete:
    return "COMPLETE";
  case StreamStatus::kIncomplete:
    return "INCOMPLETE";
  }
  return "RUNNING";
}

std::uint64_t load8(const char *p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Where a stream's name goes in MessageWriter::recent_: a hash of its length, its last 8 bytes
// and 8 from its middle (names share prefixes and suffixes: "orders_line_items_meta_data",
// "orders_shipping_lines_meta_data").
std::size_t recent_slot(std::string_view stream, std::size_t slots) {
  std::uint64_t x = stream.size();
  if (stream.size() >= 8) {
    x ^= load8(stream.data() + stream.size() - 8) ^
         (load8(stream.data() + (stream.size() - 8) / 2) * 31);
  } else {
    for (char c : stream) {
      x = x * 131 + static_cast<unsigned char>(c);
    }
  }
  return static_cast<std::size_t>((x * 0x9E3779B97F4A7C15ull) >> 32) % slots;
}

json::object trace(std::string_view type) {
  return json::object{
      {"type", "TRACE"},
      {"trace", json::object{{"type", type}, {"emitted_at", static_cast<double>(now_millis())}}}};
}

} // namespace

MessageWriter::MessageWriter(std::FILE *out) : out_(out) {}

MessageWriter::~MessageWriter() {
  std::lock_guard lock(mu_);
  write_records();
}

void MessageWriter::write_records() {
  if (!records_.empty()) {
    std::fwrite(records_.data(), 1, records_.size(), out_);
    records_.clear();
  }
}

void MessageWriter::write_line(std::string &line, bool flush) {
  write_records(); // the records written before this message go out before it
  protocol::write_redacted_line(out_, line, flush);
}

std::string_view MessageWriter::emitted_at() {
  const std::int64_t ms = now_millis();
  if (ms != emitted_ms_) {
    emitted_ms_ = ms;
    emitted_len_ = static_cast<std::size_t>(
        std::to_chars(emitted_text_.data(), emitted_text_.data() + emitted_text_.size(), ms).ptr -
        emitted_text_.data());
  }
  return {emitted_text_.data(), emitted_len_};
}

void MessageWriter::append_record(StreamCounts &c, std::string_view stream,
                                  std::string_view data_json, std::string_view emitted) {
  if (c.record_head.empty()) {
    c.record_head = R"({"type":"RECORD","record":{"stream":)" +
                    json::serialize(json::string_view(stream.data(), stream.size())) +
                    R"(,"emitted_at":)";
  }
  records_ += c.record_head;
  records_ += emitted;
  records_ += R"(,"data":)";
  records_ += data_json;
  records_ += "}}";
}

void MessageWriter::record(std::string_view stream, std::string_view data_json) {
  std::lock_guard lock(mu_);
  const std::size_t start = records_.size();
  StreamCounts &c = counts(stream);
  append_record(c, stream, data_json, emitted_at());
  protocol::redact_line_in(records_, start);
  records_ += '\n';
  ++c.since_state;
  ++c.total;
  if (records_.size() >= kRecordBlock) {
    write_records();
  }
}

void MessageWriter::records(std::span<const RecordLine> lines) {
  std::lock_guard lock(mu_);
  const std::size_t start = records_.size();
  const std::string_view emitted = emitted_at();
  StreamCounts *c = nullptr;
  std::string_view stream;
  for (const RecordLine &line : lines) {
    if (c == nullptr || line.stream != stream) {
      stream = line.stream;
      c = &counts(stream);
    }
    append_record(*c, line.stream, line.data_json, emitted);
    records_ += '\n';
    ++c->since_state;
    ++c->total;
  }
  // One check for the lines together: a secret in any line is in their text. Only then are they
  // written again one by one, each redacted as record() redacts it (a match that spans two lines
  // redacts nothing, as line by line).
  if (contains_secret(std::string_view(records_).substr(start))) {
    records_.resize(start);
    for (const RecordLine &line : lines) {
      const std::size_t at = records_.size();
      append_record(counts(line.stream), line.stream, line.data_json, emitted); // counted above
      protocol::redact_line_in(records_, at);
      records_ += '\n';
    }
  }
  if (records_.size() >= kRecordBlock) {
    write_records();
  }
}

MessageWriter::StreamCounts &MessageWriter::counts(std::string_view stream) {
  Streams::value_type *&recent = recent_[recent_slot(stream, kRecentStreams)];
  if (recent != nullptr && recent->first == stream) {
    return recent->second;
  }
  auto it = streams_.find(stream);
  if (it == streams_.end()) {
    it = streams_.emplace(std::string(stream), StreamCounts{}).first;
  }
  recent = &*it; // map nodes stay put
  return it->second;
}

void MessageWriter::stream_state(std::string_view stream, const json::value &state) {
  std::lock_guard lock(mu_);
  std::string state_text = json::serialize(state);
  StreamCounts &c = counts(stream);
  if (!c.last_state.empty() && c.last_state == state_text && c.since_state == 0) {
    return; // identical to the previous checkpoint and nothing new emitted since
  }
  json::object msg{
      {"type", "STATE"},
      {"state",
       json::object{
           {"type", "STREAM"},
           {"stream", json::object{{"stream_descriptor", json::object{{"name", stream}}},
                                   {"stream_state", state}}},
           {"sourceStats", json::object{{"recordCount", static_cast<double>(c.since_state)}}}}}};
  std::string line = json::serialize(msg);
  write_line(line, true);
  c.last_state = std::move(state_text);
  c.since_state = 0;
}

void MessageWriter::log(LogLevel level, std::string_view message) {
  json::object msg{{"type", "LOG"},
                   {"log", json::object{{"level", level_name(level)}, {"message", message}}}};
  std::string line = json::serialize(msg);
  std::lock_guard lock(mu_);
  write_line(line, level <= LogLevel::kWarn);
}

void MessageWriter::stream_status(std::string_view stream, StreamStatus status,
                                  std::int64_t rate_limited_until_ms) {
  json::object msg = trace("STREAM_STATUS");
  json::object st{{"stream_descriptor", json::object{{"name", stream}}},
                  {"status", status_name(status)}};
  if (rate_limited_until_ms > 0) {
    st["reasons"] = json::array{
        json::object{{"type", "RATE_LIMITED"},
                     {"rate_limited",
                      json::object{{"quota_reset", static_cast<double>(rate_limited_until_ms)}}}}};
  }
  msg["trace"].as_object()["stream_status"] = std::move(st);
  std::string line = json::serialize(msg);
  std::lock_guard lock(mu_);
  write_line(line, true);
}

void MessageWriter::estimate(std::string_view stream, std::int64_t rows) {
  json::object msg = trace("ESTIMATE");
  msg["trace"].as_object()["estimate"] = json::object{
      {"name", stream}, {"type", "STREAM"}, {"row_estimate", static_cast<double>(rows)}};
  std::string line = json::serialize(msg);
  std::lock_guard lock(mu_);
  write_line(line, true);
}

void MessageWriter::error(FailureType type, std::string_view message, std::string_view internal,
                          std::string_view stream) {
  json::object msg = trace("ERROR");
  json::object err{{"message", message}, {"failure_type", to_string(type)}};
  if (!internal.empty()) {
    err["internal_message"] = internal;
  }
  if (!stream.empty()) {
    err["stream_descriptor"] = json::object{{"name", stream}};
  }
  msg["trace"].as_object()["error"] = std::move(err);
  std::string line = json::serialize(msg);
  std::lock_guard lock(mu_);
  write_line(line, true);
}

void MessageWriter::message(const json::object &msg) {
  std::string line = json::serialize(msg);
  std::lock_guard lock(mu_);
  write_line(line, true);
}

std::int64_t MessageWriter::records_emitted(std::string_view stream) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(stream);
  return it == streams_.end() ? 0 : it->second.total;
}

void MessageWriter::flush() {
  std::lock_guard lock(mu_);
  write_records();
  std::fflush(out_);
}

} // namespace wc::protocol
