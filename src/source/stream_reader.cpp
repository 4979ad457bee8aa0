#include "source/stream_reader.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>
#include <deque>
#include <limits>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "core/raw_record.hpp"
#include "http/http_client.hpp"
#include "source/cursor_pager.hpp"
#include "source/deletions.hpp"
#include "source/id_ranges.hpp"
#include "source/listing_checks.hpp"
#include "source/record_cursor.hpp"
#include "state/state_store.hpp"

namespace wc::source {
namespace json = boost::json;
namespace {

constexpr const char *kResumePage = "resume_page";
constexpr const char *kBoundaryIds = "boundary_ids";
constexpr const char *kSyncsSinceFull = "syncs_since_full";
constexpr const char *kComplete = "__ab_full_refresh_sync_complete";
// The parents' cursor field (orders, products), by which changed parents are found.
constexpr const char *kParentCursorField = "date_modified_gmt";
// How many times a page whose totals contradict it is read again before the listing fails.
constexpr int kTotalsRereads = 3;

http::Params with_page(http::Params params, int per_page, int page) {
  for (auto &p : params) {
    if (p.first == "per_page") {
      p.second = std::to_string(per_page);
    }
  }
  params.emplace_back("page", std::to_string(page));
  return params;
}

http::Params concat(http::Params a, const http::Params &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string replace_parent(std::string path, std::int64_t parent_id) {
  auto pos = path.find("{parent_id}");
  if (pos != std::string::npos) {
    path.replace(pos, 11, std::to_string(parent_id));
  }
  return path;
}

int int_field(const json::object *blob, const char *key, int def) {
  if (blob == nullptr) {
    return def;
  }
  const auto *v = blob->if_contains(key);
  if (v == nullptr) {
    return def;
  }
  if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > 100000000) {
    throw config_error(std::string("state: '") + key + "' must be a non-negative integer");
  }
  return static_cast<int>(v->as_int64());
}

std::set<std::int64_t> id_set(const json::object *blob, const std::string &stream) {
  std::set<std::int64_t> ids;
  if (blob == nullptr) {
    return ids;
  }
  const auto *v = blob->if_contains(kBoundaryIds);
  if (v == nullptr) {
    return ids;
  }
  if (!v->is_array()) {
    throw config_error("state of stream '" + stream + "': boundary_ids must be a list of ids");
  }
  for (const auto &id : v->as_array()) {
    if (!id.is_int64()) {
      throw config_error("state of stream '" + stream + "': boundary_ids must hold integers");
    }
    ids.insert(id.as_int64());
  }
  return ids;
}

// What a stream's state holds besides the cursor (trash and sweep sub-states, the webhook
// journal position): carried through every checkpoint so each stays a valid restart point.
json::object carried(const StreamDefinition &d, const json::object *state) {
  json::object carry;
  if (state != nullptr) {
    for (const auto &kv : *state) {
      if (kv.key() != d.cursor_field && kv.key() != kBoundaryIds && kv.key() != kSyncsSinceFull &&
          kv.key() != kResumePage) {
        carry.emplace(kv.key(), kv.value());
      }
    }
  }
  return carry;
}

const json::object *sub_state(const json::object *state, const char *key) {
  if (state == nullptr) {
    return nullptr;
  }
  const auto *v = state->if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

json::object cursor_json_of(const std::string &field, const CursorState &s) {
  json::array ids;
  for (auto id : s.boundary_ids) {
    ids.push_back(id);
  }
  return json::object{
      {field, s.cursor ? json::value(format_naive_utc(*s.cursor)) : json::value(nullptr)},
      {kBoundaryIds, std::move(ids)}};
}

json::object cursor_blob(const StreamDefinition &d, const CursorState &s, int syncs_since_full,
                         const json::object &carry) {
  json::object blob = carry;
  blob[d.cursor_field] = s.cursor ? json::value(format_naive_utc(*s.cursor)) : json::value(nullptr);
  json::array ids;
  for (auto id : s.boundary_ids) {
    ids.push_back(id);
  }
  blob[kBoundaryIds] = std::move(ids);
  blob[kSyncsSinceFull] = syncs_since_full;
  return blob;
}

// Full refresh of a top-level stream, resumable by page.
void read_full(ReadContext &ctx, const StreamDefinition &d, const json::object *state) {
  int first = 1;
  if (state != nullptr && !state->contains(kComplete)) {
    first = std::max(1, int_field(state, kResumePage, 1));
  }
  if (d.paging == Paging::kSingle) {
    Page page = ctx.pages.fetch(d.path, d.params, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + d.path);
    }
    require_records(page.body.as_array(), key_fields(d), d.name,
                    describe_request(d.path, d.params));
    ctx.out.estimate(d.name, static_cast<std::int64_t>(page.body.as_array().size()));
    for (auto &v : page.body.as_array()) {
      ctx.emit(d, v.as_object());
    }
  } else {
    page_through(
        ctx, d.path, concat(d.params, d.full_params), d.name, first,
        [&](json::array &records, int next_page) {
          for (auto &v : records) {
            ctx.emit(d, v.as_object());
          }
          ctx.out.stream_state(d.name, json::object{{kResumePage, next_page}});
        },
        true, key_fields(d));
  }
  ctx.out.stream_state(d.name, json::object{{kComplete, true}});
}

// The children of one parent, with the parent key added, optionally filtered by the cursor.
void read_one_parent(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                     std::int64_t parent_id, const std::optional<UnixSeconds> &since) {
  const std::string child_path = replace_parent(path, parent_id);
  auto handle = [&](json::array &records) {
    for (auto &v : records) {
      auto &rec = v.as_object();
      if (since && !d.cursor_field.empty()) {
        auto t = record_time(rec, d.cursor_field);
        if (t && *t < *since) {
          continue;
        }
      }
      set_member(rec, d.parent->key, parent_id);
      ctx.emit(d, rec);
    }
  };
  if (d.paging == Paging::kSingle) {
    Page page = ctx.pages.fetch(child_path, d.params, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + child_path);
    }
    require_records(page.body.as_array(), key_fields(d), d.name,
                    describe_request(child_path, d.params));
    handle(page.body.as_array());
  } else {
    page_through(
        ctx, child_path, concat(d.params, d.full_params), d.name, 1,
        [&](json::array &records, int) { handle(records); }, false, key_fields(d));
  }
}

// Child stream read through every parent (full refresh), optionally filtered by the cursor.
void read_children(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                   const std::optional<UnixSeconds> &since, const json::object *state,
                   bool resumable) {
  const auto &parent_ref = *d.parent;
  // Only the ids of the parents are needed: a cheap projection, in a stable order.
  http::Params parent_params = parent_ref.params;
  parent_params.insert(parent_params.end(),
                       {{"_fields", "id"}, {"orderby", "id"}, {"order", "asc"}});
  if (!parent_ref.type.empty()) {
    parent_params.emplace_back("type", parent_ref.type);
  }
  int first = 1;
  if (resumable && state != nullptr && !state->contains(kComplete)) {
    first = std::max(1, int_field(state, kResumePage, 1));
  }
  auto read_parent = [&](std::int64_t parent_id) {
    read_one_parent(ctx, d, path, parent_id, since);
  };
  auto handle_parents = [&](json::array &parents) {
    for (auto &p : parents) {
      if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
        throw transient_error(d.name + ": interrupted");
      }
      if (auto id = record_id(p.as_object())) {
        read_parent(*id);
      }
    }
  };
  if (parent_ref.paging == Paging::kSingle) {
    Page page = ctx.pages.fetch(parent_ref.path, parent_ref.params, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + parent_ref.path);
    }
    require_records(page.body.as_array(), {"id"}, d.name,
                    describe_request(parent_ref.path, parent_ref.params));
    handle_parents(page.body.as_array());
  } else {
    page_through(ctx, parent_ref.path, parent_params, d.name, first,
                 [&](json::array &parents, int next_page) {
                   handle_parents(parents);
                   if (resumable) {
                     ctx.out.stream_state(d.name, json::object{{kResumePage, next_page}});
                   }
                 },
                 false, {"id"}); // the parents' total is not this stream's
  }
}

constexpr const char *kParentCursor = "parent_cursor";

// The id + date listing of the parents modified since a cursor, by which child streams find the
// parents whose children to read.
CursorQuery changed_parents_query(ReadContext &ctx, const StreamDefinition &d,
                                  const std::string &path, http::Params params) {
  CursorQuery q;
  q.path = path;
  q.params = std::move(params);
  q.params.emplace_back("_fields", std::string("id,") + kParentCursorField);
  q.field = kParentCursorField;
  q.per_page = ctx.options.per_page;
  q.ceiling = ctx.ceiling;
  q.label = d.name;
  q.warn = [&ctx](const std::string &m) { ctx.warn(m); };
  return q;
}

// Incremental child stream: the children of the parents changed since the parent cursor (kept
// in the state under "parent_cursor"), found with a cheap id + date projection of the parent.
void read_children_of_changed_parents(ReadContext &ctx, const StreamDefinition &d,
                                      const std::string &path, const json::object *state,
                                      const std::optional<UnixSeconds> &since) {
  const auto *parent_def = d.parent.has_value() ? &*d.parent : nullptr;
  CursorState start;
  const json::object *pc = nullptr;
  if (state != nullptr) {
    if (const auto *v = state->if_contains(kParentCursor)) {
      pc = v->if_object();
      if (pc == nullptr) {
        throw config_error("state of stream '" + d.name + "': parent_cursor must be an object");
      }
      start.cursor = state::cursor_value(*pc, kParentCursorField, d.name);
      start.boundary_ids = id_set(pc, d.name);
    } else if (!d.cursor_field.empty() && state->contains(d.cursor_field)) {
      // A state keyed by the stream's declared cursor (discover's cursor field, or Airbyte's
      // connector): the children are found through their parents, so it is read as the parents'
      // cursor. Every child written since then re-saved its parent (a refund its order) or,
      // for order notes, is covered only through changed orders (ReadOptions::full_pass_children).
      start.cursor = state::cursor_value(*state, d.cursor_field, d.name);
      if (start.cursor) {
        ctx.warn(d.name + ": the state holds " + d.cursor_field + " " +
                 format_naive_utc(*start.cursor) + " and no parent_cursor: reading the " +
                 d.parent->stream + " modified since then (" + kParentCursorField + ") and their " +
                 d.name + ", from the state's value");
      }
    }
  }
  if (!start.cursor && ctx.options.start_date) {
    start.cursor = ctx.options.start_date;
  }
  json::object carry = carried(d, state);
  carry.erase(kParentCursor);
  auto blob_for = [&](const CursorState &s) {
    json::object blob = carry;
    json::object parent = cursor_json_of(kParentCursorField, s);
    blob[kParentCursor] = std::move(parent);
    return blob;
  };
  if (ctx.options.full_pass_children.count(d.name) > 0 || !ctx.capabilities.modified_filter) {
    // A full pass: asked for, or the store cannot tell which parents changed.
    read_children(ctx, d, path, std::nullopt, nullptr, false);
    CursorState end{ctx.ceiling ? std::optional<UnixSeconds>(*ctx.ceiling - 1) : start.cursor, {}};
    ctx.out.stream_state(d.name, blob_for(end));
    return;
  }
  CursorQuery q = changed_parents_query(ctx, d, parent_def->path, parent_def->params);
  read_by_cursor(
      ctx.pages, q, start,
      [&](json::object &parent) {
        if (auto id = record_id(parent)) {
          read_one_parent(ctx, d, path, *id, since);
        }
      },
      [&](const CursorState &s) { ctx.out.stream_state(d.name, blob_for(s)); });
}

// Incremental child stream without its store-wide route (product_variations before WooCommerce
// 10.3): saving a child re-saves its parent in the same second (WC_Product_Variable::sync; seen
// on 10.0.2), so the children modified since the cursor are among the children of the parents
// (of the stream's parent type) modified since then: one id + date listing of those parents,
// then one request per changed parent, instead of one per parent. Writes that bypass the
// parent's save (direct database imports, some plugins) are caught by the full pass of
// full_resync_every. The state stays keyed by the stream's own cursor field.
void read_children_of_modified_parents(ReadContext &ctx, const StreamDefinition &d,
                                       const json::object *state, UnixSeconds cursor, int syncs,
                                       const json::object &carry) {
  const ParentRef &parent = *d.parent;
  ctx.warn(d.name + ": the store has no " + d.path + " route (WooCommerce older than 10.3); " +
           "reading " + d.fallback_path + " of the " + parent.stream + " modified since " +
           format_naive_utc(cursor) + " (one request each)");
  http::Params params = parent.params;
  if (!parent.type.empty()) {
    params.emplace_back("type", parent.type);
  }
  CursorQuery q = changed_parents_query(ctx, d, parent.path, std::move(params));
  const std::optional<UnixSeconds> since = cursor;
  read_by_cursor(
      ctx.pages, q, CursorState{cursor, {}},
      [&](json::object &p) {
        if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
          throw transient_error(d.name + ": interrupted");
        }
        if (auto id = record_id(p)) {
          read_one_parent(ctx, d, d.fallback_path, *id, since);
        }
      },
      [&](const CursorState &s) {
        // Every child of a parent modified before s.cursor was read: a valid restart point.
        if (ctx.emitted > 0 && s.cursor) {
          ctx.out.stream_state(d.name, cursor_blob(d, CursorState{s.cursor, {}}, syncs, carry));
        }
      });
  if (ctx.emitted == 0 && state != nullptr) {
    // Nothing changed: keep the incoming cursor (a lookback never moves it backwards).
    json::object blob = *state;
    if (ctx.options.full_resync_every_syncs > 0) {
      blob[kSyncsSinceFull] = syncs;
    }
    ctx.out.stream_state(d.name, blob);
    return;
  }
  CursorState end{ctx.ceiling ? std::optional<UnixSeconds>(*ctx.ceiling - 1) : since, {}};
  ctx.out.stream_state(d.name, cursor_blob(d, end, syncs, carry));
}

// Splits a large incremental read into date windows read at once (cursor paging inside a window
// is sequential, so parallelism comes from the time range). Checkpoints only ever cover the
// contiguous finished windows from the start: every checkpoint stays a valid restart point.
// Returns false (and reads nothing) when the range is too small to be worth it; `nothing` is
// set when its probe found no record at all after the cursor (nothing is left to read).
bool read_in_windows(ReadContext &ctx, const StreamDefinition &d, const CursorQuery &q,
                     const CursorState &start,
                     const std::function<void(ReadContext &, json::object &)> &emit_one,
                     const std::function<void(const CursorState &)> &checkpoint, bool &nothing) {
  const int width = ctx.parallel_pages;
  if (width <= 1 || !ctx.ceiling || ctx.executor == nullptr) {
    return false;
  }
  // One record, or enough to see that only the boundary second's records already emitted are
  // left.
  const int probe_size = std::min<int>(q.per_page, static_cast<int>(start.boundary_ids.size()) + 1);
  http::Params probe_params = q.params;
  probe_params.insert(probe_params.end(), {{"dates_are_gmt", "true"},
                                           {"orderby", q.orderby},
                                           {"order", "asc"},
                                           {"per_page", std::to_string(probe_size)},
                                           {"page", "1"},
                                           {"_fields", "id," + q.field}});
  if (start.cursor) {
    probe_params.emplace_back(q.after_param, format_naive_utc(*start.cursor - 1));
  }
  Page probe = ctx.pages.fetch(q.path, probe_params, q.label);
  if (q.on_total && probe.total >= 0) {
    q.on_total(probe.total);
  }
  // The probe asked what the first page of read_by_cursor would: an answer holding nothing but
  // the boundary records already emitted ends the read (a sync where nothing changed: one
  // request).
  const auto probed = probe.body.is_array() ? static_cast<int>(probe.body.as_array().size()) : -1;
  if (probed >= 0 && (probed < probe_size || (probe.total >= 0 && probe.total <= probed))) {
    nothing = true; // the probe saw every record after the cursor; are they all emitted already?
    for (const auto &item : probe.body.as_array()) {
      const auto *rec = item.if_object();
      const auto t = rec != nullptr ? record_time(*rec, q.field) : std::nullopt;
      const auto id = rec != nullptr ? record_id(*rec) : std::nullopt;
      nothing = nothing && t && id && start.cursor && *t == *start.cursor &&
                start.boundary_ids.count(*id) > 0;
    }
  }
  if (!probe.body.is_array() || probe.body.as_array().empty() ||
      probe.total < static_cast<std::int64_t>(q.per_page) * 4) {
    return false;
  }
  const auto *first = probe.body.as_array()[0].if_object();
  const auto lo_time = first != nullptr ? record_time(*first, q.field) : std::nullopt;
  const UnixSeconds hi = *ctx.ceiling;
  const int windows = width * 2;
  if (!lo_time || hi - *lo_time < windows * 2) {
    return false;
  }
  const UnixSeconds lo = *lo_time;
  std::vector<UnixSeconds> bounds; // window i is [bounds[i], bounds[i+1]); the last is open
  for (int i = 0; i < windows; ++i) {
    bounds.push_back(lo + (hi - lo) * i / windows);
  }
  std::mutex mu;
  std::vector<std::optional<CursorState>> finished(static_cast<std::size_t>(windows));
  std::size_t lowest = 0;
  std::vector<std::int64_t> emitted(static_cast<std::size_t>(windows), 0);
  auto run_window = [&](std::size_t i) {
    CursorQuery wq = q;
    wq.on_total = nullptr; // the probe gave the estimate
    if (i + 1 < bounds.size()) {
      wq.until = bounds[i + 1];
    }
    CursorState ws = i == 0 ? start : CursorState{bounds[i], {}};
    ReadContext wctx = ctx;
    wctx.emitted = 0;
    CursorState last = ws;
    read_by_cursor(
        ctx.pages, wq, ws, [&](json::object &rec) { emit_one(wctx, rec); },
        [&](const CursorState &s) { last = s; });
    std::lock_guard lock(mu);
    emitted[i] = wctx.emitted;
    finished[i] = last;
    while (lowest < finished.size() && finished[lowest]) {
      checkpoint(*finished[lowest]);
      ++lowest;
    }
  };
  // The windows run on the executor; this thread reads the ones no worker took yet.
  std::vector<core::Task<void>> running;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    running.push_back(ctx.executor->submit([&run_window, i] { run_window(i); }));
  }
  std::exception_ptr failure;
  try {
    core::wait_all(running); // every window ends before the first failure is rethrown
  } catch (...) {
    failure = std::current_exception();
  }
  for (auto n : emitted) {
    ctx.emitted += n;
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
  ctx.out.log(protocol::LogLevel::kDebug,
              d.name + ": read in " + std::to_string(windows) + " date windows at once");
  return true;
}

std::optional<UnixSeconds> start_cursor(ReadContext &ctx, const StreamDefinition &d,
                                        const json::object *state, std::set<std::int64_t> &ids,
                                        int &syncs_since_full, bool *full_resync = nullptr) {
  std::optional<UnixSeconds> cursor;
  if (state != nullptr) {
    cursor = state::cursor_value(*state, d.cursor_field, d.name);
    ids = id_set(state, d.name);
    syncs_since_full = int_field(state, kSyncsSinceFull, 0);
  }
  if (ctx.options.start_date && (!cursor || *cursor < *ctx.options.start_date)) {
    cursor = ctx.options.start_date;
    ids.clear();
  }
  int every = ctx.options.full_resync_every_syncs;
  if (every > 0 && syncs_since_full + 1 >= every) {
    ctx.out.log(protocol::LogLevel::kInfo,
                d.name + ": full resync (full_resync_every = " + std::to_string(every) +
                    ") to pick up changes that do not bump date_modified");
    cursor = ctx.options.start_date;
    ids.clear();
    syncs_since_full = 0;
    if (full_resync != nullptr) {
      *full_resync = true;
    }
  } else {
    ++syncs_since_full;
  }
  if (cursor && ctx.options.lookback_window_seconds > 0) {
    *cursor -= ctx.options.lookback_window_seconds;
    ids.clear();
  }
  return cursor;
}

// Client-side incremental: a full listing filtered on the cursor (customers, or stores whose
// date filter does not work).
void read_client_filtered(ReadContext &ctx, const StreamDefinition &d, const json::object *state) {
  std::set<std::int64_t> ids;
  int syncs = 0;
  auto cursor = start_cursor(ctx, d, state, ids, syncs);
  CursorState best{cursor, ids};
  page_through(
      ctx, d.path, concat(d.params, d.full_params), d.name, 1,
      [&](json::array &records, int) {
        for (auto &v : records) {
          auto &rec = v.as_object();
          auto t = record_time(rec, d.cursor_field);
          auto id = record_id(rec);
          if (t && cursor && (*t < *cursor || (*t == *cursor && id && ids.count(*id)))) {
            continue;
          }
          ctx.emit(d, rec);
          if (t && id) {
            if (!best.cursor || *t > *best.cursor) {
              best.cursor = t;
              best.boundary_ids = {*id};
            } else if (*t == *best.cursor) {
              best.boundary_ids.insert(*id);
            }
          }
        }
      },
      true, key_fields(d));
  ctx.out.stream_state(d.name, cursor_blob(d, capped(best, ctx.ceiling), syncs, carried(d, state)));
}

void read_incremental(ReadContext &ctx, const StreamDefinition &d, const json::object *state) {
  if (d.cursor_kind == CursorKind::kParent) {
    read_children_of_changed_parents(ctx, d, d.path, state, std::nullopt);
    return;
  }
  const bool fallback = !ctx.capabilities.has_route(d.path) && d.parent && !d.fallback_path.empty();
  if (!fallback &&
      (d.cursor_kind == CursorKind::kClient ||
       (d.cursor_kind == CursorKind::kModified && !ctx.capabilities.modified_filter))) {
    read_client_filtered(ctx, d, state);
    return;
  }
  std::set<std::int64_t> ids;
  int syncs = 0;
  bool full_resync = false;
  auto cursor = start_cursor(ctx, d, state, ids, syncs, &full_resync);
  json::object carry = carried(d, state);
  if (fallback && d.cursor_kind == CursorKind::kModified && cursor && !full_resync &&
      state != nullptr && state->contains(d.cursor_field) && ctx.capabilities.modified_filter) {
    read_children_of_modified_parents(ctx, d, state, *cursor, syncs, carry);
    return;
  }
  if (fallback) {
    if (d.cursor_kind == CursorKind::kCreated) {
      // Creating a refund re-saves its order (wc_create_refund), so the refunds created since
      // the cursor are among the children of the orders modified since then.
      ctx.warn(d.name + ": the store has no " + d.path +
               " route (WooCommerce older than 9.0); "
               "reading " +
               d.fallback_path + " of the " + d.parent->stream +
               " changed since the last sync (one request each)");
      read_children_of_changed_parents(ctx, d, d.fallback_path, state, cursor);
      return;
    }
    ctx.warn(d.name + ": the store has no " + d.path + " route (older WooCommerce); reading " +
             d.fallback_path + " through every " + d.parent->stream +
             " record instead (one request each)");
    read_children(ctx, d, d.fallback_path, cursor, nullptr, false);
    CursorState end{ctx.ceiling ? std::optional<UnixSeconds>(*ctx.ceiling - 1) : cursor, {}};
    ctx.out.stream_state(d.name, cursor_blob(d, end, syncs, carry));
    return;
  }
  const bool trash = d.trash && ctx.options.deletion_detection != DeletionDetection::kOff;
  const bool sweep =
      trash && !d.parent && ctx.options.deletion_detection == DeletionDetection::kTrashAndSweep;
  CursorQuery q;
  q.path = d.path;
  q.params = d.params;
  q.field = d.cursor_field;
  q.per_page = ctx.options.per_page;
  q.ceiling = ctx.ceiling;
  q.label = d.name;
  q.warn = [&ctx](const std::string &m) { ctx.warn(m); };
  q.on_total = [&ctx, &d](std::int64_t total) { ctx.out.estimate(d.name, total); };
  if (d.cursor_kind == CursorKind::kCreated) {
    q.after_param = "after";
    q.before_param = "before";
    q.orderby = "date";
  }
  IdRanges emitted_ids;
  std::mutex emitted_mu;
  auto emit_one = [&](ReadContext &c, json::object &rec) {
    if (trash) {
      set_member(rec, kDeletedAt, nullptr); // alive (a restored record comes back with null)
    }
    if (sweep) {
      if (auto id = record_id(rec)) {
        std::lock_guard lock(emitted_mu);
        emitted_ids.insert(*id);
      }
    }
    c.emit(d, rec);
  };
  CursorState last = capped(CursorState{cursor, ids}, ctx.ceiling);
  bool any_checkpoint = false;
  auto checkpoint = [&](const CursorState &s) {
    last = s;
    if (ctx.emitted > 0 || any_checkpoint) {
      ctx.out.stream_state(d.name, cursor_blob(d, s, syncs, carry));
    }
  };
  bool nothing = false;
  const bool windowed = read_in_windows(
      ctx, d, q, CursorState{cursor, ids}, emit_one,
      [&](const CursorState &s) {
        any_checkpoint = true;
        checkpoint(capped(s, ctx.ceiling));
      },
      nothing);
  if (!windowed && !nothing) {
    read_by_cursor(
        ctx.pages, q, CursorState{cursor, ids}, [&](json::object &rec) { emit_one(ctx, rec); },
        checkpoint);
  }
  const std::int64_t main_emitted = ctx.emitted;
  if (trash) {
    carry["trash"] = read_trash(ctx, d, sub_state(state, "trash"));
  }
  if (sweep) {
    carry["sweep"] = sweep_deleted(ctx, d, sub_state(state, "sweep"), emitted_ids);
  }
  if (main_emitted == 0 && state != nullptr) {
    // The cursor did not move: keep the incoming cursor exactly (a state in the future stays
    // there; a lookback never moves it backwards), updating only the sub-states.
    json::object blob = *state;
    for (const auto &kv : carry) {
      blob[kv.key()] = kv.value();
    }
    if (ctx.options.full_resync_every_syncs > 0) {
      blob[kSyncsSinceFull] = syncs;
    }
    ctx.out.stream_state(d.name, blob);
    return;
  }
  ctx.out.stream_state(d.name, cursor_blob(d, last, syncs, carry));
}

} // namespace

void ReadContext::emit(const StreamDefinition &definition, json::object &record) {
  if (definition.parent && !definition.parent->source_field.empty() &&
      !record.contains(definition.parent->key)) {
    // A store-wide child route (refunds, variations) names the parent in the payload.
    if (const auto *p = record.if_contains(definition.parent->source_field)) {
      set_member(record, definition.parent->key, *p);
    }
  }
  auto it = transforms.find(definition.transform);
  if (!definition.transform.empty() && it != transforms.end()) {
    materialize(record); // transforms see the whole record
    if (!it->second(definition, record)) {
      return;
    }
  }
  // A raw record's own text (with added members), or one serialization, into a buffer each
  // thread reuses.
  thread_local std::string line;
  line.clear();
  append_record_json(record, line);
  out.record(definition.name, line);
  ++emitted;
}

std::int64_t page_through(ReadContext &ctx, const std::string &path, http::Params params,
                          const std::string &label, int first_page,
                          const std::function<void(json::array &, int)> &on_page, bool estimate,
                          const std::vector<std::string> &fields) {
  int per_page = ctx.options.per_page;
  params.emplace_back("per_page", std::to_string(per_page));
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
    while (limit > 1 && per_page == ctx.options.per_page && total_pages > 0 &&
           static_cast<int>(prefetched.size()) < limit && next_to_launch <= total_pages) {
      const int p = next_to_launch++;
      prefetched.emplace_back(p, ctx.executor->submit([&ctx, &path, &label, params, per_page, p] {
        return ctx.pages.fetch(path, with_page(params, per_page, p), label);
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
      const int asked = per_page;
      fetched_page.emplace(fetch_shrinking(ctx.pages, path, with_page(params, per_page, page),
                                           label, per_page,
                                           [&ctx](const std::string &m) { ctx.warn(m); }));
      if (per_page != asked) {
        // Same position, smaller pages: page n of size s starts where page 2n-1 of size s/2 does.
        page = (page - 1) * (asked / per_page) + 1;
        fetched_page.reset();
        fetched_page.emplace(ctx.pages.fetch(path, with_page(params, per_page, page), label));
      }
    }
    if (!fetched_page->body.is_array()) {
      throw system_error(label + ": expected a JSON list from " + path + ", got another shape");
    }
    // An empty page whose X-WP-Total fell below what this listing already read (a stale cache or
    // a plugin answering "[]" with a total of 1) would end the listing early: read it again; if
    // it stays so, fail when the total fell below half of what was read, else warn (records
    // deleted during the sync; a resumed sync starts at this page and is not checked).
    const std::int64_t read_here = static_cast<std::int64_t>(page - first_page) * per_page;
    auto fell = [&](const Page &p) {
      return page > first_page && p.body.as_array().empty() && p.total >= 0 && p.total < read_here;
    };
    auto fell_message = [&](const Page &p) {
      return label + ": " + describe_request(path, with_page(params, per_page, page)) +
             ": an empty page with X-WP-Total " + std::to_string(p.total) + " after " +
             std::to_string(read_here) + " records of this listing (X-WP-Total " +
             std::to_string(total) + " at its start)";
    };
    for (int attempt = 1; fell(*fetched_page) && attempt <= kTotalsRereads; ++attempt) {
      ctx.warn(fell_message(*fetched_page) + "; reading the page again");
      fetched_page.reset();
      fetched_page.emplace(ctx.pages.fetch(path, with_page(params, per_page, page), label));
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
    auto contradiction = totals_contradiction(*fetched_page, page, per_page);
    for (int attempt = 1; contradiction && attempt <= kTotalsRereads; ++attempt) {
      ctx.warn(label + ": " + describe_request(path, with_page(params, per_page, page)) + ": " +
               *contradiction + "; reading the page again");
      fetched_page.reset();
      fetched_page.emplace(ctx.pages.fetch(path, with_page(params, per_page, page), label));
      contradiction = totals_contradiction(*fetched_page, page, per_page);
    }
    if (contradiction) {
      throw transient_error(label + ": " +
                            describe_request(path, with_page(params, per_page, page)) + ": " +
                            *contradiction + " (" + std::to_string(kTotalsRereads + 1) +
                            " times): the store's totals contradict its listing, so its end "
                            "cannot be trusted; stopping instead of emitting a short listing. A "
                            "page cache or plugin may be altering the X-WP-Total headers of "
                            "/wp-json/ responses.");
    }
    Page &result = *fetched_page;
    auto &records = result.body.as_array();
    require_records(records, fields, label,
                    describe_request(path, with_page(params, per_page, page)));
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
    on_page(records, page + 1);
    if (result.total_pages >= 0 && page >= result.total_pages) {
      break;
    }
  }
  return total;
}

bool reads_raw_records(const StreamDefinition &definition) {
  return definition.kind == "rest" && definition.transform.empty();
}

KeptMembers raw_record_members(const std::vector<const StreamDefinition *> &streams) {
  KeptMembers kept{"id", kParentCursorField, kDeletedAt};
  for (const StreamDefinition *d : streams) {
    kept.push_back(d->cursor_field);
    for (const auto &field : key_fields(*d)) {
      kept.push_back(field); // checked on every listing item (listing_checks.hpp)
    }
    if (d->parent) {
      kept.push_back(d->parent->key);
      kept.push_back(d->parent->source_field);
    }
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  kept.erase(std::remove(kept.begin(), kept.end(), std::string()), kept.end());
  return kept;
}

void read_stream(ReadContext &ctx, const StreamRequest &stream,
                 const json::object *incoming_state) {
  const StreamDefinition &d = *stream.definition;
  auto custom = ctx.custom_readers.find(d.kind);
  if (d.kind != "rest") {
    if (custom == ctx.custom_readers.end()) {
      throw system_error(d.name + ": no reader for stream kind " + d.kind);
    }
    custom->second(ctx, stream, incoming_state);
    return;
  }
  if (stream.sync_mode == SyncMode::kIncremental) {
    read_incremental(ctx, d, incoming_state);
    return;
  }
  if (d.parent && (d.path.find("{parent_id}") != std::string::npos ||
                   (!ctx.capabilities.has_route(d.path) && !d.fallback_path.empty()))) {
    std::string path = d.path.find("{parent_id}") != std::string::npos ? d.path : d.fallback_path;
    if (path != d.path) {
      ctx.warn(d.name + ": the store has no " + d.path + " route (older WooCommerce); reading " +
               path + " through every " + d.parent->stream + " record instead");
    }
    read_children(ctx, d, path, std::nullopt, incoming_state, true);
    ctx.out.stream_state(d.name, json::object{{kComplete, true}});
    return;
  }
  read_full(ctx, d, incoming_state);
}

} // namespace wc::source
