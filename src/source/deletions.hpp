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
#include <boost/json/object.hpp>

#include "source/id_ranges.hpp"
#include "source/read_context.hpp"

namespace wc::source {

inline constexpr const char *kDeletedAt = "_ab_cdc_deleted_at";

// Reads trashed records since the sub-state `trash` (our cursor blob) and returns its new value.
boost::json::object read_trash(ReadContext &ctx, const StreamDefinition &d,
                               const boost::json::object *trash_state);

// Advances the id sweep held in `sweep_state`, adding `emitted` (ids emitted by this sync) to
// the known ids; returns the new sweep state.
boost::json::object sweep_deleted(ReadContext &ctx, const StreamDefinition &d,
                                  const boost::json::object *sweep_state, const IdRanges &emitted);

} // namespace wc::source
