#pragma once
// One address shape for every unified stream (billing and shipping, orders and customers):
// first_name, last_name, company, line1, line2, city, region, postal_code, country, email, phone.
#include <boost/json/value.hpp>

namespace wc::unified {

// WooCommerce's billing or shipping object in the unified shape; null when absent, not an
// object, or without any non-empty field (PHP's empty object, a guest without address).
boost::json::value address_of(const boost::json::value *woo_address);

} // namespace wc::unified
