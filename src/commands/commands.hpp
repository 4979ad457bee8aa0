#pragma once
// One function per command. Each takes the parsed invocation or inputs (and, for the Airbyte
// verbs, the sink), returns an exit code or, for read, its result, and leaves process concerns
// (signals, turning an error or a result into output and an exit code, exiting) to app/. Usage
// problems found late throw cli::UsageError.
#include <atomic>

#include "cli/invocation.hpp"
#include "commands/read_inputs.hpp"
#include "commands/read_result.hpp"
#include "protocol/message_writer.hpp"

namespace wc::commands {

int run_spec(protocol::MessageSink &out);
int run_check(const cli::Invocation &inv, protocol::MessageSink &out);
int run_discover(const cli::Invocation &inv, protocol::MessageSink &out);
// `read` on inputs parsed once (load_read_inputs, or Singer mode's own): the caller chooses the
// sink (Airbyte messages, Singer messages, progress on top). Returns the failed streams and
// whether it was interrupted, for app::report_read_result.
ReadResult run_read(const ReadInputs &in, protocol::MessageSink &out, std::atomic<bool> &cancelled);

// `webhooks register|list|delete --config FILE [--delivery-url URL] [--topics LIST] [--json]`:
// manages this connector's subscriptions (named "source-woocommerce: <topic>") through
// /wc/v3/webhooks. Output for people on stdout, warnings on stderr; secrets never printed.
int run_webhooks(const cli::Invocation &inv);
// `serve --config FILE --listen HOST:PORT --journal PATH [--retention-days N]
//   [--tls-certificate F --tls-private-key F] [--max-body-bytes N] [--verbose]`: runs the webhook
// receiver until SIGTERM/SIGINT, then stops cleanly (server stopped, journal flushed, clean stop
// recorded). Log lines for people on stderr.
int run_serve(const cli::Invocation &inv);

} // namespace wc::commands
