// Concurrency in the incremental read (read_in_windows in source/stream_reader.cpp): with
// parallel_pages > 1 the range from the first record to the ceiling is split into date windows
// read side by side. Windows finish in any order; a checkpoint must only ever cover the
// contiguous finished windows from the start, never a window still being read. The fake store
// holds one window's requests on a latch (a condition variable, no sleeps) until every other
// window's records were emitted, so the out-of-order finish is forced, not hoped for.
#include <algorithm>
#include <atomic>
#include <gtest/gtest.h>

#include "engine_fakes.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

constexpr int kRecords = 80;
constexpr int kSpacing = 50;   // seconds between records: base, base+50, ..., base+3950
constexpr int kCeiling = 4000; // seconds after base
constexpr int kWidth = 2;      // parallel_pages: 2 * kWidth windows
constexpr int kWindows = 2 * kWidth;

// Window i covers [base + 1000 i, base + 1000 (i+1)): the engine's split of [first record,
// ceiling) into kWindows equal parts (its requests carry modified_before = the window's end).
UnixSeconds window_end(int i) { return base_time() + kCeiling * (i + 1) / kWindows; }

struct WindowedRead {
  std::vector<std::int64_t> emitted;
  std::vector<RecordingSink::State> states;
  std::size_t states_while_held = 0;
  bool held = false;
};

// Reads the orders with window `held` held back until every record outside it was emitted.
WindowedRead read_holding_window(int held) {
  FakeStore store;
  for (int i = 0; i < kRecords; ++i) {
    store.put("/orders", make_record(i + 1, base_time() + i * kSpacing));
  }
  RecordingSink sink;
  sink.check_state = claims_only_emitted(store.records("/orders"), "orders");
  const UnixSeconds lo = base_time() + kCeiling * held / kWindows;
  const UnixSeconds hi = window_end(held);
  std::set<std::int64_t> outside;
  for (const auto &r : store.records("/orders")) {
    const auto t = *parse_utc(r.at("date_modified_gmt").as_string());
    if (t < lo || t >= hi) {
      outside.insert(r.at("id").as_int64());
    }
  }
  WindowedRead run;
  std::atomic<bool> held_once{false};
  std::atomic<std::size_t> states_then{0};
  store.on_request = [&](const Request &r) {
    if (r.get("modified_before") != at(hi) || held_once.exchange(true)) {
      return;
    }
    // Latch: this window waits until the other windows emitted all their records.
    const bool others_done = sink.wait_records([&](const auto &records) {
      std::size_t n = 0;
      for (const auto &[s, rec] : records) {
        n += outside.count(rec.at("id").as_int64());
      }
      return n == outside.size();
    });
    EXPECT_TRUE(others_done) << "the other windows did not finish while window " << held
                             << " was held (deadlock guard)";
    states_then = sink.states().size();
  };
  const auto config = test_config(10);

  read_once(store, sink, config, "orders", SyncMode::kIncremental, nullptr, base_time() + kCeiling,
            [](source::ReadContext &ctx) { ctx.parallel_pages = kWidth; });

  run.held = held_once;
  run.states_while_held = states_then;
  run.emitted = sink.ids("orders");
  run.states = sink.states();
  return run;
}

std::vector<std::int64_t> all_ids() {
  std::vector<std::int64_t> v;
  for (int id = 1; id <= kRecords; ++id) {
    v.push_back(id);
  }
  return v;
}

} // namespace

// Guards the first window finishing last: while it is held no checkpoint at all may be emitted
// (each would claim its records), and once it finishes every record is emitted exactly once and
// the last checkpoint is the last record's second. Every state is checked on emission by
// claims_only_emitted.
TEST(EngineConcurrency, NoCheckpointWhileTheFirstWindowIsUnfinished) {
  const WindowedRead run = read_holding_window(0);
  ASSERT_TRUE(run.held) << "the first window was never requested: the split changed";
  EXPECT_EQ(run.states_while_held, 0u);
  auto emitted = run.emitted;
  std::sort(emitted.begin(), emitted.end());
  EXPECT_EQ(emitted, all_ids());
  EXPECT_EQ(run.emitted.size(), static_cast<std::size_t>(kRecords));
  ASSERT_FALSE(run.states.empty());
  const auto &last = run.states.back().blob.as_object();
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(base_time() + (kRecords - 1) * kSpacing));
  EXPECT_EQ(last.at("boundary_ids"), (json::array{kRecords}));
}

// Guards a middle window finishing last: the checkpoints may cover the first window, never the
// held one or the windows after it, until it is done.
TEST(EngineConcurrency, CheckpointsStopBeforeAnUnfinishedMiddleWindow) {
  const WindowedRead run = read_holding_window(1);
  ASSERT_TRUE(run.held) << "the second window was never requested: the split changed";
  for (std::size_t i = 0; i < run.states_while_held; ++i) {
    const auto c = *parse_utc(run.states[i].blob.at("date_modified_gmt").as_string());
    EXPECT_LT(c, window_end(0)) << json::serialize(run.states[i].blob);
  }
  auto emitted = run.emitted;
  std::sort(emitted.begin(), emitted.end());
  EXPECT_EQ(emitted, all_ids());
  EXPECT_EQ(run.emitted.size(), static_cast<std::size_t>(kRecords));
}

// Guards pages fetched ahead in a resumable full refresh (page_through with parallel_pages 3):
// page 2 is held until pages 3 and 4 were answered, so they arrive first; a state
// {resume_page: n} must still only be emitted once every record of the pages before n was.
TEST(EngineConcurrency, ResumePageNeverCoversAPageFetchedAheadButNotEmitted) {
  FakeStore store;
  for (int id = 1; id <= 45; ++id) {
    store.put("/orders", make_record(id, base_time() + id));
  }
  std::mutex mu;
  std::condition_variable cv;
  std::set<std::string> answered;
  bool waited = false;
  store.on_request = [&](const Request &r) {
    const std::string page = r.get("page");
    std::unique_lock lock(mu);
    if (page == "2") {
      // Latch: page 2 is answered only after pages 3 and 4 (bounded wait: a deadlock guard).
      waited = cv.wait_for(lock, std::chrono::seconds(20),
                           [&] { return answered.count("3") && answered.count("4"); });
    }
    answered.insert(page);
    cv.notify_all();
  };
  RecordingSink sink;
  sink.check_state = [](const std::string &, const json::value &blob,
                        const std::vector<std::pair<std::string, json::object>> &emitted) {
    const auto *n = blob.as_object().if_contains("resume_page");
    if (n == nullptr) {
      return;
    }
    std::set<std::int64_t> done;
    for (const auto &[s, rec] : emitted) {
      done.insert(rec.at("id").as_int64());
    }
    for (std::int64_t id = 1; id <= std::min<std::int64_t>((n->as_int64() - 1) * 10, 45); ++id) {
      if (done.count(id) == 0) {
        ADD_FAILURE() << json::serialize(blob) << " emitted before record " << id;
        return;
      }
    }
  };
  const auto config = test_config(10);

  read_once(store, sink, config, "orders", SyncMode::kFullRefresh, nullptr, std::nullopt,
            [](source::ReadContext &ctx) { ctx.parallel_pages = 3; });

  EXPECT_TRUE(waited) << "page 2 was not answered after pages 3 and 4";
  std::vector<std::int64_t> expected;
  for (int id = 1; id <= 45; ++id) {
    expected.push_back(id);
  }
  EXPECT_EQ(sink.ids("orders"), expected); // in page order, each once
  EXPECT_EQ(sink.last_state("orders"), (json::object{{"__ab_full_refresh_sync_complete", true}}));
}
