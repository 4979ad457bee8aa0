#pragma once
// A sink for the relational tests: the records as written (stream, line) and the WARN texts.
#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "protocol/message_writer.hpp"

struct Recorder : wc::protocol::MessageSink {
  std::vector<std::pair<std::string, std::string>> records;
  std::vector<std::string> warnings;
  void record(std::string_view s, std::string_view d) override {
    records.emplace_back(std::string(s), std::string(d));
  }
  void stream_state(std::string_view, const boost::json::value &) override {}
  void log(wc::protocol::LogLevel l, std::string_view m) override {
    if (l == wc::protocol::LogLevel::kWarn) {
      warnings.emplace_back(m);
    }
  }
  void stream_status(std::string_view, wc::protocol::StreamStatus, std::int64_t) override {}
  void estimate(std::string_view, std::int64_t) override {}
  void error(wc::FailureType, std::string_view, std::string_view, std::string_view) override {}
  void message(const boost::json::object &) override {}
};
