#pragma once
// A WooCommerce coupon -> a unified discount (percent -> percentage, fixed_cart -> fixed_order,
// fixed_product -> fixed_item, others -> other). WooCommerce writes "0.00" for "no minimum" and
// "no maximum": those are null. A trashed coupon or a tombstone becomes a tombstone.
#include <boost/json/object.hpp>

#include "unified/context.hpp"

namespace wc::unified {

boost::json::object map_discount(const boost::json::object &woo, const Context &ctx);

} // namespace wc::unified
