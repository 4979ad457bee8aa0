#pragma once
// UTC time helpers. WooCommerce sends `*_gmt` values as naive "YYYY-MM-DDTHH:MM:SS" in UTC;
// we keep cursors as whole seconds since the Unix epoch and print them back in that form.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wc {

using UnixSeconds = std::int64_t;

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS", with optional fraction and "Z" or "+hh:mm" offset
// (a space may stand for the T). Naive values are taken as UTC. nullopt when malformed.
std::optional<UnixSeconds> parse_utc(std::string_view text);
// Parses an IMF-fixdate HTTP date ("Sun, 29 Nov 2026 01:10:39 GMT").
std::optional<UnixSeconds> parse_http_date(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS" (naive, UTC): the form WooCommerce filters expect with dates_are_gmt.
std::string format_naive_utc(UnixSeconds t);
// "YYYY-MM-DDTHH:MM:SSZ".
std::string format_rfc3339(UnixSeconds t);
// The same into `out`, without allocating, for years 0 to 9999 (every real date); false (and
// `out` untouched) for others, which format_rfc3339 writes.
bool format_rfc3339_to(UnixSeconds t, char (&out)[20]);
// True when `text` is "YYYY-MM-DDTHH:MM:SS" naming a valid time with seconds below 60: exactly
// the naive texts for which format_rfc3339(*parse_utc(text)) is `text` followed by "Z", so that
// a writer can append the "Z" instead of making the round trip.
bool is_canonical_naive_utc(std::string_view text);
// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
void civil_from_days(std::int64_t days, std::int64_t &year, unsigned &month, unsigned &day);
// Wall clock, milliseconds since the epoch.
std::int64_t now_millis();

} // namespace wc
