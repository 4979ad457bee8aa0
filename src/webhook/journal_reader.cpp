#include "webhook/journal_reader.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "webhook/sqlite_handle.hpp"

namespace wc::webhook {

std::vector<DownTime> compute_down_times(const std::vector<ReceiverRun> &runs,
                                         std::int64_t since_ms, std::int64_t now_ms,
                                         std::int64_t stale_after_ms) {
  std::vector<DownTime> out;
  auto add = [&](std::int64_t from, std::int64_t to, bool down_now) {
    if ((to > from || (down_now && to == from)) && to >= since_ms) {
      out.push_back({from, to});
    }
  };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const ReceiverRun &r = runs[i];
    std::int64_t end = r.stopped_at_ms != 0 ? r.stopped_at_ms : r.heartbeat_ms;
    if (i + 1 < runs.size()) {
      add(end, runs[i + 1].started_at_ms, false);
    } else if (r.stopped_at_ms != 0 || now_ms - r.heartbeat_ms > stale_after_ms) {
      add(end, std::max(now_ms, end), true);
    }
  }
  return out;
}

JournalReader::JournalReader(const std::string &path) {
  if (!std::filesystem::exists(path)) {
    throw config_error("The webhook journal '" + path +
                       "' does not exist. Start `source-woocommerce serve --journal " + path +
                       "` first, or point webhook_journal at the receiver's /changes URL.");
  }
  try {
    db_ = std::make_unique<SqliteDb>(path, SQLITE_OPEN_READWRITE);
  } catch (const Error &) {
    db_ = std::make_unique<SqliteDb>(path, SQLITE_OPEN_READONLY);
  }
  db_->exec("PRAGMA query_only=ON");
}

JournalReader::~JournalReader() = default;

std::vector<StoredChange> JournalReader::fetch(std::int64_t after_seq, std::size_t limit) {
  std::vector<StoredChange> out;
  SqliteStmt q(*db_, "SELECT seq, resource, event, record_id, date_modified_gmt, topic, "
                     "webhook_id, delivery_id, received_at_ms, payload FROM changes "
                     "WHERE seq > ? ORDER BY seq LIMIT ?");
  q.bind(1, after_seq);
  q.bind(2, static_cast<std::int64_t>(limit));
  while (q.step()) {
    StoredChange c;
    c.seq = q.column_int(0);
    c.resource = q.column_text(1);
    c.event = q.column_text(2);
    c.record_id = q.column_int(3);
    c.date_modified_gmt = q.column_text(4);
    c.topic = q.column_text(5);
    c.webhook_id = q.column_int(6);
    c.delivery_id = q.column_text(7);
    c.received_at_ms = q.column_int(8);
    c.payload = q.column_text(9);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<ReceiverRun> JournalReader::runs() {
  std::vector<ReceiverRun> out;
  SqliteStmt q(*db_, "SELECT id, started_at_ms, heartbeat_ms, stopped_at_ms FROM receiver_runs "
                     "ORDER BY id");
  while (q.step()) {
    ReceiverRun r;
    r.id = q.column_int(0);
    r.started_at_ms = q.column_int(1);
    r.heartbeat_ms = q.column_int(2);
    r.stopped_at_ms = q.column_is_null(3) ? 0 : q.column_int(3);
    out.push_back(r);
  }
  return out;
}

std::vector<DownTime> JournalReader::down_times(std::int64_t since_ms, std::int64_t now_ms,
                                                std::int64_t stale_after_ms) {
  return compute_down_times(runs(), since_ms, now_ms, stale_after_ms);
}

std::int64_t JournalReader::last_seq() {
  SqliteStmt q(*db_, "SELECT MAX(seq) FROM (SELECT seq FROM sqlite_sequence WHERE "
                     "name = 'changes' UNION ALL SELECT MAX(seq) FROM changes)");
  return q.step() && !q.column_is_null(0) ? q.column_int(0) : 0;
}

std::int64_t JournalReader::count() {
  SqliteStmt q(*db_, "SELECT COUNT(*) FROM changes");
  return q.step() ? q.column_int(0) : 0;
}

} // namespace wc::webhook
