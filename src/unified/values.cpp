#include "unified/values.hpp"

#include <charconv>

namespace wc::unified {
namespace json = boost::json;

json::value id_text(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr) {
    return nullptr;
  }
  if (v->is_int64()) {
    return v->as_int64() == 0 ? json::value(nullptr) : json::value(std::to_string(v->as_int64()));
  }
  if (v->is_uint64()) {
    return json::value(std::to_string(v->as_uint64()));
  }
  if (v->is_string() && !v->as_string().empty() && v->as_string() != "0") {
    return json::value(v->as_string());
  }
  return nullptr;
}

json::value utc_time(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return nullptr;
  }
  const std::string_view t = v->as_string();
  // YYYY-MM-DDTHH:MM:SS, then nothing (naive UTC), Z, or an offset.
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') {
    return nullptr;
  }
  if (t.size() == 19) {
    return json::value(std::string(t) + "Z");
  }
  return json::value(std::string(t));
}

json::value text(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return nullptr;
  }
  return *v;
}

std::optional<relational::Decimal> decimal_of(const json::value *v, bool &absent) {
  absent = false;
  if (v == nullptr) {
    absent = true;
    return std::nullopt;
  }
  const auto t = relational::decimal_text_of(*v, absent);
  if (!t) {
    return std::nullopt;
  }
  return relational::Decimal::parse(*t);
}

json::value money_text(const std::optional<relational::Decimal> &d) {
  return d ? json::value(d->text()) : json::value(nullptr);
}

json::value money(const json::object &o, std::string_view key, const Context &ctx,
                  const std::string &field) {
  bool absent = false;
  auto d = decimal_of(o.if_contains(key), absent);
  if (!d && !absent && ctx.warn) {
    ctx.warn(field, "text that is not a decimal was written as null");
  }
  return money_text(d);
}

json::value integer(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr) {
    return nullptr;
  }
  if (v->is_int64() || v->is_uint64()) {
    return *v;
  }
  if (v->is_string()) {
    std::int64_t n = 0;
    const auto &s = v->as_string();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) {
      return n;
    }
  }
  return nullptr;
}

json::value boolean(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v != nullptr && v->is_bool() ? *v : json::value(nullptr);
}

std::optional<std::string> deleted_at(const json::object &o) {
  const auto *v = o.if_contains("_ab_cdc_deleted_at");
  if (v != nullptr && v->is_string() && !v->as_string().empty()) {
    return std::string(v->as_string());
  }
  return std::nullopt;
}

} // namespace wc::unified

namespace wc::unified {

json::object keyed(const Context &ctx) {
  json::object r;
  r.reserve(32); // the widest unified record has 28 fields: no rehash while it is built
  r.emplace("platform", ctx.platform);
  r.emplace("store_id", ctx.store_id);
  return r;
}

json::object tombstone(const Context &ctx, const json::object &woo, const char *key,
                       const char *cursor, const char *woo_cursor) {
  json::object r = keyed(ctx);
  r[key] = id_text(woo, "id");
  json::value at = utc_time(woo, woo_cursor);
  if (auto *s = woo.if_contains("status"); s != nullptr && s->is_string()) {
    r["platform_status"] = *s;
  }
  auto deleted = deleted_at(woo);
  r["_ab_cdc_deleted_at"] = deleted ? json::value(*deleted) : at;
  r[cursor] = at.is_null() && deleted ? json::value(*deleted) : at;
  return r;
}

std::optional<std::string> divide_exact(const std::string &t, std::int64_t q) {
  if (q <= 0 || !relational::is_decimal_text(t) || t.size() > 18) {
    return std::nullopt;
  }
  const bool negative = t[0] == '-';
  std::string digits;
  std::size_t scale = 0;
  bool frac = false;
  for (char c : t.substr(negative ? 1 : 0)) {
    if (c == '.') {
      frac = true;
      continue;
    }
    digits += c;
    scale += frac ? 1 : 0;
  }
  const std::int64_t n = std::stoll(digits);
  if (n % q != 0) {
    return std::nullopt;
  }
  std::string out = std::to_string(n / q);
  if (scale > 0) {
    if (out.size() <= scale) {
      out.insert(0, scale + 1 - out.size(), '0');
    }
    out.insert(out.size() - scale, ".");
  }
  return (negative && n != 0 ? "-" : "") + out;
}

} // namespace wc::unified
