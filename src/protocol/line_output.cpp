#include "protocol/line_output.hpp"

#include "core/redact.hpp"

namespace wc::protocol {

void write_redacted_line(std::FILE *out, std::string &line, bool flush) {
  if (contains_secret(line)) {
    line = redact(line);
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out);
  if (flush) {
    std::fflush(out);
  }
}

} // namespace wc::protocol
