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
#include "protocol/forwarding_sink.hpp"
#include "unified/unified_streams.hpp"

namespace wc::unified {

class UnifiedSink : public protocol::ForwardingSink {
public:
  UnifiedSink(protocol::MessageSink &out, Context ctx, std::set<std::string, std::less<>> selected);
  void record(std::string_view stream, std::string_view data_json) override;
  void record_for(const std::vector<std::string> &streams, std::string_view data_json) override;
  void record_from(std::string_view source, const std::vector<std::string> &streams,
                   std::string_view data_json) override;

private:
  void warn_once(const std::string &field, const std::string &why);
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
