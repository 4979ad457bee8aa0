#include "source/page_through.hpp"

#include <algorithm>
#include <deque>
#include <limits>

#include "core/error.hpp"
#include "http/http_client.hpp"
#include "source/cursor_pager.hpp"
#include "source/listing_checks.hpp"
#include "source/record_cursor.hpp"

namespace wc::source {
namespace json = boost::json;
namespace {

// How many times a page whose totals contradict it is read again before the listing fails.
constexpr int kTotalsRereads = 3;

} // namespace

std::int64_t page_through(ReadContext &ctx, const PageRequest &listing, const std::string &label,
                          int first_page, const std::function<void(json::array &, int)> &on_page,
                          bool estimate, const std::vector<std::string> &fields) {
  int page_size = ctx.options.page_size;
  const std::string &path = listing.path;
  std::int64_t total = -1;
  int total_pages = -1;
  std::string previous_signature;
  // Pages of a listing whose total is known are fetched ahead on the executor, up to `ahead`
  // at once (the HTTP in-flight limit bounds what is really in flight), and handed over in page
  // order, so the checkpoints stay contiguous and at most `ahead` pages sit in memory. A page
  // no worker took yet is fetched by this thread when its turn comes.
  const int ahead = ctx.executor != nullptr ? ctx.parallel_pages : 1;
  std::deque<std::pair<int, core::Task<Page>>> prefetched;
  int next_to_launch = first_page + 1;
  auto launch = [&]() {
    // No more pages ahead than the in-flight limit is wide: they would only wait, holding memory.
    const int limit = ctx.in_flight != nullptr ? std::min(ahead, ctx.in_flight->width()) : ahead;
    while (limit > 1 && page_size == ctx.options.page_size && total_pages > 0 &&
           static_cast<int>(prefetched.size()) < limit && next_to_launch <= total_pages) {
      const int p = next_to_launch++;
      prefetched.emplace_back(
          p, ctx.executor->submit([&ctx, &label, request = listing.with_page(p, page_size)] {
            return ctx.pages.fetch(request, label);
          }));
    }
  };
  for (int page = first_page;; ++page) {
    if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
      throw transient_error(label + ": interrupted");
    }
    // Pages are emplaced, never assigned: assigning a json::value copies it out of its arena.
    std::optional<Page> fetched_page;
    // Pages at or before this one are fetched here: never launch them again (the pool may have
    // narrowed to one and widened again since).
    next_to_launch = std::max(next_to_launch, page + 1);
    if (!prefetched.empty() && prefetched.front().first == page) {
      auto task = std::move(prefetched.front().second);
      prefetched.pop_front();
      try {
        fetched_page.emplace(task.get());
      } catch (const Error &e) {
        if (!http::last_cause_was_timeout(e)) {
          throw;
        }
        // Timeouts: go on one page at a time from here, where smaller pages can be asked for.
        prefetched.clear();
        next_to_launch = std::numeric_limits<int>::max();
      }
    }
    if (!fetched_page) {
      const int asked = page_size;
      fetched_page.emplace(fetch_shrinking(ctx.pages, listing.with_page(page, page_size), label,
                                           page_size,
                                           [&ctx](const std::string &m) { ctx.warn(m); }));
      if (page_size != asked) {
        // Same position, smaller pages: page n of size s starts where page 2n-1 of size s/2 does.
        page = (page - 1) * (asked / page_size) + 1;
        fetched_page.reset();
        fetched_page.emplace(ctx.pages.fetch(listing.with_page(page, page_size), label));
      }
    }
    if (!fetched_page->body.is_array()) {
      throw system_error(label + ": expected a JSON list from " + path + ", got another shape");
    }
    // An empty page whose X-WP-Total fell below what this listing already read (a stale cache or
    // a plugin answering "[]" with a total of 1) would end the listing early: read it again; if
    // it stays so, fail when the total fell below half of what was read, else warn (records
    // deleted during the sync; a resumed sync starts at this page and is not checked).
    const std::int64_t read_here = static_cast<std::int64_t>(page - first_page) * page_size;
    auto fell = [&](const Page &p) {
      return page > first_page && p.body.as_array().empty() && p.total >= 0 && p.total < read_here;
    };
    auto fell_message = [&](const Page &p) {
      return label + ": " + ctx.pages.describe(listing.with_page(page, page_size)) +
             ": an empty page with X-WP-Total " + std::to_string(p.total) + " after " +
             std::to_string(read_here) + " records of this listing (X-WP-Total " +
             std::to_string(total) + " at its start)";
    };
    for (int attempt = 1; fell(*fetched_page) && attempt <= kTotalsRereads; ++attempt) {
      ctx.warn(fell_message(*fetched_page) + "; reading the page again");
      fetched_page.reset();
      fetched_page.emplace(ctx.pages.fetch(listing.with_page(page, page_size), label));
      if (!fetched_page->body.is_array()) {
        throw system_error(label + ": expected a JSON list from " + path + ", got another shape");
      }
    }
    if (fell(*fetched_page)) {
      if (fetched_page->total * 2 < read_here) {
        throw transient_error(fell_message(*fetched_page) + ", " +
                              std::to_string(kTotalsRereads + 1) +
                              " times: the store's totals contradict its listing, so its end "
                              "cannot be trusted; stopping instead of emitting a short listing. A "
                              "page cache or plugin may be answering for /wp-json/.");
      }
      ctx.warn(fell_message(*fetched_page) +
               ": records were deleted during the sync; offset paging may have skipped as many "
               "records as were deleted, which the next sync reads");
    }
    // Totals that contradict the page (X-WP-Total falling to 1 in mid-listing: a stale cache, a
    // plugin) would end the listing early: read the page again, then fail rather than stop.
    auto contradiction = totals_contradiction(*fetched_page, page, page_size);
    for (int attempt = 1; contradiction && attempt <= kTotalsRereads; ++attempt) {
      ctx.warn(label + ": " + ctx.pages.describe(listing.with_page(page, page_size)) + ": " +
               *contradiction + "; reading the page again");
      fetched_page.reset();
      fetched_page.emplace(ctx.pages.fetch(listing.with_page(page, page_size), label));
      contradiction = totals_contradiction(*fetched_page, page, page_size);
    }
    if (contradiction) {
      throw transient_error(label + ": " + ctx.pages.describe(listing.with_page(page, page_size)) +
                            ": " + *contradiction + " (" + std::to_string(kTotalsRereads + 1) +
                            " times): the store's totals contradict its listing, so its end "
                            "cannot be trusted; stopping instead of emitting a short listing. A "
                            "page cache or plugin may be altering the X-WP-Total headers of "
                            "/wp-json/ responses.");
    }
    Page &result = *fetched_page;
    auto &records = result.body.as_array();
    require_records(records, fields, label, ctx.pages.describe(listing.with_page(page, page_size)));
    if (total < 0 && result.total >= 0) {
      total = result.total;
      if (page == first_page && estimate) {
        ctx.out.estimate(label, total);
      }
    }
    if (result.total_pages >= 0) {
      total_pages = static_cast<int>(result.total_pages);
    }
    if (records.empty()) {
      break;
    }
    launch();
    // An endpoint that ignores paging answers the same page again: stop instead of looping.
    std::string signature;
    for (const auto &r : records) {
      if (r.is_object()) {
        if (auto id = record_id(r.as_object())) {
          signature += std::to_string(*id) + ",";
        }
      }
    }
    if (page > first_page && !signature.empty() && signature == previous_signature) {
      ctx.warn(label + ": " + path +
               " returned the same page twice (it ignores paging); "
               "stopping this listing there");
      break;
    }
    previous_signature = std::move(signature);
    {
      const PageInHand in_hand(result.arena.get()); // its records' tokens resolve meanwhile
      on_page(records, page + 1);
    }
    if (result.total_pages >= 0 && page >= result.total_pages) {
      break;
    }
  }
  return total;
}

} // namespace wc::source
