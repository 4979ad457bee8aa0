// The engine's PageRequests as wc/v3 queries (woocommerce/page_query.cpp): every request kind the
// engine makes is pinned to the exact query the connector has always sent (same parameters, same
// order, same values). The demo store's strict date filters and the end-to-end tests depend on
// them; a change here is a change of what the connector sends to every store.
#include <gtest/gtest.h>

#include "catalog/definition_loader.hpp"
#include "woocommerce/page_query.hpp"

using namespace wc;
using source::LifeCycle;
using source::Ordering;
using source::PageRequest;
using source::TimeWindow;
using source::WindowTime;

namespace {

const UnixSeconds kT = *parse_utc("2026-11-20T10:00:00");

std::string query(const PageRequest &r) {
  std::string out;
  for (const auto &[k, v] : woo::to_query(r)) {
    out += (out.empty() ? "" : "&") + k + "=" + v;
  }
  return out;
}

PageRequest listing(const std::string &name) {
  const auto *d = catalog::find_definition(name);
  if (d == nullptr) {
    throw std::logic_error("no stream " + name);
  }
  PageRequest r;
  r.path = d->path;
  r.fixed = d->params;
  return r;
}

// What cursor_pager asks: the listing in a window of its time, by that time, a page.
PageRequest cursor_page(PageRequest r, WindowTime time, std::optional<UnixSeconds> after,
                        std::optional<UnixSeconds> before, int page, int size) {
  r = r.with_page(page, size);
  r.window = TimeWindow{time, after, before};
  r.order = Ordering::kByWindowTime;
  return r;
}

} // namespace

TEST(PageQuery, CursorPageOfModifiedRecords) {
  EXPECT_EQ(
      query(cursor_page(listing("orders"), WindowTime::kModified, kT - 1, std::nullopt, 1, 100)),
      "status=any&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=1&"
      "modified_after=2026-11-20T09:59:59");
}

TEST(PageQuery, CursorPageWithoutACursorHasNoBound) {
  EXPECT_EQ(query(cursor_page(listing("products"), WindowTime::kModified, std::nullopt,
                              std::nullopt, 1, 50)),
            "status=any&dates_are_gmt=true&orderby=modified&order=asc&per_page=50&page=1");
}

TEST(PageQuery, DateWindowAndBoundarySecondHaveBothBounds) {
  // A date window of read_in_windows, and the boundary second read alone with page numbers.
  EXPECT_EQ(query(cursor_page(listing("orders"), WindowTime::kModified, kT - 1, kT + 1, 3, 100)),
            "status=any&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=3&"
            "modified_after=2026-11-20T09:59:59&modified_before=2026-11-20T10:00:01");
}

TEST(PageQuery, CreatedDateCursorUsesAfterBeforeAndOrdersByDate) {
  EXPECT_EQ(query(cursor_page(listing("refunds"), WindowTime::kCreated, kT - 1, kT + 1, 1, 100)),
            "dates_are_gmt=true&orderby=date&order=asc&per_page=100&page=1&"
            "after=2026-11-20T09:59:59&before=2026-11-20T10:00:01");
}

TEST(PageQuery, WindowProbePutsTheProjectionAfterThePage) {
  PageRequest probe =
      cursor_page(listing("orders"), WindowTime::kModified, kT - 1, std::nullopt, 1, 3);
  probe.members = {"id", "date_modified_gmt"};
  probe.probe = true;
  EXPECT_EQ(query(probe), "status=any&dates_are_gmt=true&orderby=modified&order=asc&per_page=3&"
                          "page=1&_fields=id,date_modified_gmt&modified_after=2026-11-20T09:59:59");
}

TEST(PageQuery, ChangedParentsListingPutsTypeAndProjectionFirst) {
  // The parents of product_variations modified since the cursor (no /variations route).
  PageRequest parents =
      cursor_page(listing("products"), WindowTime::kModified, kT - 1, std::nullopt, 1, 100);
  parents.type = "variable";
  parents.members = {"id", "date_modified_gmt"};
  EXPECT_EQ(query(parents), "status=any&type=variable&_fields=id,date_modified_gmt&dates_are_gmt="
                            "true&orderby=modified&order=asc&per_page=100&page=1&modified_after="
                            "2026-11-20T09:59:59");
  // The orders of order_notes: no type.
  PageRequest orders =
      cursor_page(listing("orders"), WindowTime::kModified, std::nullopt, std::nullopt, 1, 100);
  orders.members = {"id", "date_modified_gmt"};
  EXPECT_EQ(query(orders), "status=any&_fields=id,date_modified_gmt&dates_are_gmt=true&orderby="
                           "modified&order=asc&per_page=100&page=1");
}

TEST(PageQuery, ParentsIdListingProjectsOrdersByIdThenFiltersByType) {
  PageRequest parents = listing("products").with_page(2, 100);
  parents.members = {"id"};
  parents.order = Ordering::kById;
  parents.type = "variable";
  EXPECT_EQ(query(parents), "status=any&_fields=id&orderby=id&order=asc&type=variable&per_page=100&"
                            "page=2");
}

TEST(PageQuery, TrashListingReplacesTheDefinitionsStatus) {
  PageRequest orders = listing("orders");
  orders.life_cycle = LifeCycle::kTrashed;
  EXPECT_EQ(query(cursor_page(orders, WindowTime::kModified, kT - 1, std::nullopt, 1, 100)),
            "status=trash&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=1&"
            "modified_after=2026-11-20T09:59:59");
  PageRequest variations = listing("product_variations"); // no status of its own: appended
  variations.life_cycle = LifeCycle::kTrashed;
  EXPECT_EQ(
      query(cursor_page(variations, WindowTime::kModified, std::nullopt, std::nullopt, 1, 100)),
      "status=trash&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=1");
}

TEST(PageQuery, SweepIdPagesOfLiveThenTrashedRecords) {
  for (const auto &[life_cycle, status] :
       {std::pair{LifeCycle::kLive, "any"}, std::pair{LifeCycle::kTrashed, "trash"}}) {
    PageRequest ids = listing("coupons").with_page(4, 100);
    ids.life_cycle = life_cycle;
    ids.members = {"id"};
    ids.order = Ordering::kById;
    EXPECT_EQ(query(ids), std::string("status=") + status +
                              "&_fields=id&orderby=id&order=asc&per_page=100&page=4");
  }
}

TEST(PageQuery, SweepConfirmationAsksForTheIdsWithInclude) {
  PageRequest confirm = listing("orders").with_page(1, 100);
  confirm.life_cycle = LifeCycle::kTrashed;
  confirm.ids = {252, 253, 260};
  confirm.members = {"id"};
  EXPECT_EQ(query(confirm), "status=trash&include=252,253,260&_fields=id&per_page=100&page=1");
}

TEST(PageQuery, FullListingPageKeepsTheDefinitionsParametersThenPages) {
  const auto *d = catalog::find_definition("customers");
  ASSERT_NE(d, nullptr);
  PageRequest full;
  full.path = d->path;
  full.fixed = d->params;
  full.fixed.insert(full.fixed.end(), d->full_params.begin(), d->full_params.end());
  EXPECT_EQ(query(full.with_page(7, 100)), "role=all&orderby=id&order=asc&per_page=100&page=7");
}

TEST(PageQuery, SinglePageListingSendsOnlyTheDefinitionsParameters) {
  EXPECT_EQ(query(listing("product_attributes")), "");
  EXPECT_EQ(query(listing("orders")), "status=any");
}

TEST(PageQuery, DescribeNamesTheRouteAndTheQuery) {
  EXPECT_EQ(woo::describe_query(listing("orders").with_page(3, 100)),
            "GET /orders?status=any&per_page=100&page=3");
  EXPECT_EQ(woo::describe_query(listing("product_attributes")), "GET /products/attributes");
}
