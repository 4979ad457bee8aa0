// The stdout writer's RECORD lines (protocol/message_writer.cpp): each line names its own stream
// and is counted for it however streams interleave, emitted_at follows the clock, and a secret
// registered after lines were written is redacted from the next line on, on any thread.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cctype>
#include <cstdio>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/redact.hpp"
#include "core/time_util.hpp"
#include "protocol/message_writer.hpp"

namespace json = boost::json;
using wc::protocol::MessageWriter;

namespace {

class MessageWriterTest : public ::testing::Test {
protected:
  void SetUp() override {
    wc::clear_secrets();
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
  }
  void TearDown() override {
    wc::clear_secrets();
    std::fclose(file_);
  }
  // Every line written so far.
  std::vector<std::string> lines() {
    std::fflush(file_);
    std::rewind(file_);
    std::string text;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;) {
      text.append(buf, n);
    }
    std::vector<std::string> out;
    for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1) {
      out.push_back(text.substr(start, end - start));
    }
    std::fseek(file_, 0, SEEK_END); // more lines may follow
    return out;
  }
  std::FILE *file_ = nullptr;
};

} // namespace

TEST_F(MessageWriterTest, EachLineIsCountedForItsOwnStreamHoweverStreamsInterleave) {
  // More names than the writer keeps at hand, several sharing a prefix, a suffix and a length.
  std::vector<std::string> names = {"orders",
                                    "o",
                                    "orders_line_items",
                                    "orders_line_items_taxes",
                                    "orders_line_items_meta_data",
                                    "orders_shipping_lines_meta_data",
                                    "orders_fee_lines_meta_data",
                                    "orders_tax_lines_meta_data",
                                    "orders_coupon_lines_meta_data"};
  for (int i = 0; i < 40; ++i) {
    names.push_back("stream_" + std::to_string(i) + "_meta_data");
  }
  std::map<std::string, std::int64_t> expected;
  std::vector<std::string> written; // the stream of each line, in order
  MessageWriter writer(file_);
  // Runs of one to three lines of a stream, streams in a scrambled order.
  for (std::size_t run = 0; written.size() < 3000; ++run) {
    const std::string &name = names[(run * 11 + run / names.size()) % names.size()];
    for (std::size_t k = 0; k <= run % 3; ++k) {
      writer.record(name, R"({"n":)" + std::to_string(written.size()) + "}");
      ++expected[name];
      written.push_back(name);
    }
  }
  for (const auto &[name, count] : expected) {
    EXPECT_EQ(writer.records_emitted(name), count) << name;
    writer.stream_state(name, json::object{{"at", name}});
  }
  EXPECT_EQ(expected.size(), names.size()); // the mix reached every name
  const auto out = lines();
  ASSERT_EQ(out.size(), written.size() + expected.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    const json::object msg = json::parse(out[i]).as_object();
    ASSERT_EQ(msg.at("record").at("stream").as_string(), written[i]) << i;
    ASSERT_EQ(msg.at("record").at("data").at("n").to_number<std::int64_t>(),
              static_cast<std::int64_t>(i));
  }
  for (std::size_t i = written.size(); i < out.size(); ++i) {
    const json::object state = json::parse(out[i]).at("state").as_object();
    const std::string name(state.at("stream").at("stream_descriptor").at("name").as_string());
    EXPECT_EQ(state.at("sourceStats").at("recordCount").to_number<std::int64_t>(), expected[name])
        << name;
  }
}

TEST_F(MessageWriterTest, EmittedAtIsTheClockWhenTheLineIsWritten) {
  const auto stamp_of = [](const std::string &line) {
    return json::parse(line).at("record").at("emitted_at").to_number<std::int64_t>();
  };
  MessageWriter writer(file_);
  const std::int64_t before = wc::now_millis();
  writer.record("s", R"({"a":1})");
  writer.record("s", R"({"a":2})");
  writer.flush();
  const std::int64_t first = stamp_of(lines().at(0));
  // Wait (bounded) for a later millisecond than the first line's, then write again.
  for (long spins = 0; spins < 2'000'000'000L && wc::now_millis() <= first; ++spins) {
  }
  writer.record("s", R"({"a":3})");
  const std::int64_t after = wc::now_millis();
  ASSERT_GT(after, first);
  writer.flush();

  const auto out = lines();
  ASSERT_EQ(out.size(), 3u);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t stamp = stamp_of(out[i]);
    EXPECT_EQ(out[i], R"({"type":"RECORD","record":{"stream":"s","emitted_at":)" +
                          std::to_string(stamp) + R"(,"data":{"a":)" + std::to_string(i + 1) +
                          "}}}");
    EXPECT_GE(stamp, before);
    EXPECT_LE(stamp, after);
  }
  EXPECT_GT(stamp_of(out[2]), first); // written after the clock moved on
}

TEST_F(MessageWriterTest, ASecretRegisteredAfterLinesWereWrittenIsRedactedFromTheNextLine) {
  const std::string secret = "cs_registered_late_0123456789";
  const std::string data = R"({"note":")" + secret + R"("})";
  MessageWriter writer(file_);
  writer.record("s", data);
  writer.record("s", data);
  wc::register_secret(secret);
  writer.record("s", data);
  wc::clear_secrets();
  writer.record("s", data);
  writer.flush();

  const auto out = lines();
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NE(out[0].find(secret), std::string::npos); // not a secret yet
  EXPECT_NE(out[1].find(secret), std::string::npos);
  EXPECT_EQ(out[2].find(secret), std::string::npos);
  EXPECT_NE(out[2].find(R"({"note":")" + std::string(wc::kRedacted) + R"("})"), std::string::npos);
  EXPECT_NE(out[3].find(secret), std::string::npos); // forgotten again
}

TEST_F(MessageWriterTest, ASecretRegisteredOnAnotherThreadIsRedactedFromTheWritersNextLine) {
  const std::string secret = "ck_from_another_thread_98765";
  const std::string data = R"({"note":")" + secret + R"("})";
  MessageWriter writer(file_);
  std::promise<void> first_written;
  std::promise<void> registered;
  std::thread worker([&, registered_future = registered.get_future()]() mutable {
    writer.record("s", data);
    first_written.set_value();
    registered_future.wait();
    writer.record("s", data);
  });
  first_written.get_future().wait();
  wc::register_secret(secret);
  registered.set_value();
  worker.join();
  writer.flush();

  const auto out = lines();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].find(secret), std::string::npos);
  EXPECT_EQ(out[1].find(secret), std::string::npos);
  EXPECT_NE(out[1].find(wc::kRedacted), std::string::npos);
}

TEST_F(MessageWriterTest, RecordsGoOutBeforeTheNextMessageAndWhenTheWriterEnds) {
  {
    MessageWriter writer(file_);
    writer.record("a", R"({"n":1})");
    writer.record("a", R"({"n":2})");
    writer.stream_state("a", json::object{{"page", 2}});
    writer.record("a", R"({"n":3})");
    writer.log(wc::protocol::LogLevel::kInfo, "between");
    writer.record("b", R"({"n":4})");
    writer.record("b", R"({"n":5})");
    // No flush: the writer's end writes what it holds.
  }
  const auto out = lines();
  std::vector<std::string> kinds;
  for (const auto &line : out) {
    const json::object msg = json::parse(line).as_object();
    const std::string type(msg.at("type").as_string());
    kinds.push_back(
        type == "RECORD" ? std::to_string(msg.at("record").at("data").at("n").as_int64()) : type);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"1", "2", "STATE", "3", "LOG", "4", "5"}));
}

// records() writes lines together (one lock, one clock reading, one secret check): the same lines
// as record() one by one, counted for their own streams, each with its secret redacted when one
// holds it, and a secret that would only span two lines redacting nothing.
TEST_F(MessageWriterTest, RecordsTogetherAreTheLinesOfRecordOneByOne) {
  const std::string secret = "ck_batch_0123456789abcdef";
  wc::register_secret(secret);
  const std::vector<std::pair<std::string, std::string>> batches[] = {
      {{"orders", R"({"id":1})"},
       {"orders_line_items", R"({"id":10})"},
       {"orders_line_items", R"({"id":11})"},
       {"orders_meta_data", R"({"id":12})"}},
      {{"orders", R"({"id":2,"note":")" + secret + R"("})"},
       {"orders_line_items", R"({"id":20})"},
       {"orders_meta_data", R"({"v":"x)" + secret + R"(y"})"}},
      // The secret's two halves at the end of one line and the start of the next.
      {{"orders", R"({"a":")" + secret.substr(0, 9)}, {"orders", secret.substr(9) + R"("})"}},
      {},
  };
  std::vector<std::string> expected;
  std::map<std::string, std::int64_t> counts;
  {
    std::FILE *one_by_one = std::tmpfile();
    ASSERT_NE(one_by_one, nullptr);
    MessageWriter reference(one_by_one);
    MessageWriter writer(file_);
    for (const auto &batch : batches) {
      std::vector<wc::protocol::RecordLine> lines;
      for (const auto &[stream, data] : batch) {
        lines.push_back({stream, data});
        reference.record(stream, data);
        ++counts[stream];
      }
      writer.records(lines);
    }
    for (const auto &[stream, count] : counts) {
      EXPECT_EQ(writer.records_emitted(stream), count) << stream;
    }
    reference.flush();
    std::rewind(one_by_one);
    char buf[4096];
    std::string text;
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, one_by_one)) > 0;) {
      text.append(buf, n);
    }
    std::fclose(one_by_one);
    for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1) {
      expected.push_back(text.substr(start, end - start));
    }
  }
  const auto out = lines();
  ASSERT_EQ(out.size(), 9u);
  ASSERT_EQ(expected.size(), out.size());
  // The lines as text (the last two are not JSON), emitted_at's digits left out.
  const auto without_stamp = [](std::string line) {
    const std::string key = R"("emitted_at":)";
    const std::size_t at = line.find(key);
    EXPECT_NE(at, std::string::npos) << line;
    std::size_t end = at + key.size();
    while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end])) != 0) {
      ++end;
    }
    return line.erase(at + key.size(), end - at - key.size());
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(without_stamp(out[i]), without_stamp(expected[i])) << i;
  }
  EXPECT_EQ(out[4].find(secret), std::string::npos);
  EXPECT_NE(out[4].find(wc::kRedacted), std::string::npos);
  EXPECT_EQ(out[6].find(secret), std::string::npos);
  EXPECT_NE(out[5].find(R"({"id":20})"), std::string::npos); // its neighbours' secrets left it be
  EXPECT_NE(out[7].find(secret.substr(0, 9)), std::string::npos);
  EXPECT_NE(out[8].find(secret.substr(9)), std::string::npos);
}
