// The engine's state JSON, pinned byte for byte: it is the state format every earlier sync wrote
// and every later one reads. The engine reads a stream's blob once into a typed checkpoint
// (source::IncomingState, state::from_json) and writes every STATE as state::to_json of one
// built from it (the calls below are the strategies' own); the bytes are the ones the engine
// wrote before the typed checkpoint, plus "checkpoint_version": 2 at the end (the completion
// marker and the echo of a stream that did not move are written as before, without it).
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "catalog/definition_loader.hpp"
#include "core/error.hpp"
#include "source/id_ranges.hpp"
#include "source/incoming_state.hpp"
#include "source/strategies/strategies.hpp"

using namespace wc;
namespace json = boost::json;
using state::StreamCheckpoint;

namespace {

const UnixSeconds kT = *parse_utc("2026-11-20T10:00:00");

const source::StreamDefinition &def(const std::string &name) {
  return *catalog::find_definition(name);
}

json::object parse(const char *text) { return json::parse(text).as_object(); }

// The stream's incoming checkpoint, read as read_stream reads it.
StreamCheckpoint read(const std::string &stream, const json::object *blob) {
  return source::IncomingState::read(def(stream), blob).checkpoint;
}

std::string text(const StreamCheckpoint &cp) { return json::serialize(state::to_json(cp)); }

} // namespace

TEST(CheckpointJson, FullRefreshPagesAndCompletion) {
  EXPECT_EQ(text(StreamCheckpoint::full_refresh_page(4)),
            R"({"resume_page":4,"checkpoint_version":2})");
  EXPECT_EQ(text(StreamCheckpoint::full_refresh_complete_marker()),
            R"({"__ab_full_refresh_sync_complete":true})");
  const json::object resume = parse(R"({"resume_page":4})");
  EXPECT_EQ(read("tax_rates", &resume).first_page(), 4);
  const json::object done = parse(R"({"__ab_full_refresh_sync_complete":true,"resume_page":4})");
  EXPECT_EQ(read("tax_rates", &done).first_page(), 1); // a finished sync starts over
  EXPECT_EQ(read("tax_rates", nullptr).first_page(), 1);
  const json::object bad = parse(R"({"resume_page":-2})");
  EXPECT_THROW(read("tax_rates", &bad), Error);
}

TEST(CheckpointJson, CursorBlobKeepsTheCarriedMembersFirst) {
  // (The trash sub-state is one the connector writes: a typed sub-state always holds both keys.)
  const json::object state =
      parse(R"({"trash":{"date_modified_gmt":"2026-11-18T00:00:00","boundary_ids":[9]},)"
            R"("date_modified_gmt":"2026-11-19T00:00:00","boundary_ids":[1],"syncs_since_full":2,)"
            R"("resume_page":3})");
  const StreamCheckpoint saved = read("orders", &state);
  const StreamCheckpoint carry = saved.carried();
  EXPECT_EQ(text(carry),
            R"({"trash":{"date_modified_gmt":"2026-11-18T00:00:00","boundary_ids":[9]},)"
            R"("checkpoint_version":2})");
  EXPECT_EQ(text(carry.with_cursor(kT, {7, 3}, 3)),
            R"({"trash":{"date_modified_gmt":"2026-11-18T00:00:00","boundary_ids":[9]},)"
            R"("date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[3,7],)"
            R"("syncs_since_full":3,"checkpoint_version":2})");
  EXPECT_EQ(saved.start_cursor(), std::optional<UnixSeconds>(*parse_utc("2026-11-19T00:00:00")));
  EXPECT_EQ(saved.boundary_id_set(), (std::set<std::int64_t>{1}));
  EXPECT_EQ(saved.syncs_since_full, 2);
  // A stream that starts with no state writes its cursor blob alone, then with the deletion
  // sub-states ahead of it once they were read (server_cursor).
  StreamCheckpoint fresh = read("orders", nullptr);
  EXPECT_EQ(text(fresh.with_cursor(kT, {}, 1)),
            R"({"date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[],"syncs_since_full":1,)"
            R"("checkpoint_version":2})");
  fresh.trash = state::CursorSubState{"date_modified_gmt", kT, {2}, {}};
  fresh.sweep = state::SweepProgress{{{1, 5}}, std::nullopt, "any", 1, {}};
  EXPECT_EQ(text(fresh.with_cursor(kT, {}, 1)),
            R"({"trash":{"date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[2]},)"
            R"("sweep":{"known":[[1,5]],"phase":"any","page":1},)"
            R"("date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[],"syncs_since_full":1,)"
            R"("checkpoint_version":2})");
}

TEST(CheckpointJson, UnchangedKeepsTheIncomingStateAndUpdatesSubStates) {
  const json::object state = parse(R"({"date_modified_gmt":"2030-01-01T00:00:00","trash":{}})");
  const source::IncomingState incoming = source::IncomingState::read(def("orders"), &state);
  StreamCheckpoint same = incoming.checkpoint;
  same.trash = state::CursorSubState{"date_modified_gmt", kT, {2}, {}};
  same.syncs_since_full = 4;
  EXPECT_EQ(json::serialize(incoming.unchanged(same)),
            R"({"date_modified_gmt":"2030-01-01T00:00:00",)"
            R"("trash":{"date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[2]},)"
            R"("syncs_since_full":4,"checkpoint_version":2})");
  EXPECT_EQ(json::serialize(incoming.unchanged(incoming.checkpoint)), json::serialize(state));
}

TEST(CheckpointJson, ParentCursorOfAChildStream) {
  const auto &notes = def("order_notes");
  const json::object state =
      parse(R"({"parent_cursor":{"date_modified_gmt":"2026-11-19T00:00:00","boundary_ids":[5]},)"
            R"("journal":1})");
  const StreamCheckpoint saved = read("order_notes", &state);
  const auto start = source::strategies::parent_start(saved);
  EXPECT_EQ(start.start.cursor, std::optional<UnixSeconds>(*parse_utc("2026-11-19T00:00:00")));
  EXPECT_EQ(start.start.boundary_ids, (std::set<std::int64_t>{5}));
  EXPECT_FALSE(start.from_declared_cursor);
  EXPECT_EQ(text(saved.with_parent_cursor(kT, {}, notes.parent->cursor_field)),
            R"({"journal":1,"parent_cursor":{"date_modified_gmt":"2026-11-20T10:00:00",)"
            R"("boundary_ids":[]},"checkpoint_version":2})");
  const json::object declared = parse(R"({"date_created_gmt":"2026-11-18T00:00:00"})");
  EXPECT_TRUE(
      source::strategies::parent_start(read("order_notes", &declared)).from_declared_cursor);
}

TEST(CheckpointJson, TrashAndSweepSubStates) {
  StreamCheckpoint cp = read("orders", nullptr);
  cp.trash = state::CursorSubState{"date_modified_gmt", kT, {2}, {}};
  EXPECT_EQ(json::serialize(state::to_json(cp).at("trash")),
            R"({"date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[2]})");
  const json::object state =
      parse(R"({"sweep":{"known":[[1,5]],"seen":[[1,2]],"phase":"trash","page":3}})");
  const StreamCheckpoint saved = read("orders", &state);
  ASSERT_TRUE(saved.sweep);
  EXPECT_EQ(saved.sweep->phase, "trash");
  EXPECT_EQ(saved.sweep->page, 3);
  EXPECT_EQ(json::serialize(state::to_json(saved).at("sweep")), json::serialize(state.at("sweep")));
  // Where the engine's IdRanges meet the checkpoint's pairs: merged and sorted both ways.
  const auto seen = source::IdRanges::from_pairs({{4, 6}, {1, 2}, {3, 3}, {8, 9}});
  EXPECT_EQ(seen.pairs(), (state::IdRangeList{{1, 6}, {8, 9}}));
  cp.sweep = state::SweepProgress{seen.pairs(), std::nullopt, "any", 1, {}};
  EXPECT_EQ(json::serialize(state::to_json(cp).at("sweep")),
            R"({"known":[[1,6],[8,9]],"phase":"any","page":1})");
}
