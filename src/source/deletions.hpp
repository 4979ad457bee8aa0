#pragma once
// Deletion detection for streams whose records the store can trash (orders, products,
// variations, coupons), as configured by `deletion_detection`:
//  - trash: trashed records are read (LifeCycle::kTrashed) since their own cursor and emitted as
//    tombstones: `_ab_cdc_deleted_at` set to the trash time, which is also their new
//    date_modified_gmt, so a destination's merge keeps the tombstone over the older version.
//    Records read by the normal pass carry `_ab_cdc_deleted_at: null`, so a restored record
//    comes back alive.
//  - trash_and_sweep: also an id sweep (ids only, 100 per request) compared with the ids seen
//    before (kept as ranges in the state). It is spread over syncs within
//    `sweep_requests_per_sync`; ids that vanished are confirmed gone by asking for them by id
//    before a tombstone stamped with the detection time is emitted.
#include <optional>

#include "source/id_ranges.hpp"
#include "source/read_context.hpp"
#include "state/stream_checkpoint.hpp"

namespace wc::source {

inline constexpr const char *kDeletedAt = "_ab_cdc_deleted_at";

// Reads trashed records since the checkpoint's trash cursor (none: from the start date) and
// returns its new value.
state::CursorSubState read_trash(ReadContext &ctx, const StreamDefinition &d,
                                 const std::optional<state::CursorSubState> &trash);

// Advances the id sweep of the checkpoint (none: a sweep from the start), adding `emitted` (ids
// emitted by this sync) to the known ids; returns the sweep's new progress.
state::SweepProgress sweep_deleted(ReadContext &ctx, const StreamDefinition &d,
                                   const std::optional<state::SweepProgress> &sweep,
                                   const IdRanges &emitted);

} // namespace wc::source
