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

std::vector<Row> rows_of(Page &page, const CursorQuery &q, const http::Params &params) {
  if (!page.body.is_array()) {
    throw system_error(q.label + ": expected a JSON list from " + q.path + ", got another shape");
  }
  require_records(page.body.as_array(), {"id", q.field}, q.label, describe_request(q.path, params));
  std::vector<Row> rows;
  for (auto &v : page.body.as_array()) {
    auto &obj = v.as_object();
    auto t = record_time(obj, q.field);
    auto id = record_id(obj);
    if (!t || !id) {
      throw system_error(q.label + ": " + describe_request(q.path, params) +
                         " answered a record without a valid '" + q.field + "' or 'id'");
    }
    rows.push_back({&obj, *t, *id});
  }
  return rows;
}

http::Params with(const http::Params &base,
                  std::initializer_list<std::pair<std::string, std::string>> extra) {
  http::Params p = base;
  for (const auto &e : extra) {
    p.push_back(e);
  }
  return p;
}

} // namespace

Page fetch_shrinking(PageSource &pages, const std::string &path, http::Params params,
                     const std::string &label, int &per_page,
                     const std::function<void(const std::string &)> &warn) {
  for (;;) {
    for (auto &p : params) {
      if (p.first == "per_page") {
        p.second = std::to_string(per_page);
      }
    }
    try {
      return pages.fetch(path, params, label);
    } catch (const Error &e) {
      if (!http::last_cause_was_timeout(e) || per_page <= kMinPerPage) {
        throw;
      }
      per_page = std::max(kMinPerPage, per_page / 2);
      if (warn) {
        warn(label + ": pages kept timing out (the store's PHP max_execution_time?); asking for " +
             std::to_string(per_page) + " records per page from now on");
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
  int per_page = q.per_page;
  auto fetch = [&](http::Params params) {
    if (++result.requests > q.max_requests) {
      throw system_error(q.label + ": stopped after " + std::to_string(q.max_requests) +
                         " requests without reaching the end of the listing");
    }
    Page page = fetch_shrinking(pages, q.path, std::move(params), q.label, per_page, q.warn);
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
    http::Params params = with(q.params, {{"dates_are_gmt", "true"},
                                          {"orderby", q.orderby},
                                          {"order", "asc"},
                                          {"per_page", std::to_string(per_page)},
                                          {"page", "1"}});
    if (state.cursor) {
      UnixSeconds after = boundary_complete ? *state.cursor : *state.cursor - 1;
      params.emplace_back(q.after_param, format_naive_utc(after));
    }
    if (q.until) {
      params.emplace_back(q.before_param, format_naive_utc(*q.until));
    }
    Page page = fetch(params);
    if (result.requests == 1 && q.on_total && page.total >= 0) {
      q.on_total(page.total);
    }
    auto rows = rows_of(page, q, params);
    if (rows.empty()) {
      break;
    }
    const UnixSeconds last = rows.back().time;
    const bool one_second = rows.front().time == last;
    const bool more = static_cast<int>(rows.size()) >= per_page || page.total_pages > 1;
    if (one_second && more) {
      // A full page inside one second: read that second alone, with page numbers.
      std::set<std::int64_t> seen =
          (state.cursor && *state.cursor == last) ? state.boundary_ids : std::set<std::int64_t>{};
      for (int attempt = 0;; ++attempt) {
        std::int64_t first_total = -1;
        std::int64_t total = -1;
        const int window_per_page = per_page;
        for (int p = 1;; ++p) {
          const http::Params window_params =
              with(q.params, {{"dates_are_gmt", "true"},
                              {"orderby", q.orderby},
                              {"order", "asc"},
                              {"per_page", std::to_string(per_page)},
                              {"page", std::to_string(p)},
                              {q.after_param, format_naive_utc(last - 1)},
                              {q.before_param, format_naive_utc(last + 1)}});
          Page wp = fetch(window_params);
          if (per_page != window_per_page) {
            break; // the page size shrank: page numbers changed meaning; read the second again
          }
          if (first_total < 0) {
            first_total = wp.total;
          }
          total = wp.total;
          auto wrows = rows_of(wp, q, window_params);
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
        if ((total == first_total && per_page == window_per_page) || attempt >= 8) {
          break; // the second did not change while we read it
        }
      }
      boundary_complete = true;
      continue;
    }
    // Normal page: emit what is new, move the cursor to the last second seen.
    const auto cursor_before = state.cursor;
    const auto emitted_before = result.records;
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
    if (static_cast<int>(rows.size()) >= per_page && state.cursor == cursor_before &&
        result.records == emitted_before) {
      throw system_error(q.label +
                         ": the store returned a full page of records older than the "
                         "cursor: it ignores the '" +
                         q.after_param +
                         "' filter (WooCommerce "
                         "older than 5.8?)");
    }
    if (page.total_pages <= 1 && static_cast<int>(rows.size()) < per_page) {
      break; // everything after the cursor fitted in this page
    }
  }
  checkpoint(capped(state, q.ceiling));
  return result;
}

} // namespace wc::source
