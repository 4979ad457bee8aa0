#pragma once
// What every unified mapping needs besides the record: the platform and store of every key, and
// the config's mapping of custom order statuses (docs/unified.md).
#include <functional>
#include <map>
#include <string>

#include "config/connector_config.hpp"

namespace wc::unified {

inline constexpr const char *kPlatform = "woocommerce";

struct Context {
  std::string platform = kPlatform;
  std::string store_id;
  // custom status (lower-case, without wc-) -> unified order status (open, completed, ...)
  std::map<std::string, std::string, std::less<>> status_map;
  // Told once per field when a value cannot take its type (the record still goes out).
  std::function<void(const std::string &field, const std::string &why)> warn;
};

// The context of a config: store_id and unified_status_map (whose keys may not be WooCommerce's
// own statuses, which keep the decision table's mapping: a config_error says so).
Context context_from(const ConnectorConfig &cfg);

} // namespace wc::unified
