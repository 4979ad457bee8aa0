#include "relational/version.hpp"

#include "core/time_util.hpp"

namespace wc::relational {

std::string sync_id(std::int64_t start_millis) {
  std::string s = format_rfc3339(start_millis / 1000); // "...SSZ"
  s.pop_back();
  const auto ms = static_cast<int>(start_millis % 1000);
  s += '.';
  s += static_cast<char>('0' + ms / 100);
  s += static_cast<char>('0' + ms / 10 % 10);
  s += static_cast<char>('0' + ms % 10);
  s += 'Z';
  return s;
}

std::string record_version(const VersionRule &rule, const boost::json::object &raw,
                           std::string_view sync) {
  if (rule.field.empty()) {
    return std::string(sync);
  }
  std::string out;
  out.reserve(21 + sync.size());
  const auto *v = raw.if_contains(rule.field);
  const auto t = v != nullptr && v->is_string() ? parse_utc(v->get_string()) : std::nullopt;
  out = t ? format_rfc3339(*t) : std::string("0000-00-00T00:00:00Z");
  out += '/';
  out += sync;
  return out;
}

} // namespace wc::relational
