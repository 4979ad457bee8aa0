#pragma once
// What the engine asks of a listing, as meaning rather than query parameters: which route, which
// time window, in which order, which page, which members, which records. The store's layer turns
// it into its own query (woocommerce/page_query.hpp); tests can interpret it directly.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time_util.hpp"
#include "http/http_types.hpp"

namespace wc::source {

// Which of a record's times a window bounds.
enum class WindowTime { kModified, kCreated };

// A date filter: records whose `time` is strictly after `after` and strictly before `before`
// (one-second resolution, UTC). A window without bounds still asks for the window's semantics
// (UTC dates, the window's time as the order).
struct TimeWindow {
  WindowTime time = WindowTime::kModified;
  std::optional<UnixSeconds> after;  // exclusive
  std::optional<UnixSeconds> before; // exclusive
};

// Ascending order of the listing.
enum class Ordering { kNone, kById, kByWindowTime };

// Which records by their life cycle: as the definition's fixed parameters say, every live one
// (everything but the trashed), or the trashed only.
enum class LifeCycle { kAsDefined, kLive, kTrashed };

struct PageRequest {
  std::string path;
  http::Params fixed; // the definition's own parameters (streams.yaml data), passed through
  std::optional<TimeWindow> window;
  Ordering order = Ordering::kNone;
  std::optional<int> page;          // 1-based; none = the endpoint's own (single-page listings)
  std::optional<int> page_size;     // records per page; none = the endpoint's default
  std::vector<std::string> members; // the record members wanted; empty = all
  // A probe of the first records after a window start (the date-window planner's): it asks the
  // same as the cursor's first page, projected.
  bool probe = false;
  LifeCycle life_cycle = LifeCycle::kAsDefined;
  std::string type;              // records of this type only (a parent listing: "variable")
  std::vector<std::int64_t> ids; // these records only

  PageRequest with_page(int number, int size) const {
    PageRequest r = *this;
    r.page = number;
    r.page_size = size;
    return r;
  }
};

} // namespace wc::source
