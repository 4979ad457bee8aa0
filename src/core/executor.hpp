#pragma once
// The one place work runs concurrently: a fixed pool of workers (max_concurrency of them in a
// read) that runs every stream, every date window and every page fetched ahead.
//
//  - submit() queues a task and returns its Task handle.
//  - Waiting on a handle (get) whose task no worker has started, from one of this executor's
//    workers, runs it right there on the waiting worker: a stream task waiting on its windows,
//    each waiting on its pages ahead, never waits for a free worker, so nested waits cannot
//    deadlock, even with one worker. A thread outside the pool (the command's main thread)
//    holds no worker, so it only waits: at most `workers` tasks ever run at once.
//  - A task's exception travels to the thread that waits on it.
//  - Dropping a handle cancels its task if it has not started, else waits for it to end (what
//    it references stays alive meanwhile).
//  - Destroying the executor stops the workers after their current task and joins them; tasks
//    still queued then run on the thread that waits on them, or not at all.
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace wc::core {

namespace detail {

struct Pool;

// One queued unit of work and its outcome.
class Job {
public:
  virtual ~Job() = default;
  // Queued -> running on this thread; false when a worker, a waiter or a cancel came first.
  bool claim();
  // Queued -> cancelled (never to run); false when it started already.
  bool cancel();
  // Runs a claimed job, keeps its exception, wakes its waiters.
  void run() noexcept;
  // Blocks until the job ran (or was cancelled).
  void wait_finished();
  std::exception_ptr error() const { return error_; }

protected:
  virtual void body() = 0;

private:
  enum class Stage { kQueued, kRunning, kFinished, kCancelled };
  std::mutex mu_;
  std::condition_variable cv_;
  Stage stage_ = Stage::kQueued;
  std::exception_ptr error_;
};

// A job with its result (none for void).
template <class R> class ResultJob : public Job {
public:
  std::optional<R> result;
};
template <> class ResultJob<void> : public Job {};

template <class R, class F> class FunctionJob final : public ResultJob<R> {
public:
  explicit FunctionJob(F f) : f_(std::move(f)) {}

private:
  void body() override {
    if constexpr (std::is_void_v<R>) {
      f_();
    } else {
      this->result.emplace(f_());
    }
  }
  F f_;
};

// Runs `job` here when it has not started and this thread may (one of the pool's workers, or
// the pool is gone), then waits until it finished.
void wait(Pool &pool, Job &job);
// Runs `job` here when it has not started and this thread may; returns at once otherwise.
void run_if_queued(Pool &pool, Job &job);

} // namespace detail

template <class R> class Task {
public:
  Task() = default;
  Task(Task &&) noexcept = default;
  Task &operator=(Task &&other) noexcept {
    if (this != &other) {
      release();
      pool_ = std::move(other.pool_);
      job_ = std::move(other.job_);
    }
    return *this;
  }
  Task(const Task &) = delete;
  Task &operator=(const Task &) = delete;
  ~Task() { release(); }

  bool valid() const { return job_ != nullptr; }
  // Waits (running the task here when allowed, see above); returns its result or rethrows its
  // exception. Once only.
  R get() {
    auto job = std::move(job_);
    auto pool = std::move(pool_);
    detail::wait(*pool, *job);
    if (job->error()) {
      std::rethrow_exception(job->error());
    }
    if constexpr (!std::is_void_v<R>) {
      return std::move(*job->result);
    }
  }

  // Runs the task here if it has not started and this thread may; never waits.
  void run_if_queued() {
    if (job_) {
      detail::run_if_queued(*pool_, *job_);
    }
  }

private:
  friend class Executor;
  Task(std::shared_ptr<detail::Pool> pool, std::shared_ptr<detail::ResultJob<R>> job)
      : pool_(std::move(pool)), job_(std::move(job)) {}
  void release() {
    if (job_ && !job_->cancel()) {
      job_->wait_finished();
    }
    job_.reset();
    pool_.reset();
  }

  std::shared_ptr<detail::Pool> pool_;
  std::shared_ptr<detail::ResultJob<R>> job_;
};

class Executor {
public:
  // `workers` threads (at least one).
  explicit Executor(int workers);
  ~Executor();
  Executor(const Executor &) = delete;
  Executor &operator=(const Executor &) = delete;

  int workers() const { return static_cast<int>(threads_.size()); }

  template <class F> auto submit(F f) -> Task<std::invoke_result_t<F &>> {
    using R = std::invoke_result_t<F &>;
    auto job = std::make_shared<detail::FunctionJob<R, F>>(std::move(f));
    enqueue(job);
    return Task<R>(pool_, std::move(job));
  }

private:
  void enqueue(std::shared_ptr<detail::Job> job);

  std::shared_ptr<detail::Pool> pool_;
  std::vector<std::thread> threads_;
};

// Waits for every task (running those not started here when allowed), then rethrows the first
// exception in task order, if any.
void wait_all(std::vector<Task<void>> &tasks);

} // namespace wc::core
