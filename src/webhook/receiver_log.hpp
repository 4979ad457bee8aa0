#pragma once
// Human log lines of the webhook commands on stderr ("2026-11-29T01:07:22Z WARN message"), every
// line passed through wc::redact(). Not Airbyte protocol: serve and webhooks are operator tools.
#include <string_view>

namespace wc::webhook {

enum class LogSeverity { kDebug, kInfo, kWarn, kError };

void log_line(LogSeverity severity, std::string_view message);
// Lines below this severity are dropped (default kInfo).
void set_log_threshold(LogSeverity severity);

} // namespace wc::webhook
