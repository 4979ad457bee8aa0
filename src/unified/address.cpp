#include "unified/address.hpp"

#include <array>
#include <utility>

#include "unified/values.hpp"

namespace wc::unified {
namespace json = boost::json;

boost::json::value address_of(const json::value *a) {
  if (a == nullptr || !a->is_object()) {
    return nullptr;
  }
  // unified field <- WooCommerce field
  static constexpr std::array<std::pair<const char *, const char *>, 11> kFields{{
      {"first_name", "first_name"},
      {"last_name", "last_name"},
      {"company", "company"},
      {"line1", "address_1"},
      {"line2", "address_2"},
      {"city", "city"},
      {"region", "state"},
      {"postal_code", "postcode"},
      {"country", "country"},
      {"email", "email"},
      {"phone", "phone"},
  }};
  json::object out;
  bool any = false;
  for (const auto &[to, from] : kFields) {
    json::value v = text(a->as_object(), from);
    any = any || !v.is_null();
    out[to] = std::move(v);
  }
  return any ? json::value(std::move(out)) : json::value(nullptr);
}

} // namespace wc::unified
