#include "woocommerce/gateway_secrets.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace wc::woo {
namespace json = boost::json;

bool setting_name_is_secret(std::string_view id) {
  std::string lower(id);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 9> kMarks{"secret",  "password",  "passwd",
                                                          "token",   "api_key",   "apikey",
                                                          "private", "signature", "credential"};
  for (auto mark : kMarks) {
    if (lower.find(mark) != std::string::npos) {
      return true;
    }
  }
  // "*_key" settings (publishable_key is public, but the cost of masking it is nil).
  return lower.size() > 4 && lower.compare(lower.size() - 4, 4, "_key") == 0;
}

int mask_gateway_secrets(json::object &gateway) {
  auto *settings = gateway.if_contains("settings");
  if (settings == nullptr || !settings->is_object()) {
    return 0;
  }
  int masked = 0;
  for (auto &kv : settings->as_object()) {
    if (!kv.value().is_object()) {
      if (setting_name_is_secret(kv.key()) && !kv.value().is_null()) {
        kv.value() = kMask;
        ++masked;
      }
      continue;
    }
    auto &setting = kv.value().as_object();
    const auto *type = setting.if_contains("type");
    bool secret = (type != nullptr && type->is_string() && type->as_string() == "password") ||
                  setting_name_is_secret(kv.key());
    if (!secret) {
      continue;
    }
    for (const char *field : {"value", "default"}) {
      auto *v = setting.if_contains(field);
      if (v != nullptr && !(v->is_string() && v->as_string().empty()) && !v->is_null()) {
        *v = kMask;
        ++masked;
      }
    }
  }
  return masked;
}

} // namespace wc::woo
