// Fuzz target: the incoming state file through wc::parse_json_or_yaml,
// wc::state::StateStore::parse and wc::state::cursor_value for every stream it holds.
// wc::Error is the expected outcome for bad input.
#include <string>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "fuzz/fuzz_input.hpp"
#include "fuzz/utf8_check.hpp"
#include "state/state_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  try {
    boost::json::value v = wc::parse_json_or_yaml(wc::fuzz::as_text(data, size), "state file");
    wc::fuzz::check(wc::fuzz::all_utf8(v), "the parsed state holds invalid UTF-8");
    auto store = wc::state::StateStore::parse(v, [](const std::string &) {});
    for (const auto &[name, blob] : store.all()) {
      wc::fuzz::check(store.stream(name) != nullptr, "a listed stream cannot be looked up");
      for (const char *field : {"date_modified_gmt", "date_created_gmt", "date_modified"}) {
        try {
          (void)wc::state::cursor_value(blob, field, name);
        } catch (const wc::Error &) {
        }
      }
      if (!blob.empty()) {
        try {
          (void)wc::state::cursor_value(blob, std::string(blob.begin()->key()), name);
        } catch (const wc::Error &) {
        }
      }
    }
  } catch (const wc::Error &) {
  }
  return 0;
}
