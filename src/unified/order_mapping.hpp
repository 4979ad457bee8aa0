#pragma once
// A WooCommerce order -> a unified order and its unified order lines (docs/unified.md, "Orders").
// Money is exact decimal text (relational::Decimal): subtotal is the sum of the lines'
// subtotals (WooCommerce has no order-level subtotal), fee_total the sum of the fee lines,
// refunded_total minus the sum of refunds[].total (sent negative), net_total total - refunded.
// A trashed order (status trash) or a tombstone (_ab_cdc_deleted_at) becomes an order tombstone
// and no lines.
#include <boost/json/object.hpp>
#include <vector>

#include "unified/context.hpp"

namespace wc::unified {

struct MappedOrder {
  boost::json::object order;
  std::vector<boost::json::object> lines; // empty for a tombstone
  bool tombstone = false;
};

MappedOrder map_order(const boost::json::object &woo, const Context &ctx);

// The unified customer reference of an order: ("<customer id>", "registered"), ("guest-…",
// "guest") from the billing email, or (null, null) for a guest order without an email.
std::pair<boost::json::value, boost::json::value> customer_reference(const boost::json::object &woo,
                                                                     const Context &ctx);

} // namespace wc::unified
