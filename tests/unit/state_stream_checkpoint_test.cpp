// The typed stream checkpoint (state/stream_checkpoint.hpp): every blob shape the connector has
// written or reads (tests/data/state-fixtures, see its README.md) loads, and goes back to JSON as
// it came plus "checkpoint_version": 2; keys it does not know survive; malformed values fail
// with a config_error naming the stream and the key; a blob of a newer format fails clearly.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "catalog/definition_loader.hpp"
#include "core/error.hpp"
#include "state/state_store.hpp"
#include "state/stream_checkpoint.hpp"

using namespace wc;
namespace json = boost::json;

namespace {

const std::string kFixtures = std::string(WCC_TEST_DATA) + "/state-fixtures/";

state::StateStore load(const std::string &file) {
  std::ifstream in(kFixtures + file);
  if (!in) {
    throw std::runtime_error("missing fixture " + file);
  }
  std::stringstream text;
  text << in.rdbuf();
  return state::StateStore::parse(json::parse(text.str()), [](const std::string &) {});
}

// The stream's cursor field as the catalog declares it (empty: a full refresh stream).
std::string cursor_field(const std::string &stream) {
  const auto *d = catalog::find_definition(stream);
  return d != nullptr ? d->cursor_field : std::string();
}

state::StreamCheckpoint checkpoint(const std::string &file, const std::string &stream) {
  auto cp = state::incoming_checkpoint(load(file), stream, cursor_field(stream));
  if (!cp) {
    throw std::runtime_error(file + " has no state for " + stream);
  }
  return *cp;
}

json::object with_version(json::object blob) {
  blob[state::kCheckpointVersionKey] = state::kCheckpointVersion;
  return blob;
}

bool is_completion_marker(const json::object &blob) {
  return blob == json::object{{state::kFullRefreshCompleteKey, true}};
}

// The config_error from_json throws for `text` (a stream blob), or "" when it throws none.
std::string error_of(const std::string &text, const std::string &field = "date_modified_gmt") {
  try {
    state::from_json(json::parse(text).as_object(), field, "orders");
  } catch (const Error &e) {
    EXPECT_EQ(e.type(), FailureType::kConfig) << text;
    return e.what();
  }
  return "";
}

UnixSeconds at(const char *text) { return *parse_utc(text); }

} // namespace

// Guards the one conversion each way over every shape: to_json(from_json(blob)) is the blob plus
// the version, whatever cursor field the reader names (the engine names the stream's; the
// journal position and the Singer bookmarks name none).
TEST(StreamCheckpoint, EveryFixtureRoundTripsWithTheVersion) {
  std::size_t files = 0;
  std::size_t blobs = 0;
  for (const auto &entry : std::filesystem::directory_iterator(kFixtures)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    ++files;
    const std::string file = entry.path().filename().string();
    const auto store = load(file);
    for (const auto &[stream, blob] : store.all()) {
      ++blobs;
      const json::object expected = is_completion_marker(blob) ? blob : with_version(blob);
      for (const std::string &field : {cursor_field(stream), std::string()}) {
        const auto cp = state::from_json(blob, field, stream);
        EXPECT_EQ(state::to_json(cp), expected)
            << file << " " << stream << " (cursor field '" << field << "'): got "
            << json::serialize(state::to_json(cp));
        // Reading the written blob again changes nothing.
        EXPECT_EQ(state::to_json(state::from_json(state::to_json(cp), field, stream)), expected)
            << file << " " << stream;
      }
    }
  }
  EXPECT_GE(files, 13u) << "fixtures missing from " << kFixtures;
  EXPECT_GE(blobs, 25u);
}

TEST(StreamCheckpoint, FullRefreshPageAndCompletionMarker) {
  auto page = checkpoint("full_refresh_resume_page.json", "tax_rates");
  EXPECT_EQ(page.version, 1);
  EXPECT_EQ(page.resume_page, 4);
  EXPECT_EQ(page.first_page(), 4);
  EXPECT_FALSE(page.has_cursor);
  EXPECT_EQ(state::to_json(page),
            (json::object{{"resume_page", 4}, {state::kCheckpointVersionKey, 2}}));

  auto done = checkpoint("full_refresh_complete.json", "tax_rates");
  EXPECT_EQ(done.full_refresh_complete, true);
  EXPECT_EQ(done.first_page(), 1); // the next full refresh starts over
  // Airbyte's marker alone is written exactly as Airbyte writes it.
  EXPECT_EQ(state::to_json(done), (json::object{{"__ab_full_refresh_sync_complete", true}}));
  // The engine's writers of both.
  EXPECT_EQ(state::to_json(state::StreamCheckpoint::full_refresh_page(5)),
            (json::object{{"resume_page", 5}, {state::kCheckpointVersionKey, 2}}));
  EXPECT_EQ(state::to_json(state::StreamCheckpoint::full_refresh_complete_marker()),
            (json::object{{"__ab_full_refresh_sync_complete", true}}));
  // With anything beside it, the blob is ours and carries the version.
  auto with_budget = checkpoint("request_budget.json", "tax_rates");
  ASSERT_TRUE(with_budget.request_budget);
  EXPECT_EQ(state::to_json(with_budget).at(state::kCheckpointVersionKey), 2);
}

TEST(StreamCheckpoint, CursorBoundaryIdsAndResyncCount) {
  auto orders = checkpoint("cursor_boundary_ids.json", "orders");
  EXPECT_TRUE(orders.has_cursor);
  EXPECT_EQ(orders.start_cursor(), at("2026-11-20T10:00:00"));
  EXPECT_EQ(orders.boundary_id_set(), (std::set<std::int64_t>{1041, 1042}));
  EXPECT_EQ(orders.syncs_since_full, 3);
  EXPECT_TRUE(orders.extra.empty());

  auto refunds = checkpoint("cursor_boundary_ids.json", "refunds");
  EXPECT_EQ(refunds.cursor_field, "date_created_gmt");
  EXPECT_EQ(refunds.start_cursor(), at("2026-11-19T08:30:00"));
  ASSERT_TRUE(refunds.boundary_ids);
  EXPECT_TRUE(refunds.boundary_ids->empty());

  auto none = checkpoint("cursor_null.json", "coupons");
  EXPECT_TRUE(none.has_cursor);
  EXPECT_FALSE(none.start_cursor());
  EXPECT_TRUE(state::to_json(none).at("date_modified_gmt").is_null());
}

TEST(StreamCheckpoint, ParentCursorOfAChildStream) {
  auto notes = checkpoint("child_parent_cursor.json", "order_notes");
  EXPECT_FALSE(notes.has_cursor);
  ASSERT_TRUE(notes.parent_cursor);
  EXPECT_EQ(notes.parent_cursor->field, "date_modified_gmt");
  EXPECT_EQ(notes.parent_cursor->value, at("2026-11-20T09:59:59"));
  EXPECT_EQ(notes.parent_cursor->boundary_ids, (std::set<std::int64_t>{5001, 5007}));
}

TEST(StreamCheckpoint, TrashAndSweepProgress) {
  auto orders = checkpoint("trash_and_sweep.json", "orders");
  ASSERT_TRUE(orders.trash);
  EXPECT_EQ(orders.trash->value, at("2026-11-20T09:00:00"));
  EXPECT_EQ(orders.trash->boundary_ids, (std::set<std::int64_t>{977}));
  ASSERT_TRUE(orders.sweep);
  EXPECT_EQ(orders.sweep->known, (state::IdRangeList{{1, 250}, {300, 310}}));
  ASSERT_TRUE(orders.sweep->seen);
  EXPECT_EQ(*orders.sweep->seen, (state::IdRangeList{{1, 100}}));
  EXPECT_EQ(orders.sweep->phase, "any");
  EXPECT_EQ(orders.sweep->page, 2);

  auto products = checkpoint("trash_and_sweep.json", "products");
  ASSERT_TRUE(products.sweep);
  EXPECT_FALSE(products.sweep->seen); // a complete sweep keeps no "seen"
  EXPECT_FALSE(state::to_json(products).at("sweep").as_object().contains("seen"));
  ASSERT_TRUE(products.trash);
  EXPECT_FALSE(products.trash->value);

  EXPECT_EQ(checkpoint("trash_and_sweep.json", "coupons").sweep->phase, "trash");
}

TEST(StreamCheckpoint, WebhookSeqAndRequestBudget) {
  EXPECT_EQ(checkpoint("webhook_seq.json", "orders").webhook_seq, 4);
  EXPECT_EQ(checkpoint("webhook_seq.json", "customers").webhook_seq, 0);
  auto coupons = checkpoint("request_budget.json", "coupons");
  ASSERT_TRUE(coupons.request_budget);
  EXPECT_EQ(coupons.request_budget->requests, 22);
  EXPECT_EQ(coupons.request_budget->window_ms, 10500);
  EXPECT_EQ(coupons.request_budget->learned_at, at("2026-12-06T21:30:00Z"));
  EXPECT_EQ(coupons.request_budget->expires_at, at("2026-12-09T21:30:00Z"));
}

TEST(StreamCheckpoint, AirbyteShapesAndTheLegacySiteLocalCursor) {
  // The site-local cursor, moved back 14 hours by StateStore::parse.
  auto legacy = checkpoint("legacy_site_local.json", "orders");
  EXPECT_EQ(legacy.start_cursor(), at("2022-03-04T05:06:07") - 14 * 3600);
  EXPECT_TRUE(legacy.extra.empty());

  auto products = checkpoint("airbyte_cursor.json", "products");
  EXPECT_EQ(products.version, 1);
  EXPECT_EQ(products.start_cursor(), at("2025-02-03T04:05:06"));
  EXPECT_FALSE(products.boundary_ids); // none written back either
  EXPECT_FALSE(state::to_json(products).contains("boundary_ids"));
  // Keys of streams and markers this build has no member for stay as they are.
  auto reviews = checkpoint("airbyte_cursor.json", "product_reviews");
  EXPECT_EQ(reviews.extra, (json::object{{"date_created_gmt", "2025-01-01T00:00:00"}}));
  auto zones = checkpoint("airbyte_cursor.json", "shipping_zones");
  EXPECT_EQ(zones.extra, (json::object{{"__ab_no_cursor_state_message", true}}));

  // Date-range slices: everything before the earliest slice end is complete.
  auto slices = checkpoint("airbyte_date_range_slices.json", "orders");
  EXPECT_FALSE(slices.has_cursor);
  EXPECT_EQ(slices.start_cursor(), at("2025-01-29T10:11:12"));
  EXPECT_TRUE(slices.extra.contains("slices"));
  EXPECT_TRUE(slices.extra.contains("state_type"));
  EXPECT_FALSE(state::to_json(slices).contains("date_modified_gmt"));
  // A new cursor checkpoint carries the slices along (as the engine's carry always has); the
  // cursor key, read first, makes them moot.
  auto next = slices.with_cursor(at("2025-05-05T00:00:00"), {4}, 1);
  EXPECT_EQ(next.start_cursor(), at("2025-05-05T00:00:00"));
  EXPECT_TRUE(state::to_json(next).contains("slices"));
}

// Guards `extra`: keys this build does not know (a future plugin's, a foreign connector's)
// survive reading, every kind of new checkpoint built from it, and writing.
TEST(StreamCheckpoint, UnknownKeysSurvive) {
  auto cp = checkpoint("foreign_keys.json", "orders");
  const json::value position = json::parse(R"({"page": 3, "token": "opaque"})");
  const json::value flags = json::parse("[true, null, 1.5]");
  EXPECT_EQ(cp.extra.at("x_plugin_position"), position);
  for (const auto &next : {cp, cp.carried(), cp.with_cursor(at("2026-11-21T00:00:00"), {1}, 2),
                           cp.with_parent_cursor(at("2026-11-21T00:00:00"), {})}) {
    const auto blob = state::to_json(next);
    EXPECT_EQ(blob.at("x_plugin_position"), position);
    EXPECT_EQ(blob.at("x_flags"), flags);
  }
  // Inside the sub-states too.
  auto sub = state::from_json(json::parse(R"({"trash": {"date_modified_gmt": null,
      "boundary_ids": [], "x": 1}, "sweep": {"known": [], "phase": "any", "page": 1, "y": 2},
      "parent_cursor": {"date_modified_gmt": null, "boundary_ids": [], "z": 3}})")
                                  .as_object(),
                              "date_modified_gmt", "orders");
  const auto blob = state::to_json(sub);
  EXPECT_EQ(blob.at("trash").at("x"), 1);
  EXPECT_EQ(blob.at("sweep").at("y"), 2);
  EXPECT_EQ(blob.at("parent_cursor").at("z"), 3);
}

// Guards the engine's writers: a cursor checkpoint keeps the sub-states and drops the resume
// page; a parents' cursor checkpoint drops the stream's own cursor (as the engine's carry).
TEST(StreamCheckpoint, NewCheckpointsCarryWhatTheOldOneHeld) {
  auto cp = state::from_json(json::parse(R"({"date_modified_gmt": "2026-01-01T00:00:00",
      "boundary_ids": [1], "syncs_since_full": 4, "resume_page": 3, "webhook_seq": 8,
      "trash": {"date_modified_gmt": "2025-12-01T00:00:00", "boundary_ids": [2]}})")
                                 .as_object(),
                             "date_modified_gmt", "orders");
  auto next = state::to_json(cp.with_cursor(at("2026-02-01T00:00:00"), {7, 9}, 5));
  EXPECT_EQ(next, json::parse(R"({"date_modified_gmt": "2026-02-01T00:00:00",
      "boundary_ids": [7, 9], "syncs_since_full": 5, "webhook_seq": 8,
      "trash": {"date_modified_gmt": "2025-12-01T00:00:00", "boundary_ids": [2]},
      "checkpoint_version": 2})"));
  auto parents = state::to_json(cp.with_parent_cursor(std::nullopt, {}));
  EXPECT_EQ(parents, json::parse(R"({"parent_cursor": {"date_modified_gmt": null,
      "boundary_ids": []}, "webhook_seq": 8,
      "trash": {"date_modified_gmt": "2025-12-01T00:00:00", "boundary_ids": [2]},
      "checkpoint_version": 2})"));
}

// Guards the "nothing was read" checkpoint: the incoming blob echoed exactly (no version added)
// when nothing changed; the updated checkpoint, with the version, when a sub-state moved.
TEST(StreamCheckpoint, EchoKeepsTheIncomingBlobUnlessSomethingChanged) {
  const json::object incoming =
      json::parse(R"({"date_modified_gmt": "2100-01-01T00:00:00", "x": 1})").as_object();
  auto cp = state::from_json(incoming, "date_modified_gmt", "orders");
  EXPECT_EQ(state::echo_or_update(incoming, cp), incoming);
  cp.syncs_since_full = 2;
  auto updated = state::echo_or_update(incoming, cp);
  EXPECT_EQ(updated.at("syncs_since_full"), 2);
  EXPECT_EQ(updated.at(state::kCheckpointVersionKey), 2);
  EXPECT_EQ(updated.at("date_modified_gmt"), "2100-01-01T00:00:00");
}

TEST(StreamCheckpoint, RequestBudgetMergeTouchesNothingElse) {
  const json::object blob =
      json::parse(R"({"date_modified_gmt": "2026-01-01T00:00:00", "webhook_seq": "odd",
                      "request_budget": "fast"})")
          .as_object();
  const state::SavedBudget b{22, 10500, at("2026-12-06T21:30:00Z"), at("2026-12-09T21:30:00Z")};
  auto set = state::with_request_budget(blob, b);
  EXPECT_EQ(set.at("request_budget"), state::to_json(b));
  EXPECT_EQ(set.at("webhook_seq"), "odd"); // not validated here: it never throws
  EXPECT_FALSE(set.contains(state::kCheckpointVersionKey));
  auto erased = state::with_request_budget(blob, std::nullopt);
  EXPECT_FALSE(erased.contains("request_budget"));
  EXPECT_EQ(erased.size(), 2u);
}

// Guards the errors: each malformed value is a config_error naming the stream and the key
// (today's wording where the engine had one).
TEST(StreamCheckpoint, MalformedValuesNameTheStreamAndTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"date_modified_gmt": "yesterday"})", "'date_modified_gmt' is not a date-time"},
      {R"({"date_modified_gmt": 5})", "'date_modified_gmt' is not a date-time"},
      {R"({"slices": 5})", "'slices' must be a list"},
      {R"({"slices": [{"start": "2025-01-01T00:00:00"}]})", "a slice has no readable end"},
      {R"({"boundary_ids": 5})", "boundary_ids must be a list of ids"},
      {R"({"boundary_ids": ["7"]})", "boundary_ids must hold integers"},
      {R"({"syncs_since_full": -1})", "'syncs_since_full' must be a non-negative integer"},
      {R"({"resume_page": "2"})", "'resume_page' must be a non-negative integer"},
      {R"({"__ab_full_refresh_sync_complete": "yes"})", "'__ab_full_refresh_sync_complete'"},
      {R"({"parent_cursor": []})", "parent_cursor must be an object"},
      {R"({"parent_cursor": {"date_modified_gmt": "soon"}})",
       "'parent_cursor.date_modified_gmt' is not a date-time"},
      {R"({"parent_cursor": {"boundary_ids": [1.5]}})",
       "parent_cursor.boundary_ids must hold integers"},
      {R"({"trash": 1})", "trash must be an object"},
      {R"({"trash": {"date_modified_gmt": 3}})", "'trash.date_modified_gmt' is not a date-time"},
      {R"({"trash": {"boundary_ids": {}}})", "trash.boundary_ids must be a list of ids"},
      {R"({"sweep": "half"})", "sweep must be an object"},
      {R"({"sweep": {"known": [[5, 1]]}})", "sweep.known holds a malformed id range"},
      {R"({"sweep": {"seen": 3}})", "sweep.seen must be a list of [first, last] id pairs"},
      {R"({"sweep": {"phase": "all"}})", "sweep.phase must be \"any\" or \"trash\""},
      {R"({"sweep": {"page": 0}})", "sweep.page must be a positive integer"},
      {R"({"webhook_seq": "4"})", "'webhook_seq' must be a non-negative integer"},
      {R"({"webhook_seq": -2})", "'webhook_seq' must be a non-negative integer"},
      {R"({"checkpoint_version": "2"})", "'checkpoint_version' must be a positive integer"},
      {R"({"checkpoint_version": 0})", "'checkpoint_version' must be a positive integer"},
  };
  for (const auto &[text, needle] : cases) {
    const std::string message = error_of(text);
    EXPECT_NE(message.find("state of stream 'orders'"), std::string::npos)
        << text << ": " << message;
    EXPECT_NE(message.find(needle), std::string::npos) << text << ": " << message;
  }
  // A malformed request budget is not an error: it is dropped and learned again (with the WARN
  // of latest_saved_budget), as before.
  EXPECT_EQ(error_of(R"({"request_budget": "fast"})"), "");
  EXPECT_FALSE(state::from_json(json::parse(R"({"request_budget": "fast"})").as_object(),
                                "date_modified_gmt", "orders")
                   .request_budget);
}

// Guards the version rule: a blob of a newer format is refused, naming what wrote it and what
// to do, before any of its members is read.
TEST(StreamCheckpoint, ANewerVersionFailsClearly) {
  const std::string message =
      error_of(R"({"checkpoint_version": 3, "date_modified_gmt": "not read"})");
  EXPECT_NE(message.find("state of stream 'orders'"), std::string::npos) << message;
  EXPECT_NE(message.find("written by a newer source-woocommerce"), std::string::npos) << message;
  EXPECT_NE(message.find("checkpoint_version 3"), std::string::npos) << message;
  EXPECT_NE(message.find("reads up to 2"), std::string::npos) << message;
  EXPECT_EQ(error_of(R"({"checkpoint_version": 2})"), "");
  EXPECT_EQ(error_of(R"({"checkpoint_version": 1})"), "");
  EXPECT_EQ(state::from_json(json::object{}, "date_modified_gmt", "orders").version, 1);
  EXPECT_FALSE(state::incoming_checkpoint(load("version_2.json"), "coupons", "date_modified_gmt"));
}
