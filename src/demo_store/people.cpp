#include "demo_store/people.hpp"

#include <array>
#include <random>

namespace wc::demo {
namespace {

constexpr std::array<const char *, 24> kFirst{
    "Aaron", "Mei",   "Kelly", "Olivia", "Mason",  "Anke",   "Edward", "Melissa",
    "Noah",  "Sofia", "Liam",  "Emma",   "Lucas",  "Hannah", "Jonas",  "Chloe",
    "Omar",  "Priya", "Diego", "Yuki",   "Fatima", "Lars",   "Ines",   "Tomasz"};
constexpr std::array<const char *, 20> kLast{"Green",  "Price",   "Morales", "Reed",     "Cox",
                                             "Reyes",  "Schmidt", "Nguyen",  "Kowalski", "Rossi",
                                             "Silva",  "Jensen",  "Okafor",  "Tanaka",   "Müller",
                                             "Dubois", "Garcia",  "Smith",   "Brown",    "Novak"};
constexpr std::array<const char *, 8> kStreet{"Elm St",   "Pine St",   "Oak Ave", "Maple Rd",
                                              "Cedar Ln", "Birch Way", "Lake Dr", "Hill St"};
struct City {
  const char *city, *state, *postcode_prefix, *country;
};
constexpr std::array<City, 8> kCities{{{"Phoenix", "AZ", "850", "US"},
                                       {"Los Angeles", "CA", "900", "US"},
                                       {"Seattle", "WA", "981", "US"},
                                       {"Austin", "TX", "787", "US"},
                                       {"Berlin", "BE", "101", "DE"},
                                       {"Hamburg", "HH", "204", "DE"},
                                       {"Denver", "CO", "802", "US"},
                                       {"Portland", "OR", "972", "US"}}};

} // namespace

Person person_for(std::uint64_t key) {
  std::mt19937_64 rng(key * 0x9E3779B97F4A7C15ULL + 17);
  Person p;
  p.first_name = kFirst[rng() % kFirst.size()];
  p.last_name = kLast[rng() % kLast.size()];
  const City &c = kCities[rng() % kCities.size()];
  p.address_1 = std::to_string(100 + rng() % 9800) + " " + kStreet[rng() % kStreet.size()];
  p.city = c.city;
  p.state = c.state;
  p.postcode = std::string(c.postcode_prefix) + std::to_string(10 + rng() % 89);
  p.country = c.country;
  p.company = (rng() % 10 == 0) ? p.last_name + " GmbH" : "";
  std::string lower_first, lower_last;
  for (char ch : p.first_name) {
    lower_first += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  for (char ch : p.last_name) {
    lower_last += (static_cast<unsigned char>(ch) < 128)
                      ? static_cast<char>(std::tolower(static_cast<unsigned char>(ch)))
                      : 'u';
  }
  std::string num = std::to_string(key % 10000);
  lower_last.erase(
      std::remove_if(lower_last.begin(), lower_last.end(),
                     [](char ch) { return !std::isalpha(static_cast<unsigned char>(ch)); }),
      lower_last.end());
  p.email = lower_first + "." + lower_last + num + "@example.org";
  p.phone =
      "+1-555-" + std::to_string(100 + rng() % 900) + "-" + std::to_string(1000 + rng() % 9000);
  p.username = lower_first + lower_last + num;
  return p;
}

boost::json::object billing_json(const Person &p) {
  return {{"first_name", p.first_name}, {"last_name", p.last_name}, {"company", p.company},
          {"address_1", p.address_1},   {"address_2", p.address_2}, {"city", p.city},
          {"state", p.state},           {"postcode", p.postcode},   {"country", p.country},
          {"email", p.email},           {"phone", p.phone}};
}

boost::json::object shipping_json(const Person &p) {
  return {{"first_name", p.first_name}, {"last_name", p.last_name},
          {"company", p.company},       {"address_1", p.address_1},
          {"address_2", p.address_2},   {"city", p.city},
          {"state", p.state},           {"postcode", p.postcode},
          {"country", p.country},       {"phone", ""}};
}

} // namespace wc::demo
