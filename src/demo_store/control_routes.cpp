// Test controls: edit/trash/restore/delete/create records, move the store clock, and switch
// faults, latency and the rate limit. Plain JSON, no authentication.
//
// Order list edits (each saves the order as WooCommerce does: date_modified = now, an
// order.updated webhook); an unknown order or a missing item answers 400 {"error": ...}:
//   POST /__control/remove_line_item {"order_id": N, "line_item_id": M}  (M absent: the last)
//   POST /__control/set_meta         {"order_id": N, "key": "_demo_tags", "value": <any JSON>}
//   POST /__control/add_fee          {"order_id": N, "name": "...", "amount": "4.50"}
//                                    -> {"fee_line_id": id}
//   POST /__control/remove_coupon    {"order_id": N}  (its last coupon line; the discount goes)
//   POST /__control/add_refund       {"order_id": N, "full": true}  (all that is left; a refund
//                                    of the whole order lists its lines, negated)
//   POST /__control/shuffle_related  {"on": true}  products' related_ids in a new order on every
//                                    request, as WooCommerce shuffles them (off by default)
#include "demo_store/runtime.hpp"

#include <stdexcept>
#include <thread>

namespace wc::demo {
namespace json = boost::json;

Runtime::Runtime(const Options &o, Store &s)
    : options(o), store(s), auth({{o.key, o.secret, Caller::kManager},
                                  {"ck_demo_readonly", "cs_demo_readonly", Caller::kReadOnly}},
                                 {{o.app_user, o.app_password, Caller::kManager},
                                  {kDemoCustomerUser, kDemoCustomerAppPassword, Caller::kCustomer}},
                                 AuthSettings{o.rest_route_auth != "modern", o.app_passwords,
                                              o.wp_environment == "local"}) {
  latency_ms = o.latency_ms;
  rate_limit.configure(o.rate_requests, o.rate_window_seconds);
  FaultConfig fc;
  fc.rate = o.fault_rate;
  for (const auto &k : o.fault_kinds) {
    auto kind = parse_fault_kind(k);
    if (!kind) {
      throw std::invalid_argument("unknown fault kind " + k);
    }
    fc.kinds.push_back(*kind);
  }
  faults.configure(fc);
}

void Runtime::sleep_ms(int ms) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void Runtime::begin_shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

namespace {

json::object parse_body(const ApiRequest &req) {
  if (req.body.empty()) {
    return {};
  }
  json::value v = json::parse(req.body);
  if (!v.is_object()) {
    throw std::invalid_argument("body must be a JSON object");
  }
  return v.as_object();
}

std::int64_t order_id_of(const json::object &b) {
  const auto *o = b.if_contains("order_id");
  if (o == nullptr || !o->is_number()) {
    throw std::invalid_argument("needs \"order_id\" (a number)");
  }
  return o->to_number<std::int64_t>();
}

// "4.50" -> 450 (cents); the amount WooCommerce's fee form takes.
std::int64_t cents_of(const json::value &v) {
  const std::string text = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  std::size_t used = 0;
  double d = 0;
  try {
    d = std::stod(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used != text.size() || d <= 0) {
    throw std::invalid_argument("amount must be a positive decimal such as \"4.50\"");
  }
  return static_cast<std::int64_t>(d * 100 + 0.5);
}

std::vector<std::int64_t> ids_of(const json::object &b) {
  std::vector<std::int64_t> ids;
  if (auto *a = b.if_contains("ids")) {
    for (const auto &v : a->as_array()) {
      ids.push_back(v.to_number<std::int64_t>());
    }
  }
  return ids;
}

std::string resource_of(const json::object &b) {
  auto *r = b.if_contains("resource");
  const std::string res = r ? std::string(r->as_string()) : "orders";
  if (res != "orders" && res != "products" && res != "variations" && res != "customers" &&
      res != "coupons") {
    throw std::invalid_argument(
        "resource must be orders, products, variations, customers or coupons");
  }
  return res;
}

json::object result_json(const MutationResult &r) {
  json::array changed, missing;
  for (auto id : r.changed) {
    changed.push_back(id);
  }
  for (auto id : r.missing) {
    missing.push_back(id);
  }
  return {{"changed", std::move(changed)}, {"missing", std::move(missing)}};
}

using ControlFn = std::function<json::value(const json::object &)>;

void control(Router &router, const std::string &method, const std::string &name, ControlFn fn) {
  router.add(method, "/__control/" + name, "__control/" + name, Access::kPublic,
             [fn = std::move(fn)](const ApiRequest &req) {
               try {
                 return ApiResponse::json(200, fn(parse_body(req)));
               } catch (const std::exception &e) {
                 return ApiResponse::json(400, {{"error", e.what()}});
               }
             });
}

} // namespace

void register_control_routes(Router &router, Runtime &rt) {
  Store &store = rt.store;
  control(router, "POST", "edit", [&store](const json::object &b) {
    int forward = 0;
    if (auto *s = b.if_contains("seconds_forward")) {
      forward = s->to_number<int>();
    }
    return json::value(result_json(store.edit(resource_of(b), ids_of(b), forward)));
  });
  control(router, "POST", "trash", [&store](const json::object &b) {
    return json::value(result_json(store.trash(resource_of(b), ids_of(b))));
  });
  control(router, "POST", "restore", [&store](const json::object &b) {
    return json::value(result_json(store.restore(resource_of(b), ids_of(b))));
  });
  control(router, "POST", "delete", [&store](const json::object &b) {
    return json::value(result_json(store.remove(resource_of(b), ids_of(b))));
  });
  // {"ids": [...], "status": "awaiting-shipment", "paid": false}: an admin setting orders' status
  // (any status the store knows but trash; "paid" optional: false clears date_paid).
  control(router, "POST", "set_status", [&store](const json::object &b) {
    const auto *s = b.if_contains("status");
    OrderStatus status{};
    if (s == nullptr || !s->is_string() || !parse_order_status(s->as_string(), status) ||
        status == OrderStatus::kTrash) {
      throw std::invalid_argument("status must be an order status other than trash");
    }
    std::optional<bool> paid;
    if (const auto *p = b.if_contains("paid"); p != nullptr && p->is_bool()) {
      paid = p->as_bool();
    }
    return json::value(result_json(store.set_status(ids_of(b), status, paid)));
  });
  // {"ids": [...], "as": order_id}: those orders become guest orders of order `as`'s buyer.
  control(router, "POST", "same_guest", [&store](const json::object &b) {
    const auto *as = b.if_contains("as");
    if (as == nullptr || !as->is_number()) {
      throw std::invalid_argument("same_guest needs \"as\": an order id");
    }
    return json::value(result_json(store.same_guest(ids_of(b), as->to_number<std::int64_t>())));
  });
  control(router, "POST", "set_modified", [&store](const json::object &b) {
    auto *v = b.if_contains("date_modified_gmt");
    auto t = v ? parse_utc(std::string(v->as_string())) : std::nullopt;
    if (!t) {
      throw std::invalid_argument("date_modified_gmt must be YYYY-MM-DDTHH:MM:SS (UTC)");
    }
    return json::value(result_json(store.set_modified(resource_of(b), ids_of(b), *t)));
  });
  control(router, "POST", "create", [&store](const json::object &b) {
    int count = 1;
    if (auto *c = b.if_contains("count")) {
      count = c->to_number<int>();
    }
    const std::string res = resource_of(b);
    if (res == "variations") {
      throw std::invalid_argument("create supports orders, products, customers, coupons");
    }
    json::array ids;
    for (auto id : store.create(res, count)) {
      ids.push_back(id);
    }
    return json::value({{"created", std::move(ids)}});
  });
  control(router, "POST", "add_note", [&store](const json::object &b) {
    auto *o = b.if_contains("order_id");
    const std::string text = b.if_contains("note") ? std::string(b.at("note").as_string()) : "";
    auto id = o ? store.add_note(o->to_number<std::int64_t>(), text) : std::nullopt;
    if (!id) {
      throw std::invalid_argument("unknown order_id");
    }
    return json::value({{"note_id", *id}});
  });
  control(router, "POST", "plugin_field", [&store](const json::object &b) {
    const std::string res = resource_of(b);
    if (res != "orders" && res != "products") {
      throw std::invalid_argument("plugin_field supports orders and products");
    }
    const auto *field = b.if_contains("field");
    if (field == nullptr || !field->is_string() || field->get_string().empty()) {
      throw std::invalid_argument("plugin_field needs \"field\" (a name)");
    }
    const auto *value = b.if_contains("value");
    store.set_plugin_field(res, std::string(field->get_string()),
                           value != nullptr ? *value : json::value(nullptr));
    return json::value(json::object{{"resource", res}, {"field", *field}});
  });
  control(router, "POST", "remove_line_item", [&store](const json::object &b) {
    const auto *item = b.if_contains("line_item_id");
    store.remove_line_item(order_id_of(b), item ? item->to_number<std::int64_t>() : 0);
    return json::value({{"ok", true}});
  });
  control(router, "POST", "set_meta", [&store](const json::object &b) {
    const auto *key = b.if_contains("key");
    if (key == nullptr || !key->is_string() || !b.contains("value")) {
      throw std::invalid_argument("set_meta needs \"key\" (a string) and \"value\"");
    }
    store.set_order_meta(order_id_of(b), std::string(key->get_string()), b.at("value"));
    return json::value({{"ok", true}});
  });
  control(router, "POST", "add_fee", [&store](const json::object &b) {
    const auto *name = b.if_contains("name");
    const auto *amount = b.if_contains("amount");
    const std::int64_t id = store.add_fee(
        order_id_of(b), name && name->is_string() ? std::string(name->get_string()) : "",
        amount ? cents_of(*amount) : 450);
    return json::value({{"fee_line_id", id}});
  });
  control(router, "POST", "remove_coupon", [&store](const json::object &b) {
    store.remove_coupon(order_id_of(b));
    return json::value({{"ok", true}});
  });
  control(router, "POST", "shuffle_related", [&store](const json::object &b) {
    const auto *on = b.if_contains("on");
    store.set_shuffle_related(on == nullptr || (on->is_bool() && on->get_bool()));
    return json::value({{"ok", true}});
  });
  control(router, "POST", "add_refund", [&store](const json::object &b) {
    auto *o = b.if_contains("order_id");
    const bool full = b.if_contains("full") && b.at("full").is_bool() && b.at("full").get_bool();
    auto id = o ? store.add_refund(o->to_number<std::int64_t>(), full) : std::nullopt;
    if (!id) {
      throw std::invalid_argument("unknown order_id");
    }
    return json::value({{"refund_id", *id}});
  });
  // {"now": "YYYY-MM-DDTHH:MM:SS", "freeze": bool} sets the clock; {"advance_seconds": N} moves
  // it N >= 0 seconds forward in one step, running or frozen as it was.
  control(router, "POST", "clock", [&store](const json::object &b) {
    if (auto *a = b.if_contains("advance_seconds")) {
      if (b.contains("now") || b.contains("freeze")) {
        throw std::invalid_argument("advance_seconds goes without now and freeze");
      }
      const auto seconds = a->to_number<std::int64_t>();
      if (seconds < 0) {
        throw std::invalid_argument("advance_seconds must be >= 0: the clock only moves forward");
      }
      store.clock().advance(seconds);
      return json::value(
          {{"now", format_naive_utc(store.clock().now())}, {"frozen", store.clock().frozen()}});
    }
    auto *n = b.if_contains("now");
    auto t = n ? parse_utc(std::string(n->as_string())) : std::nullopt;
    if (!t) {
      throw std::invalid_argument("now must be YYYY-MM-DDTHH:MM:SS (UTC)");
    }
    const bool freeze = b.if_contains("freeze") && b.at("freeze").as_bool();
    store.clock().set(*t, freeze);
    return json::value({{"now", format_naive_utc(store.clock().now())}, {"frozen", freeze}});
  });
  control(router, "GET", "clock", [&store](const json::object &) {
    return json::value(
        {{"now", format_naive_utc(store.clock().now())}, {"frozen", store.clock().frozen()}});
  });
  control(router, "POST", "faults", [&rt](const json::object &b) {
    rt.faults.configure(fault_config_from_json(b));
    return json::value({{"ok", true}});
  });
  control(router, "POST", "rate_limit", [&rt](const json::object &b) {
    const int requests = b.if_contains("requests") ? b.at("requests").to_number<int>() : 0;
    const int window =
        b.if_contains("window_seconds") ? b.at("window_seconds").to_number<int>() : 0;
    rt.rate_limit.configure(requests, window);
    return json::value({{"ok", true}});
  });
  control(router, "POST", "latency", [&rt](const json::object &b) {
    rt.latency_ms = b.if_contains("ms") ? b.at("ms").to_number<int>() : 0;
    return json::value({{"ok", true}});
  });
  control(router, "GET", "stats", [&rt](const json::object &) {
    return json::value(rt.stats.to_json(rt.rate_limit.violations()));
  });
  control(router, "POST", "reset_stats", [&rt](const json::object &) {
    rt.stats.reset();
    rt.rate_limit.reset_stats();
    return json::value({{"ok", true}});
  });
  control(router, "GET", "counts",
          [&store](const json::object &) { return json::value(store.counts()); });
}

} // namespace wc::demo
