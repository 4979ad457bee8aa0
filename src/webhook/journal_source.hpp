#pragma once
// What `read` consumes: the changes a receiver journaled, already mapped to stream records, and
// the periods when no receiver was listening (changes made then were never delivered and must
// come from polling). Two backends: a local SQLite journal (read-only use, safe while the
// receiver writes) and a receiver's `GET /changes` endpoint (https, or http on loopback) with a
// bearer token — Airbyte runs each read in a fresh container, so the remote form is the usual one.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wc {
struct ConnectorConfig;
}

namespace wc::webhook {

struct StoredChange;

struct JournalChange {
  std::int64_t seq = 0;
  std::string stream; // orders, products, product_variations, customers, coupons
  std::string event;  // created, updated, deleted, restored
  std::int64_t id = 0;
  std::string record_json; // the record (deletions: {"id":N,"_ab_cdc_deleted_at":"..."})
  std::int64_t received_at_ms = 0;
};

struct JournalGap {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};

class JournalSource {
public:
  virtual ~JournalSource() = default;
  // Changes with seq > after_seq, in seq order, at most `limit`. Rows that cannot be mapped are
  // skipped (their seq is simply absent). Empty = nothing newer.
  virtual std::vector<JournalChange> fetch(std::int64_t after_seq, std::size_t limit) = 0;
  // Receiver down-times that ended at or after since_ms (epoch ms).
  virtual std::vector<JournalGap> gaps(std::int64_t since_ms) = 0;
  // The highest seq assigned so far (0 when empty).
  virtual std::int64_t last_seq() = 0;
};

// Maps one stored row with the event mapper; nullopt when unsupported.
std::optional<JournalChange> to_journal_change(const StoredChange &row);

// Local file path (config.webhook_journal) or a URL of a receiver's /changes endpoint used with
// config.webhook_journal_token. Throws wc::Error(kConfig) when webhook_journal is empty, the URL
// is plain http off loopback, the token is missing for a URL, or the file does not exist.
std::unique_ptr<JournalSource> open_journal_source(const ConnectorConfig &config);
std::unique_ptr<JournalSource> open_local_journal_source(const std::string &path);

} // namespace wc::webhook
