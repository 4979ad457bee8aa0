#pragma once
// A WooCommerce refund (the refunds stream: amount positive, order_id added by the reader) -> a
// unified refund. Its currency is the order's, which the refund record does not carry: null.
#include <boost/json/object.hpp>

#include "unified/context.hpp"

namespace wc::unified {

boost::json::object map_refund(const boost::json::object &woo, const Context &ctx);

} // namespace wc::unified
