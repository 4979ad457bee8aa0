#include "webhook/event_mapper.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/time_util.hpp"

namespace wc::webhook {
namespace {

std::optional<std::int64_t> int_field(const boost::json::object &obj, std::string_view key) {
  const auto *v = obj.if_contains(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  if (v->is_string()) { // tolerate "123"
    const auto &s = v->as_string();
    if (s.empty() || s.size() > 18) {
      return std::nullopt;
    }
    std::int64_t n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
  return std::nullopt;
}

std::string rfc3339_millis(std::int64_t ms) {
  std::string base = format_rfc3339(ms / 1000); // "...SSZ"
  if (!base.empty() && base.back() == 'Z') {
    base.pop_back();
  }
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
  return base + frac + "Z";
}

} // namespace

std::string_view topic_resource(std::string_view topic) {
  auto dot = topic.find('.');
  if (dot == std::string_view::npos || dot == 0) {
    return {};
  }
  return topic.substr(0, dot);
}

std::string_view topic_event(std::string_view topic) {
  auto dot = topic.find('.');
  if (dot == std::string_view::npos) {
    return {};
  }
  return topic.substr(dot + 1);
}

std::string_view stream_for_resource(std::string_view resource) {
  if (resource == "order") {
    return "orders";
  }
  if (resource == "product") {
    return "products";
  }
  if (resource == "customer") {
    return "customers";
  }
  if (resource == "coupon") {
    return "coupons";
  }
  return {};
}

std::optional<MappedRecord> map_delivery(std::string_view resource, std::string_view event,
                                         std::string_view payload_json,
                                         std::int64_t received_at_ms) {
  std::string_view stream = stream_for_resource(resource);
  if (stream.empty()) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  boost::json::value payload = boost::json::parse(payload_json, ec);
  if (ec || !payload.is_object()) {
    return std::nullopt;
  }
  auto &obj = payload.as_object();
  auto id = int_field(obj, "id");
  if (!id || *id <= 0) {
    return std::nullopt;
  }
  MappedRecord out;
  out.id = *id;
  out.stream = std::string(stream);
  if (event == "deleted") {
    out.deleted = true;
    boost::json::object rec;
    rec["id"] = *id;
    rec["_ab_cdc_deleted_at"] = rfc3339_millis(received_at_ms);
    out.record_json = boost::json::serialize(rec);
    return out;
  }
  if (resource == "product") {
    auto parent = int_field(obj, "parent_id");
    const auto *type = obj.if_contains("type");
    bool variation = type != nullptr && type->is_string() && type->as_string() == "variation";
    if (variation && parent && *parent != 0) {
      out.stream = "product_variations";
      obj["product_id"] = *parent;
    }
  }
  out.record_json = boost::json::serialize(obj);
  return out;
}

} // namespace wc::webhook
