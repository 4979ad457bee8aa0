#pragma once
// One stream's checkpoint, typed: every member a stream's state blob has ever held, with ONE
// conversion from JSON (from_json) and ONE to JSON (to_json). The blob's format:
//
//   {"date_modified_gmt": "2026-11-20T10:00:00",  the cursor (format_naive_utc, UTC) or null
//    "boundary_ids": [1041, 1042],                 ids already emitted in the cursor's second
//    "syncs_since_full": 3,                        syncs since the last full_resync_every pass
//    "resume_page": 4,                             full refresh: the next page to read
//    "__ab_full_refresh_sync_complete": true,      full refresh: the listing was read to its end
//    "parent_cursor": {"date_modified_gmt": ..., "boundary_ids": [...]},   children of changed
//                                                  parents: the parents' cursor
//    "trash": {"<cursor field>": ..., "boundary_ids": [...]},  deletion_detection's trash pass
//    "sweep": {"known": [[1, 250]], "seen": [[1, 100]], "phase": "any", "page": 2},  id sweep
//    "webhook_seq": 17,                            the webhook journal's position
//    "request_budget": {"requests": 22, ...},      the rate learned from the store (see
//                                                  request_budget_state.hpp)
//    "checkpoint_version": 2,                      this format (absent: version 1)
//    ...}                                          any other key: kept verbatim (`extra`)
//
// Version 2 is version 1 (every blob written before the version field) plus the field: a blob
// without it is read as version 1; a blob with a higher version than kCheckpointVersion was
// written by a newer source-woocommerce and fails with a config_error. Airbyte's own
// WooCommerce connector's blobs ({"date_modified_gmt": ...}, its date-range slices) are
// version 1 blobs with foreign keys in `extra`.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/time_util.hpp"
#include "state/request_budget_state.hpp"

namespace wc::state {

inline constexpr int kCheckpointVersion = 2;
inline constexpr const char *kCheckpointVersionKey = "checkpoint_version";
inline constexpr const char *kBoundaryIdsKey = "boundary_ids";
inline constexpr const char *kSyncsSinceFullKey = "syncs_since_full";
inline constexpr const char *kResumePageKey = "resume_page";
inline constexpr const char *kFullRefreshCompleteKey = "__ab_full_refresh_sync_complete";
inline constexpr const char *kParentCursorKey = "parent_cursor";
inline constexpr const char *kTrashKey = "trash";
inline constexpr const char *kSweepKey = "sweep";
inline constexpr const char *kWebhookSeqKey = "webhook_seq";
// The parents' cursor field inside parent_cursor (orders and products are found by it).
inline constexpr const char *kDefaultParentCursorField = "date_modified_gmt";

// A cursor held in a sub-state (parent_cursor, trash): {"<field>": text | null,
// "boundary_ids": [...]}. Both keys are always written.
struct CursorSubState {
  // The cursor's key; empty when the reader did not name it (then the cursor stays in `extra`).
  std::string field;
  std::optional<UnixSeconds> value; // nullopt: no cursor yet (written as null)
  std::set<std::int64_t> boundary_ids;
  boost::json::object extra; // other keys of the sub-state, verbatim
};

// Ids as sorted [first, last] pairs, as the sweep keeps them ([[1000, 3249]]).
using IdRangeList = std::vector<std::pair<std::int64_t, std::int64_t>>;

// The id sweep of deletion_detection = trash_and_sweep, spread over syncs.
struct SweepProgress {
  IdRangeList known;               // ids known alive after the last complete sweep (and since)
  std::optional<IdRangeList> seen; // ids seen by the sweep in progress; absent when complete
  std::string phase = "any";       // the status listed now: "any", then "trash"
  std::int64_t page = 1;           // the next page of that listing
  boost::json::object extra;       // other keys, verbatim
};

struct StreamCheckpoint {
  // As read (1 when the blob had no version); to_json always writes kCheckpointVersion.
  int version = kCheckpointVersion;

  // The stream's cursor, keyed by `cursor_field` (from_json's argument; empty: a reader that
  // does not read the cursor, such as the journal position, and the key stays in `extra`).
  std::string cursor_field;
  bool has_cursor = false;           // the blob holds the cursor_field key
  std::optional<UnixSeconds> cursor; // its value (nullopt: null)
  // Airbyte's date-range slices ({"state_type": "date-range", "slices": [...]}, both kept in
  // `extra`): the earliest slice end, used when the blob has no cursor_field key.
  std::optional<UnixSeconds> slices_cursor;
  std::optional<std::set<std::int64_t>> boundary_ids; // nullopt: no key (Airbyte's blobs)
  std::optional<int> syncs_since_full;

  std::optional<int> resume_page;
  std::optional<bool> full_refresh_complete; // the key's presence is what counts (as before)

  std::optional<CursorSubState> parent_cursor;
  std::optional<CursorSubState> trash;
  std::optional<SweepProgress> sweep;
  std::optional<std::int64_t> webhook_seq;
  std::optional<SavedBudget> request_budget;

  boost::json::object extra; // every key not listed above, verbatim

  // --- Reading (state::cursor_value's rules) ---
  // The cursor to start from: the cursor_field key (null: none), else Airbyte's slices.
  std::optional<UnixSeconds> start_cursor() const { return has_cursor ? cursor : slices_cursor; }
  std::set<std::int64_t> boundary_id_set() const {
    return boundary_ids ? *boundary_ids : std::set<std::int64_t>{};
  }
  // The first page of a resumable full refresh: the resume page unless the last one completed.
  int first_page() const;

  // --- Writing ---
  // A full refresh's checkpoints: {"resume_page": n} while it pages, then the completion marker
  // (neither carries anything over, as always).
  static StreamCheckpoint full_refresh_page(int next_page);
  static StreamCheckpoint full_refresh_complete_marker();
  // What every checkpoint of the stream carries over (sub-states, webhook position, request
  // budget, completion marker, foreign keys): this checkpoint without its cursor, boundary ids,
  // syncs_since_full and resume_page, at the current version.
  StreamCheckpoint carried() const;
  // A cursor checkpoint: carried() plus the cursor, its boundary ids and the resync counter.
  StreamCheckpoint with_cursor(std::optional<UnixSeconds> value, std::set<std::int64_t> ids,
                               int syncs) const;
  // A child stream's checkpoint through changed parents: carried() plus the parents' cursor.
  StreamCheckpoint
  with_parent_cursor(std::optional<UnixSeconds> value, std::set<std::int64_t> ids,
                     const std::string &parent_field = kDefaultParentCursorField) const;
};

// Reads one stream's blob. `cursor_field`: the stream's cursor key (empty: not read; it stays in
// `extra`); `stream`: named in errors. Throws wc::Error(kConfig) naming the stream and the key
// when a value is malformed, or when the blob was written by a newer source-woocommerce. A
// malformed request_budget is dropped instead (latest_saved_budget warns about it; the budget is
// learned again), as before.
StreamCheckpoint from_json(const boost::json::object &blob, const std::string &cursor_field,
                           const std::string &stream,
                           const std::string &parent_cursor_field = kDefaultParentCursorField);

// The typed accessor beside StateStore::stream: the stream's incoming checkpoint, read with
// from_json; nullopt when the state has none for it.
std::optional<StreamCheckpoint>
incoming_checkpoint(const StateStore &states, const std::string &stream,
                    const std::string &cursor_field,
                    const std::string &parent_cursor_field = kDefaultParentCursorField);

// The blob, with "checkpoint_version": kCheckpointVersion. One exception: a checkpoint holding
// nothing but the completion marker is Airbyte's marker exactly,
// {"__ab_full_refresh_sync_complete": true}, whose meaning no version changes.
// to_json(from_json(blob)) == blob plus the version for every blob the connector writes.
boost::json::object to_json(const StreamCheckpoint &checkpoint);

// The checkpoint of a stream that read nothing: the incoming blob exactly as it came (a stream
// that reads nothing echoes its state, docs/incremental.md) when `updated` changes none of its
// members; else to_json(updated). `incoming` must be the blob `updated` was read from.
boost::json::object echo_or_update(const boost::json::object &incoming,
                                   const StreamCheckpoint &updated);

// The request budget member of an outgoing blob set (or removed when nullopt), nothing else
// touched. Its shape is the same in every version, so the blob's version stays. Never throws
// (it runs on blobs already emitted by the engine, and on echoed incoming ones).
boost::json::object with_request_budget(boost::json::object blob,
                                        const std::optional<SavedBudget> &budget);

} // namespace wc::state
