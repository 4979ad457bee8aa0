#pragma once
// Read side of the journal: a separate connection that never writes (query_only), safe while a
// receiver appends in another process (WAL readers do not block the writer).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wc::webhook {

class SqliteDb;

struct StoredChange {
  std::int64_t seq = 0;
  std::string resource;
  std::string event;
  std::int64_t record_id = 0;
  std::string date_modified_gmt;
  std::string topic;
  std::int64_t webhook_id = 0;
  std::string delivery_id;
  std::int64_t received_at_ms = 0;
  std::string payload;
};

struct ReceiverRun {
  std::int64_t id = 0;
  std::int64_t started_at_ms = 0;
  std::int64_t heartbeat_ms = 0;
  std::int64_t stopped_at_ms = 0; // 0 = no clean stop recorded (running, or crashed)
};

struct DownTime {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};

// Periods when no receiver was listening, from the list of runs (ordered by id): between a
// run's clean stop (or, after a crash, its last heartbeat) and the next start; and after the last
// run when it stopped or its heartbeat is older than stale_after_ms. Only periods ending at or
// after since_ms are returned.
std::vector<DownTime> compute_down_times(const std::vector<ReceiverRun> &runs,
                                         std::int64_t since_ms, std::int64_t now_ms,
                                         std::int64_t stale_after_ms);

class JournalReader {
public:
  static constexpr std::int64_t kDefaultStaleAfterMs = 30'000;
  // Throws wc::Error(kConfig) when the file does not exist or cannot be opened.
  explicit JournalReader(const std::string &path);
  ~JournalReader();
  JournalReader(const JournalReader &) = delete;
  JournalReader &operator=(const JournalReader &) = delete;

  std::vector<StoredChange> fetch(std::int64_t after_seq, std::size_t limit);
  std::vector<ReceiverRun> runs();
  std::vector<DownTime> down_times(std::int64_t since_ms, std::int64_t now_ms,
                                   std::int64_t stale_after_ms = kDefaultStaleAfterMs);
  // Highest seq ever assigned (not lowered by retention); 0 for an empty journal.
  std::int64_t last_seq();
  std::int64_t count();

private:
  std::unique_ptr<SqliteDb> db_;
};

} // namespace wc::webhook
