#include "webhook/subscriptions.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

#include "core/error.hpp"
#include "webhook/event_mapper.hpp"

namespace wc::webhook {
namespace {

std::string str(const boost::json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Same URL modulo a trailing slash and scheme/host case.
std::string normalize_url(std::string_view url) {
  std::string out(url);
  auto scheme_end = out.find("://");
  std::size_t host_end =
      scheme_end == std::string::npos ? 0 : out.find_first_of("/?#", scheme_end + 3);
  if (host_end == std::string::npos) {
    host_end = out.size();
  }
  for (std::size_t i = 0; i < host_end; ++i) {
    if (out[i] >= 'A' && out[i] <= 'Z') {
      out[i] = static_cast<char>(out[i] - 'A' + 'a');
    }
  }
  while (out.size() > host_end && out.back() == '/') {
    out.pop_back();
  }
  return out;
}

bool private_v4(const in_addr &a) {
  std::uint32_t ip = ntohl(a.s_addr);
  auto in = [ip](std::uint32_t net, int bits) {
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (ip & mask) == (net & mask);
  };
  return in(0x7F000000, 8) || in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
         in(0xA9FE0000, 16) || in(0x64400000, 10) || in(0x00000000, 8) || in(0xC6120000, 15);
}

bool private_v6(const in6_addr &a) {
  static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
  if (std::memcmp(&a, &loopback, sizeof a) == 0) {
    return true;
  }
  return (a.s6_addr[0] & 0xFE) == 0xFC || (a.s6_addr[0] == 0xFE && (a.s6_addr[1] & 0xC0) == 0x80);
}

// true when the literal or resolved host is loopback/private.
bool host_is_internal(const std::string &host, bool resolve) {
  if (host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") ||
      host.ends_with(".internal")) {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return private_v4(v4);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return private_v6(v6);
  }
  if (!resolve) {
    return false;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) {
    return false;
  }
  bool internal = false;
  for (auto *p = res; p != nullptr; p = p->ai_next) {
    if (p->ai_family == AF_INET) {
      internal = internal || private_v4(reinterpret_cast<sockaddr_in *>(p->ai_addr)->sin_addr);
    } else if (p->ai_family == AF_INET6) {
      internal = internal || private_v6(reinterpret_cast<sockaddr_in6 *>(p->ai_addr)->sin6_addr);
    }
  }
  freeaddrinfo(res);
  return internal;
}

} // namespace

std::vector<std::string> default_topics() {
  std::vector<std::string> out;
  for (const char *r : {"order", "product", "customer", "coupon"}) {
    for (const char *e : {"created", "updated", "deleted", "restored"}) {
      out.push_back(std::string(r) + "." + e);
    }
  }
  return out;
}

std::vector<std::string> parse_topics(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string t = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (t.empty()) {
      continue;
    }
    std::string_view e = topic_event(t);
    if (stream_for_resource(topic_resource(t)).empty() ||
        (e != "created" && e != "updated" && e != "deleted" && e != "restored")) {
      throw config_error("--topics: '" + t +
                         "' is not one of order|product|customer|coupon . "
                         "created|updated|deleted|restored.");
    }
    if (std::find(out.begin(), out.end(), t) == out.end()) {
      out.push_back(t);
    }
  }
  if (out.empty()) {
    throw config_error("--topics is empty.");
  }
  return out;
}

std::string webhook_name(std::string_view topic) {
  return std::string(kWebhookNamePrefix) + std::string(topic);
}

std::vector<StoreWebhook> our_webhooks(const boost::json::array &all) {
  std::vector<StoreWebhook> out;
  for (const auto &v : all) {
    if (!v.is_object()) {
      continue;
    }
    const auto &o = v.as_object();
    StoreWebhook w;
    w.name = str(o, "name");
    if (w.name.rfind(kWebhookNamePrefix, 0) != 0) {
      continue;
    }
    if (const auto *id = o.if_contains("id"); id != nullptr && id->is_int64()) {
      w.id = id->as_int64();
    } else if (id != nullptr && id->is_uint64()) {
      w.id = static_cast<std::int64_t>(id->as_uint64());
    }
    w.status = str(o, "status");
    w.topic = str(o, "topic");
    w.delivery_url = str(o, "delivery_url");
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<PlanStep> plan_registration(const std::vector<StoreWebhook> &ours,
                                        const std::vector<std::string> &topics,
                                        std::string_view delivery_url) {
  std::vector<PlanStep> plan;
  std::string want_url = normalize_url(delivery_url);
  for (const auto &topic : topics) {
    PlanStep step;
    step.topic = topic;
    const StoreWebhook *best = nullptr;
    for (const auto &w : ours) {
      if (w.topic == topic && w.name == webhook_name(topic) &&
          normalize_url(w.delivery_url) == want_url) {
        if (best == nullptr || (best->status != "active" && w.status == "active")) {
          best = &w;
        }
      }
    }
    if (best != nullptr) {
      step.existing_id = best->id;
      step.existing_status = best->status;
      step.action = best->status == "active" ? PlanAction::kKeep : PlanAction::kReactivate;
    }
    plan.push_back(std::move(step));
  }
  return plan;
}

std::vector<std::string> delivery_url_warnings(std::string_view url, bool resolve) {
  std::vector<std::string> out;
  std::string scheme;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    scheme = "https";
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    scheme = "http";
    rest = url.substr(7);
  } else {
    out.push_back("The delivery URL must start with https:// (or http://).");
    return out;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    out.push_back("WordPress refuses delivery URLs with user:password@ in them.");
    authority = authority.substr(authority.rfind('@') + 1);
  }
  std::string host;
  int port = scheme == "https" ? 443 : 80;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    host = std::string(authority.substr(1, close == std::string_view::npos ? 0 : close - 1));
    if (close != std::string_view::npos && close + 1 < authority.size()) {
      port_text = authority.substr(close + 2);
    }
  } else {
    auto colon = authority.find(':');
    host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  for (char &c : host) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (!port_text.empty()) {
    try {
      port = std::stoi(std::string(port_text));
    } catch (const std::exception &) {
      out.push_back("The delivery URL's port is not a number.");
    }
  }
  if (host_is_internal(host, resolve)) {
    out.push_back("The delivery URL's host '" + host +
                  "' is loopback or a private address: WordPress will refuse to deliver to it "
                  "unless a site filter (http_request_host_is_external) allows it.");
  }
  if (port != 80 && port != 443 && port != 8080) {
    out.push_back("The delivery URL uses port " + std::to_string(port) +
                  ": WordPress only delivers to ports 80, 443 and 8080 unless a site filter "
                  "(http_allowed_safe_ports) allows it.");
  }
  if (scheme == "http") {
    out.push_back("The delivery URL is plain http://: payloads (customer data) travel "
                  "unencrypted; prefer https://.");
  }
  return out;
}

} // namespace wc::webhook
