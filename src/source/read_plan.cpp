#include "source/read_plan.hpp"

namespace wc::source {
namespace {

bool per_parent_path(const std::string &path) {
  return path.find("{parent_id}") != std::string::npos;
}

ReadPlan plan(Strategy strategy, std::string path, std::string warning = {}) {
  ReadPlan p;
  p.strategy = strategy;
  p.path = std::move(path);
  p.warning = std::move(warning);
  return p;
}

ReadPlan plan_full_refresh(const StreamDefinition &d, const StoreFacts &store) {
  if (d.parent && (per_parent_path(d.path) || (!store.has_route && !d.fallback_path.empty()))) {
    const std::string path = per_parent_path(d.path) ? d.path : d.fallback_path;
    ReadPlan p = plan(Strategy::kChildrenOfEveryParent, path);
    p.resumable = true;
    if (path != d.path) {
      p.warning = d.name + ": the store has no " + d.path + " route (" + d.fallback_reason +
                  "); reading " + path + " through every " + d.parent->stream + " record instead";
    }
    return p;
  }
  return plan(Strategy::kFullListing, d.path);
}

ReadPlan plan_incremental(const StreamDefinition &d, const StoreFacts &store,
                          const StateFacts &state) {
  if (d.cursor_kind == CursorKind::kParent) {
    ReadPlan p = plan(Strategy::kChildrenOfChangedParents, d.path);
    p.every_parent = state.full_pass_asked || !store.modified_filter;
    return p; // the children are found through their parents only: no filter of their own
  }
  const bool fallback = !store.has_route && d.parent && !d.fallback_path.empty();
  if (!fallback && (d.cursor_kind == CursorKind::kClient ||
                    (d.cursor_kind == CursorKind::kModified && !store.modified_filter))) {
    return plan(Strategy::kClientFiltered, d.path);
  }
  if (!fallback) {
    return plan(Strategy::kServerCursor, d.path);
  }
  if (d.cursor_kind == CursorKind::kModified && state.cursor && !state.full_resync &&
      state.holds_cursor_field && store.modified_filter) {
    return plan(Strategy::kChildrenOfModifiedParents, d.fallback_path,
                d.name + ": the store has no " + d.path + " route (" + d.fallback_reason +
                    "); reading " + d.fallback_path + " of the " + d.parent->stream +
                    " modified since " + format_naive_utc(*state.cursor) + " (one request each)");
  }
  if (d.cursor_kind == CursorKind::kCreated) {
    // Creating a child re-saves its parent (a refund its order: wc_create_refund), so the
    // children created since the cursor are among the children of the parents modified since.
    ReadPlan p = plan(Strategy::kChildrenOfChangedParents, d.fallback_path,
                      d.name + ": the store has no " + d.path + " route (" + d.fallback_reason +
                          "); reading " + d.fallback_path + " of the " + d.parent->stream +
                          " changed since the last sync (one request each)");
    p.every_parent = state.full_pass_asked || !store.modified_filter;
    p.filter_by_cursor = true;
    return p;
  }
  ReadPlan p = plan(Strategy::kChildrenOfEveryParent, d.fallback_path,
                    d.name + ": the store has no " + d.path + " route (" + d.fallback_reason +
                        "); reading " + d.fallback_path + " through every " + d.parent->stream +
                        " record instead (one request each)");
  p.filter_by_cursor = true;
  return p;
}

} // namespace

ReadPlan plan_read(const StreamDefinition &d, const StoreFacts &store, SyncMode mode,
                   const StateFacts &state) {
  if (d.kind != "rest") {
    return plan(Strategy::kCustom, d.path);
  }
  if (mode == SyncMode::kIncremental) {
    return plan_incremental(d, store, state);
  }
  return plan_full_refresh(d, store);
}

} // namespace wc::source
