#pragma once
// Deterministic generation of the demo store's data from a seed (std::mt19937_64, no clock).
#include "demo_store/store.hpp"

#include <cstdint>

namespace wc::demo {

struct GenOptions {
  std::uint64_t seed = 42;
  int orders = 300;
  int products = 60;
  int customers = 80;
  int coupons = 12;
  int bulk_second = 0; // extra orders sharing one date_modified_gmt second
};

// Fills an empty store. Orders' dates lie in the ~2 years before kStoreEpoch.
void generate(Store &store, const GenOptions &options);

// Factories shared with Store::create (caller holds the unique lock). `n` varies the content.
Doc make_simple_product(StoreData &d, std::uint64_t n, UnixSeconds created);
Doc make_customer(StoreData &d, std::uint64_t n, UnixSeconds created, const std::string &role);
Doc make_coupon(StoreData &d, std::uint64_t n, UnixSeconds created);

} // namespace wc::demo
