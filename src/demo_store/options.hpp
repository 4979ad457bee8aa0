#pragma once
// Command-line options of woo-demo-store.
#include <cstdint>
#include <string>
#include <vector>

namespace wc::demo {

struct Options {
  std::string host = "127.0.0.1";
  int http_port = 0;
  int https_port = 0;
  std::uint64_t seed = 42;
  int orders = 300;
  int products = 60;
  int customers = 80;
  int coupons = 12;
  int bulk_second = 0;
  std::string ready_file;
  std::string ca_out;
  int threads = 16;
  int latency_ms = 0;
  bool plain_permalinks = false;
  bool strip_auth_header = false;
  bool strip_route_args = false; // the route index without argument lists (as some caches serve it)
  std::string wc_version = "10.3.0";
  std::string base_path; // "" or "/shop"
  std::string key = "ck_demo_key";
  std::string secret = "cs_demo_secret";
  bool gzip = false;
  int rate_requests = 0;
  int rate_window_seconds = 0;
  double fault_rate = 0.0;
  std::vector<std::string> fault_kinds;
};

// Parses argv; throws std::invalid_argument with a usage hint on bad input.
Options parse_options(int argc, char **argv);
std::string usage();

// "X.Y.Z" compared numerically: version_at_least("5.10.0", "5.8") is true.
bool version_at_least(const std::string &version, const std::string &minimum);

} // namespace wc::demo
