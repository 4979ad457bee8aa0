// One read feeds several streams (source/derived_streams.hpp): the grouping plan, the lowest
// state, a stream fed by two sources, and the fan-out of records, states, statuses and errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "source/derived_streams.hpp"

namespace json = boost::json;
using namespace wc::source;
using wc::protocol::StreamStatus;

namespace {

StreamDefinition def(const std::string &name, std::vector<std::string> fed_by = {},
                     CursorKind kind = CursorKind::kModified) {
  StreamDefinition d;
  d.name = name;
  d.primary_key = {{"id"}};
  d.cursor_kind = kind;
  d.cursor_field = kind == CursorKind::kNone ? "" : "date_modified_gmt";
  d.fed_by = std::move(fed_by);
  return d;
}

struct Defs {
  StreamDefinition orders = def("orders");
  StreamDefinition customers = def("customers");
  StreamDefinition lines = def("orders_line_items", {"orders"});
  StreamDefinition meta = def("orders_meta_data", {"orders"});
  StreamDefinition unified = def("unified_customers", {"orders", "customers"});
  StreamDefinition zones = def("tax_rates", {}, CursorKind::kNone);
  StreamDefinition postcodes = def("tax_rates_postcodes", {"tax_rates"}, CursorKind::kNone);
  std::function<const StreamDefinition *(std::string_view)> find() const {
    return [this](std::string_view n) -> const StreamDefinition * {
      for (const auto *d : {&orders, &customers, &lines, &meta, &unified, &zones, &postcodes}) {
        if (d->name == n) {
          return d;
        }
      }
      return nullptr;
    };
  }
};

StreamRequest req(const StreamDefinition &d, SyncMode m = SyncMode::kIncremental) {
  return StreamRequest{&d, m};
}

struct Rec : wc::protocol::MessageSink {
  std::vector<std::pair<std::string, std::string>> records;
  std::vector<std::pair<std::string, json::value>> states;
  std::vector<std::pair<std::string, StreamStatus>> statuses;
  std::vector<std::string> errors;
  std::vector<std::vector<std::string>> record_for_calls;
  void record(std::string_view s, std::string_view d) override {
    records.emplace_back(std::string(s), std::string(d));
  }
  void record_for(const std::vector<std::string> &s, std::string_view d) override {
    record_for_calls.push_back(s);
    MessageSink::record_for(s, d);
  }
  void stream_state(std::string_view s, const json::value &v) override {
    states.emplace_back(std::string(s), v);
  }
  void log(wc::protocol::LogLevel, std::string_view) override {}
  void stream_status(std::string_view s, StreamStatus st, std::int64_t) override {
    statuses.emplace_back(std::string(s), st);
  }
  void estimate(std::string_view, std::int64_t) override {}
  void error(wc::FailureType, std::string_view, std::string_view, std::string_view s) override {
    errors.emplace_back(s);
  }
  void message(const json::object &) override {}
};

json::object cursor_blob(const char *cursor) {
  return json::object{{"date_modified_gmt", cursor}, {"boundary_ids", json::array{}}};
}

} // namespace

TEST(DerivedStreams, PlanReadsEachSourceOnceForEveryStreamItFeeds) {
  Defs d;
  // orders is not selected: it is read anyway, for its nested streams only.
  auto reads = plan_source_reads({req(d.lines), req(d.zones, SyncMode::kFullRefresh), req(d.meta),
                                  req(d.postcodes, SyncMode::kFullRefresh)},
                                 d.find());
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].source, &d.orders);
  EXPECT_FALSE(reads[0].source_selected);
  EXPECT_EQ(reads[0].members, (std::vector<std::string>{"orders_line_items", "orders_meta_data"}));
  EXPECT_EQ(reads[0].sync_mode, SyncMode::kIncremental);
  EXPECT_EQ(reads[1].source, &d.zones);
  EXPECT_TRUE(reads[1].source_selected);
  EXPECT_EQ(reads[1].members, (std::vector<std::string>{"tax_rates", "tax_rates_postcodes"}));
  EXPECT_EQ(reads[1].sync_mode, SyncMode::kFullRefresh);

  // A member in full refresh makes the source's read a full one.
  reads = plan_source_reads({req(d.orders), req(d.lines, SyncMode::kFullRefresh)}, d.find());
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_TRUE(reads[0].source_selected);
  EXPECT_EQ(reads[0].sync_mode, SyncMode::kFullRefresh);
  reads = plan_source_reads({req(d.orders, SyncMode::kFullRefresh), req(d.lines)}, d.find());
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].sync_mode, SyncMode::kFullRefresh);

  // A stream fed by two sources is a member of both reads.
  reads = plan_source_reads({req(d.unified), req(d.customers)}, d.find());
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].source, &d.orders);
  EXPECT_EQ(reads[0].members, std::vector<std::string>{"unified_customers"});
  EXPECT_EQ(reads[1].source, &d.customers);
  EXPECT_EQ(reads[1].members, (std::vector<std::string>{"unified_customers", "customers"}));

  // A stream fed by a derived stream, or by none that exists, is a mistake of the catalog.
  StreamDefinition bad = def("x", {"orders_line_items"});
  EXPECT_THROW(plan_source_reads({req(bad)}, d.find()), wc::Error);
  StreamDefinition missing = def("y", {"nothing"});
  EXPECT_THROW(plan_source_reads({req(missing)}, d.find()), wc::Error);
}

TEST(DerivedStreams, TheSourceIsReadFromTheLowestStateAndFromTheStartWhenAMemberHasNone) {
  Defs d;
  const json::object early = cursor_blob("2026-01-01T00:00:00");
  const json::object late = cursor_blob("2026-06-01T00:00:00");
  EXPECT_EQ(lowest_checkpoint(d.orders, {{"orders", &late}, {"orders_line_items", &early}}),
            &early);
  EXPECT_EQ(lowest_checkpoint(d.orders, {{"orders", &early}, {"orders_line_items", &late}}),
            &early);
  EXPECT_EQ(lowest_checkpoint(d.orders, {{"orders", &late}, {"orders_line_items", nullptr}}),
            nullptr);
  const json::object no_cursor{{"date_modified_gmt", nullptr}};
  EXPECT_EQ(lowest_checkpoint(d.orders, {{"orders", &late}, {"orders_meta_data", &no_cursor}}),
            &no_cursor);
  // Full refresh: the lowest page to resume from.
  const json::object page3{{"resume_page", 3}};
  const json::object page2{{"resume_page", 2}};
  EXPECT_EQ(lowest_checkpoint(d.zones, {{"tax_rates", &page3}, {"tax_rates_postcodes", &page2}}),
            &page2);
  const json::object bad{{"date_modified_gmt", 7}};
  EXPECT_THROW(lowest_checkpoint(d.orders, {{"orders", &late}, {"orders_line_items", &bad}}),
               wc::Error);

  // A stream fed by two sources holds one checkpoint per source.
  const json::object multi{{"sources", json::object{{"orders", early}, {"customers", late}}}};
  EXPECT_EQ(*member_checkpoint(d.unified, &multi, "customers"), late);
  EXPECT_EQ(*member_checkpoint(d.unified, &multi, "orders"), early);
  const json::object only_orders{{"sources", json::object{{"orders", early}}}};
  EXPECT_EQ(member_checkpoint(d.unified, &only_orders, "customers"), nullptr);
  EXPECT_EQ(member_checkpoint(d.lines, &late, "orders"), &late);
}

TEST(DerivedStreams, RecordsStatesStatusesAndErrorsGoToEveryMember) {
  Defs d;
  Rec out;
  const auto reads =
      plan_source_reads({req(d.orders), req(d.lines), req(d.unified), req(d.customers)}, d.find());
  const json::object customers_before = cursor_blob("2025-01-01T00:00:00");
  FanOutSink fan(out, reads, d.find(),
                 {{"unified_customers",
                   json::object{{"sources", json::object{{"customers", customers_before}}}}}});

  fan.stream_status("orders", StreamStatus::kStarted);
  fan.record("orders", R"({"id":1})");
  ASSERT_EQ(out.record_for_calls.size(), 1u); // one call: the record parsed once downstream
  EXPECT_EQ(out.record_for_calls[0],
            (std::vector<std::string>{"orders", "orders_line_items", "unified_customers"}));
  EXPECT_EQ(out.records.size(), 3u);

  const json::object cp = cursor_blob("2026-02-02T00:00:00");
  fan.stream_state("orders", cp);
  std::map<std::string, json::value> states(out.states.begin(), out.states.end());
  EXPECT_EQ(states["orders"], cp);
  EXPECT_EQ(states["orders_line_items"], cp);
  // The two-source blob: this read's orders checkpoint beside the incoming customers one.
  EXPECT_EQ(
      states["unified_customers"],
      (json::object{{"sources", json::object{{"customers", customers_before}, {"orders", cp}}}}));
  EXPECT_EQ(fan.last("orders"), cp);

  // unified_customers: STARTED once, COMPLETE when its last source completes.
  fan.stream_status("customers", StreamStatus::kStarted);
  fan.stream_status("orders", StreamStatus::kComplete);
  auto count = [&](const std::string &s, StreamStatus st) {
    return std::count(out.statuses.begin(), out.statuses.end(), std::make_pair(s, st));
  };
  EXPECT_EQ(count("unified_customers", StreamStatus::kStarted), 1);
  EXPECT_EQ(count("unified_customers", StreamStatus::kComplete), 0);
  EXPECT_EQ(count("orders_line_items", StreamStatus::kComplete), 1);
  fan.error(wc::FailureType::kTransient, "boom", "", "customers");
  fan.stream_status("customers", StreamStatus::kIncomplete);
  EXPECT_EQ(count("unified_customers", StreamStatus::kIncomplete), 1);
  EXPECT_EQ(count("unified_customers", StreamStatus::kComplete), 0);
  EXPECT_EQ(count("customers", StreamStatus::kIncomplete), 1);
  EXPECT_EQ(out.errors, (std::vector<std::string>{"unified_customers", "customers"}));

  // A stream read for itself alone passes straight through (the raw output's path).
  Rec plain;
  const auto alone = plan_source_reads({req(d.customers)}, d.find());
  FanOutSink pass(plain, alone, d.find(), {});
  pass.record("customers", R"({"id":2})");
  EXPECT_TRUE(plain.record_for_calls.empty());
  ASSERT_EQ(plain.records.size(), 1u);
  EXPECT_EQ(plain.records[0], std::make_pair(std::string("customers"), std::string(R"({"id":2})")));
}
