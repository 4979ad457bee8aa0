#pragma once
// Helpers shared by the fuzz targets: the raw libFuzzer bytes as text, split into fields, and a
// check that aborts (so libFuzzer reports a crash) when a property of the code under test fails.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace wc::fuzz {

inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

// Splits text at the first `count - 1` occurrences of `sep`; the last field keeps the rest.
// Always returns `count` fields (missing ones are empty).
inline std::vector<std::string_view> split_fields(std::string_view text, char sep,
                                                  std::size_t count) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < count) {
    auto pos = text.find(sep);
    if (pos == std::string_view::npos) {
      break;
    }
    out.push_back(text.substr(0, pos));
    text.remove_prefix(pos + 1);
  }
  out.push_back(text);
  out.resize(count);
  return out;
}

// A broken property is a bug: report it and abort so libFuzzer saves the input.
inline void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
  }
}

} // namespace wc::fuzz
