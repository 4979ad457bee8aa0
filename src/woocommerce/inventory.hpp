#pragma once
// The derived `inventory` stream: one record per sellable item, each simple product and each
// variation of a variable product (trashed ones excluded).
//
// Stock inheritance, as WooCommerce implements it (WC_Product_Variation::get_manage_stock and
// the v3 variations controller, which reports managing_stock()): a variation whose own
// "Manage stock?" box is off but whose parent manages stock reports manage_stock = "parent" and
// draws from the parent's stock pool: its effective stock_quantity, backorders and
// low_stock_amount are the parent's. manage_stock true = its own pool; false with a parent that
// does not manage stock = no stock tracking (only stock_status applies).
#include <boost/json/object.hpp>

#include "source/stream_reader.hpp"

namespace wc::woo {

// One inventory record for a simple product (variation == nullptr) or a variation.
boost::json::object inventory_record(const boost::json::object &product,
                                     const boost::json::object *variation);
void read_inventory(source::ReadContext &ctx, const source::StreamRequest &stream,
                    const boost::json::object *incoming_state);

} // namespace wc::woo
