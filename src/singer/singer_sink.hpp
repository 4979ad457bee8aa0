#pragma once
// The engine's MessageSink speaking Singer: SCHEMA before a stream's first RECORD, RECORD with
// time_extracted, STATE {"value": {"bookmarks": ...}} (every stream's latest blob) whenever a
// stream checkpoints. `_ab_cdc_deleted_at` becomes `_sdc_deleted_at`. Logs, errors and stream
// statuses become text lines for people on the text channel (stderr); nothing but Singer
// messages reaches `out`. Secrets are redacted on both channels.
#include <boost/json/object.hpp>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "protocol/message_writer.hpp"
#include "singer/singer_catalog.hpp"

namespace wc::singer {

class SingerSink : public protocol::MessageSink {
public:
  using TextWriter = std::function<void(std::string_view line)>;
  // `bookmarks`: the incoming state's, carried into every STATE so no stream's bookmark is lost.
  SingerSink(std::FILE *out, const std::vector<SelectedStream> &streams,
             boost::json::object bookmarks, std::function<std::int64_t()> clock = {});
  // Where text lines for people go (default: stderr). The progress display takes them over.
  void set_text_writer(TextWriter writer);

  void record(std::string_view stream, std::string_view data_json) override;
  void stream_state(std::string_view stream, const boost::json::value &state) override;
  void log(protocol::LogLevel level, std::string_view message) override;
  void stream_status(std::string_view stream, protocol::StreamStatus status,
                     std::int64_t rate_limited_until_ms = 0) override;
  void estimate(std::string_view stream, std::int64_t rows) override;
  void error(FailureType type, std::string_view message, std::string_view internal,
             std::string_view stream) override;
  void message(const boost::json::object &msg) override;

  std::int64_t records_emitted(std::string_view stream) const;

private:
  struct Stream {
    SelectedStream spec;
    bool schema_sent = false;
    std::int64_t records = 0;
  };
  void write_line(std::string &line, bool flush); // mu_ held
  void text(std::string_view line);
  Stream &stream(std::string_view name); // mu_ held

  std::FILE *out_;
  std::map<std::string, SelectedStream, std::less<>> specs_;
  boost::json::object bookmarks_;
  std::function<std::int64_t()> clock_;
  TextWriter text_;
  mutable std::mutex mu_;
  std::mutex text_mu_;
  std::map<std::string, Stream, std::less<>> streams_;
  std::string last_state_;
  std::int64_t records_since_state_ = 0;
  std::string buffer_;
};

// RFC 3339 UTC with milliseconds: "2024-05-01T12:00:00.123Z".
std::string rfc3339_millis(std::int64_t ms);

} // namespace wc::singer
