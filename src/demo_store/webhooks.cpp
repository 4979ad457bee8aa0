#include "demo_store/webhooks.hpp"

#include "demo_store/router.hpp"
#include "demo_store/store.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>

#include "demo_store/wc_time.hpp"

namespace wc::demo {
namespace json = boost::json;

namespace {

constexpr const char *kUserAgent = "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)";
constexpr int kMaxFailures = 5; // woocommerce_max_webhook_delivery_failures

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string wp_specialchars_decode(std::string s) {
  s = replace_all(std::move(s), "&lt;", "<");
  s = replace_all(std::move(s), "&gt;", ">");
  s = replace_all(std::move(s), "&quot;", "\"");
  s = replace_all(std::move(s), "&#039;", "'");
  s = replace_all(std::move(s), "&#39;", "'");
  return replace_all(std::move(s), "&amp;", "&");
}

std::vector<std::string> hooks_for(const std::string &topic) {
  static const std::map<std::string, std::vector<std::string>> kHooks = {
      {"order.created", {"woocommerce_new_order"}},
      {"order.updated", {"woocommerce_update_order", "woocommerce_order_refunded"}},
      {"order.deleted", {"wp_trash_post", "woocommerce_trash_order"}},
      {"order.restored", {"untrashed_post", "woocommerce_untrash_order"}},
      {"product.created",
       {"woocommerce_process_product_meta", "woocommerce_new_product",
        "woocommerce_new_product_variation"}},
      {"product.updated",
       {"woocommerce_process_product_meta", "woocommerce_update_product",
        "woocommerce_update_product_variation"}},
      {"product.deleted", {"wp_trash_post"}},
      {"product.restored", {"untrashed_post"}},
      {"customer.created",
       {"user_register", "woocommerce_created_customer", "woocommerce_new_customer"}},
      {"customer.updated", {"profile_update", "woocommerce_update_customer"}},
      {"customer.deleted", {"delete_user"}},
      {"coupon.created", {"woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"}},
      {"coupon.updated", {"woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"}},
      {"coupon.deleted", {"wp_trash_post"}},
      {"coupon.restored", {"untrashed_post"}},
  };
  auto it = kHooks.find(topic);
  return it == kHooks.end() ? std::vector<std::string>{} : it->second;
}

// As wc_is_webhook_valid_topic: any resource x event of the four core resources (even a pair with
// no hooks, such as customer.restored), or an action.* topic.
bool valid_topic(const std::string &topic) {
  if (topic.rfind("action.", 0) == 0 && topic.size() > 7) {
    return true;
  }
  const auto dot = topic.find('.');
  if (dot == std::string::npos) {
    return false;
  }
  static const std::set<std::string> kResources{"coupon", "customer", "order", "product"};
  static const std::set<std::string> kEvents{"created", "updated", "deleted", "restored"};
  return kResources.count(topic.substr(0, dot)) > 0 && kEvents.count(topic.substr(dot + 1)) > 0;
}

struct ParsedUrl {
  std::string scheme, host, path;
  int port = 0;
};

std::optional<ParsedUrl> parse_url(const std::string &url) {
  ParsedUrl u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    u.scheme = "http";
    u.port = 80;
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.scheme = "https";
    u.port = 443;
    rest = url.substr(8);
  } else {
    return std::nullopt;
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string::npos) {
    return std::nullopt;
  }
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    try {
      u.port = std::stoi(authority.substr(colon + 1));
    } catch (const std::exception &) {
      return std::nullopt;
    }
  } else {
    u.host = authority;
  }
  return u;
}

struct Outcome {
  int status = 0; // 0 = transport failure
};

// WordPress's wp_remote_post with httpversion 1.0: a raw HTTP/1.0 request, Connection: close.
Outcome post_http10(const ParsedUrl &u, const std::vector<std::pair<std::string, std::string>> &hdr,
                    const std::string &body, int timeout_s) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *res = nullptr;
  if (getaddrinfo(u.host.c_str(), std::to_string(u.port).c_str(), &hints, &res) != 0) {
    return {};
  }
  int fd = -1;
  for (auto *p = res; p != nullptr && fd < 0; p = p->ai_next) {
    fd = ::socket(p->ai_family, p->ai_socktype, p->ai_protocol);
    if (fd >= 0 && ::connect(fd, p->ai_addr, p->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0) {
    return {};
  }
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string req =
      "POST " + u.path + " HTTP/1.0\r\nHost: " + u.host + ":" + std::to_string(u.port) + "\r\n";
  for (const auto &[k, v] : hdr) {
    req += k + ": " + v + "\r\n";
  }
  req += "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  req += body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    auto n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return {};
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string head;
  char buf[1024];
  while (head.find("\r\n") == std::string::npos && head.size() < 8192) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      break;
    }
    head.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) {
    return {};
  }
  try {
    return {std::stoi(head.substr(9, 3))};
  } catch (const std::exception &) {
    return {};
  }
}

Outcome post(const ParsedUrl &u, const std::vector<std::pair<std::string, std::string>> &hdr,
             const std::string &body, const std::string &content_type, int timeout_s) {
  auto headers = hdr;
  headers.emplace_back("Content-Type", content_type);
  if (u.scheme == "http") {
    return post_http10(u, headers, body, timeout_s);
  }
  // https: cpp-httplib speaks HTTP/1.1; Connection: close keeps the one-shot behaviour.
  httplib::SSLClient cli(u.host, u.port);
  cli.enable_server_certificate_verification(false); // a test store delivering to test receivers
  cli.set_connection_timeout(timeout_s, 0);
  cli.set_read_timeout(timeout_s, 0);
  httplib::Headers h;
  for (const auto &[k, v] : hdr) {
    h.emplace(k, v);
  }
  h.emplace("Connection", "close");
  auto r = cli.Post(u.path, h, body, content_type);
  return {r ? r->status : 0};
}

struct Hook {
  std::int64_t id = 0;
  std::string name, status, topic, resource, event, delivery_url, secret, source;
  int failure_count = 0;
  std::int64_t created = 0, modified = 0; // unix seconds
};

struct PendingDelivery {
  std::int64_t hook_id = 0;
  std::int64_t record_id = 0;
  std::int64_t due_ms = 0;
};

class WebhookService : public std::enable_shared_from_this<WebhookService> {
public:
  explicit WebhookService(Store &store) : store_(store), delay_ms_(webhook_delay_ms()) {}

  void start() {
    thread_ = std::thread([self = shared_from_this()] { self->run(); });
  }
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  json::object render(const Hook &h, const ApiRequest &req) const {
    json::array hooks;
    for (const auto &k : hooks_for(h.topic)) {
      hooks.emplace_back(k);
    }
    std::string self = req.rest_url("/wc/v3/webhooks/" + std::to_string(h.id));
    json::object o{{"id", h.id},
                   {"name", h.name},
                   {"status", h.status},
                   {"topic", h.topic},
                   {"resource", h.resource},
                   {"event", h.event},
                   {"hooks", hooks},
                   {"delivery_url", h.delivery_url},
                   {"date_created", format_naive_utc(h.created)},
                   {"date_created_gmt", format_naive_utc(h.created)},
                   {"date_modified", format_naive_utc(h.modified)},
                   {"date_modified_gmt", format_naive_utc(h.modified)}};
    if (req.param("context").value_or("view") == "edit") {
      o["secret"] = h.secret;
    }
    o["_links"] = {
        {"self", json::array{json::object{{"href", self}}}},
        {"collection", json::array{json::object{{"href", req.rest_url("/wc/v3/webhooks")}}}}};
    return o;
  }

  ApiResponse list(const ApiRequest &req) {
    std::string status = req.param("status").value_or("all");
    int per_page = 10;
    int page = 1;
    try {
      per_page = std::stoi(req.param("per_page").value_or("10"));
      page = std::stoi(req.param("page").value_or("1"));
    } catch (const std::exception &) {
      return ApiResponse::error(400, "rest_invalid_param", "Invalid parameter(s): per_page, page");
    }
    if (per_page < 1 || per_page > 100 || page < 1) {
      return ApiResponse::error(400, "rest_invalid_param", "Invalid parameter(s): per_page");
    }
    std::vector<Hook> matching;
    {
      std::lock_guard lock(mu_);
      for (auto it = hooks_.rbegin(); it != hooks_.rend(); ++it) { // date desc
        if (status == "all" || it->second.status == status) {
          matching.push_back(it->second);
        }
      }
    }
    json::array items;
    auto start = static_cast<std::size_t>((page - 1) * per_page);
    for (std::size_t i = start; i < matching.size() && i < start + per_page; ++i) {
      items.push_back(render(matching[i], req));
    }
    auto res = ApiResponse::json(200, items);
    res.set_header("X-WP-Total", std::to_string(matching.size()));
    res.set_header("X-WP-TotalPages", std::to_string((matching.size() + per_page - 1) /
                                                     static_cast<std::size_t>(per_page)));
    return res;
  }

  ApiResponse get(const ApiRequest &req) {
    std::lock_guard lock(mu_);
    auto it = hooks_.find(std::stoll(req.captures.at(0)));
    if (it == hooks_.end()) {
      return ApiResponse::error(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    }
    return ApiResponse::json(200, render(it->second, req));
  }

  ApiResponse create(const ApiRequest &req) {
    json::object body;
    if (auto v = parse_body(req)) {
      body = *v;
    } else {
      return ApiResponse::error(400, "rest_invalid_json", "Invalid JSON body passed.");
    }
    std::string topic = str(body, "topic");
    std::string url = str(body, "delivery_url");
    if (topic.empty() || url.empty()) {
      return ApiResponse::error(400, "rest_missing_callback_param",
                                "Missing parameter(s): topic, delivery_url");
    }
    if (!valid_topic(topic)) {
      return ApiResponse::error(400, "woocommerce_rest_webhook_invalid_topic",
                                "Webhook topic is invalid.");
    }
    auto parsed = parse_url(url);
    if (!parsed) {
      return ApiResponse::error(400, "rest_invalid_param", "Invalid parameter(s): delivery_url");
    }
    std::string status = str(body, "status");
    if (status.empty()) {
      status = "active";
    }
    if (status != "active" && status != "paused" && status != "disabled") {
      return ApiResponse::error(400, "rest_invalid_param", "Invalid parameter(s): status");
    }
    Hook h;
    h.topic = topic;
    h.resource = topic.substr(0, topic.find('.'));
    h.event = topic.substr(topic.find('.') + 1);
    h.delivery_url = url;
    h.status = status;
    h.secret = str(body, "secret");
    if (h.secret.empty()) {
      h.secret = "demo-generated-secret-" + std::to_string(std::rand());
    }
    h.created = h.modified = now_millis() / 1000;
    h.name = str(body, "name");
    if (h.name.empty()) {
      h.name = "Webhook created on " + format_naive_utc(h.created);
    }
    h.source = req.scheme_host + req.base_path + "/";
    {
      std::lock_guard lock(mu_);
      h.id = next_id_++;
      hooks_[h.id] = h;
    }
    // deliver_ping(): synchronous, unsigned, form-encoded; the response ignores its outcome.
    post(*parsed, {{"User-Agent", kUserAgent}, {"Accept", "*/*"}},
         "webhook_id=" + std::to_string(h.id), "application/x-www-form-urlencoded", 60);
    return ApiResponse::json(201, render(h, req));
  }

  ApiResponse update(const ApiRequest &req) {
    auto body = parse_body(req);
    if (!body) {
      return ApiResponse::error(400, "rest_invalid_json", "Invalid JSON body passed.");
    }
    std::lock_guard lock(mu_);
    auto it = hooks_.find(std::stoll(req.captures.at(0)));
    if (it == hooks_.end()) {
      return ApiResponse::error(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    }
    Hook &h = it->second;
    if (auto s = str(*body, "status"); !s.empty()) {
      if (s != "active" && s != "paused" && s != "disabled") {
        return ApiResponse::error(400, "rest_invalid_param", "Invalid parameter(s): status");
      }
      if (s == "active" && h.status != "active") {
        h.failure_count = 0;
      }
      h.status = s;
    }
    if (auto t = str(*body, "topic"); !t.empty()) {
      if (!valid_topic(t)) {
        return ApiResponse::error(400, "woocommerce_rest_webhook_invalid_topic",
                                  "Webhook topic is invalid.");
      }
      h.topic = t;
      h.resource = t.substr(0, t.find('.'));
      h.event = t.substr(t.find('.') + 1);
    }
    if (auto n = str(*body, "name"); !n.empty()) {
      h.name = n;
    }
    if (auto u = str(*body, "delivery_url"); !u.empty()) {
      if (!parse_url(u)) {
        return ApiResponse::error(400, "rest_invalid_param", "Invalid parameter(s): delivery_url");
      }
      h.delivery_url = u;
    }
    if (auto s = str(*body, "secret"); !s.empty()) {
      h.secret = s;
    }
    h.modified = now_millis() / 1000;
    return ApiResponse::json(200, render(h, req));
  }

  ApiResponse remove(const ApiRequest &req) {
    auto force = req.param("force").value_or("false");
    if (force != "true" && force != "1") {
      return ApiResponse::error(501, "woocommerce_rest_trash_not_supported",
                                "Webhooks do not support trashing.");
    }
    std::lock_guard lock(mu_);
    auto it = hooks_.find(std::stoll(req.captures.at(0)));
    if (it == hooks_.end()) {
      return ApiResponse::error(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    }
    auto out = render(it->second, req);
    hooks_.erase(it);
    return ApiResponse::json(200, out);
  }

  // For tests: deliveries waiting in their coalescing window, and deliveries under way. Both 0:
  // every change made before has been delivered (or its delivery failed).
  json::object queue_state() {
    std::lock_guard lock(mu_);
    return {{"pending", static_cast<std::int64_t>(pending_.size())}, {"in_flight", in_flight_}};
  }

  // Change listener: queue one delivery per matching active webhook unless one is pending.
  void on_change(const Change &c) {
    if (c.permanent) {
      return; // WooCommerce fires nothing for permanent deletion of posts
    }
    std::int64_t now = now_millis();
    bool queued = false;
    {
      std::lock_guard lock(mu_);
      for (const auto &[id, h] : hooks_) {
        if (h.status != "active" || h.resource != c.resource || h.event != c.event) {
          continue;
        }
        auto key = std::make_pair(id, c.id);
        if (pending_.count(key) != 0) {
          continue; // coalesced: the pending delivery will carry the latest state
        }
        pending_[key] = PendingDelivery{id, c.id, now + delay_ms_};
        queued = true;
      }
    }
    if (queued) {
      cv_.notify_all();
    }
  }

private:
  static std::optional<json::object> parse_body(const ApiRequest &req) {
    if (req.body.empty()) {
      return json::object{};
    }
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) {
      return std::nullopt;
    }
    return v.as_object();
  }

  static std::string str(const json::object &o, std::string_view key) {
    const auto *v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  // The REST rendering of the record now ("current state at delivery time").
  std::optional<std::string> payload_for(const std::string &resource, const std::string &event,
                                         std::int64_t id) {
    if (event == "deleted") {
      return json::serialize(json::object{{"id", id}});
    }
    std::shared_lock lock(store_.mutex());
    const std::string api = store_.site_api_base();
    const StoreData &d = store_.data();
    if (resource == "order") {
      if (const Order *o = store_.find_order(id)) {
        return json::serialize(store_.render_order(*o, api));
      }
    } else if (resource == "product") {
      if (const Doc *p = Store::find_doc(d.products, id)) {
        return json::serialize(store_.render_product(*p, api));
      }
      if (const Doc *v = Store::find_doc(d.variations, id)) {
        return json::serialize(store_.render_variation(*v, api, true));
      }
    } else if (resource == "customer") {
      if (const Doc *c = Store::find_doc(d.customers, id)) {
        return json::serialize(store_.render_customer(*c, api));
      }
    } else if (resource == "coupon") {
      if (const Doc *c = Store::find_doc(d.coupons, id)) {
        return json::serialize(store_.render_coupon(*c, api));
      }
    }
    return std::nullopt;
  }

  void deliver(const PendingDelivery &p) {
    Hook h;
    {
      std::lock_guard lock(mu_);
      auto it = hooks_.find(p.hook_id);
      if (it == hooks_.end() || it->second.status != "active") {
        return;
      }
      h = it->second;
    }
    auto body = payload_for(h.resource, h.event, p.record_id);
    auto url = parse_url(h.delivery_url);
    if (!body || !url) {
      return;
    }
    std::int64_t now_s = now_millis() / 1000;
    std::string delivery_id =
        webhook_signature(std::to_string(h.id) + std::to_string(now_s), "delivery-id");
    std::vector<std::pair<std::string, std::string>> headers = {
        {"User-Agent", kUserAgent},
        {"Accept", "*/*"},
        {"X-WC-Webhook-Source", h.source},
        {"X-WC-Webhook-Topic", h.topic},
        {"X-WC-Webhook-Resource", h.resource},
        {"X-WC-Webhook-Event", h.event},
        {"X-WC-Webhook-Signature", webhook_signature(*body, h.secret)},
        {"X-WC-Webhook-ID", std::to_string(h.id)},
        {"X-WC-Webhook-Delivery-ID", delivery_id}};
    Outcome o = post(*url, headers, *body, "application/json", 60);
    std::lock_guard lock(mu_);
    auto it = hooks_.find(p.hook_id);
    if (it == hooks_.end()) {
      return;
    }
    if (o.status >= 200 && o.status < 303) {
      it->second.failure_count = 0;
    } else if (it->second.failure_count > kMaxFailures) {
      it->second.status = "disabled"; // WC_Webhook::failed_delivery: on the 7th failure
    } else {
      ++it->second.failure_count;
    }
  }

  void run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      std::optional<PendingDelivery> next;
      std::int64_t now = now_millis();
      std::int64_t earliest = INT64_MAX;
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->second.due_ms <= now) {
          next = it->second;
          pending_.erase(it);
          ++in_flight_; // in the same step: never seen as neither pending nor under way
          break;
        }
        earliest = std::min(earliest, it->second.due_ms);
      }
      if (next) {
        lock.unlock();
        deliver(*next);
        lock.lock();
        --in_flight_;
        continue;
      }
      if (earliest == INT64_MAX) {
        cv_.wait(lock);
      } else {
        cv_.wait_for(lock, std::chrono::milliseconds(earliest - now));
      }
    }
  }

  Store &store_;
  std::int64_t delay_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::int64_t, Hook> hooks_;
  std::int64_t next_id_ = 1;
  std::map<std::pair<std::int64_t, std::int64_t>, PendingDelivery> pending_;
  std::int64_t in_flight_ = 0; // deliveries taken from pending_, not finished yet
  bool stopping_ = false;
  std::thread thread_;
};

void register_webhooks(AppContext &ctx) {
  auto svc = std::make_shared<WebhookService>(ctx.store);
  ctx.router.add("GET", "/wc/v3/webhooks", "webhooks", Access::kManager,
                 [svc](const ApiRequest &r) { return svc->list(r); });
  ctx.router.add("POST", "/wc/v3/webhooks", "webhooks", Access::kManager,
                 [svc](const ApiRequest &r) { return svc->create(r); });
  ctx.router.add("GET", "/wc/v3/webhooks/(\\d+)", "webhooks/{id}", Access::kManager,
                 [svc](const ApiRequest &r) { return svc->get(r); });
  for (const char *m : {"PUT", "PATCH", "POST"}) {
    ctx.router.add(m, "/wc/v3/webhooks/(\\d+)", "webhooks/{id}", Access::kManager,
                   [svc](const ApiRequest &r) { return svc->update(r); });
  }
  ctx.router.add("DELETE", "/wc/v3/webhooks/(\\d+)", "webhooks/{id}", Access::kManager,
                 [svc](const ApiRequest &r) { return svc->remove(r); });
  ctx.store.add_change_listener([svc](const Change &c) { svc->on_change(c); });
  if (ctx.control != nullptr) {
    // GET /__control/webhook_queue: {"pending": n, "in_flight": m} (tests wait for 0 and 0).
    ctx.control->add(
        "GET", "/__control/webhook_queue", "__control/webhook_queue", Access::kPublic,
        [svc](const ApiRequest &) { return ApiResponse::json(200, svc->queue_state()); });
  }
  svc->start();
  ctx.on_shutdown.push_back([svc] { svc->stop(); });
}

const bool kRegistered = register_extra_routes(register_webhooks);

} // namespace

std::string webhook_signature(std::string_view body, std::string_view secret) {
  std::string key = wp_specialchars_decode(std::string(secret));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char *>(body.data()), body.size(), mac, &len);
  std::string out(4 * ((len + 2) / 3), '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()), mac, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::int64_t webhook_delay_ms() {
  const char *v = std::getenv("WOO_DEMO_WEBHOOK_DELAY_MS");
  if (v == nullptr || *v == '\0') {
    return 1000;
  }
  try {
    return std::max<std::int64_t>(0, std::stoll(v));
  } catch (const std::exception &) {
    return 1000;
  }
}

} // namespace wc::demo
