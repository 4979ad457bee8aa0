#include "singer/singer_about.hpp"

#include <boost/json/parse.hpp>
#include <set>

#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc::singer {
namespace json = boost::json;

json::object about() {
  auto text = embedded_file("spec/spec.json");
  if (!text) {
    throw system_error("spec/spec.json is not compiled into the binary");
  }
  boost::system::error_code ec;
  json::value spec = json::parse(*text, ec);
  if (ec || !spec.is_object()) {
    throw system_error("spec/spec.json is not valid JSON");
  }
  const json::object &conn = spec.as_object().at("connectionSpecification").as_object();
  std::set<std::string> required;
  if (const auto *r = conn.if_contains("required"); r && r->is_array()) {
    for (const auto &v : r->as_array()) {
      if (v.is_string()) {
        required.emplace(v.as_string());
      }
    }
  }
  json::array settings;
  if (const auto *props = conn.if_contains("properties"); props && props->is_object()) {
    for (const auto &p : props->as_object()) {
      const json::object &d = p.value().as_object();
      json::object s{{"name", p.key()}};
      for (const char *key : {"title", "type", "description", "default", "enum", "examples"}) {
        if (const auto *v = d.if_contains(key)) {
          s[key] = *v;
        }
      }
      if (!s.contains("description") && s.contains("title")) {
        s["description"] = s["title"]; // every setting gets a text for people
      }
      s["required"] = required.count(std::string(p.key())) > 0;
      const auto *secret = d.if_contains("airbyte_secret");
      s["secret"] = secret != nullptr && secret->is_bool() && secret->as_bool();
      settings.push_back(std::move(s));
    }
  }
  return json::object{{"name", "source-woocommerce"},
                      {"version", WCC_VERSION},
                      {"description",
                       "Extracts WooCommerce store data (orders, products, customers, coupons, "
                       "refunds and 17 more streams) through the WooCommerce REST API, "
                       "incrementally, as a Singer tap or an Airbyte source."},
                      {"capabilities", json::array{"catalog", "discover", "state"}},
                      {"settings", std::move(settings)}};
}

} // namespace wc::singer
