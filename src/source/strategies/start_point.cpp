#include "source/checkpoint_json.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {

StartPoint start_point(const ReadOptions &options, const StreamDefinition &d,
                       const boost::json::object *state) {
  const checkpoint::CursorCheckpoint saved = checkpoint::read_cursor(d, state);
  StartPoint s{saved.cursor, saved.boundary_ids, saved.syncs_since_full, false};
  if (options.start_date && (!s.cursor || *s.cursor < *options.start_date)) {
    s.cursor = options.start_date;
    s.boundary_ids.clear();
  }
  const int every = options.full_resync_every_syncs;
  if (every > 0 && s.syncs_since_full + 1 >= every) {
    s.cursor = options.start_date;
    s.boundary_ids.clear();
    s.syncs_since_full = 0;
    s.full_resync = true;
  } else {
    ++s.syncs_since_full;
  }
  if (s.cursor && options.lookback_window_seconds > 0) {
    *s.cursor -= options.lookback_window_seconds;
    s.boundary_ids.clear();
  }
  return s;
}

void log_start(ReadContext &ctx, const StreamDefinition &d, const StartPoint &start) {
  if (start.full_resync) {
    ctx.out.log(protocol::LogLevel::kInfo,
                d.name + ": full resync (full_resync_every = " +
                    std::to_string(ctx.options.full_resync_every_syncs) +
                    ") to pick up changes that do not bump date_modified");
  }
}

} // namespace wc::source::strategies
