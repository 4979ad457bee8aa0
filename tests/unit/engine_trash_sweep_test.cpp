// Deletion detection (source/deletions.cpp through read_stream): trashed records become
// tombstones, and the id sweep finds records deleted for good, within its request budget per
// sync, keeping its progress in the state.
#include <algorithm>
#include <gtest/gtest.h>

#include "engine_fakes.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

// The sweep's id listings (not the include= confirmations).
int sweep_requests(const FakeStore &store) {
  int n = 0;
  for (const auto &r : store.requests()) {
    n += r.get("_fields") == "id" && r.get("orderby") == "id" && !r.has("include");
  }
  return n;
}

// Ids of the records emitted with a non-null _ab_cdc_deleted_at.
std::vector<std::int64_t> tombstones(const RecordingSink &sink) {
  std::vector<std::int64_t> ids;
  for (const auto &[stream, rec] : sink.records()) {
    const auto *d = rec.if_contains("_ab_cdc_deleted_at");
    if (d != nullptr && !d->is_null()) {
      ids.push_back(rec.at("id").as_int64());
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

} // namespace

// Guards trash detection: a record trashed since the trash cursor is read with status=trash and
// emitted as a tombstone whose _ab_cdc_deleted_at is its trash time (= its new
// date_modified_gmt); live records carry _ab_cdc_deleted_at null; the trash cursor is kept in the
// state under "trash", beside the main cursor.
TEST(EngineTrashSweep, TrashedRecordsBecomeTombstones) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 5; ++id) {
    store.put("/orders", make_record(id, c + id));
  }
  store.put("/orders", make_record(6, c + 8, c - 1000, "trash"));
  RecordingSink sink;
  auto config = test_config();
  config.deletion_detection = source::DeletionDetection::kTrash;
  json::object state{
      {"date_modified_gmt", at(c)},
      {"boundary_ids", json::array{}},
      {"trash", json::object{{"date_modified_gmt", at(c)}, {"boundary_ids", json::array{}}}}};

  read_once(store, sink, config, "orders", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(sorted(sink.ids("orders")), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  for (const auto &[stream, rec] : sink.records()) {
    const auto id = rec.at("id").as_int64();
    ASSERT_TRUE(rec.contains("_ab_cdc_deleted_at")) << id;
    if (id == 6) {
      EXPECT_EQ(rec.at("_ab_cdc_deleted_at").as_string(), format_rfc3339(c + 8));
      EXPECT_EQ(rec.at("date_modified_gmt").as_string(), at(c + 8));
    } else {
      EXPECT_TRUE(rec.at("_ab_cdc_deleted_at").is_null()) << id;
    }
  }
  bool trash_request = false;
  for (const auto &r : store.requests()) {
    trash_request =
        trash_request || (r.get("status") == "trash" && r.get("modified_after") == at(c - 1));
  }
  EXPECT_TRUE(trash_request);
  const auto &last = sink.last_state("orders");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(c + 5));
  EXPECT_EQ(last.at("trash").at("date_modified_gmt").as_string(), at(c + 8));
  EXPECT_EQ(last.at("trash").at("boundary_ids"), (json::array{6}));
}

// Guards the sweep: 250 live orders, one trashed, and the state knows ids 1..260, so 252..260
// were deleted for good. The sweep needs 4 id pages (3 of status any, 1 of trash); with 2
// requests per sync it stops after 2, keeps its progress (phase, page, ids seen) in the state and
// emits nothing; the next sync goes on from there, completes, confirms the missing ids with
// include= and emits one tombstone per deleted id, stamped with the sync's start time.
TEST(EngineTrashSweep, SweepFindsDeletedIdsWithinItsBudgetAcrossSyncs) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 250; ++id) {
    store.put("/orders", make_record(id, c - 1000 + id));
  }
  store.put("/orders", make_record(251, c - 500, std::nullopt, "trash"));
  auto config = test_config();
  config.deletion_detection = source::DeletionDetection::kTrashAndSweep;
  config.sweep_requests_per_sync = 2;
  json::object state{
      {"date_modified_gmt", at(c)},
      {"boundary_ids", json::array{}},
      {"trash", json::object{{"date_modified_gmt", at(c)}, {"boundary_ids", json::array{}}}},
      {"sweep", json::object{{"known", json::array{json::array{1, 260}}}}}};

  RecordingSink first;
  read_once(store, first, config, "orders", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(sweep_requests(store), 2);
  EXPECT_TRUE(first.ids("orders").empty());
  const json::object after_first = first.last_state("orders");
  const auto &sweep = after_first.at("sweep").as_object();
  EXPECT_EQ(sweep.at("phase").as_string(), "any");
  EXPECT_EQ(sweep.at("page").as_int64(), 3);
  EXPECT_EQ(sweep.at("seen"), (json::array{json::array{1, 200}}));
  EXPECT_EQ(after_first.at("date_modified_gmt").as_string(), at(c)); // the cursor did not move

  store.clear_requests();
  RecordingSink second;
  read_once(store, second, config, "orders", SyncMode::kIncremental, &after_first, c + 200);

  EXPECT_EQ(sweep_requests(store), 2); // page 3 of any, page 1 of trash
  std::vector<std::int64_t> gone;
  for (int id = 252; id <= 260; ++id) {
    gone.push_back(id);
  }
  EXPECT_EQ(tombstones(second), gone);
  for (const auto &[stream, rec] : second.records()) {
    EXPECT_EQ(rec.at("_ab_cdc_deleted_at").as_string(), format_rfc3339(c + 200));
  }
  bool confirmed = false;
  for (const auto &r : store.requests()) {
    confirmed = confirmed || r.get("include").rfind("252,253", 0) == 0;
  }
  EXPECT_TRUE(confirmed) << "the missing ids were not confirmed with include=";
  const auto &done = second.last_state("orders").at("sweep").as_object();
  EXPECT_EQ(done.at("known"), (json::array{json::array{1, 251}}));
  EXPECT_EQ(done.at("page").as_int64(), 1);
}

// Guards the include= confirmation: an id missing from the sweep's listing but still answered by
// include= (a listing that shifted while the sweep spanned syncs) is alive: no tombstone.
TEST(EngineTrashSweep, AnIdConfirmedAliveIsNoTombstone) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 5; ++id) {
    store.put("/orders", make_record(id, c - 100 + id));
  }
  // Order 7 exists, but is missing from the sweep's id listing (it moved between its pages).
  auto config = test_config();
  config.deletion_detection = source::DeletionDetection::kTrashAndSweep;
  // The sweep is on its last page (trash phase) and has seen 1..5 but not 6 or 7.
  json::object state{
      {"date_modified_gmt", at(c)},
      {"boundary_ids", json::array{}},
      {"trash", json::object{{"date_modified_gmt", at(c)}, {"boundary_ids", json::array{}}}},
      {"sweep", json::object{{"known", json::array{json::array{1, 7}}},
                             {"seen", json::array{json::array{1, 5}}},
                             {"phase", "trash"},
                             {"page", 1}}}};
  store.put("/orders", make_record(7, c - 50));
  RecordingSink sink;

  read_once(store, sink, config, "orders", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(tombstones(sink), (std::vector<std::int64_t>{6}));
  EXPECT_EQ(sink.last_state("orders").at("sweep").at("known"),
            (json::array{json::array{1, 5}, json::array{7, 7}}));
}
