#include "relational/relational_sink.hpp"

#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "relational/record_converter.hpp"
#include "relational/rows_from.hpp"

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
  const StreamPlan &plan = it->second;
  auto warn = [&](const std::string &column, const std::string &why) {
    warn_once(name, column,
              why + " was written as null (relational output; said once per field per sync)");
  };
  if (!plan.rows_from) {
    out_.record(stream, convert_record(plan, options_, raw.get_object(), warn));
    return;
  }
  // One record, any number of rows (rows_from.hpp): the items of a list inside it.
  const auto rows =
      expand_rows(*plan.rows_from, raw.get_object(), [&](const std::string &list_path) {
        warn_once(name, list_path,
                  "a value that is not a list of objects gave no rows (relational output; said "
                  "once per list per sync)");
      });
  for (const auto &row : rows) {
    out_.record(stream, convert_record(plan, options_, row, warn));
  }
}

void RelationalSink::warn_once(const std::string &stream, const std::string &column,
                               const std::string &message) {
  {
    std::lock_guard lock(mu_);
    if (!warned_.emplace(stream, column).second) {
      return;
    }
  }
  out_.log(protocol::LogLevel::kWarn, stream + "." + column + ": " + message);
}

} // namespace wc::relational
