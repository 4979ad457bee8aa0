#pragma once
// Writing one message line to a stream: secrets redacted, newline added, flushed on request.
// Shared by the Airbyte writer and the Singer writer (callers hold their own lock).
#include <cstddef>
#include <cstdio>
#include <string>

namespace wc::protocol {

void write_redacted_line(std::FILE *out, std::string &line, bool flush);
// Redacts, in place, the line that makes up the end of `text` from `from` on (`text` gathers
// lines to write at once): the check write_redacted_line makes on a line of its own.
void redact_line_in(std::string &text, std::size_t from);

} // namespace wc::protocol
