#pragma once
// The Singer calling convention: TAP --config FILE [--state FILE] [--catalog FILE |
// --properties FILE] [--discover] [--about]. A sync translates the Singer catalog and state for
// `read`, runs it with a SingerSink, and reports everything for people on stderr: stdout holds
// only Singer messages (or the catalog / about document).
#include <atomic>

#include "cli/invocation.hpp"
#include "commands/read_result.hpp"

namespace wc::singer {

// `inv` is parse_args' "singer" invocation. `progress`: show the live display on stderr;
// `ansi`: redraw it in place (stderr is a terminal). Returns what the sync ended with (nothing
// failed for --about, --discover and an empty selection), for the front door to report as
// `read`'s; an error that ends the run is thrown, for the front door to print as text on stderr.
commands::ReadResult run_singer(const cli::Invocation &inv, std::atomic<bool> &cancelled,
                                bool progress, bool ansi);

} // namespace wc::singer
