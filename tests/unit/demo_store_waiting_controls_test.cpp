// The demo store's controls that let tests wait without sleeping: POST /__control/clock
// {"advance_seconds": N} (the store's clock, so its Date header and the modification times it
// writes, moves N seconds forward at once) and GET /__control/webhook_queue (deliveries still
// to come). Requests go straight through handle_api_request(), without sockets.
#include "core/time_util.hpp"
#include "demo_store/data_gen.hpp"
#include "demo_store/http_frontend.hpp"
#include "demo_store/router.hpp"
#include "demo_store/runtime.hpp"
#include "demo_store/store.hpp"
#include "demo_store/webhooks.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace wc::demo;
namespace json = boost::json;

const char *const kManagerAuth = "Basic Y2tfZGVtb19rZXk6Y3NfZGVtb19zZWNyZXQ=";

struct Demo {
  explicit Demo(bool with_extra_routes = false) : store(options.wc_version) {
    generate(store, {options.seed, options.orders, options.products, options.customers,
                     options.coupons, options.bulk_second});
    runtime = std::make_unique<Runtime>(options, store);
    ctx.control = &control;
    register_route_index(ctx);
    register_rest_routes(ctx);
    if (with_extra_routes) {
      for (const auto &registrar : extra_route_registrars()) {
        registrar(ctx);
      }
    }
    register_control_routes(control, *runtime);
  }
  ~Demo() {
    for (const auto &stop : ctx.on_shutdown) {
      stop();
    }
  }
  ApiResponse call(const std::string &method, const std::string &target,
                   const std::string &body = "", const std::string &auth = "") {
    ApiRequest r;
    r.method = method;
    r.path = target;
    r.body = body;
    r.https = true;
    r.scheme_host = "https://127.0.0.1:8443";
    if (!auth.empty()) {
      r.headers.emplace_back("Authorization", auth);
      r.headers.emplace_back("Content-Type", "application/json");
    }
    bool reset = false;
    return handle_api_request(*runtime, api, control, r, "", &reset);
  }
  json::object control_json(const std::string &method, const std::string &name,
                            const std::string &body = "") {
    auto r = call(method, "/__control/" + name, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_object();
  }
  Options options;
  Store store;
  std::unique_ptr<Runtime> runtime;
  Router api, control;
  AppContext ctx{api, store, options, {}};
};

TEST(DemoStoreWaitingControls, AdvanceMovesAFrozenClockAndWhatTheStoreWrites) {
  Demo d;
  d.control_json("POST", "clock", R"({"now":"2026-11-20T10:00:00","freeze":true})");
  EXPECT_EQ(json::serialize(d.control_json("POST", "clock", R"({"advance_seconds":2})")),
            R"({"now":"2026-11-20T10:00:02","frozen":true})"); // still frozen
  EXPECT_EQ(json::serialize(d.control_json("GET", "clock")),
            R"({"now":"2026-11-20T10:00:02","frozen":true})");
  // The Date header (the connector's checkpoint ceiling) and the edit's date_modified follow.
  const auto page = d.call("GET", "/wp-json/wc/v3/orders?per_page=1", "", kManagerAuth);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("Date"), "Fri, 20 Nov 2026 10:00:02 GMT");
  d.control_json("POST", "edit", R"({"resource":"orders","ids":[1000]})");
  const auto order = d.call("GET", "/wp-json/wc/v3/orders/1000", "", kManagerAuth);
  ASSERT_EQ(order.status, 200) << order.body;
  EXPECT_EQ(json::serialize(json::parse(order.body).at("date_modified_gmt")),
            R"("2026-11-20T10:00:02")");
}

TEST(DemoStoreWaitingControls, AdvanceMovesARunningClockForward) {
  Demo d;
  d.control_json("POST", "clock", R"({"now":"2026-11-20T10:00:00"})");
  const auto moved = d.control_json("POST", "clock", R"({"advance_seconds":3600})");
  EXPECT_EQ(json::serialize(moved.at("frozen")), "false");
  const auto now = std::string(d.control_json("GET", "clock").at("now").as_string());
  EXPECT_GE(now, "2026-11-20T11:00:00");
  EXPECT_LT(now, "2026-11-20T11:01:00");
}

TEST(DemoStoreWaitingControls, AdvanceRefusesToGoBackOrToMixWithNow) {
  Demo d;
  d.control_json("POST", "clock", R"({"now":"2026-11-20T10:00:00","freeze":true})");
  for (const char *bad :
       {R"({"advance_seconds":-1})", R"({"advance_seconds":1.5})", R"({"advance_seconds":"2"})",
        R"({"advance_seconds":2,"now":"2026-11-20T10:00:00"})"}) {
    EXPECT_EQ(d.call("POST", "/__control/clock", bad).status, 400) << bad;
  }
  EXPECT_EQ(json::serialize(d.control_json("GET", "clock").at("now")), R"("2026-11-20T10:00:00")");
}

// A loopback port nobody listens on: deliveries to it fail at once.
int dead_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

TEST(DemoStoreWaitingControls, WebhookQueueShowsDeliveriesStillToCome) {
  setenv("WOO_DEMO_WEBHOOK_DELAY_MS", "600000", 1); // the coalescing window outlasts the test
  ASSERT_EQ(webhook_delay_ms(), 600000);
  Demo d(true);
  unsetenv("WOO_DEMO_WEBHOOK_DELAY_MS");
  const std::string idle = R"({"pending":0,"in_flight":0})";
  EXPECT_EQ(json::serialize(d.control_json("GET", "webhook_queue")), idle);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(dead_port()) + "/webhooks/woocommerce";
  const auto hook =
      d.call("POST", "/wp-json/wc/v3/webhooks",
             R"({"topic":"order.updated","delivery_url":")" + url + "\"}", kManagerAuth);
  ASSERT_EQ(hook.status, 201) << hook.body;
  EXPECT_EQ(json::serialize(d.control_json("GET", "webhook_queue")), idle); // ping: synchronous
  d.control_json("POST", "edit", R"({"resource":"orders","ids":[1000,1001]})");
  d.control_json("POST", "edit", R"({"resource":"orders","ids":[1000]})"); // coalesced
  EXPECT_EQ(json::serialize(d.control_json("GET", "webhook_queue")),
            R"({"pending":2,"in_flight":0})");
}

} // namespace
