// Fuzz target: a WooCommerce response body (untrusted bytes from the network) through
// wc::woo::parse_json_body and the helpers that describe bad bodies. The first byte picks the
// HTTP status, the second the Content-Type; the rest is the body. wc::Error is the expected
// outcome for a bad body; no registered secret may appear in any text produced.
#include <array>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/error.hpp"
#include "core/redact.hpp"
#include "fuzz/fuzz_input.hpp"
#include "woocommerce/response_body.hpp"

namespace {

constexpr std::string_view kSecret = "cs_fuzzsecret0123456789";

constexpr std::array<int, 10> kStatuses{200, 201, 204, 301, 400, 401, 403, 404, 500, 503};
constexpr std::array<std::string_view, 4> kTypes{"application/json; charset=UTF-8",
                                                 "text/html; charset=UTF-8", "text/plain", ""};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  wc::register_secret(kSecret);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using wc::fuzz::check;
  wc::http::Response response;
  response.status = size > 0 ? kStatuses[data[0] % kStatuses.size()] : 200;
  std::string_view type = size > 1 ? kTypes[data[1] % kTypes.size()] : kTypes[0];
  if (!type.empty()) {
    response.headers.emplace_back("Content-Type", std::string(type));
  }
  std::string_view body = wc::fuzz::as_text(data, size);
  body.remove_prefix(std::min<std::size_t>(2, body.size()));
  response.body = std::string(body);

  int warnings = 0;
  try {
    boost::json::value v =
        wc::woo::parse_json_body(response, "fuzz", [&](std::string_view) { ++warnings; });
    (void)boost::json::serialize(v);
  } catch (const wc::Error &e) {
    check(!wc::contains_secret(e.what()), "parse_json_body error text carries the secret");
  }
  check(warnings <= 1, "parse_json_body warned more than once");
  (void)wc::woo::body_needs_retry(response);
  (void)wc::woo::looks_like_html(response.body);
  (void)wc::woo::error_code(response);
  std::string described = wc::woo::describe_error_body(response); // documented: never throws
  check(!wc::contains_secret(described), "describe_error_body carries the secret");
  return 0;
}
