// GET /wp-json/ and /wp-json/wc/v3: the public route index, listing each route's arguments the
// way WooCommerce registers them (version-gated like the real plugin).
#include "demo_store/options.hpp"
#include "demo_store/router.hpp"
#include "demo_store/store.hpp"

namespace wc::demo {
namespace json = boost::json;
namespace {

json::object arg(const char *type, const char *description, json::value dflt = nullptr) {
  json::object a{{"description", description}, {"type", type}, {"required", false}};
  if (!dflt.is_null()) {
    a["default"] = std::move(dflt);
  }
  return a;
}

json::object collection_args(const std::string &version, bool dated, bool modified,
                             const std::vector<std::string> &orderby, const char *dflt_orderby,
                             const char *dflt_order) {
  json::object a;
  a["context"] = arg("string", "Scope under which the request is made.", "view");
  a["page"] = arg("integer", "Current page of the collection.", 1);
  a["page"].as_object()["minimum"] = 1;
  a["per_page"] = arg("integer", "Maximum number of items to be returned in result set.", 10);
  a["per_page"].as_object()["minimum"] = 1;
  a["per_page"].as_object()["maximum"] = 100;
  a["search"] = arg("string", "Limit results to those matching a string.");
  if (dated) {
    a["after"] = arg("string",
                     "Limit response to resources published after a given ISO8601 compliant date.");
    a["before"] = arg(
        "string", "Limit response to resources published before a given ISO8601 compliant date.");
  }
  if (modified && version_at_least(version, "5.8")) {
    a["modified_after"] =
        arg("string", "Limit response to resources modified after a given ISO8601 compliant date.");
    a["modified_before"] = arg(
        "string", "Limit response to resources modified before a given ISO8601 compliant date.");
  }
  if (dated && version_at_least(version, "5.4")) {
    a["dates_are_gmt"] = arg(
        "boolean",
        "Whether to consider GMT post dates when limiting response by published or modified date.",
        false);
  }
  a["exclude"] = arg("array", "Ensure result set excludes specific IDs.", json::array{});
  a["include"] = arg("array", "Limit result set to specific ids.", json::array{});
  a["offset"] = arg("integer", "Offset the result set by a specific number of items.");
  a["order"] = arg("string", "Order sort attribute ascending or descending.", dflt_order);
  a["order"].as_object()["enum"] = json::array{"asc", "desc"};
  json::array ob;
  for (const auto &o : orderby) {
    ob.emplace_back(o);
  }
  a["orderby"] = arg("string", "Sort collection by object attribute.", dflt_orderby);
  a["orderby"].as_object()["enum"] = std::move(ob);
  return a;
}

json::object route(const std::string &ns_route, json::object args, const std::string &api_root) {
  return {{"namespace", "wc/v3"},
          {"methods", json::array{"GET"}},
          {"endpoints", json::array{{{"methods", json::array{"GET"}}, {"args", std::move(args)}}}},
          {"_links", {{"self", json::array{{{"href", api_root + ns_route}}}}}}};
}

json::object routes(const std::string &v, const std::string &api_root) {
  const std::vector<std::string> post{"date", "id", "include", "title", "slug", "modified"};
  const std::vector<std::string> term{"id",         "include",     "name", "slug",
                                      "term_group", "description", "count"};
  json::object r;
  r["/wc/v3"] = {
      {"namespace", "wc/v3"},
      {"methods", json::array{"GET"}},
      {"endpoints", json::array{{{"methods", json::array{"GET"}},
                                 {"args", {{"namespace", arg("string", "", "wc/v3")}}}}}}};
  auto orders = collection_args(v, true, true, post, "date", "desc");
  orders["status"] =
      arg("array", "Limit result set to orders which have specific statuses.", json::array{"any"});
  orders["customer"] = arg("integer", "Limit result set to orders assigned a specific customer.");
  orders["parent"] =
      arg("array", "Limit result set to those of particular parent IDs.", json::array{});
  r["/wc/v3/orders"] = route("/wc/v3/orders", orders, api_root);
  r["/wc/v3/orders/(?P<id>[\\d]+)"] =
      route("/wc/v3/orders/(?P<id>[\\d]+)",
            {{"id", arg("integer", "Unique identifier for the resource.")}}, api_root);
  r["/wc/v3/orders/(?P<order_id>[\\d]+)/notes"] = route(
      "/wc/v3/orders/(?P<order_id>[\\d]+)/notes",
      {{"type", arg("string", "Limit result to customers or internal notes.", "any")}}, api_root);
  r["/wc/v3/orders/(?P<order_id>[\\d]+)/refunds"] =
      route("/wc/v3/orders/(?P<order_id>[\\d]+)/refunds",
            collection_args(v, true, true, post, "date", "desc"), api_root);
  if (version_at_least(v, "9.0")) {
    r["/wc/v3/refunds"] =
        route("/wc/v3/refunds", collection_args(v, true, true, post, "date", "desc"), api_root);
  }
  auto products = collection_args(v, true, true,
                                  {"date", "id", "include", "title", "slug", "modified", "rand",
                                   "menu_order", "price", "popularity", "rating"},
                                  "date", "desc");
  products["status"] =
      arg("string", "Limit result set to products assigned a specific status.", "any");
  products["type"] = arg("string", "Limit result set to products assigned a specific type.");
  products["sku"] = arg("string", "Limit result set to products with specific SKU(s).");
  products["stock_status"] =
      arg("string", "Limit result set to products with specified stock status.");
  r["/wc/v3/products"] = route("/wc/v3/products", products, api_root);
  auto variations = collection_args(
      v, true, true, {"date", "id", "include", "title", "slug", "modified", "menu_order"}, "date",
      "desc");
  r["/wc/v3/products/(?P<product_id>[\\d]+)/variations"] =
      route("/wc/v3/products/(?P<product_id>[\\d]+)/variations", variations, api_root);
  if (version_at_least(v, "10.3")) {
    r["/wc/v3/variations"] = route("/wc/v3/variations", variations, api_root);
  }
  for (const char *t :
       {"/wc/v3/products/categories", "/wc/v3/products/tags", "/wc/v3/products/shipping_classes",
        "/wc/v3/products/attributes/(?P<attribute_id>[\\d]+)/terms"}) {
    r[t] = route(t, collection_args(v, false, false, term, "name", "asc"), api_root);
  }
  r["/wc/v3/products/attributes"] = route(
      "/wc/v3/products/attributes",
      {{"context", arg("string", "Scope under which the request is made.", "view")}}, api_root);
  auto reviews = collection_args(v, true, false, {"date", "date_gmt", "id", "include", "product"},
                                 "date_gmt", "desc");
  reviews["status"] =
      arg("string", "Limit result set to reviews assigned a specific status.", "approved");
  reviews["product"] =
      arg("array", "Limit result set to reviews assigned to specific product IDs.", json::array{});
  r["/wc/v3/products/reviews"] = route("/wc/v3/products/reviews", reviews, api_root);
  auto customers =
      collection_args(v, false, false, {"id", "include", "name", "registered_date"}, "name", "asc");
  customers["email"] = arg("string", "Limit result set to resources with a specific email.");
  customers["role"] =
      arg("string", "Limit result set to resources with a specific role.", "customer");
  r["/wc/v3/customers"] = route("/wc/v3/customers", customers, api_root);
  auto coupons = collection_args(v, true, true, post, "date", "desc");
  coupons["code"] = arg("string", "Limit result set to resources with a specific code.");
  r["/wc/v3/coupons"] = route("/wc/v3/coupons", coupons, api_root);
  auto taxes = collection_args(v, false, false, {"id", "order", "priority"}, "order", "asc");
  taxes.erase("search");
  taxes.erase("include");
  taxes.erase("exclude");
  taxes["class"] = arg("string", "Sort by tax class.");
  r["/wc/v3/taxes"] = route("/wc/v3/taxes", taxes, api_root);
  for (const char *t :
       {"/wc/v3/taxes/classes", "/wc/v3/shipping/zones",
        "/wc/v3/shipping/zones/(?P<id>[\\d]+)/locations",
        "/wc/v3/shipping/zones/(?P<zone_id>[\\d]+)/methods", "/wc/v3/shipping_methods",
        "/wc/v3/payment_gateways", "/wc/v3/system_status", "/wc/v3/system_status/tools",
        "/wc/v3/data/currencies/current", "/wc/v3/data/continents", "/wc/v3/data/currencies",
        "/wc/v3/reports"}) {
    r[t] = route(t, {{"context", arg("string", "Scope under which the request is made.", "view")}},
                 api_root);
  }
  return r;
}

// The index as some page caches and security plugins serve it: each endpoint without its
// argument list.
json::object without_args(json::object r) {
  for (auto &kv : r) {
    if (auto *eps = kv.value().as_object().if_contains("endpoints"); eps && eps->is_array()) {
      for (auto &ep : eps->as_array()) {
        ep.as_object().erase("args");
      }
    }
  }
  return r;
}

} // namespace

void register_route_index(AppContext &ctx) {
  const std::string version = ctx.options.wc_version;
  const bool strip = ctx.options.strip_route_args;
  auto served = [strip](const std::string &v, const std::string &root) {
    return strip ? without_args(routes(v, root)) : routes(v, root);
  };
  ctx.router.add("GET", "/wc/v3/?", "index", Access::kPublic,
                 [version, served](const ApiRequest &req) {
                   const std::string root = req.rest_url("");
                   return ApiResponse::json(
                       200, {{"namespace", "wc/v3"},
                             {"routes", served(version, root)},
                             {"_links", {{"up", json::array{{{"href", req.rest_url("/")}}}}}}});
                 });
  ctx.router.add("GET", "/?", "root", Access::kPublic, [version, served](const ApiRequest &req) {
    const std::string home = req.scheme_host + req.base_path;
    return ApiResponse::json(200, {{"name", "WooCommerce Demo Store"},
                                   {"description", "A local WooCommerce REST emulator"},
                                   {"url", home},
                                   {"home", home},
                                   {"gmt_offset", "1"},
                                   {"timezone_string", "Europe/Berlin"},
                                   {"namespaces", json::array{"wc/v3"}},
                                   {"authentication", json::object{}},
                                   {"routes", served(version, req.rest_url(""))}});
  });
}

} // namespace wc::demo
