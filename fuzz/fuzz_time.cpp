// Fuzz target: date-times from the API, the state and HTTP headers through wc::parse_utc and
// wc::parse_http_date. What parses must format and parse back to the same instant.
#include "core/time_util.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using wc::fuzz::check;
  std::string_view text = wc::fuzz::as_text(data, size);
  for (auto t : {wc::parse_utc(text), wc::parse_http_date(text)}) {
    if (!t) {
      continue;
    }
    // A parsed instant lies within years 0000-9999 (offsets may cross the year-1 boundary);
    // when its printed form is a valid date again, it must denote the same instant.
    auto back = wc::parse_utc(wc::format_rfc3339(*t));
    check(!back || *back == *t, "format_rfc3339 does not round-trip");
    auto naive = wc::parse_utc(wc::format_naive_utc(*t));
    check(!naive || *naive == *t, "format_naive_utc does not round-trip");
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    std::int64_t days = *t >= 0 ? *t / 86400 : (*t - 86399) / 86400;
    wc::civil_from_days(days, y, m, d);
    check(wc::days_from_civil(y, m, d) == days, "civil_from_days does not round-trip");
  }
  return 0;
}
