#include "source/deletions.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/raw_record.hpp"
#include "source/cursor_pager.hpp"
#include "source/listing_checks.hpp"
#include "source/record_cursor.hpp"
#include "state/state_store.hpp"

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

std::set<std::int64_t> ids_of(const json::object *blob) {
  std::set<std::int64_t> ids;
  if (blob == nullptr) {
    return ids;
  }
  if (const auto *v = blob->if_contains("boundary_ids"); v != nullptr && v->is_array()) {
    for (const auto &id : v->as_array()) {
      if (id.is_int64()) {
        ids.insert(id.as_int64());
      }
    }
  }
  return ids;
}

json::object cursor_json(const StreamDefinition &d, const CursorState &s) {
  json::array ids;
  for (auto id : s.boundary_ids) {
    ids.push_back(id);
  }
  return json::object{
      {d.cursor_field, s.cursor ? json::value(format_naive_utc(*s.cursor)) : json::value(nullptr)},
      {"boundary_ids", std::move(ids)}};
}

} // namespace

json::object read_trash(ReadContext &ctx, const StreamDefinition &d, const json::object *state) {
  CursorState start;
  if (state != nullptr) {
    start.cursor = state::cursor_value(*state, d.cursor_field, d.name);
    start.boundary_ids = ids_of(state);
  }
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
  return cursor_json(d, last);
}

json::object sweep_deleted(ReadContext &ctx, const StreamDefinition &d, const json::object *state,
                           const IdRanges &emitted) {
  IdRanges known, seen;
  std::string phase = "any"; // live records, then the trashed
  int page = 1;
  if (state != nullptr) {
    known = IdRanges::from_json(state->if_contains("known"), "sweep.known");
    seen = IdRanges::from_json(state->if_contains("seen"), "sweep.seen");
    if (const auto *p = state->if_contains("phase"); p && p->is_string()) {
      phase = p->as_string() == "trash" ? "trash" : "any";
    }
    if (const auto *p = state->if_contains("page"); p && p->is_int64() && p->as_int64() > 0) {
      page = static_cast<int>(std::min<std::int64_t>(p->as_int64(), 10000000));
    }
  }
  known.insert(emitted);
  seen.insert(emitted); // alive: read during this sync
  int allowance = ctx.options.sweep_requests_per_sync;
  std::int64_t total = -1;
  bool complete = false;
  while (allowance > 0) {
    PageRequest ids = listing(d, phase == "trash" ? LifeCycle::kTrashed : LifeCycle::kLive)
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
    if (phase == "any") {
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
    } else if (phase == "any") {
      phase = "trash";
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
    return json::object{
        {"known", known.to_json()}, {"seen", seen.to_json()}, {"phase", phase}, {"page", page}};
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
  return json::object{{"known", seen.to_json()}, {"phase", "any"}, {"page", 1}};
}

} // namespace wc::source
