#pragma once
// Writing one message line to a stream: secrets redacted, newline added, flushed on request.
// Shared by the Airbyte writer and the Singer writer (callers hold their own lock).
#include <cstdio>
#include <string>

namespace wc::protocol {

void write_redacted_line(std::FILE *out, std::string &line, bool flush);

} // namespace wc::protocol
