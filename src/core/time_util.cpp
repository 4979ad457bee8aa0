#include "core/time_util.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace wc {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int &out) {
  if (pos + n > s.size()) {
    return false;
  }
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool valid_date(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > kDays[static_cast<std::size_t>(m - 1)]) {
    return false;
  }
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

} // namespace

// Howard Hinnant's algorithms.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool is_canonical_naive_utc(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  return s.size() == 19 && digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, mo) &&
         s[7] == '-' && digits(s, 8, 2, d) && s[10] == 'T' && digits(s, 11, 2, h) && s[13] == ':' &&
         digits(s, 14, 2, mi) && s[16] == ':' && digits(s, 17, 2, se) && valid_date(y, mo, d) &&
         h <= 23 && mi <= 59 && se <= 59;
}

std::optional<UnixSeconds> parse_utc(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || !valid_date(y, mo, d)) {
    return std::nullopt;
  }
  std::size_t pos = 10;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') {
      return std::nullopt;
    }
    if (!digits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, se)) {
        return std::nullopt;
      }
      pos += 3;
    }
    if (h > 23 || mi > 59 || se > 60) {
      return std::nullopt;
    }
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      std::size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ++pos;
      }
      if (pos == start) {
        return std::nullopt;
      }
    }
  }
  std::int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh = 0, om = 0;
      if (!digits(s, pos + 1, 2, oh)) {
        return std::nullopt;
      }
      std::size_t p2 = pos + 3;
      if (p2 < s.size() && s[p2] == ':') {
        ++p2;
      }
      if (!digits(s, p2, 2, om) || oh > 23 || om > 59) {
        return std::nullopt;
      }
      offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos = p2 + 2;
    }
  }
  if (pos != s.size()) {
    return std::nullopt;
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + se - offset;
}

std::optional<UnixSeconds> parse_http_date(std::string_view s) {
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s.substr(26) != "GMT") {
    return std::nullopt;
  }
  int d = 0, y = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, 5, 2, d) || !digits(s, 12, 4, y) || !digits(s, 17, 2, h) ||
      !digits(s, 20, 2, mi) || !digits(s, 23, 2, se)) {
    return std::nullopt;
  }
  int mo = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (s.substr(8, 3) == kMonths[i]) {
      mo = static_cast<int>(i) + 1;
    }
  }
  if (mo == 0 || !valid_date(y, mo, d) || h > 23 || mi > 59 || se > 60) {
    return std::nullopt;
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + se;
}

namespace {

// A time's civil fields, UTC: year, month, day and seconds into the day.
struct Civil {
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  std::int64_t seconds = 0;
};

Civil civil_of(UnixSeconds t) {
  const std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  Civil c;
  c.seconds = t - days * 86400;
  civil_from_days(days, c.year, c.month, c.day);
  return c;
}

// "YYYY-MM-DDTHH:MM:SS" into out[0..19) for years 0 to 9999: digits written directly (no printf
// per value). False for other years.
bool naive_utc_digits(const Civil &c, char *out) {
  if (c.year < 0 || c.year > 9999) {
    return false;
  }
  auto put = [out](std::size_t at, std::size_t width, std::int64_t v) {
    for (std::size_t i = width; i-- > 0; v /= 10) {
      out[at + i] = static_cast<char>('0' + v % 10);
    }
  };
  put(0, 4, c.year);
  out[4] = '-';
  put(5, 2, c.month);
  out[7] = '-';
  put(8, 2, c.day);
  out[10] = 'T';
  put(11, 2, c.seconds / 3600);
  out[13] = ':';
  put(14, 2, c.seconds / 60 % 60);
  out[16] = ':';
  put(17, 2, c.seconds % 60);
  return true;
}

} // namespace

bool format_rfc3339_to(UnixSeconds t, char (&out)[20]) {
  char digits[19];
  if (!naive_utc_digits(civil_of(t), digits)) {
    return false;
  }
  std::memcpy(out, digits, sizeof digits);
  out[19] = 'Z';
  return true;
}

std::string format_naive_utc(UnixSeconds t) {
  const Civil c = civil_of(t);
  if (char out[19]; naive_utc_digits(c, out)) {
    return std::string(out, sizeof out);
  }
  char buf[64];
  std::snprintf(
      buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(c.year),
      c.month, c.day, static_cast<long long>(c.seconds / 3600),
      static_cast<long long>(c.seconds / 60 % 60), static_cast<long long>(c.seconds % 60));
  return buf;
}

std::string format_rfc3339(UnixSeconds t) { return format_naive_utc(t) + "Z"; }

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace wc
