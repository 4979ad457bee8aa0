#pragma once
// The real store's webhook deliveries (tests/data/webhook-deliveries.raw.jsonl), for the webhook
// tests: path, headers and the raw body exactly as sent. The webhooks' secret was kSecret.
#include <boost/json/parse.hpp>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace wc::webhook::testing {

inline constexpr const char *kVectorSecret = "realwc-webhook-secret";

struct RawDelivery {
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(const std::string &name) const {
    for (const auto &[k, v] : headers) {
      if (k == name) {
        return v;
      }
    }
    return "";
  }
  std::string signature() const { return header("X-WC-Webhook-Signature"); } // "" for pings
};

inline std::vector<RawDelivery> load_vectors() {
  std::ifstream in(std::string(WCC_TEST_DATA) + "/webhook-deliveries.raw.jsonl");
  std::vector<RawDelivery> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    auto v = boost::json::parse(line).as_object();
    RawDelivery d;
    d.path = std::string(v.at("path").as_string());
    d.body = std::string(v.at("body").as_string());
    for (const auto &[k, val] : v.at("headers").as_object()) {
      d.headers.emplace_back(std::string(k), std::string(val.as_string()));
    }
    out.push_back(std::move(d));
  }
  return out;
}

} // namespace wc::webhook::testing
