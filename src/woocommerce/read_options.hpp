#pragma once
// The engine's read options (source::ReadOptions) from the user's configuration: the one place
// where ConnectorConfig becomes what the generic engine reads.
#include "config/connector_config.hpp"
#include "source/read_options.hpp"

namespace wc::woo {

source::ReadOptions read_options_from(const ConnectorConfig &config);

} // namespace wc::woo
