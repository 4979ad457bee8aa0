#include "demo_store/site_time.hpp"

namespace wc::demo {
namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t year_of(UnixSeconds t) {
  std::int64_t z = t / 86400 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

// 01:00 UTC on the last Sunday of the month (EU summer-time switch instant).
UnixSeconds last_sunday_1utc(std::int64_t year, unsigned month) {
  const std::int64_t last_day = days_from_civil(year, month, 31);
  const std::int64_t weekday = (last_day + 4) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return (last_day - weekday) * 86400 + 3600;
}

} // namespace

int site_offset(UnixSeconds utc) {
  const std::int64_t y = year_of(utc);
  return (utc >= last_sunday_1utc(y, 3) && utc < last_sunday_1utc(y, 10)) ? 7200 : 3600;
}

std::string format_local(UnixSeconds utc) { return format_naive_utc(utc + site_offset(utc)); }

UnixSeconds local_to_utc(UnixSeconds local_wall) {
  // Try the winter offset first; keep it if it maps back consistently.
  const UnixSeconds guess = local_wall - 3600;
  if (site_offset(guess) == 3600) {
    return guess;
  }
  return local_wall - 7200;
}

StoreClock::StoreClock() : since_(std::chrono::steady_clock::now()) {}

UnixSeconds StoreClock::now() const {
  std::lock_guard lock(mu_);
  if (frozen_) {
    return base_;
  }
  const auto elapsed = std::chrono::steady_clock::now() - since_;
  return base_ + std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
}

void StoreClock::set(UnixSeconds now, bool frozen) {
  std::lock_guard lock(mu_);
  base_ = now;
  since_ = std::chrono::steady_clock::now();
  frozen_ = frozen;
}

} // namespace wc::demo
