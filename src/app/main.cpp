// Entry point: parses argv, dispatches to the command, and is the single place that turns an
// error into a TRACE message and an exit code.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "cli/invocation.hpp"
#include "cli/progress_sink.hpp"
#include "commands/commands.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "protocol/message_writer.hpp"
#include "singer/singer_command.hpp"
#include "webhook/serve_command.hpp"
#include "webhook/webhooks_command.hpp"

namespace {

std::atomic<bool> g_cancelled{false};

extern "C" void on_signal(int) { g_cancelled.store(true); }

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  wc::protocol::MessageWriter out(stdout);
  wc::cli::Invocation inv;
  try {
    inv = wc::cli::parse_args(args);
  } catch (const wc::cli::UsageError &e) {
    std::cerr << "source-woocommerce: " << e.message << "\n\n" << wc::cli::usage();
    return 2;
  }
  if (inv.version) {
    std::cout << "source-woocommerce " << WCC_VERSION << "\n";
    return 0;
  }
  if (inv.help) {
    std::cout << wc::cli::usage();
    return 0;
  }
  const bool stderr_tty = isatty(STDERR_FILENO) == 1;
  if (inv.command == "singer") {
    // Singer mode reports its own errors on stderr: stdout carries only Singer messages.
    return wc::singer::run_singer(inv, g_cancelled, wc::cli::progress_wanted(inv.flags, stderr_tty),
                                  stderr_tty);
  }
  try {
    if (inv.command == "webhooks") {
      return wc::webhook::run_webhooks_command(inv.rest);
    }
    if (inv.command == "serve") {
      return wc::webhook::run_serve_command(inv.rest);
    }
    if (inv.command == "spec") {
      return wc::commands::run_spec(out);
    }
    if (inv.command == "check") {
      return wc::commands::run_check(inv, out);
    }
    if (inv.command == "discover") {
      return wc::commands::run_discover(inv, out);
    }
    if (inv.command == "read") {
      if (!wc::cli::progress_wanted(inv.flags, stderr_tty)) {
        return wc::commands::run_read(inv, out, g_cancelled);
      }
      // Live progress for people on stderr; stdout stays pure protocol.
      wc::cli::ProgressOptions options;
      options.ansi = stderr_tty;
      wc::cli::ProgressSink progress(out, stderr, options);
      progress.start();
      int rc = wc::commands::run_read(inv, progress, g_cancelled);
      progress.finish();
      return rc;
    }
    std::cerr << "source-woocommerce: unknown command '" << inv.command << "'\n\n"
              << wc::cli::usage();
    return 2;
  } catch (const wc::Error &e) {
    out.error(e.type(), wc::redact(e.what()), wc::redact(e.internal()), "");
    return 1;
  } catch (const std::exception &e) {
    out.error(wc::FailureType::kSystem, wc::redact(std::string("unexpected error: ") + e.what()),
              "", "");
    return 1;
  }
}
