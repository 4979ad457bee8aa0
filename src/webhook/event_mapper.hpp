#pragma once
// Turns a stored webhook delivery (topic + payload) into the record of an Airbyte stream.
// order.* -> orders; product.* -> products, or product_variations when the payload is a variation
// (type "variation" with a non-zero parent_id; WooCommerce sends variations as product.*);
// customer.* -> customers; coupon.* -> coupons. *.deleted payloads are {"id": N} only (the object
// was trashed) and become {"id": N, "_ab_cdc_deleted_at": "<arrival, RFC 3339 UTC>"}.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wc::webhook {

struct MappedRecord {
  std::string stream;
  std::int64_t id = 0;
  std::string record_json; // one JSON object
  bool deleted = false;
};

// The resource part of a topic ("order.updated" -> "order"); empty when the topic is malformed.
std::string_view topic_resource(std::string_view topic);
// The event part ("order.updated" -> "updated").
std::string_view topic_event(std::string_view topic);
// The stream a resource maps to, or "" when unsupported (e.g. "action").
std::string_view stream_for_resource(std::string_view resource);

// Maps one delivery. nullopt when the topic is unsupported or the payload has no integer id
// (e.g. an error object rendered for a webhook owner who lost capabilities).
std::optional<MappedRecord> map_delivery(std::string_view resource, std::string_view event,
                                         std::string_view payload_json,
                                         std::int64_t received_at_ms);

} // namespace wc::webhook
