#include "demo_store/data_gen.hpp"
#include "demo_store/nested_variety.hpp"
#include "demo_store/reference_data.hpp"

#include "demo_store/people.hpp"

#include <algorithm>
#include <array>
#include <random>

namespace wc::demo {
namespace json = boost::json;
namespace {

constexpr UnixSeconds kDay = 86400;
constexpr UnixSeconds kSpan = 730 * kDay; // orders spread over two years before the epoch

constexpr std::array<const char *, 8> kAdjectives{"Rugged",   "Vintage",    "Organic", "Urban",
                                                  "Heritage", "Minimalist", "Sunrise", "Midnight"};
struct Kind {
  const char *noun, *sku, *category;
};
constexpr std::array<Kind, 8> kKinds{{{"Denim Jacket", "JAC", "jackets"},
                                      {"Wool Socks", "SOC", "socks"},
                                      {"Pullover", "HOO", "hoodies"},
                                      {"Baseball Cap", "HAT", "hats"},
                                      {"Field Guide", "BOO", "books"},
                                      {"Water Bottle", "BOT", "accessories"},
                                      {"Desk Lamp", "LAM", "electronics"},
                                      {"Canvas Tote", "TOT", "bags"}}};
constexpr std::array<const char *, 6> kColors{"Blue", "White", "Yellow", "Green", "Red", "Black"};
constexpr std::array<const char *, 4> kSizes{"S", "M", "L", "XL"};

std::string slugify(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') {
    out.pop_back();
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const Doc *category_by_slug(const StoreData &d, const std::string &slug) {
  for (const auto &c : d.categories) {
    if (c.slug == slug) {
      return &c;
    }
  }
  return nullptr;
}

json::object product_body(StoreData &d, std::uint64_t n, std::int64_t id, const std::string &type,
                          std::int64_t price_cents, std::mt19937_64 &rng) {
  const Kind &k = kKinds[n % kKinds.size()];
  const std::string name = std::string(kAdjectives[(n / kKinds.size()) % kAdjectives.size()]) +
                           " " + k.noun +
                           (n >= kKinds.size() * kAdjectives.size()
                                ? " " + std::to_string(n / (kKinds.size() * kAdjectives.size()) + 1)
                                : "");
  const std::string slug = slugify(name);
  json::array categories;
  if (const Doc *c = category_by_slug(d, k.category)) {
    categories.push_back({{"id", c->id}, {"name", c->sort_name}, {"slug", c->slug}});
  }
  json::array tags;
  if (!d.tags.empty() && rng() % 2) {
    const Doc &t = d.tags[rng() % d.tags.size()];
    tags.push_back({{"id", t.id}, {"name", t.sort_name}, {"slug", t.slug}});
  }
  const bool manage = type == "simple" && rng() % 2 == 0;
  const int stock = static_cast<int>(rng() % 60);
  const std::string price = money(price_cents);
  json::object b;
  b["id"] = id;
  b["name"] = name;
  b["slug"] = slug;
  b["permalink"] = "https://127.0.0.1/product/" + slug + "/";
  b["date_created"] = nullptr;
  b["date_created_gmt"] = nullptr;
  b["date_modified"] = nullptr;
  b["date_modified_gmt"] = nullptr;
  b["type"] = type;
  b["status"] = "publish";
  b["featured"] = rng() % 10 == 0;
  b["catalog_visibility"] = "visible";
  b["description"] = "<p>The " + name + " is part of our range. Designed for everyday use.</p>\n";
  b["short_description"] = "<p>A premium take on a classic.</p>\n";
  b["sku"] = std::string(k.sku) + "-" + std::to_string(10000 + id);
  b["price"] = price;
  b["regular_price"] = type == "variable" ? "" : price;
  b["sale_price"] = "";
  b["date_on_sale_from"] = nullptr;
  b["date_on_sale_from_gmt"] = nullptr;
  b["date_on_sale_to"] = nullptr;
  b["date_on_sale_to_gmt"] = nullptr;
  b["on_sale"] = false;
  b["purchasable"] = true;
  b["total_sales"] = rng() % 120;
  b["virtual"] = false;
  b["downloadable"] = false;
  b["downloads"] = json::array{};
  b["download_limit"] = -1;
  b["download_expiry"] = -1;
  b["external_url"] = "";
  b["button_text"] = "";
  b["tax_status"] = "taxable";
  b["tax_class"] = "";
  b["manage_stock"] = manage;
  b["stock_quantity"] = manage ? json::value(stock) : nullptr;
  b["backorders"] = "no";
  b["backorders_allowed"] = false;
  b["backordered"] = false;
  b["low_stock_amount"] = manage && rng() % 3 == 0 ? json::value(5) : nullptr;
  b["sold_individually"] = false;
  b["weight"] = std::to_string(1 + rng() % 5) + ".5";
  b["dimensions"] = {{"length", "47"}, {"width", "24"}, {"height", "10"}};
  b["shipping_required"] = true;
  b["shipping_taxable"] = true;
  b["shipping_class"] = "";
  b["shipping_class_id"] = 0;
  b["reviews_allowed"] = true;
  b["average_rating"] = "0.00";
  b["rating_count"] = 0;
  b["upsell_ids"] = json::array{};
  b["cross_sell_ids"] = json::array{};
  b["parent_id"] = 0;
  b["purchase_note"] = "";
  b["categories"] = std::move(categories);
  b["brands"] = json::array{};
  b["tags"] = std::move(tags);
  b["images"] = json::array{};
  b["attributes"] = json::array{};
  b["default_attributes"] = json::array{};
  b["variations"] = json::array{};
  b["grouped_products"] = json::array{};
  b["menu_order"] = 0;
  b["price_html"] = "<span class=\"woocommerce-Price-amount amount\"><bdi><span "
                    "class=\"woocommerce-Price-currencySymbol\">&#36;</span>" +
                    price + "</bdi></span>";
  b["related_ids"] = json::array{};
  b["meta_data"] = json::array{};
  b["stock_status"] = manage && stock == 0 ? "outofstock" : "instock";
  b["has_options"] = type == "variable";
  b["post_password"] = "";
  b["global_unique_id"] = "";
  return b;
}

Doc term_doc(std::int64_t id, const std::string &name, std::int64_t parent, bool category,
             const std::string &description, int count) {
  Doc d;
  d.id = id;
  d.sort_name = name;
  d.slug = slugify(name);
  d.parent = parent;
  d.status = "publish";
  d.body["id"] = id;
  d.body["name"] = name;
  d.body["slug"] = d.slug;
  if (category) {
    d.body["parent"] = parent;
    d.body["description"] = description;
    d.body["display"] = "default";
    d.body["image"] = nullptr;
    d.body["menu_order"] = 0;
  } else {
    d.body["description"] = description;
  }
  d.body["count"] = count;
  return d;
}

json::object setting(const char *id, const char *label, const char *type,
                     const std::string &value) {
  return {{"id", id},       {"label", label}, {"description", ""}, {"type", type},
          {"value", value}, {"default", ""},  {"tip", ""},         {"placeholder", ""}};
}

json::object gateway(const char *id, const char *title, const char *method_title, int order,
                     json::object settings, const std::string &api) {
  return {{"id", id},
          {"title", title},
          {"description", std::string("Pay with ") + title + "."},
          {"order", order},
          {"enabled", true},
          {"method_title", method_title},
          {"method_description", std::string(method_title) + " payments."},
          {"method_supports", json::array{"products"}},
          {"settings", std::move(settings)},
          {"_links",
           {{"self", json::array{{{"href", api + "/payment_gateways/" + id}}}},
            {"collection", json::array{{{"href", api + "/payment_gateways"}}}}}}};
}

void generate_static(StoreData &d) {
  const std::string api = "https://127.0.0.1/wp-json/wc/v3";
  // Tax classes and rates.
  for (const auto &[slug, name] :
       std::vector<std::pair<const char *, const char *>>{{"standard", "Standard rate"},
                                                          {"reduced-rate", "Reduced rate"},
                                                          {"zero-rate", "Zero rate"}}) {
    d.tax_classes.push_back(
        {{"slug", slug},
         {"name", name},
         {"_links", {{"collection", json::array{{{"href", api + "/taxes/classes"}}}}}}});
  }
  struct Rate {
    const char *country, *state, *rate, *name, *cls;
  };
  const std::array<Rate, 7> rates{{{"US", "CA", "7.2500", "CA State Tax", "standard"},
                                   {"US", "TX", "6.2500", "TX State Tax", "standard"},
                                   {"US", "WA", "6.5000", "WA State Tax", "standard"},
                                   {"DE", "", "19.0000", "MwSt.", "standard"},
                                   {"DE", "", "7.0000", "MwSt. ermäßigt", "reduced-rate"},
                                   {"DE", "", "0.0000", "Steuerfrei", "zero-rate"},
                                   {"US", "CA", "1.0000", "LA County Tax", "standard"}}};
  // Rates limited to postcodes and cities (WooCommerce's `postcode`/`city` show the last one).
  const std::array<std::vector<const char *>, 7> postcodes{
      {{}, {"73301", "770*"}, {}, {}, {}, {}, {"90001", "90002", "90003...90099"}}};
  const std::array<std::vector<const char *>, 7> cities{
      {{}, {"AUSTIN", "HOUSTON"}, {}, {}, {}, {}, {"LOS ANGELES"}}};
  for (std::size_t i = 0; i < rates.size(); ++i) {
    Doc t;
    t.id = static_cast<std::int64_t>(i + 1);
    t.status = "publish";
    t.sort_name = rates[i].name;
    t.group = static_cast<std::int64_t>(i); // "order"
    json::array pcs(postcodes[i].begin(), postcodes[i].end());
    json::array cts(cities[i].begin(), cities[i].end());
    t.body = {{"id", t.id},
              {"country", rates[i].country},
              {"state", rates[i].state},
              {"postcode", postcodes[i].empty() ? "" : postcodes[i].back()},
              {"city", cities[i].empty() ? "" : cities[i].back()},
              {"rate", rates[i].rate},
              {"name", rates[i].name},
              {"priority", i == 6 ? 2 : 1},
              {"compound", false},
              {"shipping", i < 3 || i == 6},
              {"order", i},
              {"class", rates[i].cls},
              {"postcodes", std::move(pcs)},
              {"cities", std::move(cts)}};
    d.tax_rates.push_back(std::move(t));
  }
  // Shipping zones, locations and methods (zone 0 = "Locations not covered by your other zones").
  struct Zone {
    int id;
    const char *name;
    int order;
  };
  const std::array<Zone, 4> zones{{{1, "United States", 0},
                                   {2, "Germany", 1},
                                   {3, "Europe", 2},
                                   {0, "Locations not covered by your other zones", 0}}};
  for (const auto &z : zones) {
    const std::string zid = std::to_string(z.id);
    d.zones.push_back({{"id", z.id},
                       {"name", z.name},
                       {"order", z.order},
                       {"_links",
                        {{"self", json::array{{{"href", api + "/shipping/zones/" + zid}}}},
                         {"collection", json::array{{{"href", api + "/shipping/zones"}}}},
                         {"describedby", json::array{{{"href", api + "/shipping/zones/" + zid +
                                                                   "/locations"}}}}}}});
  }
  auto loc = [&](int zone, const char *code, const char *type) {
    const std::string zid = std::to_string(zone);
    d.zone_locations[zone].push_back(
        {{"code", code},
         {"type", type},
         {"_links",
          {{"collection", json::array{{{"href", api + "/shipping/zones/" + zid + "/locations"}}}},
           {"describes", json::array{{{"href", api + "/shipping/zones/" + zid}}}}}}});
  };
  loc(1, "US", "country");
  loc(2, "DE", "country");
  loc(3, "EU", "continent");
  loc(3, "CH", "country");
  d.zone_locations[0] = json::array{};
  int instance = 1;
  auto method = [&](int zone, const char *id, const char *title, const std::string &cost) {
    const std::string zid = std::to_string(zone);
    const int inst = instance++;
    json::object settings{{"title", setting("title", "Method title", "text", title)}};
    if (!cost.empty()) {
      settings["cost"] = setting("cost", "Cost", "text", cost);
    }
    d.zone_methods[zone].push_back(
        {{"id", inst},
         {"instance_id", inst},
         {"title", title},
         {"order", inst},
         {"enabled", true},
         {"method_id", id},
         {"method_title", title},
         {"method_description", ""},
         {"settings", std::move(settings)},
         {"_links",
          {{"self", json::array{{{"href", api + "/shipping/zones/" + zid + "/methods/" +
                                              std::to_string(inst)}}}},
           {"collection", json::array{{{"href", api + "/shipping/zones/" + zid + "/methods"}}}},
           {"describes", json::array{{{"href", api + "/shipping/zones/" + zid}}}}}}});
  };
  method(1, "flat_rate", "Flat rate", "9.99");
  method(1, "free_shipping", "Free shipping", "");
  method(2, "flat_rate", "Versand", "4.90");
  method(2, "local_pickup", "Abholung", "");
  method(3, "flat_rate", "Europe flat rate", "14.90");
  method(0, "flat_rate", "Rest of world", "29.00");
  for (const auto &[id, title, desc] : std::vector<std::array<const char *, 3>>{
           {"flat_rate", "Flat rate", "Lets you charge a fixed rate for shipping."},
           {"free_shipping", "Free shipping", "Free shipping is a special method."},
           {"local_pickup", "Local pickup", "Allow customers to pick up orders themselves."}}) {
    d.shipping_methods.push_back(
        {{"id", id},
         {"title", title},
         {"description", desc},
         {"_links",
          {{"self", json::array{{{"href", api + "/shipping_methods/" + id}}}},
           {"collection", json::array{{{"href", api + "/shipping_methods"}}}}}}});
  }
  // Payment gateways; stripe carries password-type settings (fake values) like real plugins do.
  json::object basic{{"title", setting("title", "Title", "safe_text", "Direct bank transfer")},
                     {"instructions", setting("instructions", "Instructions", "textarea", "")}};
  d.payment_gateways.push_back(
      gateway("bacs", "Direct bank transfer", "Direct bank transfer", 0, basic, api));
  basic["title"] = setting("title", "Title", "safe_text", "Check payments");
  d.payment_gateways.push_back(
      gateway("cheque", "Check payments", "Check payments", 1, basic, api));
  basic["title"] = setting("title", "Title", "safe_text", "Cash on delivery");
  d.payment_gateways.push_back(
      gateway("cod", "Cash on delivery", "Cash on delivery", 2, basic, api));
  json::object stripe{
      {"title", setting("title", "Title", "safe_text", "Credit Card (Stripe)")},
      {"testmode", setting("testmode", "Test mode", "checkbox", "yes")},
      {"test_publishable_key", setting("test_publishable_key", "Test Publishable Key", "text",
                                       "pk_test_demo_publishable_0000")},
      {"test_secret_key",
       setting("test_secret_key", "Test Secret Key", "password", "sk_test_demo_secret_0000")},
      {"secret_key",
       setting("secret_key", "Live Secret Key", "password", "sk_live_demo_secret_0000")},
      {"webhook_secret",
       setting("webhook_secret", "Webhook Secret", "password", "whsec_demo_0000")}};
  d.payment_gateways.push_back(gateway("stripe", "Credit Card (Stripe)", "Stripe", 3, stripe, api));
  // System status tools.
  for (const auto &[id, name, action] : std::vector<std::array<const char *, 3>>{
           {"clear_transients", "WooCommerce transients", "Clear transients"},
           {"clear_expired_transients", "Expired transients", "Clear transients"},
           {"delete_orphaned_variations", "Orphaned variations", "Delete orphaned variations"},
           {"recount_terms", "Term counts", "Recount terms"},
           {"regenerate_product_lookup_tables", "Product lookup tables", "Regenerate"}}) {
    d.tools.push_back({{"id", id},
                       {"name", name},
                       {"action", action},
                       {"description", std::string(name) + " tool."},
                       {"_links",
                        {{"item", json::array{{{"href", api + "/system_status/tools/" + id},
                                               {"embeddable", true}}}}}}});
  }
  d.currency = {{"code", "USD"},
                {"name", "United States (US) dollar"},
                {"symbol", "&#36;"},
                {"_links",
                 {{"self", json::array{{{"href", api + "/data/currencies/USD"}}}},
                  {"collection", json::array{{{"href", api + "/data/currencies"}}}}}}};
  generate_reference_data(d, api);
}

} // namespace

Doc make_simple_product(StoreData &d, std::uint64_t n, UnixSeconds created) {
  std::mt19937_64 rng(d.seed ^ (n * 0x9E3779B97F4A7C15ULL));
  Doc p;
  p.id = d.next_post_id++;
  p.created = created;
  p.modified = created;
  p.status = "publish";
  p.body = product_body(d, n, p.id, "simple", 500 + static_cast<std::int64_t>(rng() % 15000), rng);
  p.sort_name = p.body["name"].as_string().c_str();
  p.slug = p.body["slug"].as_string().c_str();
  add_product_lists(p, n);
  return p;
}

Doc make_customer(StoreData &d, std::uint64_t n, UnixSeconds created, const std::string &role) {
  Doc c;
  c.id = d.next_user_id++;
  const Person p = person_for(static_cast<std::uint64_t>(c.id));
  c.created = created;
  c.modified =
      std::min<UnixSeconds>(created + static_cast<UnixSeconds>(n % 5) * kDay, kStoreEpoch - 3600);
  c.status = role;
  c.sort_name = p.first_name + " " + p.last_name;
  c.body = {{"id", c.id},
            {"date_created", nullptr},
            {"date_created_gmt", nullptr},
            {"date_modified", nullptr},
            {"date_modified_gmt", nullptr},
            {"email", p.email},
            {"first_name", p.first_name},
            {"last_name", p.last_name},
            {"role", role},
            {"username", p.username},
            {"billing", billing_json(p)},
            {"shipping", shipping_json(p)},
            {"is_paying_customer", n % 3 != 0},
            {"avatar_url", "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g"},
            {"meta_data", json::array{}}};
  add_customer_meta(c, n);
  return c;
}

Doc make_coupon(StoreData &d, std::uint64_t n, UnixSeconds created) {
  Doc c;
  c.id = d.next_post_id++;
  c.created = created;
  c.modified = created;
  c.status = "publish";
  const std::string code =
      (n % 2 ? "save" : "bundle") + std::to_string(5 + (n % 6) * 5) + "-" + std::to_string(c.id);
  c.sort_name = code;
  c.slug = code;
  c.body = {{"id", c.id},
            {"code", code},
            {"amount", money(static_cast<std::int64_t>(500 + (n % 6) * 500))},
            {"status", "publish"},
            {"date_created", nullptr},
            {"date_created_gmt", nullptr},
            {"date_modified", nullptr},
            {"date_modified_gmt", nullptr},
            {"discount_type", n % 2 ? "percent" : "fixed_cart"},
            {"description", "Promotion " + code},
            {"date_expires", nullptr},
            {"date_expires_gmt", nullptr},
            {"usage_count", n % 40},
            {"individual_use", false},
            {"product_ids", json::array{}},
            {"excluded_product_ids", json::array{}},
            {"usage_limit", nullptr},
            {"usage_limit_per_user", 1},
            {"limit_usage_to_x_items", nullptr},
            {"free_shipping", n % 5 == 0},
            {"product_categories", json::array{}},
            {"excluded_product_categories", json::array{}},
            {"exclude_sale_items", false},
            {"minimum_amount", "20.00"},
            {"maximum_amount", "0.00"},
            {"email_restrictions", json::array{}},
            {"used_by", json::array{}},
            {"meta_data", json::array{}}};
  add_coupon_lists(d, c, n);
  return c;
}

void generate(Store &store, const GenOptions &opt) {
  std::unique_lock lock(store.mutex());
  StoreData &d = store.data();
  d.seed = opt.seed;
  std::mt19937_64 rng(opt.seed);
  const UnixSeconds start = kStoreEpoch - kSpan - kDay;
  generate_static(d);

  // Terms: categories (some nested), tags, attributes with terms, shipping classes.
  std::int64_t term_id = 15;
  const std::array<std::pair<const char *, const char *>, 10> cats{{{"Clothing", ""},
                                                                    {"Jackets", "Clothing"},
                                                                    {"Hoodies", "Clothing"},
                                                                    {"Socks", "Clothing"},
                                                                    {"Accessories", ""},
                                                                    {"Hats", "Accessories"},
                                                                    {"Bags", "Accessories"},
                                                                    {"Books", ""},
                                                                    {"Electronics", ""},
                                                                    {"Uncategorized", ""}}};
  for (const auto &[name, parent] : cats) {
    std::int64_t parent_id = 0;
    if (*parent) {
      if (const Doc *p = category_by_slug(d, slugify(parent))) {
        parent_id = p->id;
      }
    }
    d.categories.push_back(
        term_doc(term_id++, name, parent_id, true, std::string("All ") + name + " products", 0));
  }
  for (const char *t :
       {"new", "bestseller", "limited-edition", "sale", "eco", "gift", "classic", "outdoor"}) {
    d.tags.push_back(term_doc(term_id++, t, 0, false, "", 0));
  }
  struct Attr {
    int id;
    const char *name;
    std::vector<const char *> terms;
  };
  const std::vector<Attr> attrs{{1, "Color", {kColors.begin(), kColors.end()}},
                                {2, "Size", {kSizes.begin(), kSizes.end()}},
                                {3, "Material", {"Cotton", "Wool", "Polyester"}}};
  const std::string api = "https://127.0.0.1/wp-json/wc/v3";
  for (const auto &a : attrs) {
    const std::string aid = std::to_string(a.id);
    d.attributes.push_back(
        {{"id", a.id},
         {"name", a.name},
         {"slug", "pa_" + lower(a.name)},
         {"type", "select"},
         {"order_by", "menu_order"},
         {"has_archives", false},
         {"_links",
          {{"self", json::array{{{"href", api + "/products/attributes/" + aid}}}},
           {"collection", json::array{{{"href", api + "/products/attributes"}}}}}}});
    int order = 0;
    for (const char *t : a.terms) {
      Doc term = term_doc(term_id++, t, 0, false, "", 0);
      term.group = a.id;
      term.body.erase("count");
      term.body["menu_order"] = order++;
      term.body["count"] = 0;
      d.attribute_terms.push_back(std::move(term));
    }
  }
  for (const char *s : {"Bulky", "Fragile", "Letter"}) {
    d.shipping_classes.push_back(term_doc(term_id++, s, 0, false, "", 0));
  }

  // Customers: user 1 is the administrator; a few subscribers and shop managers.
  Doc admin = make_customer(d, 0, start, "administrator");
  admin.body["username"] = "admin";
  d.customers.push_back(std::move(admin));
  for (int i = 0; i < opt.customers; ++i) {
    const std::string role =
        i % 25 == 7 ? "shop_manager" : (i % 15 == 4 ? "subscriber" : "customer");
    const UnixSeconds created = start + static_cast<UnixSeconds>(rng() % kSpan);
    d.customers.push_back(make_customer(d, static_cast<std::uint64_t>(i) + 1, created, role));
  }

  // Products: about a quarter variable with 2-6 variations each.
  d.next_post_id = 100;
  for (int i = 0; i < opt.products; ++i) {
    const UnixSeconds created = start + static_cast<UnixSeconds>(rng() % (kSpan / 2));
    const UnixSeconds modified = created + static_cast<UnixSeconds>(rng() % (kSpan / 2));
    const bool variable = i % 4 == 1;
    if (!variable) {
      Doc p = make_simple_product(d, static_cast<std::uint64_t>(i), created);
      p.modified = modified;
      if (i % 23 == 22) {
        p.status = "trash";
        p.prev_status = "publish";
        p.body["status"] = "trash";
      }
      Sellable s;
      s.product_id = static_cast<std::uint32_t>(p.id);
      s.name = p.sort_name;
      s.sku = p.body["sku"].as_string().c_str();
      s.price_cents =
          static_cast<std::int64_t>(std::stod(p.body["price"].as_string().c_str()) * 100 + 0.5);
      d.sellables.push_back(std::move(s));
      d.products.push_back(std::move(p));
      continue;
    }
    Doc p;
    p.id = d.next_post_id++;
    p.created = created;
    p.modified = modified;
    p.status = "publish";
    const std::int64_t base_price = 1500 + static_cast<std::int64_t>(rng() % 12000);
    p.body = product_body(d, static_cast<std::uint64_t>(i), p.id, "variable", base_price, rng);
    p.sort_name = p.body["name"].as_string().c_str();
    p.slug = p.body["slug"].as_string().c_str();
    const bool parent_manages = rng() % 3 == 0;
    if (parent_manages) {
      p.body["manage_stock"] = true;
      p.body["stock_quantity"] = 40 + static_cast<int>(rng() % 60);
    }
    const int n_var = 2 + static_cast<int>(rng() % 5);
    json::array options_color, options_size, var_ids;
    for (int v = 0; v < n_var; ++v) {
      const char *color =
          kColors[(static_cast<std::size_t>(i) + static_cast<std::size_t>(v / 2)) % kColors.size()];
      const char *size = kSizes[static_cast<std::size_t>(v) % kSizes.size()];
      if (std::find(options_color.begin(), options_color.end(), json::value(color)) ==
          options_color.end()) {
        options_color.emplace_back(color);
      }
      if (std::find(options_size.begin(), options_size.end(), json::value(size)) ==
          options_size.end()) {
        options_size.emplace_back(size);
      }
      Doc var;
      var.id = d.next_post_id++;
      var.parent = p.id;
      var.created = created;
      var.modified = created + static_cast<UnixSeconds>(rng() % (kSpan / 2));
      var.status = "publish";
      const std::int64_t price = base_price + (v % 3) * 250;
      const std::string sku =
          p.body["sku"].as_string().c_str() + std::string("-") + lower(color) + "-" + lower(size);
      json::value manage = json::value(rng() % 2 == 0);
      if (parent_manages) {
        manage = "parent";
      }
      const int stock = static_cast<int>(rng() % 40);
      json::value stock_q = manage.is_bool() && manage.as_bool() ? json::value(stock) : nullptr;
      if (parent_manages) {
        stock_q = p.body["stock_quantity"];
      }
      var.sort_name = std::string(color) + ", " + size;
      var.body = {
          {"id", var.id},
          {"type", "variation"},
          {"date_created", nullptr},
          {"date_created_gmt", nullptr},
          {"date_modified", nullptr},
          {"date_modified_gmt", nullptr},
          {"description", ""},
          {"permalink", "https://127.0.0.1/product/" + p.slug + "/?attribute_pa_color=" +
                            lower(color) + "&attribute_pa_size=" + lower(size)},
          {"sku", sku},
          {"global_unique_id", ""},
          {"price", money(price)},
          {"regular_price", money(price)},
          {"sale_price", ""},
          {"date_on_sale_from", nullptr},
          {"date_on_sale_from_gmt", nullptr},
          {"date_on_sale_to", nullptr},
          {"date_on_sale_to_gmt", nullptr},
          {"on_sale", false},
          {"status", "publish"},
          {"purchasable", true},
          {"virtual", false},
          {"downloadable", false},
          {"downloads", json::array{}},
          {"download_limit", -1},
          {"download_expiry", -1},
          {"tax_status", "taxable"},
          {"tax_class", ""},
          {"manage_stock", manage},
          {"stock_quantity", stock_q},
          {"stock_status", manage == true && stock == 0 ? "outofstock" : "instock"},
          {"backorders", v % 5 == 4 ? "notify" : "no"},
          {"backorders_allowed", v % 5 == 4},
          {"backordered", false},
          {"low_stock_amount", v % 3 == 0 ? json::value(3) : nullptr},
          {"weight", "0.5"},
          {"dimensions", {{"length", "47"}, {"width", "24"}, {"height", "10"}}},
          {"shipping_class", ""},
          {"shipping_class_id", 0},
          {"image", nullptr},
          {"attributes",
           json::array{{{"id", 1}, {"name", "Color"}, {"slug", "pa_color"}, {"option", color}},
                       {{"id", 2}, {"name", "Size"}, {"slug", "pa_size"}, {"option", size}}}},
          {"menu_order", v},
          {"meta_data", json::array{}},
          {"name", var.sort_name},
          {"parent_id", p.id}};
      add_variation_lists(var, v);
      var_ids.push_back(var.id);
      Sellable s;
      s.product_id = static_cast<std::uint32_t>(p.id);
      s.variation_id = static_cast<std::uint32_t>(var.id);
      s.parent_name = p.sort_name;
      s.name = p.sort_name + " - " + var.sort_name;
      s.sku = sku;
      s.price_cents = price;
      s.attributes = {{"pa_color", color}, {"pa_size", size}};
      d.sellables.push_back(std::move(s));
      d.variations.push_back(std::move(var));
    }
    p.body["attributes"] = json::array{{{"id", 1},
                                        {"name", "Color"},
                                        {"slug", "pa_color"},
                                        {"position", 0},
                                        {"visible", true},
                                        {"variation", true},
                                        {"options", options_color}},
                                       {{"id", 2},
                                        {"name", "Size"},
                                        {"slug", "pa_size"},
                                        {"position", 1},
                                        {"visible", true},
                                        {"variation", true},
                                        {"options", options_size}}};
    p.body["variations"] = std::move(var_ids);
    add_product_lists(p, static_cast<std::uint64_t>(i));
    add_default_attributes(p);
    d.products.push_back(std::move(p));
  }
  link_products(d);

  // Coupons, one in the trash.
  for (int i = 0; i < opt.coupons; ++i) {
    const UnixSeconds created = start + static_cast<UnixSeconds>(rng() % kSpan);
    Doc c = make_coupon(d, static_cast<std::uint64_t>(i), created);
    c.modified = std::min<UnixSeconds>(created + static_cast<UnixSeconds>(rng() % (30 * kDay)),
                                       kStoreEpoch - 3600);
    if (i == 3) {
      c.status = "trash";
      c.prev_status = "publish";
      c.body["status"] = "trash";
    }
    d.coupons.push_back(std::move(c));
  }

  // Reviews: about two for every other product, a few held for moderation.
  for (const auto &p : d.products) {
    if (p.id % 2) {
      continue;
    }
    for (int k = 0; k < 2; ++k) {
      Doc r;
      r.id = d.next_comment_id++;
      r.group = p.id;
      r.created = p.created + static_cast<UnixSeconds>(rng() % (200 * kDay));
      r.status = r.id % 9 == 0 ? "hold" : "approved";
      const Person who = person_for(1000 + r.id);
      r.sort_name = who.first_name;
      r.body = {{"id", r.id},
                {"date_created", nullptr},
                {"date_created_gmt", nullptr},
                {"product_id", p.id},
                {"product_name", p.sort_name},
                {"product_permalink", "https://127.0.0.1/product/" + p.slug + "/"},
                {"status", r.status},
                {"reviewer", who.first_name + " " + who.last_name.substr(0, 1) + "."},
                {"reviewer_email", who.email},
                {"review", "<p>Great quality, would buy again.</p>\n"},
                {"rating", 1 + static_cast<int>(rng() % 5)},
                {"verified", rng() % 2 == 0},
                {"reviewer_avatar_urls",
                 {{"24", "https://secure.gravatar.com/avatar/?s=24&d=mm&r=g"},
                  {"48", "https://secure.gravatar.com/avatar/?s=48&d=mm&r=g"},
                  {"96", "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g"}}}};
      d.reviews.push_back(std::move(r));
    }
  }
  std::sort(d.reviews.begin(), d.reviews.end(),
            [](const Doc &a, const Doc &b) { return a.id < b.id; });

  // Orders: creation times increase with the id; a few trashed; one with 120 notes.
  const std::size_t total_orders =
      static_cast<std::size_t>(opt.orders) + static_cast<std::size_t>(opt.bulk_second);
  d.orders.reserve(total_orders);
  if (d.next_post_id < 1000) {
    d.next_post_id = 1000;
  }
  const UnixSeconds step = opt.orders > 0 ? std::max<UnixSeconds>(1, kSpan / opt.orders) : 1;
  for (int i = 0; i < opt.orders; ++i) {
    const UnixSeconds created = start + static_cast<UnixSeconds>(i) * step +
                                static_cast<UnixSeconds>(rng() % static_cast<std::uint64_t>(step));
    const std::uint64_t r = rng();
    UnixSeconds modified = created;
    if (r % 10 >= 4) {
      modified += static_cast<UnixSeconds>((r >> 8) % (20 * kDay));
    }
    modified = std::min(modified, kStoreEpoch - 3600);
    const unsigned pick = static_cast<unsigned>((r >> 40) % 100);
    OrderStatus st = pick < 60   ? OrderStatus::kCompleted
                     : pick < 75 ? OrderStatus::kProcessing
                     : pick < 80 ? OrderStatus::kOnHold
                     : pick < 85 ? OrderStatus::kPending
                     : pick < 90 ? OrderStatus::kCancelled
                     : pick < 93 ? OrderStatus::kRefunded
                     : pick < 95 ? OrderStatus::kFailed
                                 : OrderStatus::kCompleted;
    const std::uint32_t customer =
        (r >> 20) % 5 == 0 || d.customers.size() < 2
            ? 0
            : static_cast<std::uint32_t>(d.customers[1 + (r >> 24) % (d.customers.size() - 1)].id);
    Order &o =
        store.append_order(created, modified, customer, st, static_cast<std::uint32_t>(rng()));
    if (st == OrderStatus::kCompleted || st == OrderStatus::kProcessing ||
        st == OrderStatus::kRefunded) {
      o.paid_after = static_cast<std::int32_t>(
          std::min<UnixSeconds>(modified - created, 60 + (r >> 50) % 3000));
    }
    if (st == OrderStatus::kCompleted || st == OrderStatus::kRefunded) {
      o.completed_after = static_cast<std::int32_t>(modified - created);
    }
    if (i % 97 == 13) {
      o.status_before_trash = o.status;
      o.status = OrderStatus::kTrash;
    }
    if (i == 5) {
      o.first_note_id = d.next_comment_id;
      o.note_count = 120;
      d.next_comment_id += 120;
    }
  }
  // Bulk import: orders sharing one date_modified_gmt second.
  const UnixSeconds bulk_second = kStoreEpoch - 2 * kDay + 12 * 3600;
  for (int i = 0; i < opt.bulk_second; ++i) {
    const UnixSeconds created = bulk_second - 30 * kDay + static_cast<UnixSeconds>(i) * 60;
    Order &o = store.append_order(created, bulk_second, 0, OrderStatus::kCompleted,
                                  static_cast<std::uint32_t>(rng()));
    o.paid_after = 120;
    o.completed_after = static_cast<std::int32_t>(bulk_second - created);
  }
  // Refunds: about 10 % of orders (all refunded ones, some partial, a few with two).
  for (auto &o : d.orders) {
    const bool refunded = o.status == OrderStatus::kRefunded;
    const bool partial = o.status == OrderStatus::kCompleted && o.seed % 100 < 7;
    if (!refunded && !partial) {
      continue;
    }
    const std::int64_t total = store.order_total_cents(o);
    const int n = partial && o.seed % 3 == 0 ? 2 : 1;
    std::int64_t left = total;
    for (int k = 0; k < n; ++k) {
      Refund rf;
      rf.id = d.next_post_id++;
      rf.order_id = o.id;
      rf.created = std::min(o.modified, o.created + kDay * (k + 1));
      rf.amount_cents =
          refunded ? (n == 1 ? left : left / 2) : std::max<std::int64_t>(1, total / 5);
      left -= rf.amount_cents;
      rf.reason = static_cast<std::uint8_t>(o.seed % 5);
      rf.full = refunded && n == 1;
      d.refunds_by_order[o.id].push_back(rf.id);
      d.refunds.push_back(rf);
    }
  }
}

} // namespace wc::demo
