// State round trips: the blobs the engine emits, sent back as Airbyte would (a STREAM state
// message, parsed by state::StateStore), make the next read emit nothing when nothing changed and
// exactly the changed records otherwise; and the older state shapes still load (fixtures copied
// from state/, see tests/data/engine-states/SOURCE.md).
#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "engine_fakes.hpp"
#include "state/state_store.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

// The blob of `stream` after the state goes through Airbyte and back.
json::object round_trip(const std::string &stream, const json::value &blob) {
  const auto store = state::StateStore::parse(
      json::parse(json::serialize(stream_state_message(stream, blob))), [](const std::string &) {});
  const auto *parsed = store.stream(stream);
  if (parsed == nullptr) {
    throw std::logic_error("the state of " + stream + " was lost in the round trip");
  }
  return *parsed;
}

state::StateStore fixture(const std::string &name, std::vector<std::string> *warnings = nullptr) {
  std::ifstream in(std::string(WCC_TEST_DATA) + "/engine-states/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return state::StateStore::parse(json::parse(text.str()), [&](const std::string &w) {
    if (warnings != nullptr) {
      warnings->push_back(w);
    }
  });
}

// 30 orders; the last three share their second (so the state's boundary ids matter).
void fill(FakeStore &store) {
  for (int id = 1; id <= 30; ++id) {
    store.put("/orders", make_record(id, base_time() + std::min(id, 28) * 10));
  }
}

} // namespace

// Guards the incremental round trip: sync 1 reads everything; its last state, sent back, makes
// sync 2 emit nothing; two orders changed, sync 3 emits exactly those two; sync 4 nothing again.
TEST(EngineStateRoundTrip, IncrementalStateGivesNothingNewThenExactlyTheChanges) {
  FakeStore store;
  fill(store);
  const auto config = test_config(10);
  const UnixSeconds ceiling = base_time() + 10000;

  RecordingSink sync1;
  read_once(store, sync1, config, "orders", SyncMode::kIncremental, nullptr, ceiling);
  ASSERT_EQ(sync1.ids("orders").size(), 30u);
  json::object state = round_trip("orders", sync1.last_state("orders"));

  RecordingSink sync2;
  read_once(store, sync2, config, "orders", SyncMode::kIncremental, &state, ceiling + 10);
  EXPECT_TRUE(sync2.ids("orders").empty()) << "records emitted again although nothing changed";
  state = round_trip("orders", sync2.last_state("orders"));

  store.put("/orders", make_record(5, base_time() + 5000, base_time() + 50, "completed"));
  store.put("/orders", make_record(12, base_time() + 5001, base_time() + 120, "completed"));
  RecordingSink sync3;
  read_once(store, sync3, config, "orders", SyncMode::kIncremental, &state, ceiling + 20);
  EXPECT_EQ(sorted(sync3.ids("orders")), (std::vector<std::int64_t>{5, 12}));
  state = round_trip("orders", sync3.last_state("orders"));

  RecordingSink sync4;
  read_once(store, sync4, config, "orders", SyncMode::kIncremental, &state, ceiling + 30);
  EXPECT_TRUE(sync4.ids("orders").empty());
}

// Guards the round trip of a child stream's parent_cursor (order_notes): the second read opens
// no order's notes when no order changed.
TEST(EngineStateRoundTrip, ParentCursorStateOpensNoParentWhenNothingChanged) {
  FakeStore store;
  fill(store);
  for (int id = 1; id <= 30; ++id) {
    store.put("/orders/" + std::to_string(id) + "/notes",
              json::object{{"id", id}, {"date_created_gmt", at(base_time())}});
  }
  const auto config = test_config(10);
  RecordingSink sync1;
  read_once(store, sync1, config, "order_notes", SyncMode::kIncremental, nullptr,
            base_time() + 10000);
  ASSERT_EQ(sync1.ids("order_notes").size(), 30u);
  const json::object state = round_trip("order_notes", sync1.last_state("order_notes"));

  store.clear_requests();
  RecordingSink sync2;
  read_once(store, sync2, config, "order_notes", SyncMode::kIncremental, &state,
            base_time() + 10010);
  EXPECT_TRUE(sync2.ids("order_notes").empty());
  for (const auto &r : store.requests()) {
    EXPECT_EQ(r.path, "/orders") << "opened " << r.describe();
  }
}

// Guards the connector's own state shape (state/example_state.json): the orders cursor with its
// boundary ids, the refunds creation cursor, and a full refresh's resume_page all load and are
// honoured.
TEST(EngineStateRoundTrip, ExampleStateFixtureLoads) {
  const auto states = fixture("example_state.json");
  const UnixSeconds c = *parse_utc("2026-11-20T10:00:00");
  FakeStore store;
  store.put("/orders", make_record(1040, c - 60));
  for (int id = 1041; id <= 1043; ++id) {
    store.put("/orders", make_record(id, c));
  }
  store.put("/orders", make_record(1050, c + 300));
  const UnixSeconds r = *parse_utc("2026-11-19T08:30:00");
  store.put("/refunds", make_record(7, r - 5, r - 5, "", json::object{{"parent_id", 1040}}));
  store.put("/refunds", make_record(8, r + 5, r + 5, "", json::object{{"parent_id", 1043}}));
  for (int id = 1; id <= 45; ++id) {
    store.put("/taxes", json::object{{"id", id}, {"date_created_gmt", at(c)}});
  }
  const auto config = test_config(10);

  RecordingSink sink;
  read_once(store, sink, config, "orders", SyncMode::kIncremental, states.stream("orders"),
            c + 1000);
  read_once(store, sink, config, "refunds", SyncMode::kIncremental, states.stream("refunds"),
            c + 1000);
  read_once(store, sink, config, "tax_rates", SyncMode::kFullRefresh, states.stream("tax_rates"),
            c + 1000);

  EXPECT_EQ(sorted(sink.ids("orders")), (std::vector<std::int64_t>{1043, 1050}));
  EXPECT_EQ(sink.ids("refunds"), (std::vector<std::int64_t>{8}));
  std::vector<std::int64_t> taxes;
  for (int id = 31; id <= 45; ++id) {
    taxes.push_back(id);
  }
  EXPECT_EQ(sink.ids("tax_rates"), taxes); // from resume_page 4
  const auto requests = store.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].get("modified_after"), "2026-11-20T09:59:59");
  EXPECT_EQ(sink.last_state("orders").at("syncs_since_full").as_int64(), 4);
}

// Guards Airbyte's own connector state (state/airbyte_connector_state.json: a bare
// date_modified_gmt, no boundary ids): every record of the cursor second is read again (none
// lost), and the state written afterwards is this connector's shape.
TEST(EngineStateRoundTrip, AirbyteConnectorStateFixtureLoads) {
  const auto states = fixture("airbyte_connector_state.json");
  const UnixSeconds c = *parse_utc("2026-11-20T10:00:00");
  FakeStore store;
  store.put("/orders", make_record(1040, c - 60));
  store.put("/orders", make_record(1041, c));
  store.put("/orders", make_record(1042, c));
  store.put("/orders", make_record(1050, c + 300));
  RecordingSink sink;
  const auto config = test_config(10);

  read_once(store, sink, config, "orders", SyncMode::kIncremental, states.stream("orders"),
            c + 1000);

  EXPECT_EQ(sorted(sink.ids("orders")), (std::vector<std::int64_t>{1041, 1042, 1050}));
  const auto &last = sink.last_state("orders");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(c + 300));
  EXPECT_EQ(last.at("boundary_ids"), (json::array{1050}));
}

// Guards Airbyte's old LEGACY state keyed by the site-local date_modified: it loads, moved back
// 14 hours (a site may be up to UTC+14), with a warning.
TEST(EngineStateRoundTrip, LegacySiteLocalStateMovesBackFourteenHours) {
  std::vector<std::string> warnings;
  const auto states = state::StateStore::parse(
      json::parse(R"({"orders": {"date_modified": "2026-11-20T10:00:00"}})"),
      [&](const std::string &w) { warnings.push_back(w); });
  FakeStore store;
  store.put("/orders", make_record(1, *parse_utc("2026-11-20T01:00:00")));
  RecordingSink sink;
  const auto config = test_config(10);

  read_once(store, sink, config, "orders", SyncMode::kIncremental, states.stream("orders"),
            base_time() + 1000);

  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_EQ(store.requests().at(0).get("modified_after"), "2026-11-19T19:59:59");
  EXPECT_EQ(sink.ids("orders"), (std::vector<std::int64_t>{1}));
}
