#include "demo_store/nested_variety.hpp"

#include "demo_store/site_time.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace wc::demo {
namespace json = boost::json;
namespace {

std::string hex_id(std::uint64_t x) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    s += kHex[(variety_mix(x + static_cast<std::uint64_t>(i / 16)) >> ((i % 16) * 4)) & 15];
  }
  return s;
}

json::object image(std::int64_t id, UnixSeconds at, const std::string &slug, int k) {
  const std::string name = slug + (k ? "-" + std::to_string(k + 1) : std::string());
  return {{"id", id},
          {"date_created", format_local(at)},
          {"date_created_gmt", format_naive_utc(at)},
          {"date_modified", format_local(at)},
          {"date_modified_gmt", format_naive_utc(at)},
          {"src", "https://127.0.0.1/wp-content/uploads/2025/01/" + name + ".jpg"},
          {"name", name},
          {"alt", k ? "" : slug}};
}

std::string category_of(const Doc &p) {
  const auto *cats = p.body.if_contains("categories");
  if (cats == nullptr || !cats->is_array() || cats->as_array().empty()) {
    return "";
  }
  return json::serialize(cats->as_array().front().as_object().at("id"));
}

// One grouped product, as real stores have them: the 10th simple product (when there are 13
// or more) groups the next three simple products; it has no price of its own (WooCommerce shows
// the cheapest child's), no stock and no downloads.
void make_one_grouped(StoreData &d) {
  std::vector<Doc *> simple;
  for (auto &p : d.products) {
    if (!p.deleted && p.body.at("type") == "simple") {
      simple.push_back(&p);
    }
  }
  constexpr std::size_t kAt = 9;
  if (simple.size() < kAt + 4) {
    return;
  }
  json::object &b = simple[kAt]->body;
  json::array children;
  std::string cheapest;
  for (std::size_t k = kAt + 1; k <= kAt + 3; ++k) {
    const json::object &c = simple[k]->body;
    children.push_back(simple[k]->id);
    const std::string price(c.at("price").as_string());
    if (cheapest.empty() || std::stod(price) < std::stod(cheapest)) {
      cheapest = price;
    }
  }
  b["type"] = "grouped";
  b["grouped_products"] = std::move(children);
  b["price"] = cheapest;
  b["regular_price"] = "";
  b["manage_stock"] = false;
  b["stock_quantity"] = nullptr;
  b["low_stock_amount"] = nullptr;
  b["stock_status"] = "instock";
  b["downloadable"] = false;
  b["downloads"] = json::array{};
}

} // namespace

std::uint64_t variety_mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

json::array meta_of_every_type(std::int64_t first_id, std::uint64_t n, int count) {
  static constexpr std::array<const char *, 4> kChannels{"email", "sms", "post", "none"};
  json::array all{
      {{"id", first_id}, {"key", "_demo_channel"}, {"value", kChannels[n % kChannels.size()]}},
      {{"id", first_id + 1}, {"key", "_demo_score"}, {"value", static_cast<std::int64_t>(n % 97)}},
      {{"id", first_id + 2}, {"key", "_demo_flagged"}, {"value", n % 2 == 0}},
      {{"id", first_id + 3}, {"key", "_demo_cleared"}, {"value", nullptr}},
      {{"id", first_id + 4},
       {"key", "_demo_prefs"},
       {"value", {{"gift", n % 3 == 0}, {"ratio", 0.25 + static_cast<double>(n % 4)}}}},
      {{"id", first_id + 5},
       {"key", "_demo_history"},
       {"value", json::array{"created", static_cast<std::int64_t>(n % 5), nullptr}}}};
  json::array out;
  for (int i = 0; i < count && i < static_cast<int>(all.size()); ++i) {
    out.push_back(all[static_cast<std::size_t>(i)]);
  }
  return out;
}

void add_product_lists(Doc &p, std::uint64_t n) {
  json::object &b = p.body;
  const std::string slug = p.slug.empty() ? "product-" + std::to_string(p.id) : p.slug;
  // Images: most products have one or two; attachment ids are posts of their own.
  json::array images;
  if (n % 5 != 4) {
    images.push_back(image(500000 + static_cast<std::int64_t>(n) * 2, p.created, slug, 0));
    if (n % 3 == 0) {
      images.push_back(image(500001 + static_cast<std::int64_t>(n) * 2, p.created, slug, 1));
    }
  }
  // One attachment shared by two products (the 3rd and the 4th generated): the same image id,
  // file and dates in both products' lists.
  if (n == 2 || n == 3) {
    constexpr UnixSeconds kLookbookUploaded = 1735732800; // 2025-01-01T12:00:00Z
    images.push_back(image(499999, kLookbookUploaded, "shared-lookbook", 0));
  }
  b["images"] = std::move(images);
  // A custom (non-taxonomy) attribute: id 0, the name as its slug, its own options.
  if (n % 3 == 0) {
    auto &attrs = b["attributes"].as_array();
    json::array options{"Organic cotton"};
    if (n % 2 == 0) {
      options.emplace_back("Recycled polyester");
    }
    attrs.push_back({{"id", 0},
                     {"name", "Material"},
                     {"slug", "Material"},
                     {"position", static_cast<std::int64_t>(attrs.size())},
                     {"visible", true},
                     {"variation", false},
                     {"options", std::move(options)}});
  }
  if (n % 7 == 2) {
    auto &attrs = b["attributes"].as_array();
    attrs.push_back({{"id", 0},
                     {"name", "Care"},
                     {"slug", "Care"},
                     {"position", static_cast<std::int64_t>(attrs.size())},
                     {"visible", n % 2 == 0},
                     {"variation", false},
                     {"options", json::array{"Machine wash", "Do not tumble dry", "Iron low"}}});
  }
  // Downloads: a few simple products are downloadable (WooCommerce's file ids are md5 hashes).
  if (b.at("type") == "simple" && n % 6 == 5) {
    b["downloadable"] = true;
    b["downloads"] = json::array{
        {{"id", hex_id(static_cast<std::uint64_t>(p.id) * 2)},
         {"name", "Manual (PDF)"},
         {"file", "https://127.0.0.1/wp-content/uploads/woocommerce_uploads/" + slug + ".pdf"}},
        {{"id", hex_id(static_cast<std::uint64_t>(p.id) * 2 + 1)},
         {"name", "Size chart"},
         {"file",
          "https://127.0.0.1/wp-content/uploads/woocommerce_uploads/" + slug + "-sizes.pdf"}}};
  }
  if (n % 2 == 0) {
    b["meta_data"] = meta_of_every_type(p.id * 10 + 1, n, 6);
  }
}

void add_default_attributes(Doc &p) {
  json::array defaults;
  for (const auto &a : p.body.at("attributes").as_array()) {
    const auto &attr = a.as_object();
    if (!attr.at("variation").as_bool() || attr.at("options").as_array().empty()) {
      continue;
    }
    std::string option(attr.at("options").as_array().front().as_string());
    std::transform(option.begin(), option.end(), option.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    defaults.push_back({{"id", attr.at("id")}, {"name", attr.at("name")}, {"option", option}});
    if (p.id % 2 == 0) {
      break; // half the products default only their first attribute
    }
  }
  p.body["default_attributes"] = std::move(defaults);
}

void link_products(StoreData &d) {
  std::map<std::string, std::vector<std::int64_t>> by_category;
  for (const auto &p : d.products) {
    if (!p.deleted && p.status == "publish") {
      by_category[category_of(p)].push_back(p.id);
    }
  }
  for (std::size_t i = 0; i < d.products.size(); ++i) {
    Doc &p = d.products[i];
    const auto &peers = by_category[category_of(p)];
    json::array related;
    for (auto id : peers) {
      if (id != p.id && related.size() < 5) {
        related.push_back(id);
      }
    }
    p.body["related_ids"] = std::move(related);
    json::array upsells, cross_sells;
    if (i % 4 == 0 && peers.size() > 1) {
      upsells.push_back(peers[(i / 4) % peers.size()] == p.id ? peers[(i / 4 + 1) % peers.size()]
                                                              : peers[(i / 4) % peers.size()]);
    }
    if (i % 5 == 0 && d.products.size() > 2) {
      cross_sells.push_back(d.products[(i + 1) % d.products.size()].id);
      cross_sells.push_back(d.products[(i + 2) % d.products.size()].id);
    }
    p.body["upsell_ids"] = std::move(upsells);
    p.body["cross_sell_ids"] = std::move(cross_sells);
  }
  make_one_grouped(d);
}

void add_variation_lists(Doc &v, int k) {
  if (k % 4 == 3) {
    v.body["downloadable"] = true;
    v.body["downloads"] =
        json::array{{{"id", hex_id(static_cast<std::uint64_t>(v.id) * 2)},
                     {"name", "Care guide"},
                     {"file", "https://127.0.0.1/wp-content/uploads/woocommerce_uploads/care-" +
                                  std::to_string(v.id) + ".pdf"}}};
  }
  if (k % 2 == 0) {
    v.body["meta_data"] =
        meta_of_every_type(v.id * 10 + 1, static_cast<std::uint64_t>(v.id), k == 0 ? 6 : 2 + k);
  }
}

void add_customer_meta(Doc &c, std::uint64_t n) {
  if (n % 2 == 1) {
    c.body["meta_data"] = meta_of_every_type(c.id * 10 + 1, n, 1 + static_cast<int>(n % 6));
  }
}

void add_coupon_lists(const StoreData &d, Doc &c, std::uint64_t n) {
  json::object &b = c.body;
  if (n % 3 == 0 && d.products.size() > 3) {
    const std::size_t k = n % d.products.size();
    b["product_ids"] = json::array{d.products[k].id, d.products[(k + 1) % d.products.size()].id};
    b["excluded_product_ids"] = json::array{d.products[(k + 2) % d.products.size()].id};
  }
  if (n % 3 == 1 && d.categories.size() > 2) {
    const std::size_t k = n % d.categories.size();
    b["product_categories"] = json::array{d.categories[k].id};
    b["excluded_product_categories"] = json::array{d.categories[(k + 1) % d.categories.size()].id};
  }
  if (n % 4 == 2) {
    b["email_restrictions"] =
        json::array{"*@example.org", "vip" + std::to_string(n) + "@example.com"};
  }
  if (n % 40 > 0 && n % 2 == 0) {
    b["used_by"] =
        json::array{std::to_string(2 + n % 20), "guest" + std::to_string(n) + "@example.net"};
  }
  if (n % 2 == 1) {
    b["meta_data"] = meta_of_every_type(c.id * 10 + 1, n, 3);
  }
}

void shuffle_related(json::object &product, std::uint64_t request_nonce) {
  auto *rel = product.if_contains("related_ids");
  if (rel == nullptr || !rel->is_array() || rel->as_array().size() < 2) {
    return;
  }
  auto &arr = rel->as_array();
  std::vector<json::value> ids(arr.begin(), arr.end());
  const std::vector<json::value> before = ids;
  std::mt19937_64 rng(variety_mix(request_nonce));
  // A different order on every request: reshuffle (a bounded few times) while it is unchanged.
  for (int attempt = 0; attempt < 8 && ids == before; ++attempt) {
    std::shuffle(ids.begin(), ids.end(), rng);
  }
  arr = json::array(ids.begin(), ids.end());
}

} // namespace wc::demo
