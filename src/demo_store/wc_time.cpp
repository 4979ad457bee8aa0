#include "demo_store/wc_time.hpp"

#include <cstdio>
#include <ctime>

namespace wc::demo {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// n digits at text[pos..]: their value, or -1.
int number_at(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) {
    return -1;
  }
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(text[i])) {
      return -1;
    }
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

} // namespace

std::optional<UnixSeconds> parse_utc(std::string_view s) {
  // ^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}(:\d{2})?)?$
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  const int year = number_at(s, 0, 4), month = number_at(s, 5, 2), day = number_at(s, 8, 2);
  const int hour = number_at(s, 11, 2), minute = number_at(s, 14, 2), second = number_at(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < s.size() && is_digit(s[pos])) {
      ++pos;
    }
    if (pos == start) {
      return std::nullopt;
    }
  }
  long offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int oh = number_at(s, pos + 1, 2);
    if (oh < 0) {
      return std::nullopt;
    }
    int om = 0;
    std::size_t end = pos + 3;
    if (end < s.size() && s[end] == ':') {
      om = number_at(s, end + 1, 2);
      if (om < 0) {
        return std::nullopt;
      }
      end += 3;
    }
    offset = (oh * 3600L + om * 60L) * (s[pos] == '+' ? 1 : -1);
    pos = end;
  }
  if (pos != s.size()) {
    return std::nullopt;
  }
  // Like PHP's strtotime(), a day past the month's end rolls over (2026-02-30 is March 2nd).
  return utc_instant(year, month, day, hour, minute, second) - offset;
}

bool has_offset(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  if (s.back() == 'Z' || s.back() == 'z') {
    return true;
  }
  // After the seconds (and any fraction): +HH or +HH:MM.
  for (std::size_t i = 19; i < s.size(); ++i) {
    if (s[i] == '+' || s[i] == '-') {
      return true;
    }
  }
  return false;
}

CivilTime civil_utc(UnixSeconds t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
          tm.tm_min,         tm.tm_sec,     tm.tm_wday};
}

UnixSeconds utc_instant(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<UnixSeconds>(timegm(&tm));
}

std::string format_naive_utc(UnixSeconds t) {
  const CivilTime c = civil_utc(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

} // namespace wc::demo
