#pragma once
// Unified customers: a registered WooCommerce customer, or a guest known only from an order
// (customer_id 0), keyed by guest_id(store_id, normalized billing email) (guest_id.hpp).
#include <boost/json/object.hpp>
#include <optional>

#include "unified/context.hpp"

namespace wc::unified {

boost::json::object map_customer(const boost::json::object &woo_customer, const Context &ctx);

// The guest customer an order mentions; nullopt for a registered customer's order, a tombstone,
// or a guest order without a usable email.
std::optional<boost::json::object> guest_from_order(const boost::json::object &woo_order,
                                                    const Context &ctx);

} // namespace wc::unified
