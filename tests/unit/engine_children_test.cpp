// Incremental child streams read through their parents (source/stream_reader.cpp): order notes
// through the orders changed since the parent cursor, and the fallbacks of stores without the
// store-wide routes (refunds before WooCommerce 9.0, variations before 10.3). Only the children
// of changed parents are requested, and the state is keyed as the engine reads it back.
#include <algorithm>
#include <gtest/gtest.h>

#include "engine_fakes.hpp"

using namespace wc;
using namespace wc::test;
using catalog::SyncMode;

namespace {

// The child listings requested (paths under /orders/ or /products/ with a parent id).
std::vector<std::string> child_paths(const FakeStore &store, const std::string &suffix) {
  std::vector<std::string> paths;
  for (const auto &r : store.requests()) {
    if (r.path.size() > suffix.size() &&
        r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      paths.push_back(r.path);
    }
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

json::object note(std::int64_t id, UnixSeconds created) {
  return json::object{{"id", id}, {"date_created_gmt", at(created)}, {"note", "n"}};
}

} // namespace

// Guards order_notes (cursor kind parent): with parent_cursor {C, [3]}, only the notes of the
// orders modified after C (4, 5) and not already done at C (3) are requested, each note carries
// order_id, the parents are listed as a cheap id + date projection, and the new state is keyed
// under parent_cursor.
TEST(EngineChildren, OrderNotesOnlyThroughOrdersChangedSinceTheParentCursor) {
  const UnixSeconds c = base_time();
  FakeStore store;
  const UnixSeconds modified[] = {c - 100, c - 50, c, c + 10, c + 20};
  for (int id = 1; id <= 5; ++id) {
    store.put("/orders", make_record(id, modified[id - 1]));
    const std::string path = "/orders/" + std::to_string(id) + "/notes";
    store.put(path, note(id * 10 + 1, c - 500)); // notes older than the cursor: still emitted
    store.put(path, note(id * 10 + 2, modified[id - 1]));
  }
  RecordingSink sink;
  const auto config = test_config();
  json::object state{{"parent_cursor", json::object{{"date_modified_gmt", at(c)},
                                                    {"boundary_ids", json::array{3}}}}};

  read_once(store, sink, config, "order_notes", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(child_paths(store, "/notes"),
            (std::vector<std::string>{"/orders/4/notes", "/orders/5/notes"}));
  EXPECT_EQ(sorted(sink.ids("order_notes")), (std::vector<std::int64_t>{41, 42, 51, 52}));
  for (const auto &[stream, rec] : sink.records()) {
    EXPECT_EQ(rec.at("order_id").as_int64(), rec.at("id").as_int64() / 10);
  }
  const auto parents = store.requests().front();
  EXPECT_EQ(parents.path, "/orders");
  EXPECT_EQ(parents.get("_fields"), "id,date_modified_gmt");
  EXPECT_EQ(parents.get("modified_after"), at(c - 1));
  const auto &last = sink.last_state("order_notes");
  ASSERT_TRUE(last.contains("parent_cursor"));
  EXPECT_EQ(last.at("parent_cursor").at("date_modified_gmt").as_string(), at(c + 20));
  EXPECT_EQ(last.at("parent_cursor").at("boundary_ids"), (json::array{5}));
  EXPECT_FALSE(last.contains("date_modified_gmt"));
}

// Guards ReadOptions::full_pass_children: a child stream named there is read through every
// parent on every sync (here the same parent_cursor state as above), every note emitted, and
// the parent_cursor moves to the ceiling; the engine itself names no stream.
TEST(EngineChildren, AStreamInFullPassChildrenReadsEveryParentsChildren) {
  const UnixSeconds c = base_time();
  FakeStore store;
  const UnixSeconds modified[] = {c - 100, c - 50, c, c + 10, c + 20};
  for (int id = 1; id <= 5; ++id) {
    store.put("/orders", make_record(id, modified[id - 1]));
    store.put("/orders/" + std::to_string(id) + "/notes", note(id * 10 + 1, c - 500));
  }
  RecordingSink sink;
  auto config = test_config();
  config.full_pass_children = {"order_notes"};
  json::object state{{"parent_cursor", json::object{{"date_modified_gmt", at(c)},
                                                    {"boundary_ids", json::array{3}}}}};

  read_once(store, sink, config, "order_notes", SyncMode::kIncremental, &state, c + 100);

  EXPECT_EQ(child_paths(store, "/notes"),
            (std::vector<std::string>{"/orders/1/notes", "/orders/2/notes", "/orders/3/notes",
                                      "/orders/4/notes", "/orders/5/notes"}));
  EXPECT_EQ(sorted(sink.ids("order_notes")), (std::vector<std::int64_t>{11, 21, 31, 41, 51}));
  const auto &last = sink.last_state("order_notes");
  ASSERT_TRUE(last.contains("parent_cursor"));
  EXPECT_EQ(last.at("parent_cursor").at("date_modified_gmt").as_string(), at(c + 99));
}

// Guards the note checkpoints: a parent_cursor state is emitted only after the notes of every
// parent it claims were emitted (here checked against the notes' own parents).
TEST(EngineChildren, OrderNotesCheckpointsFollowTheNotesOfTheirParents) {
  const UnixSeconds c = base_time();
  FakeStore store;
  for (int id = 1; id <= 30; ++id) {
    store.put("/orders", make_record(id, c + id));
    store.put("/orders/" + std::to_string(id) + "/notes", note(id, c + id));
  }
  RecordingSink sink;
  // A note has its order's id and date here, so the parents' check applies to the notes.
  sink.check_state = claims_only_emitted(store.records("/orders"), "order_notes",
                                         "date_modified_gmt", "parent_cursor");
  const auto config = test_config(10);

  read_once(store, sink, config, "order_notes", SyncMode::kIncremental, nullptr, c + 1000);

  EXPECT_EQ(sink.ids("order_notes").size(), 30u);
  EXPECT_GE(sink.states().size(), 3u); // checkpoints along the way, each checked
}

// Guards the refunds fallback (no /refunds route, WooCommerce < 9.0): the refunds created since
// the cursor are read through the orders modified since then (creating a refund re-saves its
// order), one request per changed order, filtered on date_created_gmt; no /refunds request.
TEST(EngineChildren, RefundsFallbackReadsOnlyOrdersChangedSinceTheCursor) {
  const UnixSeconds c = base_time();
  FakeStore store;
  store.put("/orders", make_record(1, c - 10));
  store.put("/orders", make_record(2, c + 5));
  store.put("/orders", make_record(3, c + 6));
  store.put("/orders/1/refunds", make_record(101, c - 15));
  store.put("/orders/2/refunds", make_record(201, c - 20)); // created before the cursor
  store.put("/orders/2/refunds", make_record(202, c + 5));
  store.put("/orders/3/refunds", make_record(301, c + 6));
  RecordingSink sink;
  const auto config = test_config();
  json::object state{{"date_created_gmt", at(c)}, {"boundary_ids", json::array{}}};

  read_once(store, sink, config, "refunds", SyncMode::kIncremental, &state, c + 100,
            [](source::ReadContext &ctx) {
              ctx.capabilities.has_route = [](const std::string &p) { return p != "/refunds"; };
            });

  EXPECT_EQ(child_paths(store, "/refunds"),
            (std::vector<std::string>{"/orders/2/refunds", "/orders/3/refunds"}));
  EXPECT_EQ(sorted(sink.ids("refunds")), (std::vector<std::int64_t>{202, 301}));
  for (const auto &[stream, rec] : sink.records()) {
    EXPECT_EQ(rec.at("order_id").as_int64(), rec.at("id").as_int64() / 100);
  }
  const auto &last = sink.last_state("refunds");
  ASSERT_TRUE(last.contains("parent_cursor"));
  EXPECT_EQ(last.at("parent_cursor").at("date_modified_gmt").as_string(), at(c + 6));
}

// Guards the variations fallback (no /variations route, WooCommerce < 10.3): only variable
// products (type=variable) modified since the cursor are opened, only their variations modified
// since the cursor are emitted (with product_id), and the state stays keyed by the stream's own
// cursor field (date_modified_gmt), up to the ceiling.
TEST(EngineChildren, VariationsFallbackReadsOnlyChangedVariableProducts) {
  const UnixSeconds c = base_time();
  FakeStore store;
  auto product = [&](std::int64_t id, UnixSeconds modified, const char *type) {
    store.put("/products",
              make_record(id, modified, std::nullopt, "publish", json::object{{"type", type}}));
  };
  product(10, c - 30, "variable"); // unchanged
  product(11, c + 5, "variable");
  product(12, c + 6, "simple"); // changed, but has no variations
  product(13, c + 7, "variable");
  store.put("/products/10/variations", make_record(1001, c - 30, std::nullopt, "publish"));
  store.put("/products/11/variations", make_record(1101, c + 5, std::nullopt, "publish"));
  store.put("/products/11/variations", make_record(1102, c - 40, std::nullopt, "publish"));
  store.put("/products/13/variations", make_record(1301, c + 7, std::nullopt, "publish"));
  RecordingSink sink;
  const auto config = test_config();
  json::object state{{"date_modified_gmt", at(c)}, {"boundary_ids", json::array{}}};

  read_once(store, sink, config, "product_variations", SyncMode::kIncremental, &state, c + 100,
            [](source::ReadContext &ctx) {
              ctx.capabilities.has_route = [](const std::string &p) { return p != "/variations"; };
            });

  EXPECT_EQ(child_paths(store, "/variations"),
            (std::vector<std::string>{"/products/11/variations", "/products/13/variations"}));
  EXPECT_EQ(sorted(sink.ids("product_variations")), (std::vector<std::int64_t>{1101, 1301}));
  for (const auto &[stream, rec] : sink.records()) {
    EXPECT_EQ(rec.at("product_id").as_int64(), rec.at("id").as_int64() / 100);
  }
  const auto &last = sink.last_state("product_variations");
  EXPECT_EQ(last.at("date_modified_gmt").as_string(), at(c + 99));
  EXPECT_FALSE(last.contains("parent_cursor"));
}
