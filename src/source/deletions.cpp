#include "source/deletions.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/raw_record.hpp"
#include "source/checkpoint_json.hpp"
#include "source/cursor_pager.hpp"
#include "source/listing_checks.hpp"
#include "source/record_cursor.hpp"

namespace wc::source {
namespace json = boost::json;
namespace {

// Ids per request of the sweep and its confirmation.
constexpr int kIdsPerRequest = 100;

// The stream's listing of live or trashed records.
PageRequest listing(const StreamDefinition &d, LifeCycle life_cycle) {
  PageRequest r;
  r.path = d.path;
  r.fixed = d.params;
  r.life_cycle = life_cycle;
  return r;
}

} // namespace

json::object read_trash(ReadContext &ctx, const StreamDefinition &d, const json::object *state) {
  CursorState start = checkpoint::read_trash(d, state);
  if (!start.cursor && ctx.options.start_date) {
    start.cursor = ctx.options.start_date;
  }
  CursorQuery q;
  q.listing = listing(d, LifeCycle::kTrashed);
  q.time = WindowTime::kModified; // trashing bumps the modified time
  q.field = d.cursor_field;
  q.page_size = ctx.options.page_size;
  q.ceiling = ctx.ceiling;
  q.label = d.name;
  CursorState last = capped(start, ctx.ceiling);
  read_by_cursor(
      ctx.pages, q, start,
      [&](json::object &rec) {
        // Trashing bumps date_modified: the tombstone is newer than any live version.
        const auto t = record_time(rec, d.cursor_field);
        set_member(rec, kDeletedAt, t ? json::value(format_rfc3339(*t)) : json::value(nullptr));
        ctx.emit(d, rec);
      },
      [&](const CursorState &s) { last = s; });
  return checkpoint::trash_blob(d, last);
}

json::object sweep_deleted(ReadContext &ctx, const StreamDefinition &d, const json::object *state,
                           const IdRanges &emitted) {
  checkpoint::SweepCheckpoint sweep = checkpoint::read_sweep(state);
  IdRanges &known = sweep.known;
  IdRanges &seen = sweep.seen;
  int &page = sweep.page;
  known.insert(emitted);
  seen.insert(emitted); // alive: read during this sync
  int allowance = ctx.options.sweep_requests_per_sync;
  std::int64_t total = -1;
  bool complete = false;
  while (allowance > 0) {
    PageRequest ids = listing(d, sweep.trash_phase ? LifeCycle::kTrashed : LifeCycle::kLive)
                          .with_page(page, kIdsPerRequest);
    ids.members = {"id"};
    ids.order = Ordering::kById;
    const std::string request = ctx.pages.describe(ids);
    Page p = ctx.pages.fetch(ids, d.name);
    --allowance;
    if (!p.body.is_array()) {
      throw system_error(d.name + ": the id sweep expected a JSON list");
    }
    require_records(p.body.as_array(), {"id"}, d.name, request);
    if (!sweep.trash_phase) {
      total = p.total;
    }
    for (const auto &v : p.body.as_array()) {
      if (const auto *o = v.if_object()) {
        if (auto id = record_id(*o)) {
          seen.insert(*id);
        }
      }
    }
    const bool last_page =
        p.body.as_array().empty() || (p.total_pages >= 0 && page >= p.total_pages);
    if (!last_page) {
      ++page;
    } else if (!sweep.trash_phase) {
      sweep.trash_phase = true;
      page = 1;
    } else {
      complete = true;
      break;
    }
  }
  if (!complete) {
    ctx.out.log(protocol::LogLevel::kInfo,
                d.name + ": deletion sweep in progress: " + std::to_string(seen.size()) +
                    " ids seen so far" +
                    (total >= 0 ? " of about " + std::to_string(total) : std::string()) +
                    "; it continues next sync (sweep_requests_per_sync = " +
                    std::to_string(ctx.options.sweep_requests_per_sync) + ")");
    return checkpoint::sweep_in_progress(sweep);
  }
  // Ids known before and not seen now: confirm by asking for them by id (listing pages can shift
  // while a sweep spans syncs) before emitting tombstones.
  std::vector<std::int64_t> candidates = known.minus(seen, 100000);
  std::int64_t deleted = 0;
  const auto now = ctx.ceiling.value_or(now_millis() / 1000);
  for (std::size_t i = 0; i < candidates.size(); i += kIdsPerRequest) {
    std::vector<std::int64_t> batch;
    for (std::size_t j = i; j < std::min(candidates.size(), i + kIdsPerRequest); ++j) {
      batch.push_back(candidates[j]);
    }
    IdRanges alive;
    for (const LifeCycle life_cycle : {LifeCycle::kLive, LifeCycle::kTrashed}) {
      PageRequest confirm = listing(d, life_cycle).with_page(1, kIdsPerRequest);
      confirm.ids = batch;
      confirm.members = {"id"};
      const std::string request = ctx.pages.describe(confirm);
      Page p = ctx.pages.fetch(confirm, d.name);
      if (!p.body.is_array()) {
        throw system_error(d.name + ": the deletion check expected a JSON list from " + request);
      }
      // A page in another shape must not pass for "none of these is alive": false tombstones.
      require_records(p.body.as_array(), {"id"}, d.name, request);
      for (const auto &v : p.body.as_array()) {
        if (auto id = record_id(v.as_object())) {
          alive.insert(*id);
        }
      }
    }
    for (std::size_t j = i; j < std::min(candidates.size(), i + kIdsPerRequest); ++j) {
      if (alive.contains(candidates[j])) {
        seen.insert(candidates[j]);
        continue;
      }
      json::object tombstone{{"id", candidates[j]},
                             {d.cursor_field, format_naive_utc(now)},
                             {kDeletedAt, format_rfc3339(now)}};
      ctx.emit(d, tombstone);
      ++deleted;
    }
  }
  ctx.out.log(protocol::LogLevel::kInfo,
              d.name + ": deletion sweep complete: " + std::to_string(seen.size()) +
                  " ids present, " + std::to_string(deleted) +
                  " permanently deleted since the previous sweep");
  return checkpoint::sweep_complete(seen);
}

} // namespace wc::source
