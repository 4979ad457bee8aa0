#include "demo_store/records.hpp"

#include <array>

namespace wc::demo {
namespace {
constexpr std::array<std::string_view, 10> kStatusNames{
    "pending",  "processing", "on-hold", "completed",      "cancelled",
    "refunded", "failed",     "trash",   "checkout-draft", "awaiting-shipment"};
}

std::string_view to_string(OrderStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }

bool parse_order_status(std::string_view s, OrderStatus &out) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == s) {
      out = static_cast<OrderStatus>(i);
      return true;
    }
  }
  return false;
}

} // namespace wc::demo
