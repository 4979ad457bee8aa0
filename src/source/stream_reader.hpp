#pragma once
// Reads one configured stream to the sink: plan_read (read_plan.hpp) picks the way, one of the
// strategies (strategies/) reads: full refresh (resumable by page), incremental by the store's
// date window (cursor_pager, date_windows), client-side filtered incremental, and child streams
// read through their parents. Generic: the store's specifics come in through the ReadContext's
// hooks and its page source.
#include <boost/json/object.hpp>
#include <vector>

#include "core/record_page.hpp"
#include "source/page_through.hpp"
#include "source/read_context.hpp"
#include "source/stream_definition.hpp"
#include "source/stream_request.hpp"

namespace wc::source {

// True when the stream's records can be read as raw records (core/raw_record.hpp): plain REST
// streams without a transform, whose code reads only top-level scalars. Custom readers and
// transforms get full trees.
bool reads_raw_records(const StreamDefinition &definition);
// The top-level members raw records of these streams keep as values: every member the engine
// reads (ids, cursor fields, the parents' cursor fields, parent ids in child payloads) or adds
// (parent keys, _ab_cdc_deleted_at: kept so that a payload already holding one is seen).
KeptMembers raw_record_members(const std::vector<const StreamDefinition *> &streams);

// Reads the stream; throws wc::Error on failure (the caller reports it and goes on).
void read_stream(ReadContext &ctx, const StreamRequest &stream,
                 const boost::json::object *incoming_state);

} // namespace wc::source
