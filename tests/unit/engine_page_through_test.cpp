// page_through with pages fetched ahead while the pool's width narrows to one and widens again:
// every page must be fetched once and its records handed over once, in page order.
#include <boost/json.hpp>
#include <cstdio>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <set>

#include "core/executor.hpp"
#include "http/in_flight_limit.hpp"
#include "protocol/message_writer.hpp"
#include "source/page_source.hpp"
#include "source/stream_reader.hpp"
#include "woocommerce/page_query.hpp"

namespace json = boost::json;
using namespace wc;

namespace {

// The plain listing of /orders.
source::PageRequest orders_listing() {
  source::PageRequest r;
  r.path = "/orders";
  return r;
}

// Serves `pages` pages of `per_page` records; reports each request's latency to the pool as if
// it had carried it: fast, then slow (the pool narrows), then fast again (it widens).
class FakePages : public source::PageSource {
public:
  FakePages(int pages, int per_page, http::InFlightLimit &slots)
      : pages_(pages), per_page_(per_page), slots_(slots) {}

  source::Page fetch(const source::PageRequest &request, std::string_view) override {
    const int page = request.page.value_or(1);
    slots_.acquire();
    const bool slow = page > 10 && page <= 50;
    slots_.release(std::chrono::microseconds(slow ? 200000 : 1000));
    {
      std::lock_guard lock(mu_);
      ++fetches_[page];
      widths_.insert(slots_.width());
    }
    json::array records;
    if (page <= pages_) {
      for (int i = 0; i < per_page_; ++i) {
        records.push_back(json::object{{"id", (page - 1) * per_page_ + i + 1}});
      }
    }
    source::Page p;
    p.body = std::move(records);
    p.total = static_cast<std::int64_t>(pages_) * per_page_;
    p.total_pages = pages_;
    return p;
  }

  std::map<int, int> fetches() {
    std::lock_guard lock(mu_);
    return fetches_;
  }
  std::set<int> widths() {
    std::lock_guard lock(mu_);
    return widths_;
  }

private:
  int pages_;
  int per_page_;
  http::InFlightLimit &slots_;
  std::mutex mu_;
  std::map<int, int> fetches_;
  std::set<int> widths_;
};

} // namespace

TEST(PageThrough, EveryPageOnceWhileThePoolNarrowsAndWidens) {
  constexpr int kPages = 120;
  constexpr int kPerPage = 5;
  http::InFlightLimit slots(4, 2);
  FakePages pages(kPages, kPerPage, slots);
  std::FILE *sink_file = std::tmpfile();
  ASSERT_NE(sink_file, nullptr);
  protocol::MessageWriter out(sink_file);
  source::ReadOptions config;
  config.page_size = kPerPage;
  source::ReadContext ctx(source::ReadServices{.pages = pages, .out = out, .options = config});
  ctx.parallel_pages = 4;
  core::Executor executor(4);
  ctx.executor = &executor;
  ctx.in_flight = &slots;

  std::vector<std::int64_t> ids;
  std::vector<int> next_pages;
  source::page_through(ctx, orders_listing(), "orders", 1, [&](json::array &records, int next) {
    for (auto &r : records) {
      ids.push_back(r.as_object().at("id").as_int64());
    }
    next_pages.push_back(next);
  });
  std::fclose(sink_file);

  // The premise: the pool went down to one in flight and back up.
  const auto widths = pages.widths();
  EXPECT_TRUE(widths.count(1)) << "the slow phase did not narrow the pool to 1";
  EXPECT_GT(*widths.rbegin(), 1);

  const auto fetches = pages.fetches();
  for (int p = 1; p <= kPages; ++p) {
    auto it = fetches.find(p);
    ASSERT_NE(it, fetches.end()) << "page " << p << " never fetched";
    EXPECT_EQ(it->second, 1) << "page " << p << " fetched " << it->second << " times";
  }
  EXPECT_EQ(fetches.rbegin()->first, kPages); // nothing past the last page
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kPages * kPerPage));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(ids[i], static_cast<std::int64_t>(i + 1));
  }
  ASSERT_EQ(next_pages.size(), static_cast<std::size_t>(kPages));
  EXPECT_EQ(next_pages.back(), kPages + 1);
}
