#pragma once
// Which way a stream is read, decided once from plain values: the stream's definition, what the
// store can do, the sync mode and what the incoming state says. Pure: no I/O, no context; the
// reader (stream_reader.cpp) dispatches on the result to one strategy (source/strategies/).
#include <optional>
#include <string>

#include "core/time_util.hpp"
#include "source/stream_definition.hpp"
#include "source/stream_request.hpp"

namespace wc::source {

enum class Strategy {
  kCustom,                    // a derived stream kind with its own reader (inventory)
  kFullListing,               // a top-level listing, resumable by page
  kChildrenOfEveryParent,     // the children of every parent (optionally cursor-filtered)
  kChildrenOfChangedParents,  // the children of the parents changed since the parent cursor
  kChildrenOfModifiedParents, // the children of the parents modified since the stream's cursor
  kClientFiltered,            // a full listing filtered on our side by the cursor
  kServerCursor,              // the store's own date window, cursor paging (with deletions)
};

// What the store can do, as plain values.
struct StoreFacts {
  bool has_route = true;       // the store lists the stream's own path
  bool modified_filter = true; // the modified-time window works
};

// What the incoming state and the options say, as plain values (meaningful for incremental
// streams with their own cursor, i.e. not cursor kind "parent").
struct StateFacts {
  std::optional<UnixSeconds> cursor; // where reading starts (start date, lookback applied)
  bool full_resync = false;          // full_resync_every is due: the cursor was reset
  bool holds_cursor_field = false;   // the state holds the stream's cursor field
  bool full_pass_asked = false;      // the options ask for every parent's children each sync
};

struct ReadPlan {
  Strategy strategy = Strategy::kFullListing;
  std::string path; // the route read (the definition's path or its per-parent fallback)
  // kChildrenOfChangedParents: read every parent's children instead (asked for, or the store
  // cannot tell which parents changed).
  bool every_parent = false;
  // kChildrenOfEveryParent: resumable by the parents' page (full refresh), else filtered by the
  // cursor and checkpointed at the end.
  bool resumable = false;
  // The children read are filtered by the stream's own cursor (StateFacts::cursor).
  bool filter_by_cursor = false;
  std::string warning; // to log before reading, when not empty
};

ReadPlan plan_read(const StreamDefinition &d, const StoreFacts &store, SyncMode mode,
                   const StateFacts &state);

} // namespace wc::source
