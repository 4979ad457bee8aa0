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
  // API keys on ?rest_route= URLs: "legacy" (default) as WooCommerce 10.0.x, which authenticates
  // keys only when the raw request URI contains "wp-json/wc/" (so a bare ?rest_route= request is
  // anonymous, and one more parameter holding /wp-json/wc/... makes it work); "modern" as newer
  // WooCommerce, which reads rest_route itself.
  std::string rest_route_auth = "legacy";
  // WordPress application passwords (HTTP Basic user:password on every REST route). The user
  // is an administrator; "demo-customer" (password kDemoCustomerAppPassword) has no shop rights.
  std::string app_user = "demo-admin";
  std::string app_password = "Demo Appl Pass 2024 Wooc Test";
  bool app_passwords = true;                 // false: disabled, as by a security plugin
  std::string wp_environment = "production"; // "local": application passwords over plain HTTP
  bool gzip = false;
  int rate_requests = 0;
  int rate_window_seconds = 0;
  double fault_rate = 0.0;
  std::vector<std::string> fault_kinds;
};

// The application password of "demo-customer", a logged-in user without WooCommerce rights.
inline constexpr const char *kDemoCustomerUser = "demo-customer";
inline constexpr const char *kDemoCustomerAppPassword = "Cust Omer Appl Pass 0000 0001";

// Parses argv; throws std::invalid_argument with a usage hint on bad input.
Options parse_options(int argc, char **argv);
std::string usage();

// "X.Y.Z" compared numerically: version_at_least("5.10.0", "5.8") is true.
bool version_at_least(const std::string &version, const std::string &minimum);

} // namespace wc::demo
