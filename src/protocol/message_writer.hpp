#pragma once
// The only code that writes to stdout. One JSON AirbyteMessage per line, under a mutex,
// secrets redacted, record counts stamped on STATE (sourceStats.recordCount), identical
// consecutive STATEs per stream dropped, flushed after STATE and TRACE.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace wc::protocol {

enum class LogLevel { kFatal, kError, kWarn, kInfo, kDebug, kTrace };
enum class StreamStatus { kStarted, kRunning, kComplete, kIncomplete };

class MessageSink {
public:
  virtual ~MessageSink() = default;
  // `data` is the record's JSON object text, already serialized (one serialization per record).
  virtual void record(std::string_view stream, std::string_view data_json) = 0;
  // One record read once for several streams fed by the same read (source/derived_streams.hpp):
  // by default the record as is for each stream; an output stage that converts records (the
  // relational output) overrides it to parse the record once for all of them.
  virtual void record_for(const std::vector<std::string> &streams, std::string_view data_json) {
    for (const auto &s : streams) {
      record(s, data_json);
    }
  }
  virtual void stream_state(std::string_view stream, const boost::json::value &state) = 0;
  virtual void log(LogLevel level, std::string_view message) = 0;
  virtual void stream_status(std::string_view stream, StreamStatus status,
                             std::int64_t rate_limited_until_ms = 0) = 0;
  virtual void estimate(std::string_view stream, std::int64_t rows) = 0;
  virtual void error(FailureType type, std::string_view message, std::string_view internal,
                     std::string_view stream) = 0;
  // Any other message (SPEC, CATALOG, CONNECTION_STATUS): written as given.
  virtual void message(const boost::json::object &msg) = 0;
};

class MessageWriter : public MessageSink {
public:
  explicit MessageWriter(std::FILE *out = stdout);
  void record(std::string_view stream, std::string_view data_json) override;
  void stream_state(std::string_view stream, const boost::json::value &state) override;
  void log(LogLevel level, std::string_view message) override;
  void stream_status(std::string_view stream, StreamStatus status,
                     std::int64_t rate_limited_until_ms = 0) override;
  void estimate(std::string_view stream, std::int64_t rows) override;
  void error(FailureType type, std::string_view message, std::string_view internal,
             std::string_view stream) override;
  void message(const boost::json::object &msg) override;

  std::int64_t records_emitted(std::string_view stream) const;
  void flush();

private:
  void write_line(std::string &line, bool flush);
  std::FILE *out_;
  mutable std::mutex mu_;
  struct StreamCounts {
    std::int64_t since_state = 0; // records since the stream's last STATE
    std::int64_t total = 0;
    std::string last_state; // serialized, to drop identical checkpoints
  };
  StreamCounts &counts(std::string_view stream); // mu_ held
  std::map<std::string, StreamCounts, std::less<>> streams_;
  std::string buffer_;
};

} // namespace wc::protocol
