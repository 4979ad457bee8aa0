// Singer state shapes in, Airbyte per-stream states out.
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "singer/singer_state.hpp"
#include "state/state_store.hpp"

namespace json = boost::json;
using namespace wc::singer;

TEST(SingerState, AcceptsBookmarksTheStateMessageAndItsValue) {
  const char *bookmarks = R"({"orders":{"date_modified_gmt":"2024-01-02T03:04:05"}})";
  for (std::string text :
       {std::string(R"({"bookmarks":)") + bookmarks + "}",
        std::string(R"({"value":{"bookmarks":)") + bookmarks + "}}",
        std::string(R"({"type":"STATE","value":{"bookmarks":)") + bookmarks + "}}"}) {
    EXPECT_EQ(singer_bookmarks(json::parse(text)), json::parse(bookmarks)) << text;
  }
  EXPECT_TRUE(singer_bookmarks(json::parse("{}")).empty());
  EXPECT_TRUE(singer_bookmarks(json::parse(R"({"value":null})")).empty());
}

TEST(SingerState, RejectsOtherShapes) {
  EXPECT_THROW(singer_bookmarks(json::parse(R"({"bookmarks":[1]})")), wc::Error);
  EXPECT_THROW(singer_bookmarks(json::parse(R"({"bookmarks":{"orders":5}})")), wc::Error);
  EXPECT_THROW(singer_bookmarks(json::parse(R"("text")")), wc::Error);
}

TEST(SingerState, BecomesStreamStatesTheEngineReads) {
  auto bookmarks = json::parse(R"({"orders":{"date_modified_gmt":"2024-01-02T03:04:05"},
                                   "coupons":{"date_modified_gmt":"2023-01-01T00:00:00"}})");
  json::array states = airbyte_state(bookmarks.as_object());
  ASSERT_EQ(states.size(), 2u);
  auto store = wc::state::StateStore::parse(states, [](const std::string &) {});
  ASSERT_NE(store.stream("orders"), nullptr);
  EXPECT_EQ(store.stream("orders")->at("date_modified_gmt").as_string(), "2024-01-02T03:04:05");
  ASSERT_NE(store.stream("coupons"), nullptr);
}

TEST(SingerState, RecognisesAirbyteStates) {
  EXPECT_TRUE(is_airbyte_state(json::parse("[]")));
  EXPECT_TRUE(is_airbyte_state(json::parse(R"({"type":"STREAM","stream":{}})")));
  EXPECT_FALSE(is_airbyte_state(json::parse(R"({"bookmarks":{}})")));
  EXPECT_FALSE(is_airbyte_state(json::parse(R"({"type":"STATE","value":{}})")));
}

// Guards the bookmarks' check through the typed checkpoint: a bookmark written by a newer
// source-woocommerce, or with a malformed member, fails at once naming the stream; our own
// bookmarks (any version this build knows) pass unchanged.
TEST(SingerState, BookmarksAreCheckpointsThisBuildReads) {
  auto newer = json::parse(R"({"bookmarks":{"orders":{"date_modified_gmt":"2024-01-02T03:04:05",
                                                      "checkpoint_version":3}}})");
  try {
    singer_bookmarks(newer);
    ADD_FAILURE() << "a bookmark of a newer format was accepted";
  } catch (const wc::Error &e) {
    EXPECT_EQ(e.type(), wc::FailureType::kConfig);
    EXPECT_NE(std::string(e.what()).find("newer source-woocommerce"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("'orders'"), std::string::npos);
  }
  EXPECT_THROW(singer_bookmarks(json::parse(R"({"bookmarks":{"coupons":{"webhook_seq":"x"}}})")),
               wc::Error);
  const char *ours = R"({"orders":{"date_modified_gmt":"2024-01-02T03:04:05","boundary_ids":[3],
      "syncs_since_full":1,"webhook_seq":4,"checkpoint_version":2},
      "tax_rates":{"__ab_full_refresh_sync_complete":true}})";
  EXPECT_EQ(singer_bookmarks(json::parse(std::string(R"({"bookmarks":)") + ours + "}")),
            json::parse(ours));
}
