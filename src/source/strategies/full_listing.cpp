#include "core/error.hpp"
#include "source/listing_checks.hpp"
#include "source/page_through.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;

void full_listing(ReadContext &ctx, const StreamDefinition &d, const IncomingState &incoming) {
  const int first = incoming.checkpoint.first_page();
  if (d.paging == Paging::kSingle) {
    const PageRequest request = listing_of(d.path, d.params);
    Page page = ctx.pages.fetch(request, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + d.path);
    }
    require_records(page.body.as_array(), key_members(d), d.name, ctx.pages.describe(request));
    ctx.out.estimate(d.name, static_cast<std::int64_t>(page.body.as_array().size()));
    const PageInHand in_hand(page.arena.get()); // its records' tokens resolve meanwhile
    for (auto &v : page.body.as_array()) {
      ctx.emit(d, v.as_object());
    }
  } else {
    page_through(
        ctx, paged_listing_of(d.path, d), d.name, first,
        [&](json::array &records, int next_page) {
          for (auto &v : records) {
            ctx.emit(d, v.as_object());
          }
          ctx.checkpoint(d, state::StreamCheckpoint::full_refresh_page(next_page));
        },
        true, key_members(d));
  }
  ctx.checkpoint(d, state::StreamCheckpoint::full_refresh_complete_marker());
}

} // namespace wc::source::strategies
