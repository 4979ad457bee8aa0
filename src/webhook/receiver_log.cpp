#include "webhook/receiver_log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/redact.hpp"
#include "core/time_util.hpp"

namespace wc::webhook {
namespace {

std::atomic<int> g_threshold{static_cast<int>(LogSeverity::kInfo)};

std::string_view name(LogSeverity s) {
  switch (s) {
  case LogSeverity::kDebug:
    return "DEBUG";
  case LogSeverity::kInfo:
    return "INFO";
  case LogSeverity::kWarn:
    return "WARN";
  case LogSeverity::kError:
    return "ERROR";
  }
  return "INFO";
}

} // namespace

void set_log_threshold(LogSeverity severity) { g_threshold = static_cast<int>(severity); }

void log_line(LogSeverity severity, std::string_view message) {
  if (static_cast<int>(severity) < g_threshold.load()) {
    return;
  }
  static std::mutex mu;
  std::string line = format_rfc3339(now_millis() / 1000);
  line += ' ';
  line += name(severity);
  line += ' ';
  line += redact(message);
  for (char &c : line) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  line += '\n';
  std::lock_guard lock(mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

} // namespace wc::webhook
