// Fuzz target: the user's config file (JSON or YAML) through wc::parse_config. wc::Error is the
// expected outcome for bad input; any other exception, a crash, a leak or UB is a bug.
#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "fuzz/fuzz_input.hpp"
#include "fuzz/utf8_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  try {
    wc::ConnectorConfig cfg = wc::parse_config(wc::fuzz::as_text(data, size));
    for (const std::string *text :
         {&cfg.store_url, &cfg.consumer_key, &cfg.consumer_secret, &cfg.username, &cfg.user_agent,
          &cfg.proxy_url, &cfg.webhook_journal}) {
      wc::fuzz::check(wc::fuzz::all_utf8(boost::json::value(*text)),
                      "the parsed config holds invalid UTF-8");
    }
    wc::fuzz::check(!cfg.store_url.empty(), "a parsed config has no store_url");
    wc::fuzz::check(!cfg.consumer_key.empty() && !cfg.consumer_secret.empty(),
                    "a parsed config has no credentials");
    wc::fuzz::check(cfg.per_page >= 1 && cfg.per_page <= 100, "per_page out of range");
  } catch (const wc::Error &) {
  }
  wc::clear_secrets(); // parse_config registers every secret process-wide
  return 0;
}
