#pragma once
// Site-local time of the demo store (a Europe/Berlin-like zone: UTC+1, UTC+2 in EU summer time)
// and the store clock: a fixed epoch plus real seconds elapsed, settable by tests.
#include "demo_store/wc_time.hpp"

#include <chrono>
#include <mutex>
#include <string>

namespace wc::demo {

// The store's fixed epoch, 2026-11-01T00:00:00Z: generated data lies before it.
inline constexpr UnixSeconds kStoreEpoch = 1793491200;

// Offset of site-local time from UTC at the UTC instant t (3600 or 7200 seconds).
int site_offset(UnixSeconds utc);
// UTC instant -> site-local naive "YYYY-MM-DDTHH:MM:SS".
std::string format_local(UnixSeconds utc);
// Interprets a naive site-local wall time (given as if it were UTC seconds) as a UTC instant.
UnixSeconds local_to_utc(UnixSeconds local_wall);

class StoreClock {
public:
  StoreClock();
  UnixSeconds now() const;
  // Sets "now"; the clock then runs on from there unless frozen.
  void set(UnixSeconds now, bool frozen);
  // Moves "now" `seconds` forward at once, in one step (running or frozen, it stays so).
  void advance(UnixSeconds seconds);
  bool frozen() const;

private:
  mutable std::mutex mu_;
  UnixSeconds base_ = kStoreEpoch;
  std::chrono::steady_clock::time_point since_;
  bool frozen_ = false;
};

} // namespace wc::demo
