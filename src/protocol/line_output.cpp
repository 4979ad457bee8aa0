#include "protocol/line_output.hpp"

#include "core/redact.hpp"

namespace wc::protocol {

void redact_line_in(std::string &text, std::size_t from) {
  const std::string_view line = std::string_view(text).substr(from);
  if (contains_secret(line)) {
    std::string redacted = redact(line);
    text.replace(from, std::string::npos, redacted);
  }
}

void write_redacted_line(std::FILE *out, std::string &line, bool flush) {
  redact_line_in(line, 0);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out);
  if (flush) {
    std::fflush(out);
  }
}

} // namespace wc::protocol
