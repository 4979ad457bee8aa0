// What a listing page must look like before any of it is emitted (source/listing_checks.hpp).
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "source/listing_checks.hpp"

namespace json = boost::json;
using namespace wc;

namespace {

source::Page page_of(json::array items, std::int64_t total, std::int64_t total_pages) {
  source::Page p;
  p.body = std::move(items);
  p.total = total;
  p.total_pages = total_pages;
  return p;
}

json::array records(int n, int first_id = 1) {
  json::array a;
  for (int i = 0; i < n; ++i) {
    a.push_back(json::object{{"id", first_id + i}});
  }
  return a;
}

std::string failure(const json::array &items, const std::vector<std::string> &fields) {
  try {
    source::require_records(items, fields, "orders", "GET /orders?page=2");
  } catch (const Error &e) {
    EXPECT_EQ(e.type(), FailureType::kSystem);
    return e.what();
  }
  return "";
}

} // namespace

TEST(ListingChecks, ConsistentTotalsPass) {
  EXPECT_FALSE(source::totals_contradiction(page_of(records(100), 250, 3), 1, 100));
  EXPECT_FALSE(source::totals_contradiction(page_of(records(50), 250, 3), 3, 100));
  // Records deleted meanwhile: the last page comes back empty, which is no contradiction.
  EXPECT_FALSE(source::totals_contradiction(page_of(records(0), 190, 2), 3, 100));
  // No totals at all: nothing to contradict.
  EXPECT_FALSE(source::totals_contradiction(page_of(records(100), -1, -1), 7, 100));
}

TEST(ListingChecks, TotalsFallingBelowThePageContradictIt) {
  auto pages = source::totals_contradiction(page_of(records(100, 101), 1, 1), 2, 100);
  ASSERT_TRUE(pages);
  EXPECT_NE(pages->find("X-WP-TotalPages 1"), std::string::npos) << *pages;
  auto total = source::totals_contradiction(page_of(records(100, 101), 150, 3), 2, 100);
  ASSERT_TRUE(total);
  EXPECT_NE(total->find("X-WP-Total 150"), std::string::npos) << *total;
}

TEST(ListingChecks, ItemsThatAreNotRecordsFailWithTheRequestAndTheItem) {
  EXPECT_EQ(failure(records(3), {"id"}), "");
  const std::string scalar = failure(json::array{json::object{{"id", 1}}, "cached"}, {"id"});
  EXPECT_NE(scalar.find("GET /orders?page=2"), std::string::npos) << scalar;
  EXPECT_NE(scalar.find("item 2 of 2"), std::string::npos) << scalar;
  EXPECT_NE(scalar.find("\"cached\""), std::string::npos) << scalar;
  const std::string no_id = failure(json::array{json::object{{"success", true}}}, {"id"});
  EXPECT_NE(no_id.find("without 'id'"), std::string::npos) << no_id;
  EXPECT_NE(no_id.find("\"success\":true"), std::string::npos) << no_id;
  const std::string null_key = failure(json::array{json::object{{"slug", nullptr}}}, {"slug"});
  EXPECT_NE(null_key.find("without 'slug'"), std::string::npos) << null_key;
}

TEST(ListingChecks, KeyFieldsLeaveOutTheParentKeyTheEngineAdds) {
  source::StreamDefinition d;
  d.primary_key = {{"order_id"}, {"id"}};
  d.parent = source::ParentRef{};
  d.parent->key = "order_id";
  EXPECT_EQ(source::key_members(d), (std::vector<std::string>{"id"}));
  source::StreamDefinition locations;
  locations.primary_key = {{"zone_id"}, {"code"}, {"type"}};
  locations.parent = source::ParentRef{};
  locations.parent->key = "zone_id";
  EXPECT_EQ(source::key_members(locations), (std::vector<std::string>{"code", "type"}));
}
