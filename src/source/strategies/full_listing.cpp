#include "core/error.hpp"
#include "source/checkpoint_json.hpp"
#include "source/listing_checks.hpp"
#include "source/page_through.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;

void full_listing(ReadContext &ctx, const StreamDefinition &d, const json::object *state) {
  const int first = checkpoint::resume_page(state);
  if (d.paging == Paging::kSingle) {
    const PageRequest request = listing_of(d.path, d.params);
    Page page = ctx.pages.fetch(request, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + d.path);
    }
    require_records(page.body.as_array(), key_members(d), d.name, ctx.pages.describe(request));
    ctx.out.estimate(d.name, static_cast<std::int64_t>(page.body.as_array().size()));
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
          ctx.out.stream_state(d.name, checkpoint::resume_at(next_page));
        },
        true, key_members(d));
  }
  ctx.out.stream_state(d.name, checkpoint::complete());
}

} // namespace wc::source::strategies
