// The engine's options from the user's configuration (woocommerce/read_options.cpp): every
// setting the engine reads is carried over, and order_notes_full_pass names the one child
// stream read through every parent on every sync.
#include <gtest/gtest.h>

#include "config/connector_config.hpp"
#include "woocommerce/read_options.hpp"

using namespace wc;

// Guards the field-by-field copy: each value differs from the defaults, so a field left out
// keeps its default and fails here.
TEST(ReadOptionsFrom, CarriesEverySettingTheEngineReads) {
  ConnectorConfig config;
  config.per_page = 37;
  config.start_date = 1700000000;
  config.lookback_window_seconds = 120;
  config.full_resync_every_syncs = 9;
  config.deletion_detection = DeletionDetection::kTrashAndSweep;
  config.sweep_requests_per_sync = 17;

  const source::ReadOptions options = woo::read_options_from(config);

  EXPECT_EQ(options.page_size, 37);
  EXPECT_EQ(options.start_date, std::optional<UnixSeconds>(1700000000));
  EXPECT_EQ(options.lookback_window_seconds, 120);
  EXPECT_EQ(options.full_resync_every_syncs, 9);
  EXPECT_EQ(options.deletion_detection, source::DeletionDetection::kTrashAndSweep);
  EXPECT_EQ(options.sweep_requests_per_sync, 17);
  EXPECT_TRUE(options.full_pass_children.empty());
}

// Guards the deletion modes one by one (the two enums are kept apart: config/ and source/ do
// not include each other).
TEST(ReadOptionsFrom, MapsEachDeletionDetectionMode) {
  ConnectorConfig config;
  config.deletion_detection = DeletionDetection::kOff;
  EXPECT_EQ(woo::read_options_from(config).deletion_detection, source::DeletionDetection::kOff);
  config.deletion_detection = DeletionDetection::kTrash;
  EXPECT_EQ(woo::read_options_from(config).deletion_detection, source::DeletionDetection::kTrash);
  config.deletion_detection = DeletionDetection::kTrashAndSweep;
  EXPECT_EQ(woo::read_options_from(config).deletion_detection,
            source::DeletionDetection::kTrashAndSweep);
}

// Guards order_notes_full_pass: it names order_notes (and only it) as a full-pass child stream.
TEST(ReadOptionsFrom, OrderNotesFullPassNamesTheOrderNotesStream) {
  ConnectorConfig config;
  config.order_notes_full_pass = true;

  const source::ReadOptions options = woo::read_options_from(config);

  EXPECT_EQ(options.full_pass_children, (std::set<std::string>{"order_notes"}));
}
