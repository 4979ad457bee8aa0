#include "core/embedded_files.hpp"

namespace wc {

std::optional<std::string_view> embedded_file(std::string_view path) {
  for (const EmbeddedFile *f = embedded_files(); f->path != nullptr; ++f) {
    if (path == f->path) {
      return std::string_view(f->data, f->size);
    }
  }
  return std::nullopt;
}

} // namespace wc
