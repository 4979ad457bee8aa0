#pragma once
// What the engine reads from the user's settings: plain values, filled by the connector (see
// woocommerce/read_options.hpp), so that the engine knows nothing of the whole configuration.
#include <optional>
#include <set>
#include <string>

#include "core/time_util.hpp"

namespace wc::source {

enum class DeletionDetection { kOff, kTrash, kTrashAndSweep };

struct ReadOptions {
  int page_size = 100; // records per listing page
  std::optional<UnixSeconds> start_date;
  int lookback_window_seconds = 0;
  int full_resync_every_syncs = 0; // 0 = never
  DeletionDetection deletion_detection = DeletionDetection::kOff;
  int sweep_requests_per_sync = 200;
  // Child streams whose incremental sync reads the children of every parent on every sync,
  // instead of only those of the parents changed since the cursor.
  std::set<std::string> full_pass_children;
};

} // namespace wc::source
