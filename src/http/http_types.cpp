#include "http/http_types.hpp"

#include <cctype>
#include <charconv>

namespace wc::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

} // namespace

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || text.front() == '-' || text.front() == '+' || ec != std::errc() ||
      end != text.data() + text.size() || port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

std::string_view to_string(TransportError error) {
  switch (error) {
  case TransportError::kNone:
    return "none";
  case TransportError::kConnection:
    return "connection failed";
  case TransportError::kTimeout:
    return "timeout";
  case TransportError::kRead:
    return "read error (connection reset or truncated body)";
  case TransportError::kWrite:
    return "write error";
  case TransportError::kTls:
    return "TLS handshake failed";
  case TransportError::kTlsVerify:
    return "TLS certificate verification failed";
  case TransportError::kProxy:
    return "proxy error";
  case TransportError::kOther:
    return "transport error";
  }
  return "transport error";
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto &[key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

std::string encode_target(const Request &request) {
  std::string out = request.path.empty() ? std::string("/") : request.path;
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto &[key, value] : request.params) {
    out += sep;
    out += percent_encode(key);
    out += '=';
    out += percent_encode_query_value(value);
    sep = '&';
  }
  return out;
}

} // namespace wc::http
