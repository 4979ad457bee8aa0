#include <gtest/gtest.h>

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/time_util.hpp"
#include "webhook/journal.hpp"
#include "webhook/journal_reader.hpp"

using wc::webhook::compute_down_times;
using wc::webhook::Delivery;
using wc::webhook::Journal;
using wc::webhook::JournalOptions;
using wc::webhook::JournalReader;
using wc::webhook::ReceiverRun;

namespace {

class TempJournal {
public:
  TempJournal() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("wcc-journal-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~TempJournal() { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "journal.db").string(); }

private:
  std::filesystem::path dir_;
};

Delivery update(const std::string &resource, std::int64_t id, const std::string &dmg,
                std::int64_t at_ms = wc::now_millis()) {
  Delivery d;
  d.resource = resource;
  d.event = "updated";
  d.topic = resource + ".updated";
  d.webhook_id = 7;
  d.delivery_id = "abc";
  d.record_id = id;
  d.date_modified_gmt = dmg;
  d.received_at_ms = at_ms;
  d.payload = R"({"id":)" + std::to_string(id) + R"(,"date_modified_gmt":")" + dmg + R"("})";
  return d;
}

Delivery deletion(const std::string &resource, std::int64_t id, std::int64_t at_ms) {
  Delivery d;
  d.resource = resource;
  d.event = "deleted";
  d.topic = resource + ".deleted";
  d.record_id = id;
  d.received_at_ms = at_ms;
  d.payload = R"({"id":)" + std::to_string(id) + "}";
  return d;
}

JournalOptions fast_options() {
  JournalOptions o;
  o.heartbeat_interval = std::chrono::milliseconds(50);
  return o;
}

} // namespace

TEST(WebhookJournal, UpdatesDedupOnResourceIdAndDateModified) {
  TempJournal tmp;
  Journal j(tmp.path(), fast_options());
  auto a = j.append(update("order", 1, "2026-11-29T01:07:20"));
  EXPECT_TRUE(a.stored);
  EXPECT_GT(a.seq, 0);
  // Same state delivered again (e.g. to the .created and the .updated webhook): duplicate.
  auto dup = j.append(update("order", 1, "2026-11-29T01:07:20"));
  EXPECT_FALSE(dup.stored);
  Delivery created = update("order", 1, "2026-11-29T01:07:20");
  created.event = "created";
  created.topic = "order.created";
  EXPECT_FALSE(j.append(created).stored);
  // A newer state, another id, another resource with the same id: stored.
  EXPECT_TRUE(j.append(update("order", 1, "2026-11-29T01:07:21")).stored);
  EXPECT_TRUE(j.append(update("order", 2, "2026-11-29T01:07:20")).stored);
  EXPECT_TRUE(j.append(update("product", 1, "2026-11-29T01:07:20")).stored);
  // A payload without date_modified_gmt is never deduplicated.
  EXPECT_TRUE(j.append(update("customer", 5, "")).stored);
  EXPECT_TRUE(j.append(update("customer", 5, "")).stored);
  j.close();
  EXPECT_EQ(j.stats().stored, 6);
  EXPECT_EQ(j.stats().duplicates, 2);

  JournalReader r(tmp.path());
  auto all = r.fetch(0, 100);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].seq, a.seq);
  EXPECT_EQ(all[0].resource, "order");
  EXPECT_EQ(all[0].topic, "order.updated");
  EXPECT_EQ(all[0].webhook_id, 7);
  EXPECT_EQ(all[0].delivery_id, "abc");
  EXPECT_EQ(all[0].payload, R"({"id":1,"date_modified_gmt":"2026-11-29T01:07:20"})");
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_GT(all[i].seq, all[i - 1].seq);
  }
}

TEST(WebhookJournal, DeletionsDedupOnIdEventAndArrivalSecond) {
  TempJournal tmp;
  Journal j(tmp.path(), fast_options());
  std::int64_t t = 1'800'000'000'000;
  EXPECT_TRUE(j.append(deletion("order", 9, t)).stored);
  EXPECT_FALSE(j.append(deletion("order", 9, t + 400)).stored); // same second
  EXPECT_TRUE(j.append(deletion("order", 9, t + 1000)).stored); // trashed again later
  EXPECT_TRUE(j.append(deletion("coupon", 9, t)).stored);
  // A deletion never collides with an update of the same record.
  EXPECT_TRUE(j.append(update("order", 9, "2026-01-01T00:00:00", t)).stored);
}

TEST(WebhookJournal, FetchPagesAfterSeq) {
  TempJournal tmp;
  Journal j(tmp.path(), fast_options());
  for (int i = 1; i <= 25; ++i) {
    j.append(update("order", i, "2026-11-29T01:00:00"));
  }
  JournalReader r(tmp.path()); // reading while the writer is open
  std::int64_t after = 0;
  std::vector<std::int64_t> ids;
  for (;;) {
    auto page = r.fetch(after, 10);
    if (page.empty()) {
      break;
    }
    EXPECT_LE(page.size(), 10u);
    for (const auto &c : page) {
      ids.push_back(c.record_id);
      after = c.seq;
    }
  }
  ASSERT_EQ(ids.size(), 25u);
  EXPECT_EQ(ids.front(), 1);
  EXPECT_EQ(ids.back(), 25);
  EXPECT_EQ(r.last_seq(), after);
}

TEST(WebhookJournal, RetentionDropsOldRowsAndBoundsCount) {
  TempJournal tmp;
  JournalOptions o = fast_options();
  o.retention_days = 14;
  o.max_rows = 5;
  Journal j(tmp.path(), o);
  std::int64_t now = wc::now_millis();
  std::int64_t day = 86'400'000;
  j.append(update("order", 1, "a", now - 20 * day));
  j.append(update("order", 2, "a", now - 15 * day));
  j.append(update("order", 3, "a", now - 13 * day));
  for (int i = 10; i < 16; ++i) {
    j.append(update("order", i, "a", now));
  }
  JournalReader r(tmp.path());
  std::int64_t last_before = r.last_seq();
  EXPECT_EQ(r.count(), 9);
  // Two rows older than 14 days, then the count bound keeps the newest 5.
  EXPECT_EQ(j.apply_retention(now), 4);
  auto rest = r.fetch(0, 100);
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_EQ(rest.front().record_id, 11);
  EXPECT_EQ(rest.back().record_id, 15);
  // Seqs are never reused after pruning.
  EXPECT_EQ(r.last_seq(), last_before);
  EXPECT_GT(j.append(update("order", 99, "a", now)).seq, last_before);
}

TEST(WebhookJournal, GroupCommitWithConcurrentWriters) {
  TempJournal tmp;
  Journal j(tmp.path(), fast_options());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 150;
  std::vector<std::vector<std::int64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto res = j.append(update("order", t * 10000 + i, "2026-11-29T01:00:00"));
        if (res.stored) {
          seqs[t].push_back(res.seq);
        }
      }
    });
  }
  // Plus every thread racing to store the very same change: exactly one copy survives.
  std::atomic<int> stored_same{0};
  std::vector<std::thread> racers;
  for (int t = 0; t < kThreads; ++t) {
    racers.emplace_back([&] {
      if (j.append(update("product", 42, "2026-11-29T02:00:00")).stored) {
        ++stored_same;
      }
    });
  }
  for (auto &th : threads) {
    th.join();
  }
  for (auto &th : racers) {
    th.join();
  }
  EXPECT_EQ(stored_same.load(), 1);
  std::set<std::int64_t> acknowledged;
  for (const auto &v : seqs) {
    EXPECT_EQ(v.size(), static_cast<std::size_t>(kPerThread));
    acknowledged.insert(v.begin(), v.end());
  }
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kThreads * kPerThread));
  auto stats = j.stats();
  EXPECT_EQ(stats.stored, kThreads * kPerThread + 1);
  EXPECT_EQ(stats.duplicates, kThreads - 1);
  // Grouping happened: fewer transactions than deliveries.
  EXPECT_LT(stats.transactions, stats.stored + stats.duplicates);
  // Every acknowledged seq is in the journal, after the writer closed, seen by a new reader.
  j.close();
  JournalReader r(tmp.path());
  std::set<std::int64_t> on_disk;
  for (const auto &c : r.fetch(0, 100000)) {
    on_disk.insert(c.seq);
  }
  for (auto s : acknowledged) {
    EXPECT_TRUE(on_disk.count(s)) << s;
  }
  EXPECT_EQ(on_disk.size(), acknowledged.size() + 1);
}

TEST(WebhookJournal, AppendAfterCloseThrows) {
  TempJournal tmp;
  Journal j(tmp.path(), fast_options());
  j.close();
  EXPECT_ANY_THROW(j.append(update("order", 1, "x")));
}

TEST(WebhookJournal, DownTimesFromRuns) {
  std::vector<ReceiverRun> runs = {
      {1, 1000, 5000, 6000}, // clean stop at 6000
      {2, 9000, 20000, 0},   // crashed after heartbeat 20000
      {3, 30000, 40000, 0},  // running (fresh heartbeat)
  };
  auto gaps = compute_down_times(runs, 0, 41000, 5000);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].from_ms, 6000);
  EXPECT_EQ(gaps[0].to_ms, 9000);
  EXPECT_EQ(gaps[1].from_ms, 20000);
  EXPECT_EQ(gaps[1].to_ms, 30000);
  // since filters out older gaps.
  EXPECT_EQ(compute_down_times(runs, 25000, 41000, 5000).size(), 1u);
  // A stale heartbeat on the last run means the receiver is down now.
  auto stale = compute_down_times(runs, 0, 60000, 5000);
  ASSERT_EQ(stale.size(), 3u);
  EXPECT_EQ(stale[2].from_ms, 40000);
  EXPECT_EQ(stale[2].to_ms, 60000);
  // A cleanly stopped last run is down since its stop.
  std::vector<ReceiverRun> stopped = {{1, 1000, 5000, 6000}};
  auto s = compute_down_times(stopped, 0, 7000, 5000);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].from_ms, 6000);
}

TEST(WebhookJournal, RunsRecordCleanStopAndCrash) {
  TempJournal tmp;
  {
    Journal first(tmp.path(), fast_options());
    first.append(update("order", 1, "x"));
  } // clean stop
  // A down time is at least one millisecond long: let the clock leave the stop's millisecond, or
  // a restart within it (a fast machine) leaves no gap to find.
  auto leave_this_millisecond = [] {
    for (const auto stopped = wc::now_millis(); wc::now_millis() <= stopped + 1;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  leave_this_millisecond();
  {
    Journal second(tmp.path(), fast_options());
    // Let at least one heartbeat land, then simulate a crash: no stop recorded.
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    second.close();
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(tmp.path().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE receiver_runs SET stopped_at_ms = NULL WHERE id = 2",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  leave_this_millisecond();
  Journal third(tmp.path(), fast_options());
  JournalReader r(tmp.path());
  auto runs = r.runs();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_NE(runs[0].stopped_at_ms, 0);
  EXPECT_EQ(runs[1].stopped_at_ms, 0);
  EXPECT_GT(runs[1].heartbeat_ms, runs[1].started_at_ms);
  EXPECT_EQ(runs[2].stopped_at_ms, 0);
  auto gaps = r.down_times(0, wc::now_millis());
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].from_ms, runs[0].stopped_at_ms);
  EXPECT_EQ(gaps[0].to_ms, runs[1].started_at_ms);
  EXPECT_EQ(gaps[1].from_ms, runs[1].heartbeat_ms); // crash: from the last heartbeat
  EXPECT_EQ(gaps[1].to_ms, runs[2].started_at_ms);
}

TEST(WebhookJournal, ReaderRefusesMissingFile) {
  EXPECT_ANY_THROW(JournalReader("/nonexistent-dir/wcc-journal.db"));
}
