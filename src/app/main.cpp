// Entry point: parses argv, dispatches through the table of commands, and hands any error a
// command throws to app::report_failure, the single place that turns it into output and an exit
// code.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <malloc.h>
#include <unistd.h>

#include "app/failure_report.hpp"
#include "cli/invocation.hpp"
#include "cli/progress_sink.hpp"
#include "commands/commands.hpp"
#include "protocol/message_writer.hpp"
#include "singer/singer_command.hpp"

namespace {

std::atomic<bool> g_cancelled{false};

extern "C" void on_signal(int) { g_cancelled.store(true); }

// What a command needs from the process.
struct Process {
  wc::protocol::MessageWriter &out;
  std::atomic<bool> &cancelled;
  bool stderr_tty;
};

// `read`: its files loaded once, then the read, its messages (the final one included) through
// `out`.
int read_files(const wc::cli::Invocation &inv, wc::protocol::MessageSink &out, Process &p) {
  const auto inputs = wc::commands::load_read_inputs(
      inv, [&out](const std::string &m) { out.log(wc::protocol::LogLevel::kWarn, m); });
  return wc::app::report_read_result(wc::commands::run_read(inputs, out, p.cancelled), inv,
                                     wc::app::ErrorOutput::kTrace, out);
}

int read_with_progress(const wc::cli::Invocation &inv, Process &p) {
  if (!wc::cli::progress_wanted(inv.flags, p.stderr_tty)) {
    return read_files(inv, p.out, p);
  }
  // Live progress for people on stderr; stdout stays pure protocol.
  wc::cli::ProgressOptions options;
  options.ansi = p.stderr_tty;
  wc::cli::ProgressSink progress(p.out, stderr, options);
  progress.start();
  int rc = read_files(inv, progress, p);
  progress.finish();
  return rc;
}

// The commands, by the name parse_args gives them (their options and help text are in its table,
// cli/parse_args.cpp), with how each one's users read errors.
struct Command {
  const char *name;
  wc::app::ErrorOutput errors;
  int (*run)(const wc::cli::Invocation &inv, Process &p);
};

using wc::app::ErrorOutput;
const Command kCommands[] = {
    {"spec", ErrorOutput::kTrace,
     [](const wc::cli::Invocation &, Process &p) { return wc::commands::run_spec(p.out); }},
    {"check", ErrorOutput::kTrace,
     [](const wc::cli::Invocation &inv, Process &p) {
       return wc::commands::run_check(inv, p.out);
     }},
    {"discover", ErrorOutput::kTrace,
     [](const wc::cli::Invocation &inv, Process &p) {
       return wc::commands::run_discover(inv, p.out);
     }},
    {"read", ErrorOutput::kTrace, read_with_progress},
    {"webhooks", ErrorOutput::kCommandText,
     [](const wc::cli::Invocation &inv, Process &) { return wc::commands::run_webhooks(inv); }},
    {"serve", ErrorOutput::kServeLog,
     [](const wc::cli::Invocation &inv, Process &) { return wc::commands::run_serve(inv); }},
    // Singer mode: stdout carries only Singer messages, errors are text on stderr.
    {"singer", ErrorOutput::kSingerText,
     [](const wc::cli::Invocation &inv, Process &p) {
       const auto result = wc::singer::run_singer(
           inv, p.cancelled, wc::cli::progress_wanted(inv.flags, p.stderr_tty), p.stderr_tty);
       return wc::app::report_read_result(result, inv, ErrorOutput::kSingerText, p.out);
     }},
};

} // namespace

int main(int argc, char **argv) {
  // The read's workers (core::Executor, max_concurrency threads) allocate pages in parallel, and
  // glibc gives each its own malloc arena, keeping each arena's freed memory: with 8 workers that
  // was 5 MB more peak RSS than one thread per page ahead (bench/run, 100k 0ms: 17.7 -> 23 MB).
  // Two arenas keep memory flat; the workers mostly wait on the store, not on malloc.
  mallopt(M_ARENA_MAX, 2);
  // A page body (100 orders: ~300 KB, more once inflated from gzip) is above glibc's dynamic
  // mmap threshold until a large free raises it, and the heap's top is trimmed back to the
  // kernel after each page: so a read took from 2,000 to 60,000 page faults per 30,000 orders,
  // varying from run to run, and up to a quarter of its CPU time went to the kernel
  // (bench/run, 100k 0ms gzip). Fixed thresholds keep page bodies in the heap and reuse them:
  // about 2,000 faults every run, for ~1.5 MB more peak RSS; still flat, bounded by the
  // thresholds, not by the store's size.
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  wc::protocol::MessageWriter out(stdout);
  wc::cli::Invocation inv;
  try {
    inv = wc::cli::parse_args(args);
  } catch (...) {
    wc::cli::Invocation named; // the usage error is shown with the command's own usage
    named.command = args.empty() ? "" : args.front();
    return wc::app::report_failure(std::current_exception(), named, ErrorOutput::kTrace, out);
  }
  if (inv.version) {
    std::cout << "source-woocommerce " << WCC_VERSION << "\n";
    return 0;
  }
  if (inv.help) {
    std::cout << wc::cli::usage(inv.command);
    return 0;
  }
  Process process{out, g_cancelled, isatty(STDERR_FILENO) == 1};
  for (const auto &command : kCommands) {
    if (inv.command == command.name) {
      try {
        return command.run(inv, process);
      } catch (...) {
        return wc::app::report_failure(std::current_exception(), inv, command.errors, out);
      }
    }
  }
  std::cerr << wc::cli::usage_error_text("", "unknown command '" + inv.command + "'");
  return 2;
}
