// The deletion sweep never turns a page in another shape into tombstones: an id page or an
// include= confirmation whose items are not records fails the stream instead.
#include <boost/json.hpp>
#include <cstdio>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "protocol/message_writer.hpp"
#include "source/deletions.hpp"
#include "source/page_source.hpp"
#include "source/read_options.hpp"
#include "woocommerce/page_query.hpp"

namespace json = boost::json;
using namespace wc;

namespace {

std::string param(const http::Params &params, const std::string &name) {
  for (const auto &[k, v] : params) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

// Ids 1..10 exist. The id pages hold them (with `junk_in_sweep`, id 5 replaced by a string); the
// include= confirmation answers with `confirmation`.
class SweepPages : public source::PageSource {
public:
  SweepPages(bool junk_in_sweep, json::array confirmation)
      : junk_in_sweep_(junk_in_sweep), confirmation_(std::move(confirmation)) {}

  source::Page fetch(const source::PageRequest &request, std::string_view) override {
    const http::Params params = woo::to_query(request);
    source::Page p;
    if (!param(params, "include").empty()) {
      p.body = confirmation_;
      return p;
    }
    json::array ids;
    if (param(params, "status") == "any" && param(params, "page") == "1") {
      for (int id = 1; id <= 10; ++id) {
        if (id == 5 && junk_in_sweep_) {
          ids.push_back("cached");
        } else if (id != 5 || junk_in_sweep_) {
          ids.push_back(json::object{{"id", id}});
        }
      }
    }
    p.total = static_cast<std::int64_t>(ids.size());
    p.total_pages = 1;
    p.body = std::move(ids);
    return p;
  }

private:
  bool junk_in_sweep_;
  json::array confirmation_;
};

// Runs a sweep that starts knowing ids 1..10; returns the failure type, or nullopt.
std::optional<FailureType> sweep(SweepPages &pages) {
  std::FILE *sink_file = std::tmpfile();
  protocol::MessageWriter out(sink_file);
  source::ReadOptions config;
  source::ReadContext ctx(source::ReadServices{.pages = pages, .out = out, .options = config});
  source::StreamDefinition d;
  d.name = "orders";
  d.path = "/orders";
  d.primary_key = {{"id"}};
  d.cursor_field = "date_modified_gmt";
  json::object state{{"known", json::array{json::array{1, 10}}}};
  std::optional<FailureType> failure;
  try {
    source::sweep_deleted(ctx, d, &state, {});
  } catch (const Error &e) {
    failure = e.type();
  }
  std::fclose(sink_file);
  return failure;
}

} // namespace

TEST(SweepShape, AnIdPageItemThatIsNotARecordFailsTheSweep) {
  SweepPages pages(true, json::array{json::object{{"id", 5}}});
  EXPECT_EQ(sweep(pages), FailureType::kSystem);
}

TEST(SweepShape, AConfirmationInAnotherShapeIsNoTombstone) {
  SweepPages pages(false, json::array{json::object{{"success", true}}});
  EXPECT_EQ(sweep(pages), FailureType::kSystem);
}

TEST(SweepShape, AConfirmedDeletionStillPasses) {
  SweepPages pages(false, json::array{});
  EXPECT_EQ(sweep(pages), std::nullopt);
}
