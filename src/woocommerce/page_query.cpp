#include "woocommerce/page_query.hpp"

namespace wc::woo {
namespace {

std::string joined(const std::vector<std::string> &members) {
  std::string out;
  for (const auto &m : members) {
    out += (out.empty() ? "" : ",") + m;
  }
  return out;
}

std::string joined(const std::vector<std::int64_t> &ids) {
  std::string out;
  for (auto id : ids) {
    out += (out.empty() ? "" : ",") + std::to_string(id);
  }
  return out;
}

const char *orderby(const source::PageRequest &r) {
  if (r.order == source::Ordering::kById) {
    return "id";
  }
  return r.window && r.window->time == source::WindowTime::kCreated ? "date" : "modified";
}

void add_order(http::Params &q, const source::PageRequest &r) {
  if (r.order != source::Ordering::kNone) {
    q.emplace_back("orderby", orderby(r));
    q.emplace_back("order", "asc");
  }
}

void add_page(http::Params &q, const source::PageRequest &r) {
  if (r.page_size) {
    q.emplace_back("per_page", std::to_string(*r.page_size));
  }
  if (r.page) {
    q.emplace_back("page", std::to_string(*r.page));
  }
}

} // namespace

http::Params to_query(const source::PageRequest &r) {
  http::Params q;
  for (const auto &p : r.fixed) {
    if (r.life_cycle == source::LifeCycle::kAsDefined || p.first != "status") {
      q.push_back(p);
    }
  }
  if (r.life_cycle != source::LifeCycle::kAsDefined) {
    q.emplace_back("status", r.life_cycle == source::LifeCycle::kTrashed ? "trash" : "any");
  }
  if (r.window) {
    // A date-filtered listing: filters and projection first, then the dates, order and page,
    // then the bounds (a probe's projection after the page).
    const bool modified = r.window->time == source::WindowTime::kModified;
    if (!r.type.empty()) {
      q.emplace_back("type", r.type);
    }
    if (!r.members.empty() && !r.probe) {
      q.emplace_back("_fields", joined(r.members));
    }
    q.emplace_back("dates_are_gmt", "true");
    add_order(q, r);
    add_page(q, r);
    if (!r.members.empty() && r.probe) {
      q.emplace_back("_fields", joined(r.members));
    }
    if (r.window->after) {
      q.emplace_back(modified ? "modified_after" : "after", format_naive_utc(*r.window->after));
    }
    if (r.window->before) {
      q.emplace_back(modified ? "modified_before" : "before", format_naive_utc(*r.window->before));
    }
    return q;
  }
  if (!r.ids.empty()) {
    q.emplace_back("include", joined(r.ids));
  }
  if (!r.members.empty()) {
    q.emplace_back("_fields", joined(r.members));
  }
  add_order(q, r);
  if (!r.type.empty()) {
    q.emplace_back("type", r.type);
  }
  add_page(q, r);
  return q;
}

std::string describe_query(const source::PageRequest &request) {
  std::string out = "GET " + request.path;
  char sep = '?';
  for (const auto &[k, v] : to_query(request)) {
    out += sep + k + "=" + v;
    sep = '&';
  }
  return out;
}

} // namespace wc::woo
