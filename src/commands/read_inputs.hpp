#pragma once
// What `read` works on, parsed once: the config (its secrets registered), the configured streams
// and the incoming state. `read` loads them from its files; Singer mode builds them from its own
// catalog and state, in memory. Both then run the same read (commands::run_read).
#include <functional>
#include <string>
#include <vector>

#include "catalog/configured_catalog.hpp"
#include "cli/invocation.hpp"
#include "config/connector_config.hpp"
#include "state/state_store.hpp"

namespace wc::commands {

struct ReadInputs {
  ConnectorConfig config;
  std::vector<catalog::ConfiguredStream> streams;
  state::StateStore state;
};

// `--config FILE --catalog FILE [--state FILE]` (an empty state file is no state). The config is
// read first, so its secrets are registered before anything else can be reported. Throws
// wc::Error(kConfig) naming the file and the problem; `warn` gets what is skipped (unknown
// streams, ignored state entries).
ReadInputs load_read_inputs(const cli::Invocation &inv,
                            const std::function<void(const std::string &)> &warn);

} // namespace wc::commands
