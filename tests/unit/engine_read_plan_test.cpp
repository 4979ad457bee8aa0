// plan_read (source/read_plan.cpp): one test per outcome of the ladder that picks how a stream is
// read, on the built-in stream definitions (catalog/streams.yaml). Each test names the case; a
// condition dropped or inverted in the ladder sends one of these to another strategy.
#include <gtest/gtest.h>

#include "catalog/definition_loader.hpp"
#include "source/read_plan.hpp"

using namespace wc;
using source::ReadPlan;
using source::StateFacts;
using source::StoreFacts;
using source::Strategy;
using source::SyncMode;

namespace {

const UnixSeconds kCursor = *parse_utc("2026-11-20T10:00:00");

const source::StreamDefinition &def(const std::string &name) {
  const auto *d = catalog::find_definition(name);
  if (d == nullptr) {
    throw std::logic_error("no stream " + name);
  }
  return *d;
}

StoreFacts store(bool has_route = true, bool modified_filter = true) {
  return StoreFacts{has_route, modified_filter};
}

// A state holding the stream's cursor, nothing due.
StateFacts with_cursor() {
  StateFacts s;
  s.cursor = kCursor;
  s.holds_cursor_field = true;
  return s;
}

ReadPlan full(const std::string &name, StoreFacts facts = store()) {
  return source::plan_read(def(name), facts, SyncMode::kFullRefresh, {});
}

ReadPlan incremental(const std::string &name, StoreFacts facts = store(),
                     StateFacts state = with_cursor()) {
  return source::plan_read(def(name), facts, SyncMode::kIncremental, state);
}

} // namespace

TEST(ReadPlan, DerivedKindGoesToItsCustomReaderInEitherMode) {
  EXPECT_EQ(full("inventory").strategy, Strategy::kCustom);
  EXPECT_EQ(incremental("inventory").strategy, Strategy::kCustom);
}

TEST(ReadPlan, FullRefreshOfATopLevelStreamIsAFullListing) {
  const ReadPlan p = full("orders");
  EXPECT_EQ(p.strategy, Strategy::kFullListing);
  EXPECT_EQ(p.path, "/orders");
  EXPECT_EQ(p.warning, "");
}

TEST(ReadPlan, FullRefreshOfAStoreWideChildRouteIsAFullListing) {
  const ReadPlan p = full("refunds");
  EXPECT_EQ(p.strategy, Strategy::kFullListing);
  EXPECT_EQ(p.path, "/refunds");
}

TEST(ReadPlan, FullRefreshOfAPerParentRouteReadsEveryParentResumably) {
  const ReadPlan p = full("order_notes");
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfEveryParent);
  EXPECT_EQ(p.path, "/orders/{parent_id}/notes");
  EXPECT_TRUE(p.resumable);
  EXPECT_FALSE(p.filter_by_cursor);
  EXPECT_EQ(p.warning, "");
}

TEST(ReadPlan, FullRefreshWithoutTheStoreWideRouteReadsTheFallbackThroughEveryParent) {
  const ReadPlan p = full("refunds", store(/*has_route=*/false));
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfEveryParent);
  EXPECT_EQ(p.path, "/orders/{parent_id}/refunds");
  EXPECT_TRUE(p.resumable);
  EXPECT_EQ(p.warning, "refunds: the store has no /refunds route (WooCommerce older than 9.0); "
                       "reading /orders/{parent_id}/refunds through every orders record instead");
}

TEST(ReadPlan, FullRefreshOfAMissingRouteWithoutFallbackIsStillAFullListing) {
  EXPECT_EQ(full("orders", store(/*has_route=*/false)).strategy, Strategy::kFullListing);
}

TEST(ReadPlan, ParentCursorReadsTheChildrenOfChangedParents) {
  const ReadPlan p = incremental("order_notes");
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfChangedParents);
  EXPECT_EQ(p.path, "/orders/{parent_id}/notes");
  EXPECT_FALSE(p.every_parent);
  EXPECT_FALSE(p.filter_by_cursor);
  EXPECT_EQ(p.warning, "");
}

TEST(ReadPlan, ParentCursorWithAFullPassAskedReadsEveryParent) {
  StateFacts s = with_cursor();
  s.full_pass_asked = true;
  const ReadPlan p = incremental("order_notes", store(), s);
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfChangedParents);
  EXPECT_TRUE(p.every_parent);
}

TEST(ReadPlan, ParentCursorOnAStoreIgnoringTheModifiedFilterReadsEveryParent) {
  const ReadPlan p = incremental("order_notes", store(true, /*modified_filter=*/false));
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfChangedParents);
  EXPECT_TRUE(p.every_parent);
}

TEST(ReadPlan, ClientCursorIsFilteredOnOurSide) {
  const ReadPlan p = incremental("customers");
  EXPECT_EQ(p.strategy, Strategy::kClientFiltered);
  EXPECT_EQ(p.path, "/customers");
}

TEST(ReadPlan, ModifiedCursorOnAStoreIgnoringTheFilterIsFilteredOnOurSide) {
  EXPECT_EQ(incremental("orders", store(true, /*modified_filter=*/false)).strategy,
            Strategy::kClientFiltered);
}

TEST(ReadPlan, ModifiedCursorIsReadByTheServersWindow) {
  const ReadPlan p = incremental("orders");
  EXPECT_EQ(p.strategy, Strategy::kServerCursor);
  EXPECT_EQ(p.path, "/orders");
  EXPECT_EQ(p.warning, "");
}

TEST(ReadPlan, CreatedCursorIsReadByTheServersWindow) {
  EXPECT_EQ(incremental("refunds").strategy, Strategy::kServerCursor);
}

TEST(ReadPlan, MissingRouteWithACursorReadsTheChildrenOfModifiedParents) {
  const ReadPlan p = incremental("product_variations", store(/*has_route=*/false));
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfModifiedParents);
  EXPECT_EQ(p.path, "/products/{parent_id}/variations");
  EXPECT_EQ(p.warning, "product_variations: the store has no /variations route (WooCommerce older "
                       "than 10.3); reading /products/{parent_id}/variations of the products "
                       "modified since 2026-11-20T10:00:00 (one request each)");
}

TEST(ReadPlan, MissingRouteWithoutACursorReadsEveryParentFiltered) {
  const ReadPlan p = incremental("product_variations", store(false), StateFacts{});
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfEveryParent);
  EXPECT_EQ(p.path, "/products/{parent_id}/variations");
  EXPECT_FALSE(p.resumable);
  EXPECT_TRUE(p.filter_by_cursor);
  EXPECT_EQ(p.warning, "product_variations: the store has no /variations route (WooCommerce "
                       "older than 10.3); reading /products/{parent_id}/variations through every "
                       "products record instead (one request each)");
}

TEST(ReadPlan, MissingRouteWithAFullResyncDueReadsEveryParent) {
  StateFacts s = with_cursor();
  s.full_resync = true;
  EXPECT_EQ(incremental("product_variations", store(false), s).strategy,
            Strategy::kChildrenOfEveryParent);
}

TEST(ReadPlan, MissingRouteWithACursorOnlyFromTheStartDateReadsEveryParent) {
  StateFacts s = with_cursor();
  s.holds_cursor_field = false; // the cursor comes from start_date, not from a previous sync
  EXPECT_EQ(incremental("product_variations", store(false), s).strategy,
            Strategy::kChildrenOfEveryParent);
}

TEST(ReadPlan, MissingRouteOnAStoreIgnoringTheModifiedFilterReadsEveryParent) {
  EXPECT_EQ(incremental("product_variations", store(false, false)).strategy,
            Strategy::kChildrenOfEveryParent);
}

TEST(ReadPlan, MissingRouteOfACreatedCursorReadsTheChildrenOfChangedParents) {
  const ReadPlan p = incremental("refunds", store(/*has_route=*/false));
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfChangedParents);
  EXPECT_EQ(p.path, "/orders/{parent_id}/refunds");
  EXPECT_TRUE(p.filter_by_cursor);
  EXPECT_FALSE(p.every_parent);
  EXPECT_EQ(p.warning, "refunds: the store has no /refunds route (WooCommerce older than 9.0); "
                       "reading /orders/{parent_id}/refunds of the orders changed since the last "
                       "sync (one request each)");
}

TEST(ReadPlan, MissingRouteOfACreatedCursorOnAStoreIgnoringTheFilterReadsEveryParent) {
  const ReadPlan p = incremental("refunds", store(false, false));
  EXPECT_EQ(p.strategy, Strategy::kChildrenOfChangedParents);
  EXPECT_TRUE(p.every_parent);
}

TEST(ReadPlan, MissingRouteWithoutFallbackStaysOnTheServersWindow) {
  EXPECT_EQ(incremental("orders", store(/*has_route=*/false)).strategy, Strategy::kServerCursor);
}
