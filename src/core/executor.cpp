#include "core/executor.hpp"

#include <algorithm>
#include <deque>

namespace wc::core {
namespace detail {

// What the workers share with the handles. Handles keep it alive, so a handle outliving its
// executor still knows that no worker will start its task any more.
struct Pool {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::shared_ptr<Job>> queue; // may hold jobs already claimed by a waiter: skipped
  bool stopping = false;
};

namespace {
// The pool the current thread works for (nullptr outside every pool).
thread_local const Pool *current_pool = nullptr;

bool may_run_here(Pool &pool) {
  if (current_pool == &pool) {
    return true;
  }
  std::lock_guard lock(pool.mu);
  return pool.stopping;
}
} // namespace

bool Job::claim() {
  std::lock_guard lock(mu_);
  if (stage_ != Stage::kQueued) {
    return false;
  }
  stage_ = Stage::kRunning;
  return true;
}

bool Job::cancel() {
  {
    std::lock_guard lock(mu_);
    if (stage_ != Stage::kQueued) {
      return stage_ == Stage::kCancelled;
    }
    stage_ = Stage::kCancelled;
  }
  cv_.notify_all();
  return true;
}

void Job::run() noexcept {
  try {
    body();
  } catch (...) {
    error_ = std::current_exception();
  }
  {
    std::lock_guard lock(mu_);
    stage_ = Stage::kFinished;
  }
  cv_.notify_all();
}

void Job::wait_finished() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stage_ == Stage::kFinished || stage_ == Stage::kCancelled; });
}

void run_if_queued(Pool &pool, Job &job) {
  if (may_run_here(pool) && job.claim()) {
    job.run();
  }
}

void wait(Pool &pool, Job &job) {
  run_if_queued(pool, job);
  job.wait_finished();
}

} // namespace detail

Executor::Executor(int workers) : pool_(std::make_shared<detail::Pool>()) {
  const int n = std::max(1, workers);
  threads_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads_.emplace_back([pool = pool_.get()] {
      detail::current_pool = pool;
      for (;;) {
        std::shared_ptr<detail::Job> job;
        {
          std::unique_lock lock(pool->mu);
          pool->cv.wait(lock, [pool] { return pool->stopping || !pool->queue.empty(); });
          if (pool->stopping) {
            return;
          }
          job = std::move(pool->queue.front());
          pool->queue.pop_front();
        }
        if (job->claim()) {
          job->run();
        }
      }
    });
  }
}

Executor::~Executor() {
  std::deque<std::shared_ptr<detail::Job>> left;
  {
    std::lock_guard lock(pool_->mu);
    pool_->stopping = true;
    left.swap(pool_->queue);
  }
  pool_->cv.notify_all();
  for (auto &t : threads_) {
    t.join();
  }
  // Jobs left queued stay with their handles: a waiter runs them, a dropped handle cancels them.
}

void Executor::enqueue(std::shared_ptr<detail::Job> job) {
  {
    std::lock_guard lock(pool_->mu);
    pool_->queue.push_back(std::move(job));
  }
  pool_->cv.notify_one();
}

void wait_all(std::vector<Task<void>> &tasks) {
  // First the tasks no worker took yet, here, so that this thread works instead of idling on a
  // task another worker runs; then wait for the rest.
  for (auto &t : tasks) {
    t.run_if_queued();
  }
  std::exception_ptr first;
  for (auto &t : tasks) {
    if (!t.valid()) {
      continue;
    }
    try {
      t.get();
    } catch (...) {
      if (!first) {
        first = std::current_exception();
      }
    }
  }
  if (first) {
    std::rethrow_exception(first);
  }
}

} // namespace wc::core
