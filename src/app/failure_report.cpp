#include "app/failure_report.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/redact.hpp"
#include "webhook/receiver_log.hpp"

namespace wc::app {
namespace {

void print_stderr(const std::string &text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// `from_error`: the exception was a wc::Error (its message is for people as it is).
int report(const cli::Invocation &inv, ErrorOutput mode, protocol::MessageSink &out,
           FailureType type, const std::string &what, const std::string &internal,
           bool from_error) {
  const std::string unexpected = "unexpected error: " + what;
  switch (mode) {
  case ErrorOutput::kTrace:
    out.error(type, redact(from_error ? what : unexpected), redact(internal), "");
    break;
  case ErrorOutput::kSingerText: // the form of SingerSink's error lines
    print_stderr(redact("ERROR [" + std::string(to_string(type)) + "] " +
                        (from_error ? what : unexpected) +
                        (internal.empty() ? "" : " (" + internal + ")")) +
                 "\n");
    break;
  case ErrorOutput::kCommandText:
    print_stderr(redact(inv.command + " " + inv.subcommand + " failed: " + what) + "\n");
    break;
  case ErrorOutput::kServeLog:
    webhook::log_line(webhook::LogSeverity::kError,
                      from_error ? what : inv.command + " failed: " + what);
    break;
  }
  return 1;
}

} // namespace

int report_failure(std::exception_ptr error, const cli::Invocation &inv, ErrorOutput mode,
                   protocol::MessageSink &out) {
  try {
    std::rethrow_exception(error);
  } catch (const cli::UsageError &e) {
    print_stderr(cli::usage_error_text(inv.command, redact(e.message)));
    return 2;
  } catch (const Error &e) {
    return report(inv, mode, out, e.type(), e.what(), e.internal(), true);
  } catch (const std::exception &e) {
    return report(inv, mode, out, FailureType::kSystem, e.what(), "", false);
  }
}

int report_read_result(const commands::ReadResult &result, const cli::Invocation &inv,
                       ErrorOutput mode, protocol::MessageSink &out) {
  if (!result.failed.empty()) {
    std::string list;
    FailureType type = result.failed.front().type;
    for (const auto &f : result.failed) {
      list += (list.empty() ? "" : ", ") + f.name;
      if (f.type == FailureType::kConfig) {
        type = FailureType::kConfig;
      }
    }
    return report(inv, mode, out, type,
                  "the sync did not complete: these streams failed: " + list +
                      " (see the errors above; every other stream completed)",
                  "", true);
  }
  if (result.interrupted) {
    return report(inv, mode, out, FailureType::kTransient,
                  "the sync was interrupted (SIGTERM/SIGINT)", "", true);
  }
  return 0;
}

} // namespace wc::app
