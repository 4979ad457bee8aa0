// SingerSink: what the engine's calls become on stdout (Singer messages only) and on stderr.
#include <boost/json/parse.hpp>
#include <cstdio>
#include <gtest/gtest.h>

#include "catalog/catalog_builder.hpp"
#include "core/redact.hpp"
#include "singer/singer_catalog.hpp"
#include "singer/singer_sink.hpp"

namespace json = boost::json;
using namespace wc::singer;
using wc::protocol::LogLevel;
using wc::protocol::StreamStatus;

namespace {

// Captures a FILE* into a string.
class Capture {
public:
  Capture() { file_ = open_memstream(&buf_, &size_); }
  ~Capture() {
    std::fclose(file_);
    std::free(buf_);
  }
  std::FILE *file() { return file_; }
  std::vector<json::object> messages() {
    std::fflush(file_);
    std::vector<json::object> out;
    std::string text(buf_, size_);
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      out.push_back(json::parse(text.substr(pos, nl - pos)).as_object());
      pos = nl + 1;
    }
    return out;
  }

private:
  char *buf_ = nullptr;
  std::size_t size_ = 0;
  std::FILE *file_;
};

// A FULL_TABLE stream whose key has two parts (a child stream), whichever it is today.
std::string child_table() {
  for (auto &s : all_streams(wc::catalog::build_catalog())) {
    if (!s.incremental && s.key_properties.size() >= 2) {
      return s.name;
    }
  }
  throw std::runtime_error("no FULL_TABLE child stream");
}

SelectedStream stream_named(const std::string &name) {
  for (auto &s : all_streams(wc::catalog::build_catalog())) {
    if (s.name == name) {
      return s;
    }
  }
  throw std::runtime_error(name);
}

struct Fixture {
  Capture out;
  std::vector<std::string> text;
  SingerSink sink;
  explicit Fixture(json::object bookmarks = {})
      : sink(out.file(), {stream_named("orders"), stream_named(child_table())},
             std::move(bookmarks), [] { return std::int64_t{1714564800123}; }) {
    sink.set_text_writer([this](std::string_view l) { text.emplace_back(l); });
  }
};

} // namespace

TEST(SingerSink, SchemaPrecedesTheFirstRecordOfEachStream) {
  Fixture f;
  f.sink.record("orders", R"({"id":1,"date_modified_gmt":"2024-01-01T00:00:00"})");
  const std::string child = child_table();
  f.sink.record(child, R"({"parent_id":1,"id":7})");
  f.sink.record("orders", R"({"id":2,"date_modified_gmt":"2024-01-01T00:00:01"})");
  auto msgs = f.out.messages();
  ASSERT_EQ(msgs.size(), 5u);
  EXPECT_EQ(msgs[0].at("type").as_string(), "SCHEMA");
  EXPECT_EQ(msgs[0].at("stream").as_string(), "orders");
  EXPECT_EQ(msgs[0].at("key_properties"), json::parse(R"(["id"])"));
  EXPECT_EQ(msgs[0].at("bookmark_properties"), json::parse(R"(["date_modified_gmt"])"));
  EXPECT_TRUE(msgs[0].at("schema").as_object().contains("properties"));
  EXPECT_EQ(msgs[1].at("type").as_string(), "RECORD");
  EXPECT_EQ(msgs[1].at("record").as_object().at("id").as_int64(), 1);
  EXPECT_EQ(msgs[1].at("time_extracted").as_string(), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(msgs[2].at("type").as_string(), "SCHEMA");
  EXPECT_EQ(msgs[2].at("stream").as_string(), child);
  EXPECT_EQ(msgs[2].at("key_properties").as_array().size(),
            stream_named(child).key_properties.size());
  EXPECT_FALSE(msgs[2].contains("bookmark_properties"));
  EXPECT_EQ(msgs[3].at("type").as_string(), "RECORD");
  EXPECT_EQ(msgs[4].at("type").as_string(), "RECORD");
}

TEST(SingerSink, DeletionMarkerIsRenamed) {
  Fixture f;
  f.sink.record("orders", R"({"id":1,"_ab_cdc_deleted_at":"2024-01-01T00:00:00Z"})");
  f.sink.record("orders", R"({"id":2,"_ab_cdc_deleted_at":null})");
  auto msgs = f.out.messages();
  ASSERT_EQ(msgs.size(), 3u);
  const auto &r1 = msgs[1].at("record").as_object();
  EXPECT_EQ(r1.at("_sdc_deleted_at").as_string(), "2024-01-01T00:00:00Z");
  EXPECT_FALSE(r1.contains("_ab_cdc_deleted_at"));
  EXPECT_TRUE(msgs[2].at("record").as_object().at("_sdc_deleted_at").is_null());
  EXPECT_TRUE(msgs[0].at("schema").at("properties").as_object().contains("_sdc_deleted_at"));
}

TEST(SingerSink, StateCarriesEveryBookmarkAndDropsRepeats) {
  Fixture f(json::parse(R"({"coupons":{"date_modified_gmt":"2020-01-01T00:00:00"}})").as_object());
  auto blob = json::parse(R"({"date_modified_gmt":"2024-01-01T00:00:00"})");
  f.sink.stream_state("orders", blob);
  f.sink.stream_state("orders", blob); // identical, nothing emitted since
  f.sink.stream_state("customers", json::parse(R"({"__complete":true})"));
  auto msgs = f.out.messages();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].at("type").as_string(), "STATE");
  const auto &b0 = msgs[0].at("value").at("bookmarks").as_object();
  EXPECT_EQ(b0.at("orders"), blob);
  EXPECT_TRUE(b0.contains("coupons")); // carried from the incoming state
  const auto &b1 = msgs[1].at("value").at("bookmarks").as_object();
  EXPECT_EQ(b1.at("orders"), blob);
  EXPECT_TRUE(b1.contains("customers"));
}

TEST(SingerSink, EverythingElseGoesToPeopleNotStdout) {
  wc::register_secret("cs_super_secret_value");
  Fixture f;
  f.sink.log(LogLevel::kWarn, "careful with cs_super_secret_value");
  f.sink.stream_status("orders", StreamStatus::kStarted);
  f.sink.stream_status("orders", StreamStatus::kRunning, 1714564800000);
  f.sink.estimate("orders", 10);
  f.sink.error(wc::FailureType::kConfig, "bad key", "", "orders");
  f.sink.stream_status("orders", StreamStatus::kIncomplete);
  f.sink.message(json::object{{"type", "SPEC"}});
  EXPECT_TRUE(f.out.messages().empty());
  ASSERT_GE(f.text.size(), 4u);
  EXPECT_EQ(f.text[0], "WARN careful with **********");
  bool saw_error = false;
  for (const auto &l : f.text) {
    saw_error = saw_error || l == "ERROR [config_error] orders: bad key";
  }
  EXPECT_TRUE(saw_error);
  wc::clear_secrets();
}

TEST(SingerSink, DeselectedPropertiesAreLeftOut) {
  Capture out;
  SelectedStream orders = stream_named("orders");
  orders.excluded_fields = {"billing"};
  SingerSink sink(out.file(), {orders}, {});
  sink.record("orders", R"({"id":1,"billing":{"email":"a@b"},"total":"5.00"})");
  auto msgs = out.messages();
  ASSERT_EQ(msgs.size(), 2u);
  const auto &r = msgs[1].at("record").as_object();
  EXPECT_FALSE(r.contains("billing"));
  EXPECT_EQ(r.at("total").as_string(), "5.00");
}

TEST(SingerSink, Rfc3339Millis) {
  EXPECT_EQ(rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_millis(1714564800007), "2024-05-01T12:00:00.007Z");
}
