#pragma once
// The only code that writes to stdout. One JSON AirbyteMessage per line, under a mutex,
// secrets redacted, record counts stamped on STATE (sourceStats.recordCount), identical
// consecutive STATEs per stream dropped, flushed after STATE and TRACE. RECORD lines are checked
// for secrets as they come (one by one, or the lines handed together to records() at once), then
// gathered and handed to the FILE in blocks (before any other message, on flush() and at the
// end): one fwrite per line cost as much as the check.
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace wc::protocol {

enum class LogLevel { kFatal, kError, kWarn, kInfo, kDebug, kTrace };

// A record handed to MessageSink::records: its stream and its JSON object text.
struct RecordLine {
  std::string_view stream;
  std::string_view data_json;
};
enum class StreamStatus { kStarted, kRunning, kComplete, kIncomplete };

class MessageSink {
public:
  virtual ~MessageSink() = default;
  // `data` is the record's JSON object text, already serialized (one serialization per record).
  virtual void record(std::string_view stream, std::string_view data_json) = 0;
  // Several records, in this order (a record and the rows made of it): by default one record()
  // each. The writer takes them under one lock, with one clock reading and one secret check.
  virtual void records(std::span<const RecordLine> lines) {
    for (const RecordLine &line : lines) {
      record(line.stream, line.data_json);
    }
  }
  // One record read once for several streams fed by the same read (source/derived_streams.hpp):
  // by default the record as is for each stream; an output stage that converts records (the
  // relational output) overrides it to parse the record once for all of them.
  virtual void record_for(const std::vector<std::string> &streams, std::string_view data_json) {
    for (const auto &s : streams) {
      record(s, data_json);
    }
  }
  // The same, knowing the stream the record was read from: a stream fed by several sources
  // (issue #14's unified_customers, from orders and from customers) makes different records of
  // each. By default record_for; the unified output overrides it.
  virtual void record_from(std::string_view source, const std::vector<std::string> &streams,
                           std::string_view data_json) {
    (void)source;
    record_for(streams, data_json);
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
  ~MessageWriter() override; // writes the records still gathered
  void record(std::string_view stream, std::string_view data_json) override;
  void records(std::span<const RecordLine> lines) override;
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
  void write_line(std::string &line, bool flush); // mu_ held
  void write_records();                           // mu_ held
  std::FILE *out_;
  mutable std::mutex mu_;
  struct StreamCounts {
    std::int64_t since_state = 0; // records since the stream's last STATE
    std::int64_t total = 0;
    std::string last_state; // serialized, to drop identical checkpoints
    // A RECORD line's start up to emitted_at's value: {"type":"RECORD",..."emitted_at":
    std::string record_head;
  };
  using Streams = std::map<std::string, StreamCounts, std::less<>>;
  StreamCounts &counts(std::string_view stream); // mu_ held
  // The emitted_at text of now, kept while the clock stays in the same millisecond.
  std::string_view emitted_at(); // mu_ held
  // Appends one RECORD line, without its newline, unchecked for secrets and not counted.
  void append_record(StreamCounts &c, std::string_view stream, std::string_view data_json,
                     std::string_view emitted); // mu_ held
  Streams streams_;
  // The streams last written, by a hash of the name, in front of the map: a sink writes runs of
  // a few streams (a record, then its nested rows), and a map lookup per line cost more than the
  // rest of the line's framing. An entry is used only if its name equals the one asked for.
  static constexpr std::size_t kRecentStreams = 32;
  std::array<Streams::value_type *, kRecentStreams> recent_{};
  // emitted_at of the last RECORD, as text, kept while the clock stays in the same millisecond.
  std::int64_t emitted_ms_ = -1;
  std::array<char, 24> emitted_text_{};
  std::size_t emitted_len_ = 0;
  // RECORD lines (checked for secrets, newline-terminated) not yet handed to the FILE.
  static constexpr std::size_t kRecordBlock = 32 * 1024;
  std::string records_;
};

} // namespace wc::protocol
