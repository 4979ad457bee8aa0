#include "demo_store/reference_data.hpp"

#include <cctype>

namespace wc::demo {
namespace json = boost::json;
namespace {

struct Country {
  const char *code, *name, *currency, *currency_pos, *decimal_sep, *thousand_sep;
  int decimals;
  const char *dimension_unit, *weight_unit;
  std::initializer_list<std::pair<const char *, const char *>> states;
};

json::object links(const std::string &self, const std::string &collection) {
  return {{"self", json::array{{{"href", self}, {"targetHints", {{"allow", json::array{"GET"}}}}}}},
          {"collection", json::array{{{"href", collection}}}}};
}

std::string lower(std::string s) {
  for (auto &c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

} // namespace

void generate_reference_data(StoreData &d, const std::string &api) {
  struct Continent {
    const char *code, *name;
    std::initializer_list<Country> countries;
  };
  // State codes repeat across countries (e.g. "CA" is a US state and a country; "WA" a US and an
  // Australian state), which is why a state is keyed by country and state code together.
  const std::initializer_list<Continent> continents = {
      {"AF",
       "Africa",
       {{"ZA",
         "South Africa",
         "ZAR",
         "left",
         ",",
         " ",
         2,
         "cm",
         "kg",
         {{"EC", "Eastern Cape"}, {"GP", "Gauteng"}, {"WC", "Western Cape"}}}}},
      {"AN", "Antarctica", {{"AQ", "Antarctica", "", "", "", "", 0, "", "", {}}}},
      {"AS",
       "Asia",
       {{"JP",
         "Japan",
         "JPY",
         "left",
         ".",
         ",",
         0,
         "cm",
         "kg",
         {{"JP01", "Hokkaido"}, {"JP13", "Tokyo"}}}}},
      {"EU",
       "Europe",
       {{"DE",
         "Germany",
         "EUR",
         "right_space",
         ",",
         ".",
         2,
         "cm",
         "kg",
         {{"DE-BE", "Berlin"}, {"DE-BY", "Bavaria"}}},
        {"FR", "France", "EUR", "right_space", ",", " ", 2, "cm", "kg", {}}}},
      {"NA",
       "North America",
       {{"CA",
         "Canada",
         "CAD",
         "left",
         ".",
         ",",
         2,
         "cm",
         "kg",
         {{"BC", "British Columbia"}, {"ON", "Ontario"}}},
        {"US",
         "United States (US)",
         "USD",
         "left",
         ".",
         ",",
         2,
         "in",
         "lbs",
         {{"CA", "California"}, {"NY", "New York"}, {"WA", "Washington"}}}}},
      {"OC",
       "Oceania",
       {{"AU",
         "Australia",
         "AUD",
         "left",
         ".",
         ",",
         2,
         "cm",
         "kg",
         {{"NSW", "New South Wales"}, {"WA", "Western Australia"}}}}},
      {"SA",
       "South America",
       {{"BR",
         "Brazil",
         "BRL",
         "left",
         ",",
         ".",
         2,
         "cm",
         "kg",
         {{"SP", "São Paulo"}, {"RJ", "Rio de Janeiro"}}}}},
  };
  for (const auto &c : continents) {
    json::array countries;
    for (const auto &k : c.countries) {
      json::array states;
      for (const auto &[code, name] : k.states) {
        states.push_back({{"code", code}, {"name", name}});
      }
      countries.push_back({{"code", k.code},
                           {"currency_code", k.currency},
                           {"currency_pos", k.currency_pos},
                           {"decimal_sep", k.decimal_sep},
                           {"dimension_unit", k.dimension_unit},
                           {"name", k.name},
                           {"num_decimals", k.decimals},
                           {"states", std::move(states)},
                           {"thousand_sep", k.thousand_sep},
                           {"weight_unit", k.weight_unit}});
    }
    d.continents.push_back(
        {{"code", c.code},
         {"name", c.name},
         {"countries", std::move(countries)},
         {"_links", links(api + "/data/continents/" + lower(c.code), api + "/data/continents")}});
  }
  for (const auto &[code, name, symbol] :
       std::initializer_list<std::tuple<const char *, const char *, const char *>>{
           {"AUD", "Australian dollar", "&#36;"},
           {"BRL", "Brazilian real", "&#82;&#36;"},
           {"CAD", "Canadian dollar", "&#36;"},
           {"EUR", "Euro", "&euro;"},
           {"JPY", "Japanese yen", "&yen;"},
           {"USD", "United States (US) dollar", "&#36;"},
           {"ZAR", "South African rand", "&#82;"}}) {
    d.currencies.push_back(
        {{"code", code},
         {"name", name},
         {"symbol", symbol},
         {"_links", links(api + "/data/currencies/" + code, api + "/data/currencies")}});
  }
  for (const auto &[slug, description] :
       std::initializer_list<std::pair<const char *, const char *>>{
           {"sales", "List of sales reports."},
           {"top_sellers", "List of top sellers products."},
           {"orders/totals", "Orders totals."},
           {"products/totals", "Products totals."},
           {"customers/totals", "Customers totals."},
           {"coupons/totals", "Coupons totals."},
           {"reviews/totals", "Reviews totals."}}) {
    d.reports.push_back({{"slug", slug},
                         {"description", description},
                         {"_links", links(api + "/reports/" + slug, api + "/reports")}});
  }
}

} // namespace wc::demo
