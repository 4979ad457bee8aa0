// The adaptive budget's learned rate in the state: round trip, expiry, latest wins, malformed
// members ignored with a WARN; and the config's request_budget with the old-defaults rule.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "state/request_budget_state.hpp"
#include "state/state_store.hpp"

using namespace wc;
namespace json = boost::json;

namespace {

constexpr UnixSeconds kNow = 1'800'000'000;

state::StateStore states_of(const std::vector<std::pair<std::string, json::object>> &blobs) {
  json::array msgs;
  for (const auto &[name, blob] : blobs) {
    msgs.push_back(
        json::object{{"type", "STREAM"},
                     {"stream", json::object{{"stream_descriptor", json::object{{"name", name}}},
                                             {"stream_state", blob}}}});
  }
  return state::StateStore::parse(msgs, [](const std::string &) {});
}

json::object with_budget(const state::SavedBudget &b) {
  return json::object{{"__complete", true}, {state::kRequestBudget, state::to_json(b)}};
}

ConnectorConfig config(const std::string &extra) {
  return parse_config(R"({"store_url": "http://127.0.0.1:8080", "consumer_key": "ck_x",
                          "consumer_secret": "cs_x")" +
                      extra + "}");
}

} // namespace

TEST(RequestBudgetState, RoundTripsThroughTheStateAndExpires) {
  const state::SavedBudget b{22, 10500, kNow - 3600, kNow - 3600 + state::kRequestBudgetTtl};
  // Through JSON text, as the next sync reads it.
  const auto text = json::serialize(with_budget(b));
  auto states = states_of({{"orders", json::parse(text).as_object()}});
  auto loaded = state::latest_saved_budget(states, kNow, {});
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->requests, 22);
  EXPECT_EQ(loaded->window_ms, 10500);
  EXPECT_EQ(loaded->learned_at, b.learned_at);
  EXPECT_EQ(loaded->expires_at, b.expires_at);
  // After expires_at the store gets its full rate back.
  EXPECT_FALSE(state::latest_saved_budget(states, b.expires_at, {}));
  EXPECT_FALSE(state::latest_saved_budget(states, b.expires_at + 1, {}));
}

TEST(RequestBudgetState, TheLatestUnexpiredLessonWins) {
  const state::SavedBudget old{50, 10000, kNow - 7200, kNow + 100};
  const state::SavedBudget recent{20, 10000, kNow - 60, kNow + 200};
  const state::SavedBudget expired{5, 10000, kNow - 10, kNow - 1};
  auto states = states_of({{"coupons", with_budget(old)},
                           {"orders", with_budget(recent)},
                           {"products", with_budget(expired)},
                           {"customers", json::object{{"__complete", true}}}});
  auto loaded = state::latest_saved_budget(states, kNow, {});
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->requests, 20);
}

TEST(RequestBudgetState, OldStatesAndMalformedMembersLoadWithAWarning) {
  std::vector<std::string> warnings;
  auto warn = [&](const std::string &m) { warnings.push_back(m); };
  auto old_state =
      states_of({{"orders", json::object{{"date_modified_gmt", "2024-01-01T00:00:00"}}}});
  EXPECT_FALSE(state::latest_saved_budget(old_state, kNow, warn));
  EXPECT_TRUE(warnings.empty());
  for (const char *bad :
       {R"("fast")", R"({"requests": -3, "window_ms": 1000, "learned_at": "2027-01-01T00:00:00Z",
            "expires_at": "2027-01-02T00:00:00Z"})",
        R"({"requests": 3, "window_ms": "10", "learned_at": "2027-01-01T00:00:00Z",
            "expires_at": "2027-01-02T00:00:00Z"})",
        R"({"requests": 3, "window_ms": 1000, "learned_at": "yesterday",
            "expires_at": "2027-01-02T00:00:00Z"})",
        R"({"requests": 3})", R"([1, 2])"}) {
    warnings.clear();
    json::object blob{{"__complete", true}, {state::kRequestBudget, json::parse(bad)}};
    auto states = states_of({{"orders", blob}, {"coupons", blob}});
    EXPECT_FALSE(state::latest_saved_budget(states, kNow, warn)) << bad;
    ASSERT_EQ(warnings.size(), 1u) << bad; // once, not once per stream
    EXPECT_NE(warnings[0].find("request_budget is malformed"), std::string::npos);
  }
}

TEST(RequestBudgetConfig, DefaultIsAdaptive) {
  EXPECT_EQ(config("").client.budget, http::BudgetMode::kAdaptive);
  EXPECT_TRUE(config("").budget_note.empty());
}

TEST(RequestBudgetConfig, ExplicitModes) {
  EXPECT_EQ(config(R"(, "request_budget": "off")").client.budget, http::BudgetMode::kOff);
  auto fixed = config(R"(, "request_budget": "fixed")");
  EXPECT_EQ(fixed.client.budget, http::BudgetMode::kFixed);
  EXPECT_EQ(fixed.client.requests_per_window, 25); // the documented preset
  EXPECT_EQ(fixed.client.window_seconds, 10);
  auto custom =
      config(R"(, "request_budget": "fixed", "requests_per_window": 60, "window_seconds": 60)");
  EXPECT_EQ(custom.client.requests_per_window, 60);
  // An explicit mode wins over values that would otherwise mean fixed.
  EXPECT_EQ(config(R"(, "request_budget": "adaptive", "requests_per_window": 60)").client.budget,
            http::BudgetMode::kAdaptive);
  EXPECT_THROW(config(R"(, "request_budget": "turbo")"), Error);
  EXPECT_THROW(config(R"(, "request_budget": "fixed", "requests_per_window": 0)"), Error);
}

// Airbyte's UI saved the old defaults (25 / 10 s) into every config: those get adaptive, and
// say so; values someone chose stay fixed; 0 stays unlimited.
TEST(RequestBudgetConfig, OldDefaultsSavedByTheUiMeanAdaptive) {
  auto saved = config(R"(, "requests_per_window": 25, "window_seconds": 10)");
  EXPECT_EQ(saved.client.budget, http::BudgetMode::kAdaptive);
  EXPECT_NE(saved.budget_note.find("old defaults"), std::string::npos);
  auto chosen = config(R"(, "requests_per_window": 10, "window_seconds": 10)");
  EXPECT_EQ(chosen.client.budget, http::BudgetMode::kFixed);
  EXPECT_EQ(chosen.client.requests_per_window, 10);
  auto window_only = config(R"(, "window_seconds": 60)");
  EXPECT_EQ(window_only.client.budget, http::BudgetMode::kFixed);
  EXPECT_EQ(config(R"(, "requests_per_window": 0)").client.budget, http::BudgetMode::kOff);
}
