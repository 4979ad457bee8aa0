#include "woocommerce/response_body.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/stream_parser.hpp>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>
#include <cctype>
#include <optional>

#include "core/error.hpp"
#include "core/redact.hpp"

namespace wc::woo {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kMaxCandidates = 64;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim_front(std::string_view s) {
  for (;;) {
    if (s.substr(0, kBom.size()) == kBom) {
      s.remove_prefix(kBom.size());
    } else if (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else {
      return s;
    }
  }
}

bool only_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || c == 0; });
}

// Printable, single-line, redacted excerpt.
std::string excerpt(std::string_view s, std::size_t max = 200) {
  std::string out;
  for (char ch : s.substr(0, max)) {
    auto c = static_cast<unsigned char>(ch);
    out += (c < 0x20 || c == 0x7f) ? ' ' : ch;
  }
  if (s.size() > max) {
    out += "...";
  }
  return redact(out);
}

// Parses one JSON value at the start of `text`; `rest` gets what follows it.
// The value lives in one arena (a monotonic resource owned by the value's storage): a page's
// thousands of nodes cost no malloc each and are freed at once with the page. A listing wanted
// raw is parsed into raw records when it is an array of objects, and as a tree otherwise.
std::optional<boost::json::value> parse_prefix(std::string_view text, std::string_view &rest,
                                               RecordShape shape = RecordShape::tree(),
                                               std::shared_ptr<PageArena> *arena = nullptr) {
  if (shape.raw && !text.empty() && text.front() == '[') {
    // Each record's text plus its kept members: a little more than the text (its tokens, if
    // wanted, stay in the arena's tape).
    const std::size_t size = std::max<std::size_t>(4096, text.size() + text.size() / 4);
    if (arena != nullptr) {
      // Owned by the caller, referred to without reference counting: freeing the page then
      // skips every node's destructor (a monotonic resource frees nothing one by one).
      auto owned = std::make_shared<PageArena>(size, shape.tokens);
      if (auto page = parse_record_page(text, rest, owned->storage(), shape.kept, owned.get())) {
        *arena = std::move(owned);
        return page;
      }
    } else if (auto page = parse_record_page(
                   text, rest,
                   boost::json::make_shared_resource<boost::json::monotonic_resource>(size),
                   shape.kept)) { // tokens only with an arena to keep them in
      return page;
    }
  }
  boost::json::stream_parser p;
  // First block about three times the text: one block holds a whole page's tree.
  p.reset(boost::json::make_shared_resource<boost::json::monotonic_resource>(
      std::max<std::size_t>(4096, text.size() * 3)));
  boost::system::error_code ec;
  const std::size_t used = p.write_some(text.data(), text.size(), ec);
  if (ec) {
    return std::nullopt;
  }
  if (!p.done()) {
    p.finish(ec);
    if (ec || !p.done()) {
      return std::nullopt;
    }
  }
  rest = text.substr(used);
  return p.release();
}

// "Notice", "Warning", "Deprecated", "Fatal error", "Parse error" or empty.
std::string php_message_kind(std::string_view text) {
  static constexpr std::array<std::string_view, 7> kKinds{"Fatal error",
                                                          "Parse error",
                                                          "Notice",
                                                          "Warning",
                                                          "Deprecated",
                                                          "Strict Standards",
                                                          "Recoverable fatal error"};
  std::string_view head = text.substr(0, 400);
  for (auto kind : kKinds) {
    for (std::string_view prefix : {"", "PHP ", "<b>"}) {
      std::string needle = std::string(prefix) + std::string(kind);
      auto pos = head.find(needle);
      if (pos == std::string_view::npos) {
        continue;
      }
      // "Notice:" as text, or "<b>Notice</b>:" in PHP's HTML error format.
      auto after = head.substr(pos + needle.size());
      if (after.substr(0, 1) == ":" || after.substr(0, 5) == "</b>:") {
        return std::string(kind == "Recoverable fatal error" ? "Fatal error" : kind);
      }
    }
  }
  return {};
}

// "wp-content/plugins/<name>/" or "wp-content/themes/<name>/" named in a PHP message.
std::string php_message_origin(std::string_view text) {
  for (std::string_view dir :
       {"wp-content/plugins/", "wp-content/themes/", "wp-content/mu-plugins/"}) {
    auto pos = text.find(dir);
    if (pos == std::string_view::npos) {
      continue;
    }
    auto name = text.substr(pos + dir.size());
    name = name.substr(0, std::min(name.find('/'), std::size_t{80}));
    std::string kind = dir == "wp-content/themes/" ? "theme " : "plugin ";
    return kind + std::string(name);
  }
  return {};
}

// The PHP message without HTML tags, on one line.
std::string php_message_text(std::string_view text) {
  std::string out;
  bool in_tag = false;
  for (char c : text.substr(0, 600)) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  std::string_view v = trim_front(out);
  v = v.substr(0, v.find_first_of("\r\n"));
  return excerpt(v, 200);
}

std::string php_warning(std::string_view kind, std::string_view message, bool after) {
  std::string origin = php_message_origin(message);
  std::string text = std::string("the store printed a PHP ") + std::string(kind) +
                     (after ? " after" : " before") + " the JSON";
  if (!origin.empty()) {
    text += " (from " + origin + ")";
  }
  text += ": \"" + php_message_text(message) + "\". The data was recovered; fix or disable ";
  text += origin.empty() ? "the plugin or theme that prints it" : "that " + origin.substr(0, 6);
  text += ", or set WP_DEBUG_DISPLAY to false in wp-config.php";
  return redact(text);
}

std::string html_title(std::string_view body) {
  const std::string l = lower(body.substr(0, 65536));
  auto open = l.find("<title");
  if (open == std::string::npos) {
    return {};
  }
  auto start = l.find('>', open);
  auto end = l.find("</title", open);
  if (start == std::string::npos || end == std::string::npos || end <= start) {
    return {};
  }
  std::string title = excerpt(body.substr(start + 1, end - start - 1), 100);
  auto first = title.find_first_not_of(' ');
  auto last = title.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : title.substr(first, last - first + 1);
}

} // namespace

bool looks_like_html(std::string_view body) {
  const std::string l = lower(body.substr(0, 2048));
  return l.find("<!doctype html") != std::string::npos || l.find("<html") != std::string::npos ||
         l.find("<head") != std::string::npos || l.find("<body") != std::string::npos;
}

namespace {

[[noreturn]] void throw_html(const http::Response &response, std::string_view body,
                             const std::string &where) {
  const std::string l = lower(body.substr(0, 262144));
  const std::string title = html_title(body);
  const std::string titled = title.empty() ? std::string() : " (titled \"" + title + "\")";
  auto has = [&](std::string_view needle) { return l.find(needle) != std::string::npos; };
  if (has("just a moment") || has("attention required") || has("cf-browser-verification") ||
      has("challenge-platform") || has("cf-chl") || has("cloudflare") || has("captcha") ||
      has("sucuri website firewall") || has("access denied")) {
    throw Error(FailureType::kConfig,
                redact(where + "the store answered with a bot challenge / firewall page" + titled +
                       " instead of JSON: a WAF or CDN (e.g. Cloudflare) is blocking the "
                       "connector; allowlist the connector's IP address or User-Agent for "
                       "/wp-json/wc/ (or turn off bot-fight mode for it)"));
  }
  if (has("maintenance")) {
    throw Error(FailureType::kTransient, redact(where + "the store is in maintenance mode" +
                                                titled + "; try again when maintenance is over"));
  }
  if (has("wp-login.php") || has("loginform") || has("user_login") || has("log in")) {
    throw Error(FailureType::kConfig,
                redact(where + "the request was redirected to a login page" + titled +
                       ": a security or membership plugin is blocking the REST API; allow "
                       "/wp-json/wc/ for API keys"));
  }
  const FailureType type = response.status >= 500 ? FailureType::kTransient : FailureType::kConfig;
  throw Error(type,
              redact(where + "the store returned an HTML page instead of JSON" + titled +
                     " (HTTP " + std::to_string(response.status) +
                     "); check the store URL and that pretty permalinks or the ?rest_route= form "
                     "reach the WooCommerce REST API"));
}

} // namespace

boost::json::value parse_json_body(const http::Response &response, std::string_view label,
                                   const std::function<void(std::string_view warn)> &warn,
                                   RecordShape shape, std::shared_ptr<PageArena> *arena) {
  const std::string where = label.empty() ? std::string() : redact(std::string(label)) + ": ";
  const std::string_view body = trim_front(response.body);
  if (only_space(body)) {
    throw Error(FailureType::kTransient,
                where + "empty response body (HTTP " + std::to_string(response.status) + ")");
  }

  // The common case: a clean JSON document (maybe followed by PHP output).
  std::string_view rest;
  if (auto v = parse_prefix(body, rest, shape, arena)) {
    rest = trim_front(rest);
    if (!rest.empty()) {
      const std::string kind = php_message_kind(rest);
      if (kind.empty()) {
        throw Error(FailureType::kTransient,
                    where + "unexpected text after the JSON body: \"" + excerpt(rest) + "\"");
      }
      if (warn) {
        warn(php_warning(kind, rest, true));
      }
    }
    return std::move(*v);
  }

  const std::string kind = php_message_kind(body);
  if (kind == "Fatal error" || kind == "Parse error") {
    throw Error(FailureType::kTransient, redact(where + "the store failed with a PHP " + kind +
                                                (php_message_origin(body).empty()
                                                     ? std::string()
                                                     : " (in " + php_message_origin(body) + ")") +
                                                ": \"" + php_message_text(body) + "\""));
  }
  if (!kind.empty()) {
    // Recover the JSON printed after the notice: the first '[' or '{' that starts a document
    // running to the end of the body.
    std::size_t pos = 0;
    for (std::size_t tries = 0; tries < kMaxCandidates; ++tries) {
      pos = body.find_first_of("[{", pos);
      if (pos == std::string_view::npos) {
        break;
      }
      std::string_view tail;
      if (auto v = parse_prefix(body.substr(pos), tail, shape, arena); v && only_space(tail)) {
        if (warn) {
          warn(php_warning(kind, body.substr(0, pos), false));
        }
        return std::move(*v);
      }
      ++pos;
    }
  }
  if (looks_like_html(body)) {
    throw_html(response, body, where);
  }
  if (!kind.empty()) {
    throw Error(FailureType::kTransient,
                redact(where + "the store printed a PHP " + kind + " and no readable JSON: \"" +
                       php_message_text(body) + "\""));
  }
  throw Error(FailureType::kTransient, where + "the response body is not valid JSON (HTTP " +
                                           std::to_string(response.status) + "): \"" +
                                           excerpt(body) + "\"");
}

bool body_needs_retry(const http::Response &response) {
  const std::string_view body = trim_front(response.body);
  return only_space(body) || (body.front() == '<' && looks_like_html(body));
}

std::string error_code(const http::Response &response) {
  std::string_view rest;
  auto v = parse_prefix(trim_front(response.body), rest);
  if (!v || !v->is_object()) {
    return "";
  }
  const auto *code = v->as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->as_string()) : "";
}

std::string describe_error_body(const http::Response &response) {
  try {
    const std::string_view body = trim_front(response.body);
    if (only_space(body)) {
      return "empty body";
    }
    std::optional<boost::json::value> v;
    std::string_view rest;
    v = parse_prefix(body, rest);
    if (!v) {
      if (auto brace = body.find('{'); brace != std::string_view::npos) {
        v = parse_prefix(body.substr(brace), rest);
      }
    }
    if (v && v->is_object()) {
      const auto &o = v->as_object();
      const auto *code = o.if_contains("code");
      const auto *message = o.if_contains("message");
      std::string out;
      if (code && code->is_string()) {
        out = std::string(code->as_string());
      }
      if (message && message->is_string()) {
        out += (out.empty() ? "" : ": ") + std::string(message->as_string());
      }
      if (!out.empty()) {
        return excerpt(out, 300);
      }
    }
    if (looks_like_html(body)) {
      const std::string title = html_title(body);
      return title.empty() ? "an HTML page" : "an HTML page titled \"" + title + "\"";
    }
    return "\"" + excerpt(body) + "\"";
  } catch (...) {
    return "unreadable body";
  }
}

} // namespace wc::woo
