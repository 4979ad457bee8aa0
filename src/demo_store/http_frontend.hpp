#pragma once
// The HTTP side of the demo store: an httplib::Server (plain HTTP) and an httplib::SSLServer
// (HTTPS) sharing one Router. Maps /wp-json/... and ?rest_route=... to REST routes, applies
// authentication, the rate limit, latency and faults, and answers with WordPress's headers.
#include "demo_store/router.hpp"
#include "demo_store/runtime.hpp"
#include "demo_store/tls_certs.hpp"

#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace wc::demo {

// Handles one request end to end without sockets (used by the servers and by unit tests).
// `https` tells the authenticator whether the connection was TLS.
ApiResponse handle_api_request(Runtime &rt, const Router &api, const Router &control,
                               ApiRequest req, const std::string &accept_encoding,
                               bool *reset_connection);

class HttpFrontend {
public:
  HttpFrontend(Runtime &rt, Router &api, Router &control, TlsMaterial &tls);
  ~HttpFrontend();
  // Binds both listeners (ports 0 = any free port) and starts serving in background threads.
  // Throws std::runtime_error if a port cannot be bound.
  void start();
  void stop();
  int http_port() const { return http_port_; }
  int https_port() const { return https_port_; }

private:
  void configure(httplib::Server &svr, bool https);

  Runtime &rt_;
  Router &api_;
  Router &control_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<httplib::Server> https_;
  std::thread http_thread_, https_thread_;
  int http_port_ = 0, https_port_ = 0;
};

} // namespace wc::demo
