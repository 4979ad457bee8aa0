// Client-side incremental: a full listing filtered on the cursor (streams whose route has no
// date filter, or stores whose date filter does not work).
#include "source/checkpoint_json.hpp"
#include "source/listing_checks.hpp"
#include "source/page_through.hpp"
#include "source/record_cursor.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;

void client_filtered(ReadContext &ctx, const StreamDefinition &d, const json::object *state,
                     const StartPoint &start) {
  const auto &cursor = start.cursor;
  const auto &ids = start.boundary_ids;
  CursorState best{cursor, ids};
  page_through(
      ctx, paged_listing_of(d.path, d), d.name, 1,
      [&](json::array &records, int) {
        for (auto &v : records) {
          auto &rec = v.as_object();
          auto t = record_time(rec, d.cursor_field);
          auto id = record_id(rec);
          if (t && cursor && (*t < *cursor || (*t == *cursor && id && ids.count(*id)))) {
            continue;
          }
          ctx.emit(d, rec);
          if (t && id) {
            if (!best.cursor || *t > *best.cursor) {
              best.cursor = t;
              best.boundary_ids = {*id};
            } else if (*t == *best.cursor) {
              best.boundary_ids.insert(*id);
            }
          }
        }
      },
      true, key_members(d));
  ctx.out.stream_state(d.name,
                       checkpoint::cursor_blob(d, capped(best, ctx.ceiling), start.syncs_since_full,
                                               checkpoint::carried(d, state)));
}

} // namespace wc::source::strategies
