#include "unified/unified_sink.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"

namespace wc::unified {
namespace json = boost::json;

UnifiedSink::UnifiedSink(protocol::MessageSink &out, Context ctx,
                         std::set<std::string, std::less<>> selected)
    : ForwardingSink(out), selected_(selected) {
  ctx.warn = [this](const std::string &field, const std::string &why) { warn_once(field, why); };
  deriver_ = std::make_unique<Deriver>(std::move(ctx), std::move(selected));
}

void UnifiedSink::record(std::string_view stream, std::string_view data_json) {
  out_.record(stream, data_json);
}

void UnifiedSink::record_for(const std::vector<std::string> &streams, std::string_view data_json) {
  out_.record_for(streams, data_json);
}

void UnifiedSink::record_from(std::string_view source, const std::vector<std::string> &streams,
                              std::string_view data_json) {
  std::vector<std::string> others;
  std::set<std::string, std::less<>> unified;
  for (const auto &s : streams) {
    if (selected_.count(s) != 0) {
      unified.insert(s);
    } else {
      others.push_back(s);
    }
  }
  if (!others.empty()) {
    out_.record_from(source, others, data_json);
  }
  if (unified.empty()) {
    return;
  }
  // The record's tree lives in one buffer, freed at once (no allocation per node).
  unsigned char buffer[16384];
  json::monotonic_resource resource(buffer, sizeof buffer);
  boost::system::error_code ec;
  json::value raw = json::parse(data_json, ec, &resource);
  if (ec || !raw.is_object()) {
    // The engine only emits JSON objects; anything else is a bug, not data.
    throw system_error(std::string(source) +
                       ": a record that is not a JSON object reached the unified output");
  }
  deriver_->derive(source, raw.get_object(),
                   [&](const std::string &stream, const json::object &record) {
                     if (unified.count(stream) != 0) {
                       out_.record(stream, json::serialize(record));
                     }
                   });
}

void UnifiedSink::warn_once(const std::string &field, const std::string &why) {
  {
    std::lock_guard lock(mu_);
    if (!warned_.insert(field).second) {
      return;
    }
  }
  out_.log(protocol::LogLevel::kWarn,
           field + ": " + why + " (unified output; said once per field per sync)");
}

std::unique_ptr<protocol::MessageSink> output_sink(const ConnectorConfig &cfg,
                                                   const std::vector<std::string> &selected,
                                                   protocol::MessageSink &out) {
  if (!cfg.unified) {
    return nullptr; // a read without the switch does not load the unified stream table
  }
  std::set<std::string, std::less<>> unified;
  for (const auto &s : selected) {
    if (find_unified_stream(s) != nullptr) {
      unified.insert(s);
    }
  }
  if (unified.empty()) {
    return nullptr;
  }
  Context ctx = context_from(cfg);
  out.log(protocol::LogLevel::kInfo, "unified streams: " + std::to_string(unified.size()) +
                                         " selected (store_id " + ctx.store_id +
                                         "; see docs/unified.md)");
  return std::make_unique<UnifiedSink>(out, std::move(ctx), std::move(unified));
}

} // namespace wc::unified
