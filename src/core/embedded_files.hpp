#pragma once
// Data files compiled into the binary (catalog/streams.yaml, catalog/schemas/*.json,
// spec/spec.json), so the executable needs nothing beside it at run time.
#include <cstddef>
#include <optional>
#include <string_view>

namespace wc {

struct EmbeddedFile {
  const char *path; // relative to the project root, e.g. "catalog/schemas/orders.json"
  const char *data;
  std::size_t size;
};

const EmbeddedFile *embedded_files();
std::optional<std::string_view> embedded_file(std::string_view path);

} // namespace wc
