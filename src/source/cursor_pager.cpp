#include "source/cursor_pager.hpp"

#include "core/error.hpp"
#include "http/http_client.hpp"
#include "source/listing_checks.hpp"
#include "source/record_cursor.hpp"

namespace wc::source {
namespace json = boost::json;
namespace {

struct Row {
  json::object *record;
  UnixSeconds time;
  std::int64_t id;
};

std::vector<Row> rows_of(Page &page, const CursorQuery &q, const std::string &request) {
  if (!page.body.is_array()) {
    throw system_error(q.label + ": expected a JSON list from " + q.listing.path +
                       ", got another shape");
  }
  require_records(page.body.as_array(), {"id", q.field}, q.label, request);
  std::vector<Row> rows;
  for (auto &v : page.body.as_array()) {
    auto &obj = v.as_object();
    auto t = record_time(obj, q.field);
    auto id = record_id(obj);
    if (!t || !id) {
      throw system_error(q.label + ": " + request + " answered a record without a valid '" +
                         q.field + "' or 'id'");
    }
    rows.push_back({&obj, *t, *id});
  }
  return rows;
}

// The query's listing within (after, before), by the cursor's time, page `page`.
PageRequest windowed(const CursorQuery &q, std::optional<UnixSeconds> after,
                     std::optional<UnixSeconds> before, int page, int page_size) {
  PageRequest r = q.listing.with_page(page, page_size);
  r.window = TimeWindow{q.time, after, before};
  r.order = Ordering::kByWindowTime;
  return r;
}

} // namespace

Page fetch_shrinking(PageSource &pages, PageRequest request, const std::string &label,
                     int &page_size, const std::function<void(const std::string &)> &warn) {
  for (;;) {
    if (request.page_size) {
      request.page_size = page_size;
    }
    try {
      return pages.fetch(request, label);
    } catch (const Error &e) {
      if (!http::last_cause_was_timeout(e) || page_size <= kMinPerPage) {
        throw;
      }
      page_size = std::max(kMinPerPage, page_size / 2);
      if (warn) {
        warn(label + ": pages kept timing out (the store's PHP max_execution_time?); asking for " +
             std::to_string(page_size) + " records per page from now on");
      }
    }
  }
}

CursorState capped(const CursorState &state, std::optional<UnixSeconds> ceiling) {
  if (!ceiling || !state.cursor || *state.cursor < *ceiling) {
    return state;
  }
  // The ceiling second (and later ones) may still gain records: keep the cursor just before it.
  return CursorState{*ceiling - 1, {}};
}

CursorResult read_by_cursor(PageSource &pages, const CursorQuery &q, CursorState state,
                            const RecordSink &emit, const CheckpointSink &checkpoint) {
  CursorResult result;
  bool boundary_complete = false; // every record of second `state.cursor` has been emitted
  int page_size = q.page_size;
  auto fetch = [&](const PageRequest &request) {
    if (++result.requests > q.max_requests) {
      throw system_error(q.label + ": stopped after " + std::to_string(q.max_requests) +
                         " requests without reaching the end of the listing");
    }
    Page page = fetch_shrinking(pages, request, q.label, page_size, q.warn);
    if (!result.server_date) {
      result.server_date = page.server_date;
    }
    return page;
  };
  auto emit_row = [&](const Row &row) {
    emit(*row.record);
    ++result.records;
  };

  for (;;) {
    std::optional<UnixSeconds> after;
    if (state.cursor) {
      after = boundary_complete ? *state.cursor : *state.cursor - 1;
    }
    PageRequest request = windowed(q, after, q.until, 1, page_size);
    Page page = fetch(request);
    if (result.requests == 1 && q.on_total && page.total >= 0) {
      q.on_total(page.total);
    }
    auto rows = rows_of(page, q, pages.describe(request));
    if (rows.empty()) {
      break;
    }
    const UnixSeconds last = rows.back().time;
    const bool one_second = rows.front().time == last;
    const bool more = static_cast<int>(rows.size()) >= page_size || page.total_pages > 1;
    if (one_second && more) {
      // A full page inside one second: read that second alone, with page numbers.
      std::set<std::int64_t> seen =
          (state.cursor && *state.cursor == last) ? state.boundary_ids : std::set<std::int64_t>{};
      for (int attempt = 0;; ++attempt) {
        std::int64_t first_total = -1;
        std::int64_t total = -1;
        const int window_page_size = page_size;
        for (int p = 1;; ++p) {
          PageRequest window_request = windowed(q, last - 1, last + 1, p, page_size);
          Page wp = fetch(window_request);
          if (page_size != window_page_size) {
            break; // the page size shrank: page numbers changed meaning; read the second again
          }
          if (first_total < 0) {
            first_total = wp.total;
          }
          total = wp.total;
          auto wrows = rows_of(wp, q, pages.describe(window_request));
          const PageInHand in_hand(wp.arena.get()); // its records' tokens resolve meanwhile
          for (const auto &row : wrows) {
            if (row.time == last && seen.insert(row.id).second) {
              emit_row(row);
            }
          }
          state.cursor = last;
          state.boundary_ids = seen;
          checkpoint(capped(state, q.ceiling));
          if (wrows.empty() || (wp.total_pages >= 0 && p >= wp.total_pages)) {
            break;
          }
        }
        if ((total == first_total && page_size == window_page_size) || attempt >= 8) {
          break; // the second did not change while we read it
        }
      }
      boundary_complete = true;
      continue;
    }
    // Normal page: emit what is new, move the cursor to the last second seen.
    const auto cursor_before = state.cursor;
    const auto emitted_before = result.records;
    const PageInHand in_hand(page.arena.get()); // its records' tokens resolve meanwhile
    for (const auto &row : rows) {
      bool already = state.cursor && row.time == *state.cursor &&
                     (boundary_complete || state.boundary_ids.count(row.id) > 0);
      if (already || (state.cursor && row.time < *state.cursor)) {
        continue;
      }
      emit_row(row);
      if (!state.cursor || row.time > *state.cursor) {
        state.cursor = row.time;
        state.boundary_ids.clear();
        boundary_complete = false;
      }
      state.boundary_ids.insert(row.id);
    }
    checkpoint(capped(state, q.ceiling));
    if (static_cast<int>(rows.size()) >= page_size && state.cursor == cursor_before &&
        result.records == emitted_before) {
      throw system_error(q.label +
                         ": the store returned a full page of records older than the "
                         "cursor: " +
                         pages.ignored_window(q.time));
    }
    if (page.total_pages <= 1 && static_cast<int>(rows.size()) < page_size) {
      break; // everything after the cursor fitted in this page
    }
  }
  checkpoint(capped(state, q.ceiling));
  return result;
}

} // namespace wc::source
