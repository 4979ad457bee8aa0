// Incremental child streams found through their parents: the children of the parents changed
// since the parent cursor (kept in the state under "parent_cursor"), found with a cheap id + date
// projection of the parent listing.
#include "core/error.hpp"
#include "source/checkpoint_json.hpp"
#include "source/record_cursor.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;

CursorQuery changed_parents_query(ReadContext &ctx, const StreamDefinition &d,
                                  const std::string &type) {
  const ParentRef &parent = *d.parent;
  CursorQuery q;
  q.listing = listing_of(parent.path, parent.params);
  q.listing.type = type;
  q.listing.members = {"id", parent.cursor_field};
  q.time = WindowTime::kModified;
  q.field = parent.cursor_field;
  q.page_size = ctx.options.page_size;
  q.ceiling = ctx.ceiling;
  q.label = d.name;
  q.warn = [&ctx](const std::string &m) { ctx.warn(m); };
  return q;
}

void children_of_changed_parents(ReadContext &ctx, const StreamDefinition &d,
                                 const std::string &path, const json::object *state,
                                 const std::optional<UnixSeconds> &since, bool every_parent) {
  // A state keyed by the stream's declared cursor is read as the parents' cursor: every child
  // written since then re-saved its parent (a refund its order) or is covered only through
  // changed parents (ReadOptions::full_pass_children).
  const checkpoint::ParentCursor parent_cursor = checkpoint::read_parent_cursor(d, state);
  CursorState start = parent_cursor.start;
  if (parent_cursor.from_declared_cursor) {
    ctx.warn(d.name + ": the state holds " + d.cursor_field + " " +
             format_naive_utc(*start.cursor) + " and no parent_cursor: reading the " +
             d.parent->stream + " modified since then (" + d.parent->cursor_field + ") and their " +
             d.name + ", from the state's value");
  }
  if (!start.cursor && ctx.options.start_date) {
    start.cursor = ctx.options.start_date;
  }
  const json::object carry = checkpoint::without_parent_cursor(checkpoint::carried(d, state));
  auto blob_for = [&](const CursorState &s) { return checkpoint::with_parent_cursor(d, carry, s); };
  if (every_parent) {
    // A full pass: asked for, or the store cannot tell which parents changed.
    children_of_every_parent(ctx, d, path, std::nullopt, nullptr, false);
    CursorState end{ctx.ceiling ? std::optional<UnixSeconds>(*ctx.ceiling - 1) : start.cursor, {}};
    ctx.out.stream_state(d.name, blob_for(end));
    return;
  }
  CursorQuery q = changed_parents_query(ctx, d, {});
  read_by_cursor(
      ctx.pages, q, start,
      [&](json::object &parent) {
        if (auto id = record_id(parent)) {
          children_of_one_parent(ctx, d, path, *id, since);
        }
      },
      [&](const CursorState &s) { ctx.out.stream_state(d.name, blob_for(s)); });
}

} // namespace wc::source::strategies
