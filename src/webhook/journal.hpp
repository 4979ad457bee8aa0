#pragma once
// The receiver's durable journal of webhook deliveries (SQLite, WAL, synchronous=FULL).
// Request threads call append(); one writer thread takes every delivery queued so far, commits
// them in a single transaction (group commit) and only then wakes the waiting requests, so a
// delivery is acknowledged with 200 only once it is on disk.
//
// Dedup: created/updated/restored deliveries are unique on (resource, record_id,
// date_modified_gmt); deletions ({"id": N} only) on (resource, record_id, event, arrival second).
// A second copy is a duplicate, not an error. Retention drops rows older than retention_days and
// keeps at most max_rows. receiver_runs records start, heartbeat and clean stop of each run so the
// time the receiver was down can be listed (see journal_reader.hpp).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace wc::webhook {

class SqliteDb;

struct Delivery {
  std::string topic;    // "order.updated"
  std::string resource; // "order"
  std::string event;    // "updated"
  std::int64_t webhook_id = 0;
  std::string delivery_id;
  std::int64_t record_id = 0;
  std::string date_modified_gmt; // "" when the payload has none (deletions)
  std::int64_t received_at_ms = 0;
  std::string payload; // the raw body
};

struct JournalOptions {
  static constexpr int kDefaultRetentionDays = 14;
  static constexpr std::int64_t kDefaultMaxRows = 2'000'000;
  int retention_days = kDefaultRetentionDays;
  std::int64_t max_rows = kDefaultMaxRows;
  std::chrono::milliseconds heartbeat_interval{5000};
  std::chrono::milliseconds retention_interval{std::chrono::minutes(10)};
};

struct AppendResult {
  bool stored = false;  // false: duplicate of a change already in the journal
  std::int64_t seq = 0; // the new row's seq when stored
};

struct JournalStats {
  std::int64_t stored = 0;
  std::int64_t duplicates = 0;
  std::int64_t transactions = 0;
  std::int64_t pruned = 0;
};

// Creates the tables when missing (also used by readers to open an empty journal).
void ensure_journal_schema(SqliteDb &db);

class Journal {
public:
  // Opens (creating) the journal, records a new run and starts the writer thread.
  Journal(const std::string &path, JournalOptions options = {});
  ~Journal();
  Journal(const Journal &) = delete;
  Journal &operator=(const Journal &) = delete;

  // Blocks until the transaction holding this delivery committed. Throws wc::Error when the
  // commit failed or the journal is closed.
  AppendResult append(Delivery delivery);
  // Queues without waiting; the future becomes ready after the commit.
  std::future<AppendResult> append_async(Delivery delivery);

  // Deletes rows older than retention_days (relative to now_ms) and beyond max_rows; returns the
  // number of rows deleted. Runs on the writer thread periodically; callable directly in tests.
  std::int64_t apply_retention(std::int64_t now_ms);

  // Commits what is queued, records a clean stop and stops the writer thread. Idempotent.
  void close();

  JournalStats stats() const;
  std::int64_t run_id() const { return run_id_; }
  const std::string &path() const { return path_; }

private:
  struct Pending {
    Delivery delivery;
    std::promise<AppendResult> done;
  };
  void writer_loop();
  void commit_batch(std::deque<Pending> &batch);
  void heartbeat(std::int64_t now_ms);

  std::string path_;
  JournalOptions options_;
  std::unique_ptr<SqliteDb> db_;
  std::int64_t run_id_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool closing_ = false;
  bool closed_ = false;
  JournalStats stats_;
  std::mutex db_mu_; // serializes writer-thread work with apply_retention() calls
  std::thread writer_;
};

} // namespace wc::webhook
