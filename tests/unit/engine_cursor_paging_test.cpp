// Incremental cursor paging against a store whose date filters are exclusive at one-second
// resolution (source/cursor_pager.cpp through read_stream): the boundary second of a saved
// cursor, a second holding more records than a page, and the ceiling (the store's clock at sync
// start) that a checkpoint never passes.
#include <algorithm>
#include <gtest/gtest.h>

#include "engine_fakes.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

json::array ids_of(const json::object &blob) { return blob.at("boundary_ids").as_array(); }

} // namespace

// Guards the boundary second: a saved cursor C with boundary_ids [1, 2] means records 1 and 2 of
// second C were emitted. The next read must ask from C-1 (the bound is exclusive, so a record
// modified exactly at C is not lost), skip 1 and 2, and emit 3 (same second) and what is newer.
TEST(EngineCursorPaging, BoundarySecondSkipsEmittedIdsAndKeepsTheOthers) {
  const UnixSeconds c = base_time();
  FakeStore store;
  store.put("/orders", make_record(10, c - 1)); // older than the cursor: emitted long ago
  store.put("/orders", make_record(1, c));
  store.put("/orders", make_record(2, c));
  store.put("/orders", make_record(3, c)); // same second, not emitted yet
  store.put("/orders", make_record(4, c + 5));
  RecordingSink sink;
  sink.check_state =
      claims_only_emitted(store.records("/orders"), "orders", "date_modified_gmt", "", {10, 1, 2});
  const auto config = test_config();
  json::object state{{"date_modified_gmt", at(c)}, {"boundary_ids", json::array{1, 2}}};

  read_once(store, sink, config, "orders", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(sorted(sink.ids("orders")), (std::vector<std::int64_t>{3, 4}));
  const auto requests = store.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].get("modified_after"), at(c - 1));
  EXPECT_EQ(requests[0].get("orderby"), "modified");
  EXPECT_EQ(requests[0].get("order"), "asc");
  const auto &last = sink.last_state("orders");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(c + 5));
  EXPECT_EQ(ids_of(last), (json::array{4}));
}

// Guards the boundary when the cursor second keeps gaining records over several syncs: a record
// written later in second C (id 5, after ids 1..4 were emitted) is emitted, once.
TEST(EngineCursorPaging, ARecordAddedLaterInTheCursorSecondIsEmittedOnce) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 5; ++id) {
    store.put("/orders", make_record(id, c));
  }
  RecordingSink sink;
  const auto config = test_config();
  json::object state{{"date_modified_gmt", at(c)}, {"boundary_ids", json::array{1, 2, 3, 4}}};

  read_once(store, sink, config, "orders", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(sink.ids("orders"), (std::vector<std::int64_t>{5}));
  const auto &last = sink.last_state("orders");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(c));
  EXPECT_EQ(ids_of(last), (json::array{1, 2, 3, 4, 5}));
}

// Guards the crowded second: 250 records share one date_modified_gmt with per_page 100 (the
// date filter cannot split them), between records before and after it. Each is emitted exactly
// once, the second is read as its own window (after = S-1, before = S+1, page numbers), and no
// checkpoint claims a record not emitted yet.
TEST(EngineCursorPaging, CrowdedSecondLargerThanAPageIsReadExactlyOnce) {
  const UnixSeconds s = base_time() + 50;
  FakeStore store;
  std::vector<std::int64_t> all;
  for (int id = 1; id <= 5; ++id) {
    store.put("/orders", make_record(id, base_time() + id));
    all.push_back(id);
  }
  for (int id = 101; id <= 350; ++id) {
    store.put("/orders", make_record(id, s));
    all.push_back(id);
  }
  for (int id = 400; id <= 402; ++id) {
    store.put("/orders", make_record(id, s + 10));
    all.push_back(id);
  }
  RecordingSink sink;
  sink.check_state = claims_only_emitted(store.records("/orders"), "orders");
  const auto config = test_config(100);

  read_once(store, sink, config, "orders", SyncMode::kIncremental, nullptr, s + 1000);

  const auto emitted = sink.ids("orders");
  EXPECT_EQ(emitted.size(), all.size()) << "records emitted more than once or lost";
  EXPECT_EQ(sorted(emitted), all);
  bool window = false;
  for (const auto &r : store.requests()) {
    window = window || (r.get("modified_after") == at(s - 1) &&
                        r.get("modified_before") == at(s + 1) && r.get("page") == "3");
  }
  EXPECT_TRUE(window) << "the crowded second was not read as its own paged window";
  const auto &last = sink.last_state("orders");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(s + 10));
  EXPECT_EQ(ids_of(last), (json::array{400, 401, 402}));
}

// Guards resuming inside a crowded second: the state says 150 of the 250 records of second S
// were emitted; the other 100 (and only they) are emitted.
TEST(EngineCursorPaging, CrowdedSecondResumedFromItsBoundaryIds) {
  const UnixSeconds s = base_time();
  FakeStore store;
  json::array done;
  std::set<std::int64_t> before;
  for (int id = 101; id <= 350; ++id) {
    store.put("/orders", make_record(id, s));
    if (id <= 250) {
      done.push_back(id);
      before.insert(id);
    }
  }
  RecordingSink sink;
  sink.check_state =
      claims_only_emitted(store.records("/orders"), "orders", "date_modified_gmt", "", before);
  const auto config = test_config(100);
  json::object state{{"date_modified_gmt", at(s)}, {"boundary_ids", done}};

  read_once(store, sink, config, "orders", SyncMode::kIncremental, &state, s + 1000);

  std::vector<std::int64_t> expected;
  for (int id = 251; id <= 350; ++id) {
    expected.push_back(id);
  }
  EXPECT_EQ(sorted(sink.ids("orders")), expected);
  EXPECT_EQ(sink.last_state("orders").at("boundary_ids").as_array().size(), 250u);
}

// Guards the checkpoint ceiling: the store's clock read T at sync start (ctx.ceiling); record 2
// was saved during the sync, in second T. No checkpoint may pass T-1, because second T is still
// running: record 2 saved again within T keeps date_modified_gmt T, and the next sync must read
// that new version (a cursor of T with boundary id 2 would skip it for good).
TEST(EngineCursorPaging, CheckpointNeverPassesTheCeilingSecond) {
  const UnixSeconds t = base_time() + 100;
  FakeStore store;
  store.put("/orders", make_record(1, t - 10));
  store.put("/orders", make_record(2, t)); // written during the sync
  RecordingSink first;
  const auto config = test_config();

  read_once(store, first, config, "orders", SyncMode::kIncremental, nullptr, t);

  EXPECT_EQ(sorted(first.ids("orders")), (std::vector<std::int64_t>{1, 2}));
  for (const auto &st : first.states()) {
    const auto *c = st.blob.as_object().if_contains("date_modified_gmt");
    ASSERT_NE(c, nullptr);
    EXPECT_LE(*parse_utc(c->as_string()), t - 1) << json::serialize(st.blob);
  }
  const json::object saved = first.last_state("orders");
  EXPECT_EQ(saved.at("date_modified_gmt").as_string(), at(t - 1));
  EXPECT_TRUE(ids_of(saved).empty());

  // Record 2 saved again in the same second T, after the first sync read it.
  store.put("/orders", make_record(2, t, std::nullopt, "completed"));
  RecordingSink second;
  read_once(store, second, config, "orders", SyncMode::kIncremental, &saved, t + 50);
  const auto records = second.records();
  const auto it = std::find_if(records.begin(), records.end(),
                               [](const auto &r) { return r.second.at("id").as_int64() == 2; });
  ASSERT_NE(it, records.end()) << "the second version of record 2 (same second) was lost";
  EXPECT_EQ(it->second.at("status").as_string(), "completed");
}

// Guards the ceiling when the listing ends well before it: the cursor is the last record's
// second (with its ids), not the ceiling, so nothing between them is skipped.
TEST(EngineCursorPaging, CursorStaysAtTheLastRecordBelowTheCeiling) {
  const UnixSeconds t = base_time() + 100;
  FakeStore store;
  store.put("/orders", make_record(1, t - 10));
  store.put("/orders", make_record(2, t - 10));
  RecordingSink sink;
  const auto config = test_config();

  read_once(store, sink, config, "orders", SyncMode::kIncremental, nullptr, t);

  const auto &last = sink.last_state("orders");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(t - 10));
  EXPECT_EQ(ids_of(last), (json::array{1, 2}));
}
