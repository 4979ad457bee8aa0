// The httplib transport against real servers on 127.0.0.1: httplib::Server / SSLServer for the
// well-behaved cases, a raw socket server for byte-exact hostile answers (truncated, gzip).
#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.hpp"
#include "http/transport.hpp"

using namespace wc::http;
namespace fs = std::filesystem;

namespace {

// httplib server on an ephemeral loopback port, stopped on destruction.
template <class ServerT> class Running {
public:
  template <class... Args> explicit Running(Args &&...args) : server(std::forward<Args>(args)...) {}
  void start() {
    port = server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread = std::thread([this] { server.listen_after_bind(); });
    // stop() is a no-op until listen has begun: wait for it, bounded.
    for (int i = 0; i < 10000 && !server.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Running() {
    server.stop();
    if (thread.joinable()) {
      thread.join();
    }
  }
  ServerT server;
  int port = 0;
  std::thread thread;
};

// Accepts connections and answers each with the canned bytes, then closes.
class RawServer {
public:
  explicit RawServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::listen(fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len);
    port = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~RawServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string last_request() {
    std::lock_guard lock(mu_);
    return request_;
  }
  int port = 0;

private:
  void run() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) {
        return;
      }
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos) {
        auto n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) {
          break;
        }
        req.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        request_ = req;
      }
      ::send(c, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      ::shutdown(c, SHUT_RDWR);
      ::close(c);
    }
  }
  std::string reply_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::string request_;
};

std::string gzip(const std::string &in) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(static_cast<uLong>(in.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TransportOptions fast_options() {
  TransportOptions o;
  o.user_agent = "source-woocommerce-test/1.0";
  o.connect_timeout_seconds = 2;
  o.read_timeout_seconds = 5;
  return o;
}

Request get(std::string path, Params params = {}) {
  Request r;
  r.path = std::move(path);
  r.params = std::move(params);
  return r;
}

} // namespace

TEST(HttplibTransport, SendsEncodedQueryHeadersAndReadsResponse) {
  Running<httplib::Server> srv;
  std::string seen_ua, seen_ae, seen_after, seen_status;
  srv.server.Get("/wp-json/wc/v3/orders", [&](const httplib::Request &req, httplib::Response &res) {
    seen_ua = req.get_header_value("User-Agent");
    seen_ae = req.get_header_value("Accept-Encoding");
    seen_after = req.get_param_value("modified_after");
    seen_status = req.get_param_value("status[]");
    res.set_header("X-WP-Total", "3");
    res.set_content("[1,2,3]", "application/json");
  });
  srv.start();
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", srv.port}, fast_options());
  auto r = t->send(get("/wp-json/wc/v3/orders",
                       {{"modified_after", "2024-01-01T00:00:00"}, {"status[]", "any"}}));
  ASSERT_TRUE(r.transport_ok()) << r.error_detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[1,2,3]");
  EXPECT_EQ(r.header("x-wp-total").value_or(""), "3");
  EXPECT_GT(r.elapsed_ms, 0.0);
  EXPECT_EQ(seen_ua, "source-woocommerce-test/1.0");
  EXPECT_EQ(seen_ae, "gzip");
  EXPECT_EQ(seen_after, "2024-01-01T00:00:00");
  EXPECT_EQ(seen_status, "any");
}

TEST(HttplibTransport, PooledClientsAreThreadSafe) {
  Running<httplib::Server> srv;
  std::atomic<int> hits{0};
  srv.server.Get(R"(/n/(\d+))", [&](const httplib::Request &req, httplib::Response &res) {
    ++hits;
    res.set_content(req.matches[1].str(), "text/plain");
  });
  srv.start();
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", srv.port}, fast_options());
  std::atomic<int> good{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 15; ++i) {
        const std::string n = std::to_string(w * 100 + i);
        auto r = t->send(get("/n/" + n));
        good += r.transport_ok() && r.status == 200 && r.body == n;
      }
    });
  }
  for (auto &th : workers) {
    th.join();
  }
  EXPECT_EQ(good.load(), 60);
  EXPECT_EQ(hits.load(), 60);
}

TEST(HttplibTransport, DecompressesGzipBodies) {
  std::string json = "[";
  for (int i = 0; i < 2000; ++i) {
    json += (i ? "," : "") + std::string("{\"id\":") + std::to_string(i) + "}";
  }
  json += "]";
  const std::string packed = gzip(json);
  ASSERT_LT(packed.size(), json.size() / 4);
  RawServer raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                "Content-Length: " +
                std::to_string(packed.size()) + "\r\nConnection: close\r\n\r\n" + packed);
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", raw.port}, fast_options());
  auto r = t->send(get("/wp-json/wc/v3/products"));
  ASSERT_TRUE(r.transport_ok()) << r.error_detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, json);
  EXPECT_NE(raw.last_request().find("Accept-Encoding: gzip"), std::string::npos);
}

TEST(HttplibTransport, TruncatedBodyIsAReadErrorNotAShort200) {
  RawServer raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                "[{\"id\":1},{\"id\":2}");
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", raw.port}, fast_options());
  auto r = t->send(get("/x"));
  EXPECT_EQ(r.error, TransportError::kRead) << r.status << " " << r.body;
}

TEST(HttplibTransport, TruncatedChunkedBodyIsAReadError) {
  RawServer raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                "chunked\r\n\r\n10\r\n[{\"id\":1},{\"id\":");
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", raw.port}, fast_options());
  auto r = t->send(get("/x"));
  EXPECT_EQ(r.error, TransportError::kRead) << r.status << " " << r.body;
}

TEST(HttplibTransport, BodyLargerThanLimitIsRefused) {
  RawServer raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n" +
                std::string(100, 'x'));
  auto o = fast_options();
  o.max_body_bytes = 10;
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", raw.port}, o);
  auto r = t->send(get("/x"));
  EXPECT_FALSE(r.transport_ok());
  EXPECT_NE(r.error_detail.find("larger than the limit"), std::string::npos) << r.error_detail;
}

TEST(HttplibTransport, RefusedConnectionIsAConnectionError) {
  int port = 0;
  {
    RawServer raw("");
    port = raw.port;
  } // closed: nothing listens there now
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", port}, fast_options());
  auto r = t->send(get("/x"));
  EXPECT_EQ(r.error, TransportError::kConnection) << r.error_detail;
}

TEST(HttplibTransport, SlowServerIsATimeout) {
  Running<httplib::Server> srv;
  std::atomic<bool> release{false};
  srv.server.Get("/slow", [&](const httplib::Request &, httplib::Response &res) {
    for (int i = 0; i < 300 && !release; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    res.set_content("late", "text/plain");
  });
  srv.start();
  auto o = fast_options();
  o.read_timeout_seconds = 1; // the one unavoidable wait of this file
  auto t = make_httplib_transport(Origin{"http", "127.0.0.1", srv.port}, o);
  auto r = t->send(get("/slow"));
  release = true;
  EXPECT_EQ(r.error, TransportError::kTimeout) << r.error_detail;
}

TEST(HttplibTransport, RejectsBadConfiguration) {
  EXPECT_THROW(make_httplib_transport(Origin{"ftp", "h", 21}, fast_options()), wc::Error);
  EXPECT_THROW(make_httplib_transport(Origin{"https", "", 443}, fast_options()), wc::Error);
  auto o = fast_options();
  o.ca_certificate_pem = "not a certificate";
  EXPECT_THROW(make_httplib_transport(Origin{"https", "127.0.0.1", 443}, o), wc::Error);
  o = fast_options();
  o.proxy_url = "socks5://127.0.0.1:1080";
  EXPECT_THROW(make_httplib_transport(Origin{"http", "127.0.0.1", 80}, o), wc::Error);
}

TEST(HttplibTransport, ProxyIsUsed) {
  // A "proxy" that answers every request itself: proves the request went to it, with the
  // absolute-form target.
  RawServer proxy("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]");
  auto o = fast_options();
  o.proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port);
  auto t = make_httplib_transport(Origin{"http", "store.invalid", 8080}, o);
  auto r = t->send(get("/wp-json/wc/v3/orders", {{"page", "1"}}));
  ASSERT_TRUE(r.transport_ok()) << r.error_detail;
  EXPECT_EQ(r.body, "[]");
  EXPECT_NE(proxy.last_request().find("store.invalid"), std::string::npos) << proxy.last_request();
}

class TlsTransport : public ::testing::Test {
protected:
  void SetUp() override {
    if (std::system("openssl version > /dev/null 2>&1") != 0) {
      GTEST_SKIP() << "openssl CLI not available";
    }
    dir_ = fs::temp_directory_path() / ("wcc_tls_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string script =
        "cd '" + d +
        "' && "
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj '/CN=wcc test CA' -addext basicConstraints=critical,CA:TRUE "
        "-addext keyUsage=critical,keyCertSign,cRLSign && "
        "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
        "-subj '/CN=127.0.0.1' && "
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > "
        "ext.cnf && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out server.pem -days 2 -extfile ext.cnf";
    ASSERT_EQ(std::system((script + " > /dev/null 2>&1").c_str()), 0) << "certificate generation";
    std::ifstream in(dir_ / "ca.pem");
    std::stringstream ss;
    ss << in.rdbuf();
    ca_pem_ = ss.str();
    server_ = std::make_unique<Running<httplib::SSLServer>>((dir_ / "server.pem").string().c_str(),
                                                            (dir_ / "server.key").string().c_str());
    ASSERT_TRUE(server_->server.is_valid());
    server_->server.Get("/wp-json/", [](const httplib::Request &, httplib::Response &res) {
      res.set_content("{\"name\":\"shop\"}", "application/json");
    });
    server_->start();
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty()) {
      fs::remove_all(dir_);
    }
  }
  fs::path dir_;
  std::string ca_pem_;
  std::unique_ptr<Running<httplib::SSLServer>> server_;
};

TEST_F(TlsTransport, PrivateCaIsTrustedWhenGiven) {
  auto o = fast_options();
  o.ca_certificate_pem = ca_pem_;
  auto t = make_httplib_transport(Origin{"https", "127.0.0.1", server_->port}, o);
  auto r = t->send(get("/wp-json/"));
  ASSERT_TRUE(r.transport_ok()) << to_string(r.error) << ": " << r.error_detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"name\":\"shop\"}");
}

TEST_F(TlsTransport, UnknownCaFailsVerification) {
  auto t = make_httplib_transport(Origin{"https", "127.0.0.1", server_->port}, fast_options());
  auto r = t->send(get("/wp-json/"));
  EXPECT_EQ(r.error, TransportError::kTlsVerify) << r.error_detail;
}

TEST_F(TlsTransport, VerificationCanBeTurnedOff) {
  auto o = fast_options();
  o.verify_tls = false;
  auto t = make_httplib_transport(Origin{"https", "127.0.0.1", server_->port}, o);
  auto r = t->send(get("/wp-json/"));
  ASSERT_TRUE(r.transport_ok()) << r.error_detail;
  EXPECT_EQ(r.status, 200);
}
