#include "demo_store/list_query.hpp"

#include <variant>

#include "demo_store/options.hpp"
#include "demo_store/site_time.hpp"

#include <algorithm>
#include <charconv>

namespace wc::demo {
namespace json = boost::json;
namespace {

std::optional<long> to_long(const std::string &s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

bool has_offset_suffix(const std::string &s) {
  if (s.empty()) {
    return false;
  }
  if (s.back() == 'Z' || s.back() == 'z') {
    return true;
  }
  return s.size() > 19 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-');
}

std::string join_or(const std::vector<std::string> &v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) {
      out += (i + 1 == v.size()) ? (v.size() > 2 ? ", and " : " and ") : ", ";
    }
    out += v[i];
  }
  return out;
}

} // namespace

std::string rawurlencode(const std::string &s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

ApiResponse invalid_param(const std::string &name, const std::string &message,
                          const std::string &detail_code) {
  json::object data{
      {"status", 400},
      {"params", {{name, message}}},
      {"details", {{name, {{"code", detail_code}, {"message", message}, {"data", nullptr}}}}}};
  return ApiResponse::json(400, {{"code", "rest_invalid_param"},
                                 {"message", "Invalid parameter(s): " + name},
                                 {"data", std::move(data)}});
}

static std::variant<ListQuery, ApiResponse>
parse_list_query(const ApiRequest &req, const ListSpec &spec, const std::string &wc_version) {
  ListQuery q;
  q.desc = spec.default_desc;
  q.orderby = spec.default_orderby;
  if (auto v = req.param("page")) {
    auto n = to_long(*v);
    if (!n) {
      return invalid_param("page", "page is not of type integer.", "rest_invalid_type");
    }
    if (*n < 1) {
      return invalid_param("page", "page must be greater than or equal to 1", "rest_out_of_bounds");
    }
    q.page = static_cast<int>(std::min<long>(*n, 1000000000L));
  }
  if (auto v = req.param("per_page")) {
    auto n = to_long(*v);
    if (!n) {
      return invalid_param("per_page", "per_page is not of type integer.", "rest_invalid_type");
    }
    if (*n < 1 || *n > 100) {
      return invalid_param("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)",
                           "rest_out_of_bounds");
    }
    q.per_page = static_cast<int>(*n);
  }
  if (auto v = req.param("offset")) {
    auto n = to_long(*v);
    if (!n) {
      return invalid_param("offset", "offset is not of type integer.", "rest_invalid_type");
    }
    q.offset = std::max<long>(0, *n);
  }
  if (auto v = req.param("order")) {
    if (*v != "asc" && *v != "desc") {
      return invalid_param("order", "order is not one of asc and desc.", "rest_not_in_enum");
    }
    q.desc = *v == "desc";
  }
  if (auto v = req.param("orderby"); v && !spec.orderby.empty()) {
    if (std::find(spec.orderby.begin(), spec.orderby.end(), *v) == spec.orderby.end()) {
      return invalid_param("orderby", "orderby is not one of " + join_or(spec.orderby) + ".",
                           "rest_not_in_enum");
    }
    q.orderby = *v;
  }
  const bool gmt_supported = version_at_least(wc_version, "5.4");
  bool dates_are_gmt = false;
  if (auto v = req.param("dates_are_gmt"); v && gmt_supported) {
    if (*v == "true" || *v == "1") {
      dates_are_gmt = true;
    } else if (*v == "false" || *v == "0" || v->empty()) {
      dates_are_gmt = false;
    } else {
      return invalid_param("dates_are_gmt", "dates_are_gmt is not of type boolean.",
                           "rest_invalid_type");
    }
  }
  auto date = [&](const char *name, std::optional<UnixSeconds> &out) -> std::optional<ApiResponse> {
    auto v = req.param(name);
    if (!v) {
      return std::nullopt;
    }
    auto t = parse_utc(*v);
    if (!t) {
      return invalid_param(name, "Invalid date.", "rest_invalid_date");
    }
    out = (dates_are_gmt || has_offset_suffix(*v)) ? *t : local_to_utc(*t);
    return std::nullopt;
  };
  if (spec.created_filters) {
    if (auto e = date("after", q.after)) {
      return *e;
    }
    if (auto e = date("before", q.before)) {
      return *e;
    }
  }
  if (spec.modified_filters && version_at_least(wc_version, "5.8")) {
    if (auto e = date("modified_after", q.modified_after)) {
      return *e;
    }
    if (auto e = date("modified_before", q.modified_before)) {
      return *e;
    }
  }
  auto ids = [&](const char *name, std::vector<std::int64_t> &out) -> bool {
    for (const auto &s : req.param_list(name)) {
      auto n = to_long(s);
      if (!n) {
        return false;
      }
      out.push_back(*n);
    }
    return true;
  };
  if (!ids("include", q.include)) {
    return invalid_param("include", "include[0] is not of type integer.", "rest_invalid_type");
  }
  if (!ids("exclude", q.exclude)) {
    return invalid_param("exclude", "exclude[0] is not of type integer.", "rest_invalid_type");
  }
  if (!ids("parent", q.parent)) {
    return invalid_param("parent", "parent[0] is not of type integer.", "rest_invalid_type");
  }
  q.status = req.param_list("status");
  q.fields = req.param_list("_fields");
  return q;
}

std::optional<ApiResponse> read_list_query(const ApiRequest &req, const ListSpec &spec,
                                           const std::string &wc_version, ListQuery &q) {
  auto parsed = parse_list_query(req, spec, wc_version);
  if (auto *err = std::get_if<ApiResponse>(&parsed)) {
    return std::move(*err);
  }
  q = std::move(std::get<ListQuery>(parsed));
  return std::nullopt;
}

std::pair<std::size_t, std::size_t> page_bounds(const ListQuery &q, std::size_t total) {
  const std::size_t begin =
      q.offset ? static_cast<std::size_t>(*q.offset)
               : static_cast<std::size_t>(q.page - 1) * static_cast<std::size_t>(q.per_page);
  if (begin >= total) {
    return {total, total};
  }
  return {begin, std::min(total, begin + static_cast<std::size_t>(q.per_page))};
}

namespace {

std::string page_link(const ApiRequest &req, int page) {
  std::string url = req.rest_url(req.route);
  bool first = !req.plain_permalinks;
  bool replaced = false;
  auto add = [&](const std::string &k, const std::string &v) {
    url += first ? '?' : '&';
    first = false;
    url += rawurlencode(k) + "=" + rawurlencode(v);
  };
  for (const auto &[k, v] : req.query) {
    if (k == "page") {
      add(k, std::to_string(page));
      replaced = true;
    } else {
      add(k, v);
    }
  }
  if (!replaced) {
    add("page", std::to_string(page));
  }
  return url;
}

} // namespace

ApiResponse paged_response(const ApiRequest &req, const ListQuery &q, std::size_t total,
                           json::array items) {
  if (!q.fields.empty()) {
    for (auto &it : items) {
      apply_fields(it, q.fields);
    }
  }
  ApiResponse r = ApiResponse::json(200, items);
  const std::size_t pages =
      (total + static_cast<std::size_t>(q.per_page) - 1) / static_cast<std::size_t>(q.per_page);
  r.set_header("X-WP-Total", std::to_string(total));
  r.set_header("X-WP-TotalPages", std::to_string(pages));
  std::string link;
  if (q.page > 1 && pages > 0) {
    const int prev = std::min<int>(q.page - 1, static_cast<int>(pages));
    link = "<" + page_link(req, prev) + ">; rel=\"prev\"";
  }
  if (static_cast<std::size_t>(q.page) < pages) {
    if (!link.empty()) {
      link += ", ";
    }
    link += "<" + page_link(req, q.page + 1) + ">; rel=\"next\"";
  }
  if (!link.empty()) {
    r.set_header("Link", link);
  }
  return r;
}

ApiResponse full_list_response(const ApiRequest &req, json::array items, bool with_totals) {
  const auto fields = req.param_list("_fields");
  for (auto &it : items) {
    apply_fields(it, fields);
  }
  const std::size_t n = items.size();
  ApiResponse r = ApiResponse::json(200, items);
  if (with_totals) {
    r.set_header("X-WP-Total", std::to_string(n));
    r.set_header("X-WP-TotalPages", "1");
  }
  return r;
}

void apply_fields(json::value &item, const std::vector<std::string> &fields) {
  if (fields.empty() || !item.is_object()) {
    return;
  }
  json::object out;
  for (const auto &[k, v] : item.as_object()) {
    const std::string key(k);
    for (const auto &f : fields) {
      // "billing.email" keeps "billing" (top-level granularity).
      if (f == key ||
          (f.size() > key.size() && f.compare(0, key.size(), key) == 0 && f[key.size()] == '.')) {
        out[k] = v;
        break;
      }
    }
  }
  item = std::move(out);
}

} // namespace wc::demo
