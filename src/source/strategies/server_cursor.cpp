// Incremental by the store's own date window: cursor paging (cursor_pager.hpp), in date windows
// read at once when the range is large (date_windows.hpp), then the deletion passes
// (deletions.hpp) when asked for.
#include <mutex>

#include "core/raw_record.hpp"
#include "source/checkpoint_json.hpp"
#include "source/date_windows.hpp"
#include "source/deletions.hpp"
#include "source/record_cursor.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;

void server_cursor(ReadContext &ctx, const StreamDefinition &d, const json::object *state,
                   const StartPoint &start) {
  const auto &cursor = start.cursor;
  const auto &ids = start.boundary_ids;
  const int syncs = start.syncs_since_full;
  json::object carry = checkpoint::carried(d, state);
  const bool trash = d.trash && ctx.options.deletion_detection != DeletionDetection::kOff;
  const bool sweep =
      trash && !d.parent && ctx.options.deletion_detection == DeletionDetection::kTrashAndSweep;
  CursorQuery q;
  q.listing = listing_of(d.path, d.params);
  q.time = d.cursor_kind == CursorKind::kCreated ? WindowTime::kCreated : WindowTime::kModified;
  q.field = d.cursor_field;
  q.page_size = ctx.options.page_size;
  q.ceiling = ctx.ceiling;
  q.label = d.name;
  q.warn = [&ctx](const std::string &m) { ctx.warn(m); };
  q.on_total = [&ctx, &d](std::int64_t total) { ctx.out.estimate(d.name, total); };
  IdRanges emitted_ids;
  std::mutex emitted_mu;
  auto emit_one = [&](ReadContext &c, json::object &rec) {
    if (trash) {
      set_member(rec, kDeletedAt, nullptr); // alive (a restored record comes back with null)
    }
    if (sweep) {
      if (auto id = record_id(rec)) {
        std::lock_guard lock(emitted_mu);
        emitted_ids.insert(*id);
      }
    }
    c.emit(d, rec);
  };
  CursorState last = capped(CursorState{cursor, ids}, ctx.ceiling);
  bool any_checkpoint = false;
  auto save_cursor = [&](const CursorState &s) {
    last = s;
    if (ctx.emitted > 0 || any_checkpoint) {
      ctx.out.stream_state(d.name, checkpoint::cursor_blob(d, s, syncs, carry));
    }
  };
  bool nothing = false;
  const bool windowed = read_in_windows(
      ctx, d, q, CursorState{cursor, ids}, emit_one,
      [&](const CursorState &s) {
        any_checkpoint = true;
        save_cursor(capped(s, ctx.ceiling));
      },
      nothing);
  if (!windowed && !nothing) {
    read_by_cursor(
        ctx.pages, q, CursorState{cursor, ids}, [&](json::object &rec) { emit_one(ctx, rec); },
        save_cursor);
  }
  const std::int64_t main_emitted = ctx.emitted;
  if (trash) {
    carry[checkpoint::kTrash] =
        read_trash(ctx, d, checkpoint::sub_state(state, checkpoint::kTrash));
  }
  if (sweep) {
    carry[checkpoint::kSweep] =
        sweep_deleted(ctx, d, checkpoint::sub_state(state, checkpoint::kSweep), emitted_ids);
  }
  if (main_emitted == 0 && state != nullptr) {
    // The cursor did not move: keep the incoming cursor exactly (a state in the future stays
    // there; a lookback never moves it backwards), updating only the sub-states.
    ctx.out.stream_state(d.name, checkpoint::unchanged(*state, carry,
                                                       ctx.options.full_resync_every_syncs > 0
                                                           ? std::optional<int>(syncs)
                                                           : std::nullopt));
    return;
  }
  ctx.out.stream_state(d.name, checkpoint::cursor_blob(d, last, syncs, carry));
}

} // namespace wc::source::strategies
