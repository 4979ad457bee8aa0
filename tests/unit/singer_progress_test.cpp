// ProgressSink: forwards everything untouched and renders per-stream progress for people.
#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <gtest/gtest.h>
#include <thread>

#include "cli/progress_sink.hpp"

namespace json = boost::json;
using wc::cli::ProgressOptions;
using wc::cli::ProgressSink;
using wc::protocol::LogLevel;
using wc::protocol::StreamStatus;

namespace {

struct Recorder : wc::protocol::MessageSink {
  std::vector<std::string> calls;
  void record(std::string_view s, std::string_view d) override {
    calls.push_back("record " + std::string(s) + " " + std::string(d));
  }
  void stream_state(std::string_view s, const json::value &) override {
    calls.push_back("state " + std::string(s));
  }
  void log(LogLevel, std::string_view m) override { calls.push_back("log " + std::string(m)); }
  void stream_status(std::string_view s, StreamStatus st, std::int64_t until) override {
    calls.push_back("status " + std::string(s) + " " + std::to_string(static_cast<int>(st)) + " " +
                    std::to_string(until));
  }
  void estimate(std::string_view s, std::int64_t rows) override {
    calls.push_back("estimate " + std::string(s) + " " + std::to_string(rows));
  }
  void error(wc::FailureType, std::string_view m, std::string_view, std::string_view) override {
    calls.push_back("error " + std::string(m));
  }
  void message(const json::object &) override { calls.push_back("message"); }
};

std::string read_all(std::FILE *f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    out.append(buf, n);
  }
  return out;
}

} // namespace

TEST(ProgressSink, ForwardsEveryMessageUnchanged) {
  Recorder inner;
  std::FILE *err = std::tmpfile();
  {
    ProgressSink p(inner, err, ProgressOptions{false, {}, {}, {}});
    p.stream_status("orders", StreamStatus::kStarted);
    p.estimate("orders", 3);
    p.record("orders", R"({"id":1})");
    p.stream_state("orders", json::object{});
    p.log(LogLevel::kInfo, "hello");
    p.error(wc::FailureType::kTransient, "boom", "", "");
    p.message(json::object{});
  }
  std::vector<std::string> want{"status orders 0 0",
                                "estimate orders 3",
                                "record orders {\"id\":1}",
                                "state orders",
                                "log hello",
                                "error boom",
                                "message"};
  EXPECT_EQ(inner.calls, want);
  std::fclose(err);
}

TEST(ProgressSink, RendersCountsEstimateRateAndRateLimitWait) {
  Recorder inner;
  std::FILE *err = std::tmpfile();
  std::int64_t now = 1'000'000;
  ProgressOptions options;
  options.ansi = false;
  options.clock = [&now] { return now; };
  ProgressSink p(inner, err, options);
  p.stream_status("orders", StreamStatus::kStarted);
  p.estimate("orders", 400);
  for (int i = 0; i < 100; ++i) {
    p.record("orders", "{}");
  }
  p.stream_status("coupons", StreamStatus::kStarted);
  now += 2000;
  p.stream_status("coupons", StreamStatus::kRunning, now + 30'000);
  auto lines = p.render(now);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("100 records"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("2 running"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("orders"), std::string::npos);
  EXPECT_NE(lines[1].find("100 / 400"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("25%"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("50/s"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("coupons"), std::string::npos);
  EXPECT_NE(lines[2].find("waiting on rate limit until"), std::string::npos) << lines[2];
  // Past the reset time the stream is simply running again.
  EXPECT_EQ(p.render(now + 31'000)[2].find("waiting"), std::string::npos);
  p.stream_status("orders", StreamStatus::kComplete);
  p.stream_status("coupons", StreamStatus::kIncomplete);
  lines = p.render(now);
  EXPECT_NE(lines[0].find("1 done, 1 failed"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("done"), std::string::npos);
  EXPECT_NE(lines[2].find("failed"), std::string::npos);
  p.finish();
  std::string text = read_all(err);
  EXPECT_NE(text.find("progress: coupons: waiting on rate limit until"), std::string::npos) << text;
  EXPECT_NE(text.find("progress: orders: done, 100 records (estimate 400)"), std::string::npos)
      << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos); // plain mode: no escapes
  std::fclose(err);
}

TEST(ProgressSink, AnsiModeRedrawsInPlace) {
  Recorder inner;
  std::FILE *err = std::tmpfile();
  ProgressOptions options;
  options.ansi = true;
  options.redraw = std::chrono::milliseconds(10);
  ProgressSink p(inner, err, options);
  p.start();
  p.stream_status("orders", StreamStatus::kStarted);
  p.record("orders", "{}");
  // Wait (bounded) until the display thread has drawn a frame.
  for (int i = 0; i < 400 && std::ftell(err) <= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  p.print_line("INFO a log line");
  p.finish();
  std::string text = read_all(err);
  EXPECT_NE(text.find("\x1b["), std::string::npos); // moved back over the previous frame
  EXPECT_NE(text.find("INFO a log line\n"), std::string::npos);
  EXPECT_NE(text.find("orders"), std::string::npos);
  std::fclose(err);
}

TEST(ProgressSink, QuietWinsThenProgressThenTerminal) {
  using wc::cli::progress_wanted;
  EXPECT_TRUE(progress_wanted({}, true));
  EXPECT_FALSE(progress_wanted({}, false));
  EXPECT_TRUE(progress_wanted({{"progress", "true"}}, false));
  EXPECT_FALSE(progress_wanted({{"quiet", "true"}}, true));
  EXPECT_FALSE(progress_wanted({{"quiet", "true"}, {"progress", "true"}}, true));
}
