// Fuzz target: the store's public route index (GET /wp-json/wc/v3), untrusted JSON, through
// wc::woo::parse_route_index.
#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "fuzz/fuzz_input.hpp"
#include "woocommerce/store_capabilities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(wc::fuzz::as_text(data, size), ec);
  if (ec) {
    return 0;
  }
  try {
    wc::woo::RouteIndex index = wc::woo::parse_route_index(v);
    wc::fuzz::check(index.loaded || index.routes.empty(), "routes found in an unloaded index");
    wc::fuzz::check(!index.loaded || index.has("/orders") == (index.routes.count("/orders") > 0),
                    "has() disagrees with the route set");
  } catch (const wc::Error &) {
  }
  return 0;
}
