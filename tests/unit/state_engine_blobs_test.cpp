// The typed checkpoint against the blobs the engine really writes (not hand-written fixtures):
// every STATE the engine emits in the ways of reading a stream (full refresh by pages, cursor
// with trash and a sweep in progress, children through changed parents, nothing changed) reads
// into a StreamCheckpoint and goes back to the same JSON plus "checkpoint_version": 2.
#include <gtest/gtest.h>

#include "engine_fakes.hpp"
#include "state/stream_checkpoint.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

// Checks every state `sink` recorded; returns how many.
std::size_t check_round_trips(const RecordingSink &sink) {
  std::size_t n = 0;
  for (const auto &s : sink.states()) {
    ++n;
    EXPECT_TRUE(s.blob.is_object()) << s.stream;
    if (!s.blob.is_object()) {
      continue;
    }
    const json::object &blob = s.blob.as_object();
    const auto *d = catalog::find_definition(s.stream);
    const std::string field = d != nullptr ? d->cursor_field : std::string();
    json::object expected = blob;
    if (blob != json::object{{state::kFullRefreshCompleteKey, true}}) {
      expected[state::kCheckpointVersionKey] = state::kCheckpointVersion;
    }
    EXPECT_EQ(state::to_json(state::from_json(blob, field, s.stream)), expected)
        << s.stream << ": " << json::serialize(blob);
  }
  return n;
}

} // namespace

TEST(StateEngineBlobs, FullRefreshPagesAndTheCompletionMarker) {
  FakeStore store;
  for (int id = 1; id <= 35; ++id) {
    store.put("/taxes", make_record(id, base_time() + id));
  }
  RecordingSink sink;
  read_once(store, sink, test_config(10), "tax_rates", SyncMode::kFullRefresh, nullptr,
            base_time() + 1000);
  EXPECT_GE(check_round_trips(sink), 4u);
  EXPECT_TRUE(sink.last_state("tax_rates").contains(state::kFullRefreshCompleteKey));
}

TEST(StateEngineBlobs, CursorWithTrashAndASweepInProgressThenNothingChanged) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 245; ++id) {
    store.put("/orders", make_record(id, c + id / 3)); // three per second: boundary ids
  }
  store.put("/orders", make_record(246, c + 30, c - 1000, "trash"));
  auto config = test_config(10);
  config.deletion_detection = source::DeletionDetection::kTrashAndSweep;
  config.sweep_requests_per_sync = 2; // 246 ids need 4: the sweep stays in progress
  config.full_resync_every_syncs = 5;
  RecordingSink first;
  read_once(store, first, config, "orders", SyncMode::kIncremental, nullptr, c + 1000);
  EXPECT_GE(check_round_trips(first), 5u);
  json::object state = first.last_state("orders");
  ASSERT_TRUE(state.contains("sweep"));
  ASSERT_TRUE(state.at("sweep").as_object().contains("seen")) << "the sweep should be in progress";
  ASSERT_TRUE(state.contains("trash"));

  // What other writers add rides along: the journal position, a plugin's key.
  state["webhook_seq"] = 12;
  state["x_plugin"] = json::object{{"k", 1}};
  RecordingSink again;
  read_once(store, again, config, "orders", SyncMode::kIncremental, &state, c + 1001);
  EXPECT_TRUE(again.ids("orders").empty());
  EXPECT_GE(check_round_trips(again), 1u);
  EXPECT_EQ(again.last_state("orders").at("x_plugin"), (json::object{{"k", 1}}));
}

TEST(StateEngineBlobs, ChildrenThroughChangedParents) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 12; ++id) {
    store.put("/orders", make_record(id, c + id));
    store.put("/orders/" + std::to_string(id) + "/notes",
              json::object{{"id", id * 10}, {"date_created_gmt", at(c + id)}, {"note", "n"}});
  }
  RecordingSink sink;
  read_once(store, sink, test_config(5), "order_notes", SyncMode::kIncremental, nullptr, c + 1000);
  EXPECT_GE(check_round_trips(sink), 2u);
  EXPECT_TRUE(sink.last_state("order_notes").contains(state::kParentCursorKey));

  // A full pass ends at the ceiling with no boundary ids.
  auto config = test_config(5);
  config.full_pass_children = {"order_notes"};
  RecordingSink full;
  read_once(store, full, config, "order_notes", SyncMode::kIncremental, nullptr, c + 1000);
  EXPECT_GE(check_round_trips(full), 1u);
  EXPECT_EQ(full.last_state("order_notes").at("parent_cursor").at("boundary_ids"), json::array{});
}
