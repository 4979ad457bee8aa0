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
