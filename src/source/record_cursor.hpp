#pragma once
// Reading a record's UTC cursor value ("2026-11-29T01:10:39", naive UTC) as whole seconds.
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/time_util.hpp"

namespace wc::source {

std::optional<UnixSeconds> record_time(const boost::json::object &record, std::string_view field);
std::optional<std::int64_t> record_id(const boost::json::object &record);

} // namespace wc::source
