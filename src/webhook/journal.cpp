#include "webhook/journal.hpp"

#include <sqlite3.h>

#include <vector>

#include "core/error.hpp"
#include "core/time_util.hpp"
#include "webhook/sqlite_handle.hpp"

namespace wc::webhook {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  resource TEXT NOT NULL,
  event TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  date_modified_gmt TEXT,
  topic TEXT NOT NULL,
  webhook_id INTEGER,
  delivery_id TEXT,
  received_at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS changes_upsert_key
  ON changes(resource, record_id, date_modified_gmt) WHERE event <> 'deleted';
CREATE UNIQUE INDEX IF NOT EXISTS changes_delete_key
  ON changes(resource, record_id, event, received_at_ms / 1000) WHERE event = 'deleted';
CREATE INDEX IF NOT EXISTS changes_received ON changes(received_at_ms);
CREATE TABLE IF NOT EXISTS receiver_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at_ms INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL,
  stopped_at_ms INTEGER
);
)sql";

} // namespace

void ensure_journal_schema(SqliteDb &db) { db.exec(kSchema); }

Journal::Journal(const std::string &path, JournalOptions options) : path_(path), options_(options) {
  db_ = std::make_unique<SqliteDb>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=FULL");
  ensure_journal_schema(*db_);
  std::int64_t now = now_millis();
  SqliteStmt start(*db_, "INSERT INTO receiver_runs(started_at_ms, heartbeat_ms) VALUES (?, ?)");
  start.bind(1, now);
  start.bind(2, now);
  start.step();
  run_id_ = db_->last_insert_rowid();
  apply_retention(now);
  writer_ = std::thread([this] { writer_loop(); });
}

Journal::~Journal() {
  try {
    close();
  } catch (...) { // NOLINT(bugprone-empty-catch): nothing sensible to do in a destructor
  }
}

std::future<AppendResult> Journal::append_async(Delivery delivery) {
  Pending p{std::move(delivery), {}};
  auto fut = p.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (closing_ || closed_) {
      throw transient_error("The webhook journal is closing; delivery not stored.");
    }
    queue_.push_back(std::move(p));
  }
  cv_.notify_one();
  return fut;
}

AppendResult Journal::append(Delivery delivery) { return append_async(std::move(delivery)).get(); }

void Journal::writer_loop() {
  auto last_beat = std::chrono::steady_clock::now();
  auto last_retention = last_beat;
  for (;;) {
    std::deque<Pending> batch;
    bool stop = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.heartbeat_interval,
                   [this] { return !queue_.empty() || closing_; });
      batch.swap(queue_);
      stop = closing_ && batch.empty();
    }
    auto now = std::chrono::steady_clock::now();
    if (!batch.empty()) {
      commit_batch(batch);
      last_beat = now;
    } else if (now - last_beat >= options_.heartbeat_interval) {
      try {
        std::lock_guard db_lock(db_mu_);
        heartbeat(now_millis());
      } catch (const std::exception &) { // a missed heartbeat only widens a reported gap
      }
      last_beat = now;
    }
    if (now - last_retention >= options_.retention_interval) {
      try {
        apply_retention(now_millis());
      } catch (const std::exception &) { // retried on the next interval
      }
      last_retention = now;
    }
    if (stop) {
      return;
    }
  }
}

void Journal::heartbeat(std::int64_t now_ms) {
  SqliteStmt beat(*db_, "UPDATE receiver_runs SET heartbeat_ms = ? WHERE id = ?");
  beat.bind(1, now_ms);
  beat.bind(2, run_id_);
  beat.step();
}

void Journal::commit_batch(std::deque<Pending> &batch) {
  std::vector<AppendResult> results(batch.size());
  std::int64_t stored = 0;
  try {
    std::lock_guard db_lock(db_mu_);
    db_->exec("BEGIN IMMEDIATE");
    try {
      SqliteStmt insert(*db_, "INSERT OR IGNORE INTO changes(resource, event, record_id, "
                              "date_modified_gmt, topic, webhook_id, delivery_id, received_at_ms, "
                              "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = 0; i < batch.size(); ++i) {
        const Delivery &d = batch[i].delivery;
        insert.reset();
        insert.bind(1, d.resource);
        insert.bind(2, d.event);
        insert.bind(3, d.record_id);
        insert.bind_text_or_null(4, d.date_modified_gmt);
        insert.bind(5, d.topic);
        insert.bind(6, d.webhook_id);
        insert.bind_text_or_null(7, d.delivery_id);
        insert.bind(8, d.received_at_ms);
        insert.bind(9, d.payload);
        insert.step();
        if (db_->changes() == 1) {
          results[i] = {true, db_->last_insert_rowid()};
          ++stored;
        }
      }
      heartbeat(now_millis());
      db_->exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  } catch (...) {
    auto err = std::current_exception();
    for (auto &p : batch) {
      p.done.set_exception(err);
    }
    return;
  }
  {
    std::lock_guard lock(mu_);
    stats_.stored += stored;
    stats_.duplicates += static_cast<std::int64_t>(batch.size()) - stored;
    ++stats_.transactions;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].done.set_value(results[i]);
  }
}

std::int64_t Journal::apply_retention(std::int64_t now_ms) {
  std::lock_guard db_lock(db_mu_);
  std::int64_t deleted = 0;
  if (options_.retention_days > 0) {
    SqliteStmt old(*db_, "DELETE FROM changes WHERE received_at_ms < ?");
    old.bind(1, now_ms - std::int64_t{options_.retention_days} * 86'400'000);
    old.step();
    deleted += db_->changes();
  }
  if (options_.max_rows > 0) {
    SqliteStmt excess(*db_, "DELETE FROM changes WHERE seq <= (SELECT MAX(seq) FROM changes) - ?");
    excess.bind(1, options_.max_rows);
    excess.step();
    deleted += db_->changes();
  }
  // Runs older than the retention window no longer matter for gaps.
  if (options_.retention_days > 0) {
    SqliteStmt runs(*db_, "DELETE FROM receiver_runs WHERE heartbeat_ms < ? AND id <> ?");
    runs.bind(1, now_ms - std::int64_t{options_.retention_days} * 86'400'000);
    runs.bind(2, run_id_);
    runs.step();
  }
  std::lock_guard lock(mu_);
  stats_.pruned += deleted;
  return deleted;
}

void Journal::close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      return;
    }
    closing_ = true;
  }
  cv_.notify_one();
  if (writer_.joinable()) {
    writer_.join();
  }
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  std::int64_t now = now_millis();
  SqliteStmt stop(*db_,
                  "UPDATE receiver_runs SET heartbeat_ms = ?, stopped_at_ms = ? WHERE id = ?");
  stop.bind(1, now);
  stop.bind(2, now);
  stop.bind(3, run_id_);
  stop.step();
}

JournalStats Journal::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

} // namespace wc::webhook
