// The real transport on cpp-httplib. The only file of the connector (with the demo store and the
// webhook server) that includes httplib.h.
#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <mutex>
#include <vector>

#include "core/error.hpp"
#include "core/redact.hpp"
#include "http/transport.hpp"

namespace wc::http {
namespace {

constexpr std::size_t kMaxPooledClients = 16;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) {
      return false;
    }
  }
  return true;
}

struct ProxySettings {
  std::string host;
  int port = 0;
  std::string user;
  std::string password;
};

int parse_port(std::string_view text, std::string_view what) {
  int port = 0;
  if (text.empty() || text.size() > 5) {
    throw Error(FailureType::kConfig, std::string(what) + ": invalid port");
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      throw Error(FailureType::kConfig, std::string(what) + ": invalid port");
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    throw Error(FailureType::kConfig, std::string(what) + ": invalid port");
  }
  return port;
}

// "http://[user:pass@]host[:port][/]"; https proxies are not supported by cpp-httplib.
std::optional<ProxySettings> parse_proxy(const std::string &url) {
  if (url.empty()) {
    return std::nullopt;
  }
  constexpr std::string_view kScheme = "http://";
  std::string_view rest(url);
  if (rest.substr(0, kScheme.size()) != kScheme) {
    throw Error(FailureType::kConfig,
                "proxy URL must look like http://host:port (https proxies are not supported)");
  }
  rest.remove_prefix(kScheme.size());
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    rest = rest.substr(0, slash);
  }
  ProxySettings p;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    auto colon = userinfo.find(':');
    p.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) {
      p.password = std::string(userinfo.substr(colon + 1));
      register_secret(p.password);
    }
  }
  p.port = 80;
  if (auto colon = rest.rfind(':');
      colon != std::string_view::npos && rest.find(']') == rest.npos) {
    p.port = parse_port(rest.substr(colon + 1), "proxy URL");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) {
    throw Error(FailureType::kConfig, "proxy URL has no host");
  }
  p.host = std::string(rest);
  return p;
}

// A new X509_STORE trusting the system default CAs plus every certificate in `pem` (if any).
// Throws a config error when a non-empty `pem` holds no certificate.
X509_STORE *make_store(const std::string &pem) {
  X509_STORE *store = X509_STORE_new();
  if (!store) {
    throw Error(FailureType::kSystem, "out of memory creating the certificate store");
  }
  X509_STORE_set_default_paths(store);
  ERR_clear_error();
  if (pem.empty()) {
    return store; // the system's CAs only
  }
  BIO *bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  int added = 0;
  while (bio) {
    X509 *cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (!cert) {
      break;
    }
    if (X509_STORE_add_cert(store, cert) == 1) {
      ++added;
    }
    X509_free(cert);
  }
  if (bio) {
    BIO_free(bio);
  }
  ERR_clear_error();
  if (added == 0) {
    X509_STORE_free(store);
    throw Error(FailureType::kConfig,
                "the CA certificate setting holds no PEM certificate (expected '-----BEGIN "
                "CERTIFICATE-----')");
  }
  return store;
}

TransportError map_error(httplib::Error e) {
  switch (e) {
  case httplib::Error::Success:
    return TransportError::kNone;
  case httplib::Error::Connection:
  case httplib::Error::BindIPAddress:
    return TransportError::kConnection;
  case httplib::Error::ConnectionTimeout:
    return TransportError::kTimeout;
  case httplib::Error::Read:
  case httplib::Error::Compression: // a corrupt or cut gzip stream
    return TransportError::kRead;
  case httplib::Error::Write:
    return TransportError::kWrite;
  case httplib::Error::SSLConnection:
  case httplib::Error::SSLLoadingCerts:
    return TransportError::kTls;
  case httplib::Error::SSLServerVerification:
    return TransportError::kTlsVerify;
  default:
    return TransportError::kOther;
  }
}

class HttplibTransport final : public Transport {
public:
  HttplibTransport(Origin origin, TransportOptions options)
      : origin_(std::move(origin)), options_(std::move(options)),
        proxy_(parse_proxy(options_.proxy_url)) {
    if (origin_.scheme != "http" && origin_.scheme != "https") {
      throw Error(FailureType::kConfig, "the store URL must start with http:// or https://");
    }
    if (origin_.host.empty()) {
      throw Error(FailureType::kConfig, "the store URL has no host name");
    }
    if (origin_.port < 1 || origin_.port > 65535) {
      throw Error(FailureType::kConfig, "the store URL has an invalid port");
    }
    if (origin_.scheme == "https") {
      // One trust store for every pooled connection: the system bundle is parsed once, not once
      // per connection (about 60 ms of CPU each).
      store_ = make_store(options_.ca_certificate_pem);
    }
    // Fail early (config) if a client cannot be built at all.
    checkin(make_client());
  }

  ~HttplibTransport() override {
    free_.clear();
    if (store_ != nullptr) {
      X509_STORE_free(store_);
    }
  }
  HttplibTransport(const HttplibTransport &) = delete;
  HttplibTransport &operator=(const HttplibTransport &) = delete;

  Response send(const Request &request) override {
    Response out;
    std::unique_ptr<httplib::ClientImpl> client;
    try {
      client = checkout();
    } catch (const Error &e) {
      out.error = TransportError::kTls;
      out.error_detail = e.what();
      return out;
    }

    httplib::Request req;
    req.method = request.method.empty() ? std::string("GET") : request.method;
    req.path = encode_target(request);
    bool has_ua = false, has_ae = false, has_ct = false;
    for (const auto &[k, v] : request.headers) {
      has_ua = has_ua || iequals(k, "User-Agent");
      has_ae = has_ae || iequals(k, "Accept-Encoding");
      has_ct = has_ct || iequals(k, "Content-Type");
      req.headers.emplace(k, v);
    }
    if (!has_ua && !options_.user_agent.empty()) {
      req.headers.emplace("User-Agent", options_.user_agent);
    }
    if (!has_ae) {
      req.headers.emplace("Accept-Encoding", options_.accept_gzip ? "gzip" : "identity");
    }
    if (!request.body.empty() || req.method == "POST" || req.method == "PUT" ||
        req.method == "PATCH") {
      req.body = request.body;
      if (!has_ct) {
        req.headers.emplace("Content-Type", request.content_type.empty()
                                                ? std::string("application/json")
                                                : request.content_type);
      }
    }

    bool too_big = false;
    const std::size_t limit = options_.max_body_bytes;
    std::string body;
    req.content_receiver = [&](const char *data, std::size_t len, std::uint64_t,
                               std::uint64_t total) {
      if (body.empty() && total > 0 && total <= limit) {
        body.reserve(static_cast<std::size_t>(total)); // Content-Length: one allocation
      }
      if (body.size() + len > limit) {
        too_big = true;
        return false;
      }
      body.append(data, len);
      return true;
    };

    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    const auto start = std::chrono::steady_clock::now();
    const bool ok = client->send(req, res, err);
    out.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ok) {
      out.status = res.status;
      out.headers.reserve(res.headers.size());
      for (const auto &[k, v] : res.headers) {
        out.headers.emplace_back(k, v);
      }
      out.body = std::move(body);
      checkin(std::move(client));
      return out;
    }
    // The connection is in an unknown state: drop this client.
    if (too_big) {
      out.error = TransportError::kOther;
      out.error_detail =
          "response body larger than the limit of " + std::to_string(limit) + " bytes";
      return out;
    }
    out.error = map_error(err);
    out.error_detail = httplib::to_string(err);
    if (err == httplib::Error::Read &&
        out.elapsed_ms >= 950.0 * static_cast<double>(options_.read_timeout_seconds)) {
      // cpp-httplib reports a read timeout as a read error; the time spent tells them apart.
      out.error = TransportError::kTimeout;
      out.error_detail =
          "read timeout after " + std::to_string(options_.read_timeout_seconds) + " s";
    }
    if (err == httplib::Error::SSLServerVerification) {
      if (auto *ssl = dynamic_cast<httplib::SSLClient *>(client.get())) {
        out.error_detail +=
            std::string(": ") + X509_verify_cert_error_string(ssl->get_openssl_verify_result());
      }
    }
    if (proxy_ && err == httplib::Error::Connection) {
      out.error_detail +=
          " (through proxy " + proxy_->host + ":" + std::to_string(proxy_->port) + ")";
    }
    out.error_detail = redact(out.error_detail);
    return out;
  }

private:
  std::unique_ptr<httplib::ClientImpl> make_client() const {
    std::unique_ptr<httplib::ClientImpl> client;
    if (origin_.scheme == "https") {
      auto ssl = std::make_unique<httplib::SSLClient>(origin_.host, origin_.port);
      if (!ssl->is_valid()) {
        throw Error(FailureType::kSystem, "could not initialise TLS (OpenSSL)");
      }
      X509_STORE_up_ref(store_);
      ssl->set_ca_cert_store(store_); // the connection's context holds one reference
      // A CA directory (looked up lazily) keeps cpp-httplib from loading the default bundle into
      // the shared store again for every connection.
      ssl->set_ca_cert_path("", X509_get_default_cert_dir());
      ssl->enable_server_certificate_verification(options_.verify_tls);
      client = std::move(ssl);
    } else {
      client = std::make_unique<httplib::ClientImpl>(origin_.host, origin_.port);
    }
    client->set_keep_alive(true);
    // Without TCP_NODELAY, Nagle's algorithm holds the last partial segment of a request until
    // the server's delayed ACK (up to 40 ms per request on Linux).
    client->set_tcp_nodelay(true);
    client->set_follow_location(false);
    client->set_url_encode(false); // encode_target() already encoded the target
    client->set_decompress(true);
    client->set_connection_timeout(std::chrono::seconds(options_.connect_timeout_seconds));
    client->set_read_timeout(std::chrono::seconds(options_.read_timeout_seconds));
    client->set_write_timeout(std::chrono::seconds(options_.read_timeout_seconds));
    if (proxy_) {
      client->set_proxy(proxy_->host, proxy_->port);
      if (!proxy_->user.empty()) {
        client->set_proxy_basic_auth(proxy_->user, proxy_->password);
      }
    }
    return client;
  }

  std::unique_ptr<httplib::ClientImpl> checkout() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        auto c = std::move(free_.back());
        free_.pop_back();
        return c;
      }
    }
    return make_client();
  }

  void checkin(std::unique_ptr<httplib::ClientImpl> client) {
    std::lock_guard lock(mu_);
    if (free_.size() < kMaxPooledClients) {
      free_.push_back(std::move(client));
    }
  }

  Origin origin_;
  TransportOptions options_;
  std::optional<ProxySettings> proxy_;
  X509_STORE *store_ = nullptr; // our reference to the shared trust store (https only)
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::ClientImpl>> free_;
};

} // namespace

std::unique_ptr<Transport> make_httplib_transport(const Origin &origin,
                                                  const TransportOptions &options) {
  return std::make_unique<HttplibTransport>(origin, options);
}

} // namespace wc::http
