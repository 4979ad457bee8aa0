// An incremental child stream without its store-wide route (product_variations on older stores):
// saving a child re-saves its parent in the same second (seen on the real store, see
// docs/architecture.md), so the children modified since the cursor are among the children of the
// parents (of the stream's parent type) modified since then: one id + date listing of those
// parents, then one request per changed parent, instead of one per parent. Writes that bypass
// the parent's save (direct database imports, some plugins) are caught by the full pass of
// full_resync_every. The state stays keyed by the stream's own cursor field.
#include "core/error.hpp"
#include "source/checkpoint_json.hpp"
#include "source/record_cursor.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;

void children_of_modified_parents(ReadContext &ctx, const StreamDefinition &d,
                                  const std::string &path, const json::object *state,
                                  const StartPoint &start) {
  const UnixSeconds cursor = *start.cursor;
  const int syncs = start.syncs_since_full;
  const json::object carry = checkpoint::carried(d, state);
  CursorQuery q = changed_parents_query(ctx, d, d.parent->type);
  const std::optional<UnixSeconds> since = cursor;
  read_by_cursor(
      ctx.pages, q, CursorState{cursor, {}},
      [&](json::object &p) {
        if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
          throw transient_error(d.name + ": interrupted");
        }
        if (auto id = record_id(p)) {
          children_of_one_parent(ctx, d, path, *id, since);
        }
      },
      [&](const CursorState &s) {
        // Every child of a parent modified before s.cursor was read: a valid restart point.
        if (ctx.emitted > 0 && s.cursor) {
          ctx.out.stream_state(d.name,
                               checkpoint::cursor_blob(d, CursorState{s.cursor, {}}, syncs, carry));
        }
      });
  if (ctx.emitted == 0 && state != nullptr) {
    // Nothing changed: keep the incoming cursor (a lookback never moves it backwards).
    ctx.out.stream_state(d.name, checkpoint::unchanged(*state, {},
                                                       ctx.options.full_resync_every_syncs > 0
                                                           ? std::optional<int>(syncs)
                                                           : std::nullopt));
    return;
  }
  CursorState end{ctx.ceiling ? std::optional<UnixSeconds>(*ctx.ceiling - 1) : since, {}};
  ctx.out.stream_state(d.name, checkpoint::cursor_blob(d, end, syncs, carry));
}

} // namespace wc::source::strategies
