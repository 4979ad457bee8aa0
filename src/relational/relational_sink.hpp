#pragma once
// The relational output stage: a MessageSink decorator that converts each record of a relational
// stream before passing it on; everything else passes through untouched. Created only with
// output: relational, so the raw path costs nothing. Records reach it after the engine's
// transforms (payment gateway secrets are masked before it sees them).
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "protocol/message_writer.hpp"
#include "relational/relational_schema.hpp"

namespace wc::relational {

class RelationalSink : public protocol::MessageSink {
public:
  // `sync_id`: this read's id (version.hpp), in every _version and _parent_version it writes.
  RelationalSink(protocol::MessageSink &out, std::map<std::string, StreamPlan, std::less<>> plans,
                 Options options, std::string sync_id);
  void record(std::string_view stream, std::string_view data_json) override;
  // The record parsed once, then converted (or expanded into rows) for each stream.
  void record_for(const std::vector<std::string> &streams, std::string_view data_json) override;
  void stream_state(std::string_view stream, const boost::json::value &state) override {
    out_.stream_state(stream, state);
  }
  void log(protocol::LogLevel level, std::string_view message) override {
    out_.log(level, message);
  }
  void stream_status(std::string_view stream, protocol::StreamStatus status,
                     std::int64_t rate_limited_until_ms = 0) override {
    out_.stream_status(stream, status, rate_limited_until_ms);
  }
  void estimate(std::string_view stream, std::int64_t rows) override {
    out_.estimate(stream, rows);
  }
  void error(FailureType type, std::string_view message, std::string_view internal,
             std::string_view stream) override {
    out_.error(type, message, internal, stream);
  }
  void message(const boost::json::object &msg) override { out_.message(msg); }

private:
  // Writes `raw`'s relational record(s) of `stream`; `version` is computed at most once per
  // record (empty until then).
  void convert(std::string_view stream, const StreamPlan &plan, const boost::json::object &raw,
               std::string &version);
  // Logs "<stream>.<column>: <message>" as a WARN, once per (stream, column) per sync.
  void warn_once(const std::string &stream, const std::string &column, const std::string &message);
  protocol::MessageSink &out_;
  const std::map<std::string, StreamPlan, std::less<>> plans_;
  const Options options_;
  const std::string sync_id_;
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> warned_; // (stream, column), once per sync
};

} // namespace wc::relational
