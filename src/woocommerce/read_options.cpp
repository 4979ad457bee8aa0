#include "woocommerce/read_options.hpp"

namespace wc::woo {

namespace {

source::DeletionDetection deletion_detection(DeletionDetection mode) {
  switch (mode) {
  case DeletionDetection::kTrash:
    return source::DeletionDetection::kTrash;
  case DeletionDetection::kTrashAndSweep:
    return source::DeletionDetection::kTrashAndSweep;
  case DeletionDetection::kOff:
    break;
  }
  return source::DeletionDetection::kOff;
}

} // namespace

source::ReadOptions read_options_from(const ConnectorConfig &config) {
  source::ReadOptions options;
  options.page_size = config.per_page;
  options.start_date = config.start_date;
  options.lookback_window_seconds = config.lookback_window_seconds;
  options.full_resync_every_syncs = config.full_resync_every_syncs;
  options.deletion_detection = deletion_detection(config.deletion_detection);
  options.sweep_requests_per_sync = config.sweep_requests_per_sync;
  if (config.order_notes_full_pass) {
    // Notes do not re-save their order: only a pass over every order sees every new note.
    options.full_pass_children.insert("order_notes");
  }
  return options;
}

} // namespace wc::woo
