#pragma once
// Sends one request and returns what came back, or the transport error. Implementations are
// thread-safe: several workers call send() at once. No retries, no auth, no rate limiting here.
#include <memory>
#include <string>

#include "http/http_types.hpp"

namespace wc::http {

struct Origin {
  std::string scheme = "https"; // "http" or "https"
  std::string host;
  int port = 443;
};

struct TransportOptions {
  std::string ca_certificate_pem; // extra trusted CA (PEM text); empty = system store only
  bool verify_tls = true;
  std::string user_agent;
  int connect_timeout_seconds = 10;
  int read_timeout_seconds = 60;
  bool accept_gzip = true;
  std::string proxy_url; // "http://host:port" or empty; resolved from env by the caller
  std::size_t max_body_bytes = 256u * 1024u * 1024u;
};

class Transport {
public:
  virtual ~Transport() = default;
  virtual Response send(const Request &request) = 0;
};

// The real transport: cpp-httplib, keep-alive connections pooled per thread-safe free list.
std::unique_ptr<Transport> make_httplib_transport(const Origin &origin,
                                                  const TransportOptions &options);

} // namespace wc::http
