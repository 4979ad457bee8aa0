#include "demo_store/site_time.hpp"

namespace wc::demo {
namespace {

// 01:00 UTC on the last Sunday of the month (EU summer-time switch instant).
UnixSeconds last_sunday_1utc(int year, int month) {
  const UnixSeconds last_day = utc_instant(year, month, 31);
  return last_day - civil_utc(last_day).weekday * 86400 + 3600;
}

} // namespace

int site_offset(UnixSeconds utc) {
  const int y = civil_utc(utc).year;
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

void StoreClock::advance(UnixSeconds seconds) {
  std::lock_guard lock(mu_);
  base_ += seconds;
}

bool StoreClock::frozen() const {
  std::lock_guard lock(mu_);
  return frozen_;
}

} // namespace wc::demo
