#pragma once
// The catalogue in the unified model: WooCommerce products -> unified products, variations ->
// unified product variants, inventory items -> unified inventory levels (one location: default).
// Trashed records and tombstones become tombstones.
#include <boost/json/object.hpp>

#include "unified/context.hpp"

namespace wc::unified {

inline constexpr const char *kDefaultLocation = "default";

boost::json::object map_product(const boost::json::object &woo, const Context &ctx);
boost::json::object map_variant(const boost::json::object &woo, const Context &ctx);
boost::json::object map_inventory_level(const boost::json::object &woo, const Context &ctx);

} // namespace wc::unified
