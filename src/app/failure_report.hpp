#pragma once
// The one place that turns an error escaping a command into output and an exit code. Each
// command's output mode says how its users read errors: Airbyte TRACE messages on stdout, or text
// for people on stderr (Singer mode, the webhook operator commands, the receiver's log).
#include <exception>
#include <string>

#include "cli/invocation.hpp"
#include "commands/read_result.hpp"
#include "protocol/message_writer.hpp"

namespace wc::app {

enum class ErrorOutput {
  kTrace,       // an Airbyte TRACE error on `out` (spec, check, discover, read)
  kSingerText,  // "ERROR [failure_type] message" on stderr: stdout is Singer's
  kCommandText, // "webhooks <subcommand> failed: message" on stderr
  kServeLog,    // an ERROR line of the receiver's log on stderr
};

// `error` is what the command threw: a cli::UsageError (exit 2, the command's usage on stderr),
// a wc::Error or any other exception (exit 1). Everything printed goes through wc::redact().
int report_failure(std::exception_ptr error, const cli::Invocation &inv, ErrorOutput mode,
                   protocol::MessageSink &out);

// The end of a read (Airbyte or Singer): 0 when every stream completed; else 1 and the final
// error in the command's output mode: the failed streams (config_error when any of them failed on
// its config, else the first failure's type), or the interruption (transient_error).
int report_read_result(const commands::ReadResult &result, const cli::Invocation &inv,
                       ErrorOutput mode, protocol::MessageSink &out);

} // namespace wc::app
