#pragma once
// The demo store's own date handling, as WordPress and WooCommerce do it, sharing no code with the
// connector (src/core/time_util.*): the store is the oracle of the end-to-end tests, so a bug in
// the connector's date code must not be repeated here. Dates are parsed with WordPress's
// rest_parse_date() rule and converted with the C library's timegm()/gmtime_r(), not with the
// connector's calendar arithmetic.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wc::demo {

// Seconds since 1970-01-01T00:00:00Z.
using UnixSeconds = std::int64_t;

// WordPress's REST date rule (rest_parse_date): YYYY-MM-DD, then T, t or a space, HH:MM:SS, an
// optional fraction, and an optional Z, z, +HH or +HH:MM. Nothing else (no date alone, no
// HH:MM, no +HHMM). The wall time is read as UTC and the offset, when given, applied.
std::optional<UnixSeconds> parse_utc(std::string_view text);
// True when `text` (already accepted by parse_utc) ends in an explicit offset or Z.
bool has_offset(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS", the form WooCommerce gives its *_gmt fields.
std::string format_naive_utc(UnixSeconds t);
// The UTC calendar of t.
struct CivilTime {
  int year, month, day, hour, minute, second, weekday; // weekday: 0 = Sunday
};
CivilTime civil_utc(UnixSeconds t);
// The instant of a UTC calendar time; out-of-range fields roll over as timegm() does.
UnixSeconds utc_instant(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

} // namespace wc::demo
