#pragma once
// Record types held by the demo store. Orders are compact (a million fit in memory) and are
// rendered to JSON on demand; the small catalogues are kept as ready JSON bodies (Doc).
#include "demo_store/wc_time.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wc::demo {

enum class OrderStatus : std::uint8_t {
  kPending,
  kProcessing,
  kOnHold,
  kCompleted,
  kCancelled,
  kRefunded,
  kFailed,
  kTrash,
  // Not among the generated statuses; set by POST /__control/set_status (unified streams' tests):
  kCheckoutDraft,    // the block checkout's draft
  kAwaitingShipment, // a plugin's custom status (wc-awaiting-shipment)
};
std::string_view to_string(OrderStatus s);
bool parse_order_status(std::string_view s, OrderStatus &out);

struct Order {
  std::uint32_t id = 0;
  std::uint32_t customer_id = 0; // 0 = guest
  std::uint32_t seed = 0;        // drives the rendered details (items, addresses...)
  std::uint32_t first_note_id = 0;
  UnixSeconds created = 0;
  UnixSeconds modified = 0;
  std::int32_t paid_after = -1;      // seconds after created; -1 = never paid
  std::int32_t completed_after = -1; // seconds after created; -1 = not completed
  std::uint16_t note_count = 0;
  std::uint16_t edits = 0;
  OrderStatus status = OrderStatus::kPending;
  OrderStatus status_before_trash = OrderStatus::kPending;
  bool deleted = false;
};

struct Refund {
  std::uint32_t id = 0;
  std::uint32_t order_id = 0;
  UnixSeconds created = 0;
  std::int64_t amount_cents = 0;
  std::uint8_t reason = 0;
  bool deleted = false;
  bool full = false; // took the whole order at once: lists the order's lines, negated
};

// A note added after generation (generated notes are derived from the order's seed).
struct ExtraNote {
  std::uint32_t id = 0;
  UnixSeconds created = 0;
  std::string text;
  bool customer_note = false;
};

// Something an order line can sell: a simple product or a variation.
struct Sellable {
  std::uint32_t product_id = 0;
  std::uint32_t variation_id = 0;
  std::string name;
  std::string parent_name;
  std::string sku;
  std::int64_t price_cents = 0;
  std::vector<std::pair<std::string, std::string>> attributes; // (slug, option)
};

// A record whose payload is kept as JSON (products, variations, customers, coupons, reviews,
// terms, tax rates). Date fields and _links are filled in when rendered.
struct Doc {
  std::int64_t id = 0;
  boost::json::object body;
  UnixSeconds created = 0;
  UnixSeconds modified = 0;
  std::string status;      // publish / trash (posts), approved (reviews), role (customers)
  std::string prev_status; // status before trash
  std::int64_t parent = 0; // variation -> product, category -> parent category
  std::int64_t group = 0;  // attribute id for terms, product id for reviews
  std::string sort_name;   // name/title for orderby=title|name
  std::string slug;
  bool deleted = false; // permanently deleted
  int edits = 0;
};

} // namespace wc::demo
