// core::Executor, the one pool every stream, date window and page ahead runs on. No sleeps as
// assertions: the tests hold tasks on latches. A deadlock is caught by a generous guard that
// fails the test instead of hanging it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/executor.hpp"

using wc::core::Executor;
using wc::core::Task;
using namespace std::chrono_literals;

namespace {

// Runs `fn` on its own thread; fails the whole test binary if it has not returned after a
// minute (a deadlock cannot be joined, so there is nothing else to do).
void must_finish(const std::function<void()> &fn) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread t([&] {
    fn();
    std::lock_guard lock(mu);
    done = true;
    cv.notify_all();
  });
  std::unique_lock lock(mu);
  if (!cv.wait_for(lock, 60s, [&] { return done; })) {
    std::fprintf(stderr, "deadlock: the waits did not finish\n");
    std::_Exit(1);
  }
  lock.unlock();
  t.join();
}

// A gate tasks wait at, and the count of tasks inside.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  int inside = 0;
  int most_inside = 0;

  void enter_and_wait() {
    std::unique_lock lock(mu);
    ++inside;
    most_inside = std::max(most_inside, inside);
    cv.notify_all();
    cv.wait(lock, [this] { return open; });
    --inside;
  }
  // Waits (bounded) until `n` tasks are inside; false on timeout.
  bool wait_inside(int n, std::chrono::milliseconds at_most) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, at_most, [&] { return inside >= n; });
  }
  void release() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

} // namespace

// A stream task waits on its windows, each window on its pages ahead: with a single worker every
// wait must run the waited-on task itself, or nothing would ever run them.
TEST(CoreExecutor, NestedWaitsWithOneWorkerFinish) {
  Executor executor(1);
  int total = 0;
  must_finish([&] {
    auto stream = executor.submit([&executor] {
      std::vector<Task<int>> windows;
      for (int w = 0; w < 3; ++w) {
        windows.push_back(executor.submit([&executor, w] {
          std::vector<Task<int>> pages;
          for (int p = 0; p < 4; ++p) {
            pages.push_back(executor.submit([w, p] { return w * 10 + p; }));
          }
          int sum = 0;
          for (auto &page : pages) {
            sum += page.get();
          }
          return sum;
        }));
      }
      int sum = 0;
      for (auto &window : windows) {
        sum += window.get();
      }
      return sum;
    });
    total = stream.get();
  });
  // (0+1+2+3) + (10+...+13) + (20+...+23)
  EXPECT_EQ(total, 6 + 46 + 86);
}

// With N workers, never more than N tasks run at once, also while a thread outside the pool
// waits on a task no worker has started (it must wait, not run it beside the N).
TEST(CoreExecutor, NeverMoreThanNTasksRunAtOnce) {
  constexpr int kWorkers = 3;
  constexpr int kTasks = 12;
  Executor executor(kWorkers);
  Gate gate;
  std::vector<Task<int>> tasks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.push_back(executor.submit([&gate, i] {
      gate.enter_and_wait();
      return i;
    }));
  }
  ASSERT_TRUE(gate.wait_inside(kWorkers, 60s)) << "the pool never ran " << kWorkers << " at once";
  // An outsider waits on the last task, still queued behind the held ones.
  std::thread outsider([&] { EXPECT_EQ(tasks.back().get(), kTasks - 1); });
  // A pool running more than N would show it now; give it the chance, then let everything go.
  EXPECT_FALSE(gate.wait_inside(kWorkers + 1, 300ms));
  gate.release();
  outsider.join();
  for (int i = 0; i + 1 < kTasks; ++i) {
    EXPECT_EQ(tasks[static_cast<std::size_t>(i)].get(), i);
  }
  EXPECT_EQ(gate.most_inside, kWorkers);
}

// An exception thrown in a task reaches whoever waits on it, through nested waits too; wait_all
// lets every task finish before it rethrows the first failure.
TEST(CoreExecutor, ExceptionsReachTheWaiter) {
  Executor executor(2);
  auto failing = executor.submit([]() -> int { throw std::runtime_error("page 3 failed"); });
  try {
    failing.get();
    FAIL() << "no exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "page 3 failed");
  }

  auto outer = executor.submit([&executor] {
    auto inner = executor.submit([] { throw std::invalid_argument("window 2 failed"); });
    inner.get();
  });
  EXPECT_THROW(outer.get(), std::invalid_argument);

  // One worker runs them in order; tasks 2.. are held until a while after task 1 failed: a
  // wait_all that rethrew at once would return before they ended.
  Executor one(1);
  Gate gate;
  std::atomic<int> ended{0};
  std::vector<Task<void>> all;
  for (int i = 0; i < 6; ++i) {
    all.push_back(one.submit([&, i] {
      if (i >= 2) {
        gate.enter_and_wait();
      }
      ended.fetch_add(1);
      if (i == 1 || i == 4) {
        throw std::runtime_error("window " + std::to_string(i));
      }
    }));
  }
  std::thread opener([&] {
    gate.wait_inside(1, 60s); // tasks 0 and 1 ended
    std::this_thread::sleep_for(200ms);
    gate.release();
  });
  try {
    wc::core::wait_all(all);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "window 1"); // the first in task order
  }
  EXPECT_EQ(ended.load(), 6); // and every task ran to its end first
  gate.release();
  opener.join();
}

// Destroying the executor while tasks are queued: dropped handles cancel theirs (they never run),
// kept handles run theirs on the waiting thread, and nothing runs twice or hangs.
TEST(CoreExecutor, DestructionWithQueuedTasksIsClean) {
  Gate gate;
  std::atomic<int> runs[6] = {};
  std::vector<Task<int>> kept;
  must_finish([&] {
    auto executor = std::make_unique<Executor>(1);
    auto blocker = executor->submit([&] {
      runs[0].fetch_add(1);
      gate.enter_and_wait();
      return 0;
    });
    ASSERT_TRUE(gate.wait_inside(1, 60s));
    for (int i = 1; i < 6; ++i) {
      auto t = executor->submit([&runs, i] {
        runs[i].fetch_add(1);
        return i * 100;
      });
      if (i % 2 == 0) {
        kept.push_back(std::move(t));
      } // odd ones: dropped while queued
    }
    std::thread opener([&] { gate.release(); });
    executor.reset(); // joins the worker once the blocker is through
    opener.join();
    EXPECT_EQ(blocker.get(), 0);
    for (auto &t : kept) {
      EXPECT_GT(t.get(), 0); // run here if the worker did not take it before stopping
    }
  });
  EXPECT_EQ(runs[0].load(), 1);
  EXPECT_EQ(runs[1].load(), 0);
  EXPECT_EQ(runs[2].load(), 1);
  EXPECT_EQ(runs[3].load(), 0);
  EXPECT_EQ(runs[4].load(), 1);
  EXPECT_EQ(runs[5].load(), 0);
}
