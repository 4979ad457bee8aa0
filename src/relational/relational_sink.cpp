#include "relational/relational_sink.hpp"

#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "relational/record_converter.hpp"

namespace wc::relational {
namespace json = boost::json;

RelationalSink::RelationalSink(protocol::MessageSink &out,
                               std::map<std::string, StreamPlan, std::less<>> plans,
                               Options options)
    : out_(out), plans_(std::move(plans)), options_(options) {}

void RelationalSink::record(std::string_view stream, std::string_view data_json) {
  auto it = plans_.find(stream);
  if (it == plans_.end()) {
    out_.record(stream, data_json);
    return;
  }
  boost::system::error_code ec;
  json::value raw = json::parse(data_json, ec);
  if (ec || !raw.is_object()) {
    // The engine only emits JSON objects; anything else is a bug, not data.
    throw system_error(std::string(stream) + ": a record that is not a JSON object reached the "
                                             "relational output");
  }
  const std::string name(stream);
  const std::string line = convert_record(
      it->second, options_, raw.get_object(),
      [&](const std::string &column, const std::string &why) { warn_once(name, column, why); });
  out_.record(stream, line);
}

void RelationalSink::warn_once(const std::string &stream, const std::string &column,
                               const std::string &why) {
  {
    std::lock_guard lock(mu_);
    if (!warned_.emplace(stream, column).second) {
      return;
    }
  }
  out_.log(protocol::LogLevel::kWarn,
           stream + "." + column + ": " + why +
               " was written as null (relational output; said once per field per sync)");
}

} // namespace wc::relational
