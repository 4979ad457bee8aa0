#pragma once
// Incremental paging that loses nothing on the store's date filters, which are strictly
// exclusive at one-second resolution while many records can share one second:
//  - advance by the cursor (after = last value seen), never by deep offsets, so records edited
//    during the sync (they jump to the end of the modified order) are still read;
//  - query from one second before the cursor and drop the records of the boundary second that
//    were already emitted (their ids are kept in the state);
//  - when a whole page shares one second, read that second as its own window
//    (from T-1 to T+1, both exclusive) with page numbers, and re-read it if its total changed.
// The checkpointed cursor never passes the store's own time at the start of the sync minus one
// second: a second that is still running can gain records after we read it.
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "core/time_util.hpp"
#include "source/page_source.hpp"

namespace wc::source {

struct CursorState {
  std::optional<UnixSeconds> cursor;   // every record modified before this second was emitted
  std::set<std::int64_t> boundary_ids; // records of the cursor second already emitted
};

struct CursorQuery {
  // The listing: path, the definition's fixed parameters, filters (life cycle, type) and the
  // projection. The pager adds the window, the order and the pages.
  PageRequest listing;
  WindowTime time = WindowTime::kModified; // which time the cursor follows
  std::string field = "date_modified_gmt"; // the records' member holding that time
  int page_size = 100;
  std::optional<UnixSeconds> ceiling; // the store's time at sync start (Date header)
  std::optional<UnixSeconds> until;   // read only records before this second (a date window)
  std::string label;
  int max_requests = 10000000; // bound on requests (a stuck server never loops us forever)
  // Told when repeated timeouts make the pager halve the page size (PHP max_execution_time on pages
  // of large orders).
  std::function<void(const std::string &)> warn;
  // Told the X-WP-Total of the first page (what is left to read), for progress estimates.
  std::function<void(std::int64_t)> on_total;
};

// The smallest page the pager shrinks to after timeouts.
inline constexpr int kMinPerPage = 5;
// Fetches a page; when retries ran out on timeouts, halves `page_size` (down to kMinPerPage),
// warns, and tries again. The request's page size is set to the current value.
Page fetch_shrinking(PageSource &pages, PageRequest request, const std::string &label,
                     int &page_size, const std::function<void(const std::string &)> &warn);

struct CursorResult {
  std::int64_t records = 0;
  std::int64_t requests = 0;
  std::optional<UnixSeconds> server_date; // Date header of the first response
};

using RecordSink = std::function<void(boost::json::object &record)>;
using CheckpointSink = std::function<void(const CursorState &state)>;

CursorResult read_by_cursor(PageSource &pages, const CursorQuery &query, CursorState start,
                            const RecordSink &emit, const CheckpointSink &checkpoint);

// The state to checkpoint for `state`, capped at ceiling - 1 s.
CursorState capped(const CursorState &state, std::optional<UnixSeconds> ceiling);

} // namespace wc::source
