#pragma once
// Reference data a WooCommerce 10.x store serves (GET /data/continents, /data/currencies,
// /reports): a subset of the real lists, in the real shapes.
#include <string>

#include "demo_store/store.hpp"

namespace wc::demo {

// Fills d.continents, d.currencies and d.reports; api = ".../wp-json/wc/v3".
void generate_reference_data(StoreData &d, const std::string &api);

} // namespace wc::demo
