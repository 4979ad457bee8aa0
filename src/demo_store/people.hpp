#pragma once
// Deterministic fake people and addresses (example.org e-mails, 555 phone numbers, 192.0.2.x
// IPs): the same key always gives the same person, so orders and customers agree.
#include <boost/json.hpp>

#include <cstdint>
#include <string>

namespace wc::demo {

struct Person {
  std::string first_name, last_name, company, address_1, address_2, city, state, postcode, country,
      email, phone, username;
};

Person person_for(std::uint64_t key);
// WooCommerce billing (with email, phone) or shipping (phone only) address object.
boost::json::object billing_json(const Person &p);
boost::json::object shipping_json(const Person &p);

} // namespace wc::demo
