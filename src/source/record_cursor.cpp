#include "source/record_cursor.hpp"

namespace wc::source {

std::optional<UnixSeconds> record_time(const boost::json::object &record, std::string_view field) {
  const auto *v = record.if_contains(field);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return parse_utc(v->as_string());
}

std::optional<std::int64_t> record_id(const boost::json::object &record) {
  const auto *v = record.if_contains("id");
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64()) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

} // namespace wc::source
