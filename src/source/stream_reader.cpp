#include "source/stream_reader.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "source/checkpoint_json.hpp"
#include "source/deletions.hpp"
#include "source/listing_checks.hpp"
#include "source/read_plan.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source {
namespace json = boost::json;

bool reads_raw_records(const StreamDefinition &definition) {
  return definition.kind == "rest" && definition.transform.empty();
}

KeptMembers raw_record_members(const std::vector<const StreamDefinition *> &streams) {
  KeptMembers kept{"id", kDeletedAt};
  for (const StreamDefinition *d : streams) {
    kept.push_back(d->cursor_field);
    for (const auto &field : key_members(*d)) {
      kept.push_back(field); // checked on every listing item (listing_checks.hpp)
    }
    if (d->parent) {
      kept.push_back(d->parent->key);
      kept.push_back(d->parent->source_field);
      kept.push_back(d->parent->cursor_field);
    }
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  kept.erase(std::remove(kept.begin(), kept.end(), std::string()), kept.end());
  return kept;
}

void read_stream(ReadContext &ctx, const StreamRequest &stream,
                 const json::object *incoming_state) {
  const StreamDefinition &d = *stream.definition;
  // Streams with a cursor of their own start from the state's cursor (start date, full resync
  // and lookback applied); children of changed parents keep the parents' cursor instead.
  std::optional<strategies::StartPoint> start;
  StateFacts facts;
  facts.full_pass_asked = ctx.options.full_pass_children.count(d.name) > 0;
  if (d.kind == "rest" && stream.sync_mode == SyncMode::kIncremental &&
      d.cursor_kind != CursorKind::kParent) {
    start = strategies::start_point(ctx.options, d, incoming_state);
    facts.cursor = start->cursor;
    facts.full_resync = start->full_resync;
    facts.holds_cursor_field = checkpoint::holds_cursor(d, incoming_state);
  }
  const ReadPlan plan =
      plan_read(d, StoreFacts{ctx.capabilities.has_route(d.path), ctx.capabilities.modified_filter},
                stream.sync_mode, facts);
  if (start) {
    strategies::log_start(ctx, d, *start);
  }
  if (!plan.warning.empty()) {
    ctx.warn(plan.warning);
  }
  switch (plan.strategy) {
  case Strategy::kCustom: {
    auto custom = ctx.custom_readers.find(d.kind);
    if (custom == ctx.custom_readers.end()) {
      throw system_error(d.name + ": no reader for stream kind " + d.kind);
    }
    custom->second(ctx, stream, incoming_state);
    return;
  }
  case Strategy::kFullListing:
    strategies::full_listing(ctx, d, incoming_state);
    return;
  case Strategy::kChildrenOfEveryParent:
    if (plan.resumable) {
      strategies::children_of_every_parent(ctx, d, plan.path, std::nullopt, incoming_state, true);
      ctx.out.stream_state(d.name, checkpoint::complete());
    } else {
      strategies::every_parent_filtered(ctx, d, plan.path, incoming_state, *start);
    }
    return;
  case Strategy::kChildrenOfChangedParents:
    strategies::children_of_changed_parents(
        ctx, d, plan.path, incoming_state,
        plan.filter_by_cursor && start ? start->cursor : std::nullopt, plan.every_parent);
    return;
  case Strategy::kChildrenOfModifiedParents:
    strategies::children_of_modified_parents(ctx, d, plan.path, incoming_state, *start);
    return;
  case Strategy::kClientFiltered:
    strategies::client_filtered(ctx, d, incoming_state, *start);
    return;
  case Strategy::kServerCursor:
    strategies::server_cursor(ctx, d, incoming_state, *start);
    return;
  }
}

} // namespace wc::source
