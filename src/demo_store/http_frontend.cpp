#include "demo_store/http_frontend.hpp"

#include <cstdlib>
#include <httplib.h>
#include <zlib.h>

#include <chrono>
#include <ctime>
#include <stdexcept>
#include <thread>

namespace wc::demo {
namespace {

const char *kNotFoundHtml =
    "<!DOCTYPE html>\n<html lang=\"en-US\"><head><meta charset=\"UTF-8\"><title>Page not found "
    "&#8211; Demo Store</title></head><body class=\"error404\"><h1>Oops! That page can&rsquo;t be "
    "found.</h1></body></html>\n";
const char *kBadGatewayHtml =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
    "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
const char *kChallengeHtml =
    "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title><meta "
    "http-equiv=\"refresh\" content=\"5\"></head><body><div id=\"challenge\">Checking your browser "
    "before accessing the site.</div></body></html>";

std::string http_date(UnixSeconds t) {
  static const char *kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string form_decode(const std::string &s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(const std::string &target) {
  std::vector<std::pair<std::string, std::string>> out;
  auto q = target.find('?');
  if (q == std::string::npos) {
    return out;
  }
  std::string qs = target.substr(q + 1);
  if (auto h = qs.find('#'); h != std::string::npos) {
    qs.resize(h);
  }
  std::size_t pos = 0;
  while (pos <= qs.size()) {
    auto amp = qs.find('&', pos);
    std::string part = qs.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string::npos) {
        out.emplace_back(form_decode(part), "");
      } else {
        out.emplace_back(form_decode(part.substr(0, eq)), form_decode(part.substr(eq + 1)));
      }
    }
    if (amp == std::string::npos) {
      break;
    }
    pos = amp + 1;
  }
  return out;
}

std::string gzip(const std::string &in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

ApiResponse html(int status, const std::string &body) {
  ApiResponse r;
  r.status = status;
  r.content_type = "text/html; charset=UTF-8";
  r.body = body;
  return r;
}

// Maps the URL to a REST route: "/wp-json/wc/v3/x" or "/?rest_route=/wc/v3/x" under the base path.
std::optional<std::string>
rest_route_of(const Options &o, const std::string &path,
              const std::vector<std::pair<std::string, std::string>> &query, bool &html_404) {
  html_404 = false;
  if (path.rfind(o.base_path, 0) != 0) {
    html_404 = true;
    return std::nullopt;
  }
  const std::string rel = path.substr(o.base_path.size());
  if (rel == "/wp-json" || rel.rfind("/wp-json/", 0) == 0) {
    if (o.plain_permalinks) {
      html_404 = true;
      return std::nullopt;
    }
    return rel.substr(8);
  }
  if (rel.empty() || rel == "/" || rel == "/index.php") {
    for (const auto &[k, v] : query) {
      if (k == "rest_route") {
        return v;
      }
    }
  }
  html_404 = true;
  return std::nullopt;
}

} // namespace

ApiResponse handle_api_request(Runtime &rt, const Router &api, const Router &control,
                               ApiRequest req, const std::string &accept_encoding,
                               bool *reset_connection) {
  *reset_connection = false;
  const Options &o = rt.options;
  req.all_query = parse_query(req.path); // caller passes the full target in path
  req.request_uri = req.path;
  if (auto q = req.path.find('?'); q != std::string::npos) {
    req.path.resize(q);
  }
  req.base_path = o.base_path;
  req.plain_permalinks = o.plain_permalinks;
  if (o.strip_auth_header) {
    std::erase_if(req.headers, [](const auto &h) {
      return h.first.size() == 13 && strncasecmp(h.first.c_str(), "authorization", 13) == 0;
    });
  }
  auto finish = [&](ApiResponse r, const std::string &route_name) {
    r.set_header("Date", http_date(rt.store.clock().now()));
    r.set_header("X-Robots-Tag", "noindex");
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link");
    r.set_header("Access-Control-Allow-Headers",
                 "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type");
    if (o.gzip && accept_encoding.find("gzip") != std::string::npos && !r.body.empty()) {
      r.body = gzip(r.body);
      r.set_header("Content-Encoding", "gzip");
      r.set_header("Vary", "Accept-Encoding");
    }
    rt.stats.record(route_name, r.status);
    return r;
  };

  // Test controls.
  if (req.path.rfind("/__control/", 0) == 0) {
    req.route = req.path;
    req.query = req.all_query;
    std::vector<std::string> caps;
    auto m = control.match(req.method, req.route, caps);
    if (!m.handler) {
      return ApiResponse::json(404, {{"error", "unknown control " + req.route}});
    }
    return (*m.handler)(req); // not counted in stats
  }

  bool html_404 = false;
  auto route = rest_route_of(o, req.path, req.all_query, html_404);
  if (!route) {
    return finish(html(404, kNotFoundHtml), "html404");
  }
  req.route = *route;
  for (const auto &kv : req.all_query) {
    if (kv.first != "rest_route") {
      req.query.push_back(kv);
    }
  }
  auto m = api.match(req.method, req.route, req.captures);
  const std::string name = m.handler ? m.name : "no_route";
  rt.stats.enter();
  struct Leave {
    Stats &s;
    ~Leave() { s.leave(); }
  } leave{rt.stats};

  if (auto retry = rt.rate_limit.admit()) {
    rt.stats.rate_limited();
    ApiResponse r = ApiResponse::json(
        429, {{"code", "rate_limited"},
              {"message", "Too many requests. Please wait " + std::to_string(*retry) + " seconds."},
              {"data", {{"status", 429}}}});
    r.set_header("Retry-After", std::to_string(*retry));
    return finish(r, name);
  }
  if (!m.handler) {
    return finish(ApiResponse::error(404, "rest_no_route",
                                     "No route was found matching the URL and request method."),
                  name);
  }
  const bool is_index = m.access == Access::kPublic;
  if (const int lat = rt.latency_ms.load(); lat > 0 && !is_index) {
    rt.sleep_ms(lat);
  }
  int per_page = 10;
  if (auto pp = req.param("per_page")) {
    per_page = std::atoi(pp->c_str());
  }
  int page = 1;
  if (auto pg = req.param("page")) {
    page = std::atoi(pg->c_str());
  }
  const auto fault = rt.faults.decide(is_index, per_page, page);
  if (fault) {
    rt.stats.fault_injected();
    switch (*fault) {
    case FaultKind::k500:
      return finish(ApiResponse::error(500, "internal_server_error",
                                       "There has been a critical error on this website."),
                    name);
    case FaultKind::k502Html:
      return finish(html(502, kBadGatewayHtml), name);
    case FaultKind::k503Retry: {
      ApiResponse r =
          html(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
      r.set_header("Retry-After", "1");
      return finish(r, name);
    }
    case FaultKind::kHtml200:
      return finish(html(200, kChallengeHtml), name);
    case FaultKind::kEmpty: {
      ApiResponse r;
      r.body.clear();
      return finish(r, name);
    }
    case FaultKind::kTimeout:
      rt.sleep_ms(rt.faults.config().timeout_ms);
      break;
    default:
      break;
    }
  }

  if (m.access != Access::kPublic) {
    auto a = rt.auth.authenticate(req, static_cast<std::int64_t>(std::time(nullptr)));
    if (a.error) {
      return finish(*a.error, name);
    }
    req.caller = a.caller;
    if (req.caller == Caller::kAnonymous) {
      return finish(ApiResponse::error(401, "woocommerce_rest_cannot_view",
                                       "Sorry, you cannot list resources."),
                    name);
    }
    if (req.caller == Caller::kCustomer ||
        (m.access == Access::kManager && req.caller != Caller::kManager)) {
      return finish(ApiResponse::error(403, "woocommerce_rest_cannot_view",
                                       "Sorry, you cannot list resources."),
                    name);
    }
  }
  ApiResponse r;
  try {
    r = (*m.handler)(req);
  } catch (const std::exception &e) {
    r = ApiResponse::error(500, "internal_server_error",
                           std::string("Handler failed: ") + e.what());
  }
  // The api.w.org discovery link WordPress always sends, unless a paging Link is present.
  bool has_paging_link = false;
  for (auto &[k, v] : r.headers) {
    if (k == "Link" && !v.empty()) {
      has_paging_link = true;
    }
  }
  if (!has_paging_link) {
    r.set_header("Link", "<" + req.rest_url("/") + ">; rel=\"https://api.w.org/\"");
  }
  if (fault == FaultKind::kNotice) {
    r.body =
        "<br />\n<b>Deprecated</b>:  Creation of dynamic property WC_Demo::$cache is deprecated in "
        "<b>/var/www/html/wp-content/plugins/demo/demo.php</b> on line <b>42</b><br />\n"
        "<br />\n<b>Notice</b>:  Undefined index: demo in <b>/var/www/html/wp-content/plugins/"
        "demo/demo.php</b> on line <b>57</b><br />\n" +
        r.body;
  } else if ((fault == FaultKind::kNoId || fault == FaultKind::kScalars) && r.status == 200 &&
             !r.body.empty() && r.body.front() == '[') {
    // A listing in another shape (a caching or security plugin answering for WooCommerce).
    r.body = fault == FaultKind::kNoId
                 ? R"([{"success":true,"message":"Served from the page cache"}])"
                 : R"(["cached","page"])";
  } else if (fault == FaultKind::kEmptyPage && r.status == 200 && !r.body.empty() &&
             r.body.front() == '[') {
    r.body = "[]";
    r.set_header("X-WP-Total", "1");
    r.set_header("X-WP-TotalPages", "1");
  } else if (fault == FaultKind::kTotalDrop && r.status == 200) {
    r.set_header("X-WP-Total", "1");
    r.set_header("X-WP-TotalPages", "1");
  } else if (fault == FaultKind::kBom) {
    r.body = "\xEF\xBB\xBF" + r.body;
  } else if (fault == FaultKind::kReset) {
    *reset_connection = true;
  }
  return finish(r, name);
}

HttpFrontend::HttpFrontend(Runtime &rt, Router &api, Router &control, TlsMaterial &tls)
    : rt_(rt), api_(api), control_(control), http_(std::make_unique<httplib::Server>()),
      https_(std::make_unique<httplib::SSLServer>(tls.server_cert.get(), tls.server_key.get())) {
  configure(*http_, false);
  configure(*https_, true);
}

HttpFrontend::~HttpFrontend() { stop(); }

void HttpFrontend::configure(httplib::Server &svr, bool https) {
  const int threads = rt_.options.threads;
  svr.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  // nginx and Apache send with TCP_NODELAY; without it, Nagle's algorithm holds the tail of each
  // response until the client's delayed ACK, adding up to 40 ms to a page.
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000);
  svr.set_keep_alive_timeout(30);
  svr.set_read_timeout(30);
  svr.set_write_timeout(30);
  svr.set_payload_max_length(16 * 1024 * 1024);
  auto handler = [this, https](const httplib::Request &hreq, httplib::Response &hres) {
    ApiRequest req;
    req.method = hreq.method;
    req.path = hreq.target;
    req.body = hreq.body;
    req.https = https;
    for (const auto &[k, v] : hreq.headers) {
      req.headers.emplace_back(k, v);
    }
    std::string host = hreq.get_header_value("Host");
    if (host.empty()) {
      host = rt_.options.host + ":" + std::to_string(https ? https_port_ : http_port_);
    }
    req.scheme_host = std::string(https ? "https://" : "http://") + host;
    bool reset = false;
    ApiResponse r = handle_api_request(rt_, api_, control_, std::move(req),
                                       hreq.get_header_value("Accept-Encoding"), &reset);
    hres.status = r.status;
    for (const auto &[k, v] : r.headers) {
      if (!v.empty()) {
        hres.set_header(k, v);
      }
    }
    if (reset) {
      auto body = std::make_shared<std::string>(std::move(r.body));
      hres.set_content_provider(
          body->size(), r.content_type,
          [body](std::size_t offset, std::size_t, httplib::DataSink &sink) {
            if (offset == 0 && body->size() > 1) {
              sink.write(body->data(), body->size() / 2);
            }
            return false; // abort: the client sees a connection closed mid-body
          });
      return;
    }
    hres.set_content(r.body, r.content_type);
  };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Delete(".*", handler);
  svr.Patch(".*", handler);
}

void HttpFrontend::start() {
  const std::string &host = rt_.options.host;
  auto bind = [&](httplib::Server &svr, int wanted) {
    if (wanted == 0) {
      return svr.bind_to_any_port(host);
    }
    return svr.bind_to_port(host, wanted) ? wanted : -1;
  };
  http_port_ = bind(*http_, rt_.options.http_port);
  https_port_ = bind(*https_, rt_.options.https_port);
  if (http_port_ <= 0 || https_port_ <= 0) {
    throw std::runtime_error("cannot bind the HTTP/HTTPS ports on " + host);
  }
  http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  https_thread_ = std::thread([this] { https_->listen_after_bind(); });
  // httplib's stop() is a no-op until listen has begun (is_running()): wait for both listeners,
  // so a shutdown right after start cannot leave one running and join it forever (bounded).
  for (int i = 0; i < 10000 && !(http_->is_running() && https_->is_running()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void HttpFrontend::stop() {
  rt_.begin_shutdown();
  if (http_) {
    http_->stop();
  }
  if (https_) {
    https_->stop();
  }
  if (http_thread_.joinable()) {
    http_thread_.join();
  }
  if (https_thread_.joinable()) {
    https_thread_.join();
  }
}

} // namespace wc::demo
