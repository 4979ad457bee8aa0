#pragma once
// Pure decisions behind `webhooks register|list|delete`: which of a store's webhooks are ours,
// what registering a topic list means given what exists, and what WordPress will refuse about a
// delivery URL. No I/O here (commands/webhooks.cpp talks to the store).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wc::webhook {

inline constexpr std::string_view kWebhookNamePrefix = "source-woocommerce: ";

// order/product/customer/coupon x created/updated/deleted/restored.
std::vector<std::string> default_topics();
// Splits "order.created,product.updated" (spaces allowed). Throws wc::Error(kConfig) on a topic
// that is not resource.event with a supported resource.
std::vector<std::string> parse_topics(std::string_view list);
std::string webhook_name(std::string_view topic);

struct StoreWebhook {
  std::int64_t id = 0;
  std::string name;
  std::string status; // active, paused, disabled
  std::string topic;
  std::string delivery_url;
};

// Webhooks named by us (name starts with kWebhookNamePrefix).
std::vector<StoreWebhook> our_webhooks(const boost::json::array &all);

enum class PlanAction { kCreate, kKeep, kReactivate };
struct PlanStep {
  std::string topic;
  PlanAction action = PlanAction::kCreate;
  std::int64_t existing_id = 0;
  std::string existing_status;
};
// For every topic: keep ours that already matches (name + delivery_url + topic) and is active,
// re-activate it when WooCommerce disabled or paused it, create it otherwise.
std::vector<PlanStep> plan_registration(const std::vector<StoreWebhook> &ours,
                                        const std::vector<std::string> &topics,
                                        std::string_view delivery_url);

// Human warnings about a delivery URL WordPress's wp_safe_remote_post() would refuse:
// not http(s), loopback/private/link-local host, a port other than 80/443/8080. `resolve`
// also looks the host name up (getaddrinfo) to check the addresses it maps to.
std::vector<std::string> delivery_url_warnings(std::string_view url, bool resolve);

} // namespace wc::webhook
