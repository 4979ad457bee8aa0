#pragma once
// The unified output stage: a MessageSink decorator that turns the records a source stream's read
// writes for unified streams (source/derived_streams.hpp routes them here with record_from) into
// unified records (Deriver); every other record, state, status and log passes through to the next
// stage (the relational output or the writer). Created only when the configured catalog selects
// a unified stream.
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "config/connector_config.hpp"
#include "protocol/message_writer.hpp"
#include "unified/unified_streams.hpp"

namespace wc::unified {

class UnifiedSink : public protocol::MessageSink {
public:
  UnifiedSink(protocol::MessageSink &out, Context ctx, std::set<std::string, std::less<>> selected);
  void record(std::string_view stream, std::string_view data_json) override;
  void record_for(const std::vector<std::string> &streams, std::string_view data_json) override;
  void record_from(std::string_view source, const std::vector<std::string> &streams,
                   std::string_view data_json) override;
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
  void warn_once(const std::string &field, const std::string &why);
  protocol::MessageSink &out_;
  std::set<std::string, std::less<>> selected_;
  std::unique_ptr<Deriver> deriver_;
  std::mutex mu_;
  std::set<std::string> warned_;
};

// The sink read writes through: nullptr when the catalog selects no unified stream, else a
// UnifiedSink around `out` (it says so in an INFO line).
std::unique_ptr<protocol::MessageSink> output_sink(const ConnectorConfig &cfg,
                                                   const std::vector<std::string> &selected,
                                                   protocol::MessageSink &out);

} // namespace wc::unified
