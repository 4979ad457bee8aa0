#pragma once
// An incremental read split into date windows read at once (cursor paging inside a window is
// sequential, so parallelism comes from the time range).
#include <boost/json/object.hpp>
#include <functional>

#include "source/cursor_pager.hpp"
#include "source/read_context.hpp"

namespace wc::source {

// Checkpoints only ever cover the contiguous finished windows from the start: every checkpoint
// stays a valid restart point. Returns false (and reads nothing) when the range is too small to
// be worth it; `nothing` is set when its probe found no record at all after the cursor (nothing
// is left to read).
bool read_in_windows(ReadContext &ctx, const StreamDefinition &d, const CursorQuery &q,
                     const CursorState &start,
                     const std::function<void(ReadContext &, boost::json::object &)> &emit_one,
                     const std::function<void(const CursorState &)> &checkpoint, bool &nothing);

} // namespace wc::source
