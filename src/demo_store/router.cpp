#include "demo_store/router.hpp"

#include <algorithm>
#include <sstream>

namespace wc::demo {
namespace {

bool iequals(const std::string &a, const std::string &b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// "status[]" / "status[0]" -> "status"
std::string base_key(const std::string &k) {
  auto b = k.find('[');
  return b == std::string::npos ? k : k.substr(0, b);
}

std::vector<RouteRegistrar> &registrars() {
  static std::vector<RouteRegistrar> list;
  return list;
}

} // namespace

std::optional<std::string> ApiRequest::param(const std::string &name) const {
  for (const auto &[k, v] : query) {
    if (base_key(k) == name) {
      return v;
    }
  }
  return std::nullopt;
}

std::vector<std::string> ApiRequest::param_list(const std::string &name) const {
  std::vector<std::string> out;
  for (const auto &[k, v] : query) {
    if (base_key(k) != name) {
      continue;
    }
    std::stringstream ss(v);
    std::string item;
    while (std::getline(ss, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      if (!item.empty()) {
        out.push_back(item);
      }
    }
  }
  return out;
}

std::string ApiRequest::header(const std::string &name) const {
  for (const auto &[k, v] : headers) {
    if (iequals(k, name)) {
      return v;
    }
  }
  return {};
}

std::string ApiRequest::rest_url(const std::string &r) const {
  if (plain_permalinks) {
    return scheme_host + base_path + "/?rest_route=" + r;
  }
  return scheme_host + base_path + "/wp-json" + r;
}

ApiResponse ApiResponse::json(int status, const boost::json::value &v) {
  ApiResponse r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

ApiResponse ApiResponse::error(int status, const std::string &code, const std::string &message) {
  return json(status, {{"code", code}, {"message", message}, {"data", {{"status", status}}}});
}

void ApiResponse::set_header(const std::string &name, const std::string &value) {
  for (auto &[k, v] : headers) {
    if (iequals(k, name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

std::string ApiResponse::header(const std::string &name) const {
  for (const auto &[k, v] : headers) {
    if (iequals(k, name)) {
      return v;
    }
  }
  return {};
}

void Router::add(const std::string &method, const std::string &pattern, const std::string &name,
                 Access access, RouteHandler handler) {
  entries_.push_back({method, std::regex(pattern), name, access, std::move(handler)});
}

Router::Match Router::match(const std::string &method, const std::string &route,
                            std::vector<std::string> &captures) const {
  Match m;
  for (const auto &e : entries_) {
    std::smatch sm;
    if (!std::regex_match(route, sm, e.re)) {
      continue;
    }
    if (e.method != method) {
      m.method_mismatch = true;
      continue;
    }
    captures.clear();
    for (std::size_t i = 1; i < sm.size(); ++i) {
      captures.push_back(sm[i].str());
    }
    m.handler = &e.handler;
    m.access = e.access;
    m.name = e.name;
    m.method_mismatch = false;
    return m;
  }
  return m;
}

bool register_extra_routes(RouteRegistrar registrar) {
  registrars().push_back(std::move(registrar));
  return true;
}

const std::vector<RouteRegistrar> &extra_route_registrars() { return registrars(); }

} // namespace wc::demo
