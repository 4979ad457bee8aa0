#pragma once
// Transport-independent request routing for the WooCommerce REST emulation. The HTTP layer
// (http_frontend) turns an httplib request into an ApiRequest for a REST route such as
// "/wc/v3/orders/12"; handlers return an ApiResponse. Other files add routes through
// register_extra_routes() before the servers start.
#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace wc::demo {

class Store;
struct Options;

// Who the request authenticated as. kCustomer: a logged-in WordPress user without WooCommerce
// rights (403 on every WooCommerce route).
enum class Caller { kAnonymous, kReadOnly, kManager, kCustomer };

struct ApiRequest {
  std::string method;                                         // GET, POST, PUT, DELETE
  std::string route;                                          // "/wc/v3/orders/12"
  std::vector<std::pair<std::string, std::string>> query;     // decoded, in order (no rest_route)
  std::vector<std::pair<std::string, std::string>> all_query; // every query param (signed by OAuth)
  std::string path;                                           // URL path as received
  std::string request_uri; // path and query exactly as received, undecoded (PHP's REQUEST_URI)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool https = false;
  std::string scheme_host; // "https://127.0.0.1:8443"
  std::string base_path;   // "" or "/shop"
  bool plain_permalinks = false;
  std::vector<std::string> captures; // regex groups of the matched route
  Caller caller = Caller::kAnonymous;

  // First value of a parameter; "k" also matches "k[]" and "k[0]".
  std::optional<std::string> param(const std::string &name) const;
  // All values: repeated k[]/k[i] entries and comma-separated lists, flattened.
  std::vector<std::string> param_list(const std::string &name) const;
  std::string header(const std::string &name) const; // case-insensitive, "" if absent
  // Absolute URL of a REST route, e.g. rest_url("/wc/v3/orders") ->
  // "https://host/wp-json/wc/v3/orders" or "https://host/?rest_route=/wc/v3/orders".
  std::string rest_url(const std::string &route) const;
  // rest_url("/wc/v3") without trailing slash: the base handlers pass to renderers.
  std::string api_base() const { return rest_url("/wc/v3"); }
};

struct ApiResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> all_query; // every query param (signed by OAuth)
  std::string path;                                           // URL path as received
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json; charset=UTF-8";

  static ApiResponse json(int status, const boost::json::value &v);
  // WordPress-style error body {"code","message","data":{"status":N}}.
  static ApiResponse error(int status, const std::string &code, const std::string &message);
  void set_header(const std::string &name, const std::string &value);
  // The value of a header (any case of its name), "" when absent.
  std::string header(const std::string &name) const;
};

// Who may call a route.
enum class Access {
  kPublic, // no credentials needed (route index)
  kRead,   // any valid key
  kManager // keys whose user is a shop manager (settings, taxes, gateways, webhooks)
};

using RouteHandler = std::function<ApiResponse(const ApiRequest &)>;

class Router {
public:
  // pattern is an ECMAScript regex matched against the whole route ("/wc/v3/orders/(\\d+)").
  // name is used for statistics ("orders", "orders/{id}").
  void add(const std::string &method, const std::string &pattern, const std::string &name,
           Access access, RouteHandler handler);

  struct Match {
    const RouteHandler *handler = nullptr;
    Access access = Access::kRead;
    std::string name;
    bool method_mismatch = false;
  };
  // Finds the route for method+route and fills req.captures.
  Match match(const std::string &method, const std::string &route,
              std::vector<std::string> &captures) const;

private:
  struct Entry {
    std::string method;
    std::regex re;
    std::string name;
    Access access;
    RouteHandler handler;
  };
  std::vector<Entry> entries_;
};

// What route registrars get: the router, the store and the options, plus shutdown hooks
// (e.g. to stop a delivery thread) run before the process exits.
struct AppContext {
  Router &router;
  Store &store;
  const Options &options;
  std::vector<std::function<void()>> on_shutdown;
  Router *control = nullptr; // the /__control/ routes (test controls), when there are any
};

using RouteRegistrar = std::function<void(AppContext &)>;
// Registers a function that adds routes (call from a static initialiser in your own .cpp:
// `static const bool registered = wc::demo::register_extra_routes(...);`). Returns true.
bool register_extra_routes(RouteRegistrar registrar);
const std::vector<RouteRegistrar> &extra_route_registrars();

// The built-in WooCommerce routes (rest_routes.cpp) and the route index (route_index.cpp).
void register_rest_routes(AppContext &ctx);
void register_route_index(AppContext &ctx);

} // namespace wc::demo
