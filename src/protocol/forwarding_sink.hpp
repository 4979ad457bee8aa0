#pragma once
// A stage in front of another MessageSink that passes every message but records on unchanged:
// the output stages (relational, unified) and read's state tap derive from it and override what
// they change. Records are not forwarded here on purpose: a stage that converts records must say
// what it does with record, record_for and record_from (MessageSink's defaults route the last
// two through its own record).
#include "protocol/message_writer.hpp"

namespace wc::protocol {

class ForwardingSink : public MessageSink {
public:
  explicit ForwardingSink(MessageSink &out) : out_(out) {}
  void stream_state(std::string_view stream, const boost::json::value &state) override {
    out_.stream_state(stream, state);
  }
  void log(LogLevel level, std::string_view message) override { out_.log(level, message); }
  void stream_status(std::string_view stream, StreamStatus status,
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

protected:
  MessageSink &out_;
};

} // namespace wc::protocol
