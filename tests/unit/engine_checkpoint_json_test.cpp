// The engine's state JSON (source/checkpoint_json.cpp), pinned byte for byte: it is the state
// format every earlier sync wrote and every later one reads, and a typed checkpoint replacing the
// internals must keep it.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "catalog/definition_loader.hpp"
#include "core/error.hpp"
#include "source/checkpoint_json.hpp"

using namespace wc;
namespace json = boost::json;
namespace checkpoint = source::checkpoint;

namespace {

const UnixSeconds kT = *parse_utc("2026-11-20T10:00:00");

const source::StreamDefinition &def(const std::string &name) {
  return *catalog::find_definition(name);
}

json::object parse(const char *text) { return json::parse(text).as_object(); }

} // namespace

TEST(CheckpointJson, FullRefreshPagesAndCompletion) {
  EXPECT_EQ(json::serialize(checkpoint::resume_at(4)), R"({"resume_page":4})");
  EXPECT_EQ(json::serialize(checkpoint::complete()), R"({"__ab_full_refresh_sync_complete":true})");
  const json::object resume = parse(R"({"resume_page":4})");
  EXPECT_EQ(checkpoint::resume_page(&resume), 4);
  const json::object done = parse(R"({"__ab_full_refresh_sync_complete":true,"resume_page":4})");
  EXPECT_EQ(checkpoint::resume_page(&done), 1); // a finished sync starts over
  EXPECT_EQ(checkpoint::resume_page(nullptr), 1);
  const json::object bad = parse(R"({"resume_page":-2})");
  EXPECT_THROW(checkpoint::resume_page(&bad), Error);
}

TEST(CheckpointJson, CursorBlobKeepsTheCarriedMembersFirst) {
  const auto &orders = def("orders");
  const json::object state = parse(R"({"trash":{"x":1},"date_modified_gmt":"2026-11-19T00:00:00",)"
                                   R"("boundary_ids":[1],"syncs_since_full":2,"resume_page":3})");
  const json::object carry = checkpoint::carried(orders, &state);
  EXPECT_EQ(json::serialize(carry), R"({"trash":{"x":1}})");
  EXPECT_EQ(json::serialize(checkpoint::cursor_blob(orders, {kT, {7, 3}}, 3, carry)),
            R"({"trash":{"x":1},"date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[3,7],)"
            R"("syncs_since_full":3})");
  const auto read = checkpoint::read_cursor(orders, &state);
  EXPECT_EQ(read.cursor, std::optional<UnixSeconds>(*parse_utc("2026-11-19T00:00:00")));
  EXPECT_EQ(read.boundary_ids, (std::set<std::int64_t>{1}));
  EXPECT_EQ(read.syncs_since_full, 2);
}

TEST(CheckpointJson, UnchangedKeepsTheIncomingStateAndUpdatesSubStates) {
  const json::object state = parse(R"({"date_modified_gmt":"2030-01-01T00:00:00","trash":{}})");
  EXPECT_EQ(json::serialize(checkpoint::unchanged(state, parse(R"({"trash":{"a":1}})"), 4)),
            R"({"date_modified_gmt":"2030-01-01T00:00:00","trash":{"a":1},"syncs_since_full":4})");
  EXPECT_EQ(json::serialize(checkpoint::unchanged(state, {}, std::nullopt)),
            json::serialize(state));
}

TEST(CheckpointJson, ParentCursorOfAChildStream) {
  const auto &notes = def("order_notes");
  const json::object state =
      parse(R"({"parent_cursor":{"date_modified_gmt":"2026-11-19T00:00:00","boundary_ids":[5]},)"
            R"("journal":1})");
  const auto read = checkpoint::read_parent_cursor(notes, &state);
  EXPECT_EQ(read.start.cursor, std::optional<UnixSeconds>(*parse_utc("2026-11-19T00:00:00")));
  EXPECT_FALSE(read.from_declared_cursor);
  const json::object carry = checkpoint::without_parent_cursor(checkpoint::carried(notes, &state));
  EXPECT_EQ(json::serialize(checkpoint::with_parent_cursor(notes, carry, {kT, {}})),
            R"({"journal":1,"parent_cursor":{"date_modified_gmt":"2026-11-20T10:00:00",)"
            R"("boundary_ids":[]}})");
  const json::object declared = parse(R"({"date_created_gmt":"2026-11-18T00:00:00"})");
  EXPECT_TRUE(checkpoint::read_parent_cursor(notes, &declared).from_declared_cursor);
}

TEST(CheckpointJson, TrashAndSweepSubStates) {
  const auto &orders = def("orders");
  EXPECT_EQ(json::serialize(checkpoint::trash_blob(orders, {kT, {2}})),
            R"({"date_modified_gmt":"2026-11-20T10:00:00","boundary_ids":[2]})");
  const json::object sweep_state =
      parse(R"({"known":[[1,5]],"seen":[[1,2]],"phase":"trash","page":3})");
  checkpoint::SweepCheckpoint s = checkpoint::read_sweep(&sweep_state);
  EXPECT_TRUE(s.trash_phase);
  EXPECT_EQ(s.page, 3);
  EXPECT_EQ(json::serialize(checkpoint::sweep_in_progress(s)), json::serialize(sweep_state));
  EXPECT_EQ(json::serialize(checkpoint::sweep_complete(s.seen)),
            R"({"known":[[1,2]],"phase":"any","page":1})");
}
