// Resumable full refresh (read_full in source/stream_reader.cpp): a state {resume_page: n} after
// each page, which a later sync restarts from, and the completion marker at the end.
#include <gtest/gtest.h>

#include "engine_fakes.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

// 35 orders, ids 1..35: four pages of 10 in id order.
void fill(FakeStore &store) {
  for (int id = 1; id <= 35; ++id) {
    store.put("/orders", make_record(id, base_time() + id));
  }
}

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> v;
  for (auto id = first; id <= last; ++id) {
    v.push_back(id);
  }
  return v;
}

std::vector<std::string> pages_asked(const FakeStore &store) {
  std::vector<std::string> pages;
  for (const auto &r : store.requests()) {
    pages.push_back(r.get("page"));
  }
  return pages;
}

} // namespace

// Guards the per-page checkpoint: after each page a state {resume_page: next} is emitted, only
// once that page's records were emitted (a checkpoint before the records would let a crash lose
// them), and the last state is the completion marker.
TEST(EngineFullRefreshResume, AStateAfterEachPageThenTheCompletionMarker) {
  FakeStore store;
  fill(store);
  RecordingSink sink;
  const auto config = test_config(10);

  read_once(store, sink, config, "orders", SyncMode::kFullRefresh, nullptr, std::nullopt);

  EXPECT_EQ(sink.ids("orders"), range(1, 35));
  const auto states = sink.states();
  ASSERT_EQ(states.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(states[i].blob, (json::object{{"resume_page", i + 2}, {"checkpoint_version", 2}}));
    // Every record of pages 1..i+1 was emitted before the state naming page i+2.
    EXPECT_EQ(states[i].records_before, static_cast<std::size_t>(std::min(35, (i + 1) * 10)));
  }
  EXPECT_EQ(states[4].blob, (json::object{{"__ab_full_refresh_sync_complete", true}}));
  EXPECT_EQ(pages_asked(store), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(store.requests()[0].get("orderby"), "id"); // a stable order for page numbers
}

// Guards the resume: a state {resume_page: 3} restarts at page 3 (records 21..35), not page 1.
TEST(EngineFullRefreshResume, AResumePageStateRestartsAtThatPage) {
  FakeStore store;
  fill(store);
  RecordingSink sink;
  const auto config = test_config(10);
  json::object state{{"resume_page", 3}};

  read_once(store, sink, config, "orders", SyncMode::kFullRefresh, &state, std::nullopt);

  EXPECT_EQ(sink.ids("orders"), range(21, 35));
  EXPECT_EQ(pages_asked(store), (std::vector<std::string>{"3", "4"}));
  const auto states = sink.states();
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].blob, (json::object{{"resume_page", 4}, {"checkpoint_version", 2}}));
  EXPECT_EQ(states[1].blob, (json::object{{"resume_page", 5}, {"checkpoint_version", 2}}));
  EXPECT_EQ(states[2].blob, (json::object{{"__ab_full_refresh_sync_complete", true}}));
}

// Guards the completion marker: a state saying the previous full refresh completed starts the
// next one from page 1.
TEST(EngineFullRefreshResume, ACompletedStateStartsAgainFromPageOne) {
  FakeStore store;
  fill(store);
  RecordingSink sink;
  const auto config = test_config(10);
  json::object state{{"__ab_full_refresh_sync_complete", true}, {"resume_page", 3}};

  read_once(store, sink, config, "orders", SyncMode::kFullRefresh, &state, std::nullopt);

  EXPECT_EQ(sink.ids("orders"), range(1, 35));
  EXPECT_EQ(pages_asked(store).front(), "1");
}

// Guards the resume of a child stream read through its parents (order_notes, full refresh):
// resume_page counts the parents' pages; a resumed read starts at that parent page.
TEST(EngineFullRefreshResume, ChildStreamResumesAtTheParentPage) {
  FakeStore store;
  for (int id = 1; id <= 25; ++id) {
    store.put("/orders", make_record(id, base_time() + id));
    store.put("/orders/" + std::to_string(id) + "/notes",
              json::object{{"id", id * 100}, {"date_created_gmt", at(base_time())}});
  }
  RecordingSink sink;
  const auto config = test_config(10);
  json::object state{{"resume_page", 2}};

  read_once(store, sink, config, "order_notes", SyncMode::kFullRefresh, &state, std::nullopt);

  std::vector<std::int64_t> expected;
  for (int id = 11; id <= 25; ++id) {
    expected.push_back(id * 100);
  }
  EXPECT_EQ(sink.ids("order_notes"), expected);
  for (const auto &[stream, rec] : sink.records()) {
    EXPECT_EQ(rec.at("order_id").as_int64() * 100, rec.at("id").as_int64());
  }
  const auto states = sink.states();
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].blob, (json::object{{"resume_page", 3}, {"checkpoint_version", 2}}));
  EXPECT_EQ(states[0].records_before, 10u);
  EXPECT_EQ(states[2].blob, (json::object{{"__ab_full_refresh_sync_complete", true}}));
}
