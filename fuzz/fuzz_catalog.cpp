// Fuzz target: the configured catalog given to `read`, through wc::parse_json_or_yaml and
// wc::catalog::parse_configured_catalog. wc::Error is the expected outcome for bad input.
#include <string>

#include "catalog/configured_catalog.hpp"
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "fuzz/fuzz_input.hpp"
#include "fuzz/utf8_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  try {
    boost::json::value v = wc::parse_json_or_yaml(wc::fuzz::as_text(data, size), "catalog file");
    wc::fuzz::check(wc::fuzz::all_utf8(v), "the parsed catalog holds invalid UTF-8");
    auto streams = wc::catalog::parse_configured_catalog(v, [](const std::string &) {});
    for (const auto &s : streams) {
      wc::fuzz::check(s.definition != nullptr, "a configured stream has no definition");
    }
  } catch (const wc::Error &) {
  }
  return 0;
}
