#pragma once
// Every read and write of a stream's state JSON by the engine, in one place: the full refresh's
// page (resume_page, the completion marker), the cursor blob (the cursor field, boundary_ids,
// syncs_since_full), the parent cursor of child streams, the members carried through each
// checkpoint, and the deletion sub-states ("trash": a cursor blob; "sweep": id ranges and a
// position). The JSON written is the connector's state format: it must stay byte-identical.
#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>

#include "source/cursor_pager.hpp"
#include "source/id_ranges.hpp"
#include "source/stream_definition.hpp"

namespace wc::source::checkpoint {

// --- full refresh, resumable by page
// The page to start from: the state's resume_page, unless the state marks a finished sync.
int resume_page(const boost::json::object *state);
boost::json::object resume_at(int next_page); // {"resume_page": n}
boost::json::object complete();               // {"__ab_full_refresh_sync_complete": true}

// --- the stream's own cursor
struct CursorCheckpoint {
  std::optional<UnixSeconds> cursor;
  std::set<std::int64_t> boundary_ids;
  int syncs_since_full = 0;
};
// The cursor, boundary ids and sync count of `state` (nothing when null); config_error on a
// malformed value.
CursorCheckpoint read_cursor(const StreamDefinition &d, const boost::json::object *state);
bool holds_cursor(const StreamDefinition &d, const boost::json::object *state);
// What the state holds besides the cursor (deletion sub-states, the webhook journal position):
// carried through every checkpoint so each stays a valid restart point.
boost::json::object carried(const StreamDefinition &d, const boost::json::object *state);
// carry + {cursor_field, boundary_ids, syncs_since_full}.
boost::json::object cursor_blob(const StreamDefinition &d, const CursorState &s,
                                int syncs_since_full, const boost::json::object &carry);
// The incoming state kept as it is (the cursor did not move), with `carry`'s members updated and
// syncs_since_full set when given.
boost::json::object unchanged(const boost::json::object &state, const boost::json::object &carry,
                              std::optional<int> syncs_since_full);

// --- the parents' cursor of a child stream ("parent_cursor")
struct ParentCursor {
  CursorState start;
  bool from_declared_cursor = false; // read from the stream's own cursor field instead
};
ParentCursor read_parent_cursor(const StreamDefinition &d, const boost::json::object *state);
// carry (without any parent_cursor) + {"parent_cursor": {<parent cursor field>, boundary_ids}}.
boost::json::object with_parent_cursor(const StreamDefinition &d, const boost::json::object &carry,
                                       const CursorState &s);
boost::json::object without_parent_cursor(boost::json::object carry);

// --- deletion sub-states
inline constexpr const char *kTrash = "trash";
inline constexpr const char *kSweep = "sweep";
// The object under `key` of the state, or null.
const boost::json::object *sub_state(const boost::json::object *state, const char *key);
// The trash sub-state: a cursor blob {cursor_field, boundary_ids} (lenient: bad ids are skipped).
CursorState read_trash(const StreamDefinition &d, const boost::json::object *trash_state);
boost::json::object trash_blob(const StreamDefinition &d, const CursorState &s);

struct SweepCheckpoint {
  IdRanges known;           // ids seen alive by the previous complete sweep and since
  IdRanges seen;            // ids seen by the sweep in progress
  bool trash_phase = false; // listing the trashed records (after the live ones)
  int page = 1;             // the next page of the phase
};
SweepCheckpoint read_sweep(const boost::json::object *sweep_state);
boost::json::object sweep_in_progress(const SweepCheckpoint &s);
boost::json::object sweep_complete(const IdRanges &known);

} // namespace wc::source::checkpoint
