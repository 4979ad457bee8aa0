// page_through when a later page's totals contradict the listing: read again, then fail (or, for
// an empty page after a modest fall, end with a WARN), never end early and silently.
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

#include "core/error.hpp"
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

constexpr int kPerPage = 5;

// Pages of kPerPage records (total 15, 3 pages); `overrides` replaces what a page answers for
// its first `times` fetches.
struct Answer {
  int records;
  std::int64_t total;
  std::int64_t total_pages;
  int times;
};

class ScriptedPages : public source::PageSource {
public:
  explicit ScriptedPages(std::map<int, Answer> overrides) : overrides_(std::move(overrides)) {}

  source::Page fetch(const source::PageRequest &request, std::string_view) override {
    const int page = request.page.value_or(1);
    ++fetches_[page];
    Answer a{page <= 3 ? kPerPage : 0, 15, 3, 0};
    if (auto it = overrides_.find(page); it != overrides_.end() && it->second.times > 0) {
      --it->second.times;
      a = it->second;
    }
    json::array records;
    for (int i = 0; i < a.records; ++i) {
      records.push_back(json::object{{"id", (page - 1) * kPerPage + i + 1}});
    }
    source::Page p;
    p.body = std::move(records);
    p.total = a.total;
    p.total_pages = a.total_pages;
    return p;
  }
  // As the store sees it (the messages name the request).
  std::string describe(const source::PageRequest &request) const override {
    return woo::describe_query(request);
  }
  int fetches(int page) { return fetches_[page]; }

private:
  std::map<int, Answer> overrides_;
  std::map<int, int> fetches_;
};

struct Outcome {
  std::vector<std::int64_t> ids;
  std::optional<FailureType> failure;
  std::string output; // the messages written (LOG lines)
};

Outcome read_all(ScriptedPages &pages) {
  std::FILE *sink_file = std::tmpfile();
  Outcome o;
  {
    protocol::MessageWriter out(sink_file);
    source::ReadOptions config;
    config.page_size = kPerPage;
    source::ReadContext ctx(source::ReadServices{.pages = pages, .out = out, .options = config});
    try {
      source::page_through(ctx, orders_listing(), "orders", 1,
                           [&](json::array &records, int) {
                             for (auto &r : records) {
                               o.ids.push_back(r.as_object().at("id").as_int64());
                             }
                           },
                           true, {"id"});
    } catch (const Error &e) {
      o.failure = e.type();
      o.output += e.what();
    }
  }
  std::fflush(sink_file);
  std::rewind(sink_file);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, sink_file)) > 0) {
    o.output.append(buf, n);
  }
  std::fclose(sink_file);
  return o;
}

} // namespace

TEST(PageThroughTotals, AGlitchIsReadAgain) {
  ScriptedPages pages({{2, {kPerPage, 1, 1, 1}}}); // page 2 says "1 record in 1 page" once
  auto o = read_all(pages);
  EXPECT_FALSE(o.failure) << o.output;
  EXPECT_EQ(o.ids.size(), 15u);
  EXPECT_EQ(pages.fetches(2), 2);
}

TEST(PageThroughTotals, TotalsThatKeepContradictingThePageFailTheListing) {
  ScriptedPages pages({{2, {kPerPage, 1, 1, 100}}});
  auto o = read_all(pages);
  EXPECT_EQ(o.failure, FailureType::kTransient);
  EXPECT_NE(o.output.find("GET /orders?per_page=5&page=2"), std::string::npos) << o.output;
  EXPECT_EQ(o.ids.size(), 5u); // page 1 only: nothing past the contradiction
}

TEST(PageThroughTotals, AnEmptyPageWhoseTotalCollapsedFailsTheListing) {
  ScriptedPages pages({{3, {0, 1, 1, 100}}}); // 10 records read, then "[]" and a total of 1
  auto o = read_all(pages);
  EXPECT_EQ(o.failure, FailureType::kTransient);
  EXPECT_NE(o.output.find("an empty page with X-WP-Total 1 after 10 records"), std::string::npos)
      << o.output;
}

TEST(PageThroughTotals, AnEmptyPageAfterAModestFallEndsWithAWarning) {
  ScriptedPages pages({{3, {0, 8, 2, 100}}}); // 2 records deleted meanwhile: 8 left, 10 read
  auto o = read_all(pages);
  EXPECT_FALSE(o.failure) << o.output;
  EXPECT_EQ(o.ids.size(), 10u);
  EXPECT_NE(o.output.find("records were deleted during the sync"), std::string::npos) << o.output;
}
