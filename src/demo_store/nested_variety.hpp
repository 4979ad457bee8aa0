#pragma once
// The nested lists a real store's records carry, with a real store's variety: product images
// (one attachment shared by two products), custom attributes with id 0, default attributes,
// downloads, related/upsell/cross-sell ids, meta of every JSON type on products, variations,
// customers and coupons, coupon restriction lists. Everything derives from the record's id or
// generation index (nothing more is stored per order), so a million orders stay small.
#include "demo_store/store.hpp"

#include <boost/json.hpp>

#include <cstdint>

namespace wc::demo {

// A deterministic 64-bit mix (splitmix64) of x: variety derived from an id or a seed.
std::uint64_t variety_mix(std::uint64_t x);

// Meta entries of every JSON type (string, number, boolean, null, object, list), ids
// first_id, first_id + 1, ...; `n` varies the values. `count` (1..6) entries are given.
boost::json::array meta_of_every_type(std::int64_t first_id, std::uint64_t n, int count);

// Images, a custom attribute (id 0), downloads and meta on a product generated as the n-th.
void add_product_lists(Doc &product, std::uint64_t n);
// The default attributes of a variable product: its first colour and size (lowercase slugs).
void add_default_attributes(Doc &product);
// related_ids (up to 5 published products of the same category), upsell and cross-sell ids.
// Called once all products exist.
void link_products(StoreData &d);
// Downloads and meta on the v-th variation of a product.
void add_variation_lists(Doc &variation, int v);
// Meta on a customer generated as the n-th.
void add_customer_meta(Doc &customer, std::uint64_t n);
// Restriction lists (products, categories, emails, used_by) and meta on the n-th coupon.
void add_coupon_lists(const StoreData &d, Doc &coupon, std::uint64_t n);

// related_ids in a new order on each call (WooCommerce shuffles them per request).
void shuffle_related(boost::json::object &product, std::uint64_t request_nonce);

} // namespace wc::demo
