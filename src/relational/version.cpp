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

namespace {

std::string version_at(const std::optional<UnixSeconds> &modified, std::string_view sync) {
  char text[20];
  std::string out;
  out.reserve(21 + sync.size());
  if (!modified) {
    out = "0000-00-00T00:00:00Z";
  } else if (format_rfc3339_to(*modified, text)) {
    out.assign(text, sizeof text);
  } else {
    out = format_rfc3339(*modified);
  }
  out += '/';
  out += sync;
  return out;
}

} // namespace

std::string record_version(const VersionRule &rule, const boost::json::object &raw,
                           std::string_view sync) {
  if (rule.field.empty()) {
    return std::string(sync);
  }
  const auto *v = raw.if_contains(rule.field);
  return version_at(v != nullptr && v->is_string() ? parse_utc(v->get_string()) : std::nullopt,
                    sync);
}

std::string record_version(const VersionRule &rule, const TapeValue &raw, std::string_view sync) {
  if (rule.field.empty()) {
    return std::string(sync);
  }
  const TapeValue v = raw.find(rule.field);
  std::string scratch;
  return version_at(v && v.is_string() ? parse_utc(v.string(scratch)) : std::nullopt, sync);
}

} // namespace wc::relational
