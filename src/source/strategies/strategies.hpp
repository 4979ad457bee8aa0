#pragma once
// The ways of reading a stream, one file each; read_stream (stream_reader.cpp) picks one with
// plan_read (read_plan.hpp) and calls it. Each writes its records and checkpoints to ctx.out.
#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>

#include "source/cursor_pager.hpp"
#include "source/read_context.hpp"

namespace wc::source::strategies {

// The listing of `path` with the definition's fixed parameters.
inline PageRequest listing_of(const std::string &path, const http::Params &fixed) {
  PageRequest r;
  r.path = path;
  r.fixed = fixed;
  return r;
}
// The listing of `path` for paging through it: the definition's fixed and full-listing
// parameters (a stable order for page numbers).
inline PageRequest paged_listing_of(const std::string &path, const StreamDefinition &d) {
  PageRequest r = listing_of(path, d.params);
  r.fixed.insert(r.fixed.end(), d.full_params.begin(), d.full_params.end());
  return r;
}

// Where an incremental read with the stream's own cursor starts: the state's cursor, moved to
// the start date, reset by a due full resync, moved back by the lookback window. Pure.
struct StartPoint {
  std::optional<UnixSeconds> cursor;
  std::set<std::int64_t> boundary_ids;
  int syncs_since_full = 0; // the count to checkpoint (this sync included)
  bool full_resync = false; // full_resync_every is due
};
StartPoint start_point(const ReadOptions &options, const StreamDefinition &d,
                       const boost::json::object *state);
// Logs the full resync a start point holds, if any.
void log_start(ReadContext &ctx, const StreamDefinition &d, const StartPoint &start);

// A top-level listing, resumable by page (full_listing.cpp).
void full_listing(ReadContext &ctx, const StreamDefinition &d, const boost::json::object *state);

// The children of every parent, read at `path` ({parent_id} replaced); `since` drops children
// older than it; `resumable` checkpoints the parents' page (children_of_every_parent.cpp).
void children_of_every_parent(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                              const std::optional<UnixSeconds> &since,
                              const boost::json::object *state, bool resumable);
// The children of one parent, with the parent key added, optionally filtered by `since`.
void children_of_one_parent(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                            std::int64_t parent_id, const std::optional<UnixSeconds> &since);

// The id + date listing of the parents (of `type`, when given) modified since a cursor
// (children_of_changed_parents.cpp).
CursorQuery changed_parents_query(ReadContext &ctx, const StreamDefinition &d,
                                  const std::string &type);
// The children of the parents changed since the parent cursor (or of every parent when
// `every_parent`), checkpointed under "parent_cursor" (children_of_changed_parents.cpp).
void children_of_changed_parents(ReadContext &ctx, const StreamDefinition &d,
                                 const std::string &path, const boost::json::object *state,
                                 const std::optional<UnixSeconds> &since, bool every_parent);

// The children of the parents modified since the stream's own cursor
// (children_of_modified_parents.cpp).
void children_of_modified_parents(ReadContext &ctx, const StreamDefinition &d,
                                  const std::string &path, const boost::json::object *state,
                                  const StartPoint &start);

// A full listing filtered on our side by the cursor (client_filtered.cpp).
void client_filtered(ReadContext &ctx, const StreamDefinition &d, const boost::json::object *state,
                     const StartPoint &start);

// The store's own date window, paged by the cursor, in date windows when worth it, with the
// deletion passes (server_cursor.cpp).
void server_cursor(ReadContext &ctx, const StreamDefinition &d, const boost::json::object *state,
                   const StartPoint &start);

// Every parent's children through a per-parent route, filtered by the cursor, checkpointed at
// the end (children_of_every_parent.cpp).
void every_parent_filtered(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                           const boost::json::object *state, const StartPoint &start);

} // namespace wc::source::strategies
