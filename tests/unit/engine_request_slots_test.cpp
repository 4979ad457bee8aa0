// The in-flight pool that the adaptive request budget relies on for "never a burst": it starts at
// 2 and widens by at most one at a time while latency holds.
#include <gtest/gtest.h>

#include "source/request_slots.hpp"

using wc::source::RequestSlots;
using namespace std::chrono_literals;

TEST(RequestSlots, StartsAtTwoAndWidensOneAtATime) {
  RequestSlots slots(8, 2);
  EXPECT_EQ(slots.width(), 2);
  int widest = slots.width();
  int answers_at_width = 0;
  for (int i = 0; i < 200; ++i) {
    const int before = slots.width();
    slots.acquire();
    slots.release(50ms); // latency holds: the pool may widen
    const int after = slots.width();
    EXPECT_LE(after - before, 1) << "answer " << i;
    if (after > widest) {
      // A full round of answers at the old width before each step.
      EXPECT_GE(answers_at_width + 1, before) << "widened to " << after << " after answer " << i;
      widest = after;
      answers_at_width = 0;
    } else {
      ++answers_at_width;
    }
  }
  EXPECT_EQ(slots.width(), 8); // and it does reach max_concurrency
}
