// `webhooks register|list|delete`: the connector's subscriptions on the store (see commands.hpp).
#include "commands/commands.hpp"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <stdexcept>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "webhook/subscriptions.hpp"
#include "woocommerce/api_client.hpp"

namespace wc::commands {
using namespace wc::webhook;
namespace {

constexpr std::string_view kLabel = "webhooks";

void out(const std::string &line) {
  std::string text = redact(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void warn(const std::string &line) {
  std::string text = "WARN " + redact(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

// Turns a permission failure into what the user must do.
[[noreturn]] void rethrow_with_hint(const woo::ApiError &e) {
  if (e.status() == 401 || e.status() == 403) {
    throw config_error(std::string(e.what()) +
                       " Managing webhooks needs a REST API key with read_write permissions "
                       "whose WordPress user can manage WooCommerce (Administrator or Shop "
                       "Manager).");
  }
  throw e;
}

boost::json::array list_all(woo::ApiClient &api) {
  boost::json::array all;
  for (int page = 1; page <= 1000; ++page) {
    woo::ApiResponse r;
    try {
      r = api.get("/webhooks",
                  {{"per_page", "100"}, {"page", std::to_string(page)}, {"status", "all"}}, kLabel);
    } catch (const woo::ApiError &e) {
      rethrow_with_hint(e);
    }
    if (!r.body.is_array() || r.body.as_array().empty()) {
      break;
    }
    for (auto &v : r.body.as_array()) {
      all.push_back(std::move(v));
    }
    if (r.total_pages >= 0 ? page >= r.total_pages : r.body.as_array().size() < 100) {
      break;
    }
  }
  return all;
}

woo::ApiResponse send(woo::ApiClient &api, std::string_view method, const std::string &route,
                      http::Params params, std::string body) {
  try {
    return api.send(method, route, std::move(params), std::move(body), kLabel);
  } catch (const woo::ApiError &e) {
    rethrow_with_hint(e);
  }
}

std::int64_t id_of(const boost::json::value &v) {
  if (v.is_object()) {
    if (const auto *id = v.as_object().if_contains("id"); id != nullptr && id->is_int64()) {
      return id->as_int64();
    }
  }
  return 0;
}

int do_register(const ConnectorConfig &config, woo::ApiClient &api, const cli::Invocation &a) {
  auto url = a.get("delivery-url");
  if (!url || url->empty()) {
    throw cli::UsageError{"register needs --delivery-url URL (the public address of `serve`)."};
  }
  if (config.webhook_secret.empty()) {
    throw config_error("The config has no webhook_secret. Set one (a long random string): "
                       "WooCommerce signs every delivery with it and `serve` verifies them.");
  }
  std::vector<std::string> topics =
      a.get("topics") ? parse_topics(*a.get("topics")) : default_topics();
  for (const auto &w : delivery_url_warnings(*url, true)) {
    warn(w);
  }
  auto ours = our_webhooks(list_all(api));
  auto plan = plan_registration(ours, topics, *url);
  boost::json::array report;
  int created = 0;
  int kept = 0;
  int reactivated = 0;
  for (const auto &step : plan) {
    boost::json::object item{{"topic", step.topic}};
    if (step.action == PlanAction::kCreate) {
      boost::json::object body{{"name", webhook_name(step.topic)},
                               {"topic", step.topic},
                               {"delivery_url", *url},
                               {"secret", config.webhook_secret},
                               {"status", "active"}};
      auto r = send(api, "POST", "/webhooks", {}, boost::json::serialize(body));
      item["id"] = id_of(r.body);
      item["action"] = "created";
      item["status"] = "active";
      ++created;
    } else if (step.action == PlanAction::kReactivate) {
      send(api, "PUT", "/webhooks/" + std::to_string(step.existing_id), {},
           R"({"status":"active"})");
      item["id"] = step.existing_id;
      item["action"] = "reactivated";
      item["previous_status"] = step.existing_status;
      item["status"] = "active";
      ++reactivated;
      if (!a.has("json")) {
        warn("Webhook " + std::to_string(step.existing_id) + " (" + step.topic + ") was " +
             step.existing_status +
             " (WooCommerce disables a webhook after repeated failed deliveries); re-activated. "
             "Changes made meanwhile were not delivered: the next read's polling recovers them.");
      }
    } else {
      item["id"] = step.existing_id;
      item["action"] = "existing";
      item["status"] = step.existing_status;
      ++kept;
    }
    if (!a.has("json")) {
      out(std::string(item["action"].as_string()) + " " + std::to_string(item["id"].as_int64()) +
          " " + step.topic + " -> " + *url);
    }
    report.push_back(std::move(item));
  }
  if (a.has("json")) {
    out(boost::json::serialize(report));
  } else {
    out(std::to_string(created) + " created, " + std::to_string(kept) + " already there, " +
        std::to_string(reactivated) + " re-activated.");
  }
  return 0;
}

int do_list(woo::ApiClient &api, const cli::Invocation &a) {
  auto ours = our_webhooks(list_all(api));
  if (a.has("json")) {
    boost::json::array arr;
    for (const auto &w : ours) {
      arr.push_back(boost::json::object{{"id", w.id},
                                        {"name", w.name},
                                        {"status", w.status},
                                        {"topic", w.topic},
                                        {"delivery_url", w.delivery_url}});
    }
    out(boost::json::serialize(arr));
    return 0;
  }
  if (ours.empty()) {
    out("No source-woocommerce webhooks on this store.");
  }
  for (const auto &w : ours) {
    out(std::to_string(w.id) + "\t" + w.status + "\t" + w.topic + "\t" + w.delivery_url);
  }
  return 0;
}

int do_delete(woo::ApiClient &api, const cli::Invocation &a) {
  auto ours = our_webhooks(list_all(api));
  auto url = a.get("delivery-url");
  int deleted = 0;
  for (const auto &w : ours) {
    if (url && w.delivery_url != *url) {
      continue;
    }
    send(api, "DELETE", "/webhooks/" + std::to_string(w.id), {{"force", "true"}}, "");
    out("deleted " + std::to_string(w.id) + " " + w.topic);
    ++deleted;
  }
  out(std::to_string(deleted) + " deleted.");
  return 0;
}

} // namespace

int run_webhooks(const cli::Invocation &a) {
  const std::string &verb = a.subcommand;
  const std::string config_path = a.flags.at("config");
  ConnectorConfig config = load_config_file(config_path);
  register_secret(config.webhook_secret);
  auto api = woo::ApiClient::create(config);
  api->set_warn([](std::string_view w) { warn(std::string(w)); });
  if (verb == "register") {
    return do_register(config, *api, a);
  }
  if (verb == "list") {
    return do_list(*api, a);
  }
  return do_delete(*api, a);
}

} // namespace wc::commands
