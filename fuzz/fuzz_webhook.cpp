// Fuzz target: a webhook delivery (untrusted bytes from the network). The input is split at
// newlines into secret, signature header, topic and raw body; the signature check and the
// event mapper must never crash, and a signature we compute must verify.
#include <boost/json/parse.hpp>

#include "fuzz/fuzz_input.hpp"
#include "webhook/event_mapper.hpp"
#include "webhook/signature.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using wc::fuzz::check;
  auto f = wc::fuzz::split_fields(wc::fuzz::as_text(data, size), '\n', 4);
  const std::string_view secret = f[0], header = f[1], topic = f[2], body = f[3];

  bool ok = wc::webhook::verify_signature(body, header, secret);
  check(!ok || (!secret.empty() && !header.empty()), "an empty secret or header verified");
  (void)wc::webhook::decode_wp_secret(secret);
  if (!secret.empty()) {
    std::string sig = wc::webhook::compute_signature(body, secret);
    check(wc::webhook::verify_signature(body, sig, secret), "our own signature does not verify");
  }

  std::string_view resource = wc::webhook::topic_resource(topic);
  std::string_view event = wc::webhook::topic_event(topic);
  (void)wc::webhook::stream_for_resource(resource);
  auto rec = wc::webhook::map_delivery(resource, event, body, 1700000000123);
  if (rec) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(rec->record_json, ec);
    check(!ec && v.is_object(), "a mapped record is not a JSON object");
    check(rec->id > 0 && !rec->stream.empty(), "a mapped record has no id or stream");
  }
  return 0;
}
