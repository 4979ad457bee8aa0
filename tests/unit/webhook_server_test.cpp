#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "webhook/journal.hpp"
#include "webhook/journal_reader.hpp"
#include "webhook/signature.hpp"
#include "webhook/webhook_server.hpp"
#include "webhook_vectors.hpp"

using wc::webhook::compute_signature;
using wc::webhook::Journal;
using wc::webhook::JournalOptions;
using wc::webhook::JournalReader;
using wc::webhook::WebhookServer;
using wc::webhook::WebhookServerOptions;

namespace {

constexpr const char *kSecret = "realwc-webhook-secret";

using wc::webhook::testing::load_vectors;
using wc::webhook::testing::RawDelivery;

// Sends the request exactly like WooCommerce: HTTP/1.0, Connection: close, raw socket.
// Returns the status code, or -1 on a socket error.
int post_http10(int port, const RawDelivery &d, std::string *response = nullptr) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string req = "POST " + d.path + " HTTP/1.0\r\n";
  for (const auto &[k, v] : d.headers) {
    if (k == "Content-Length" || k == "Host") {
      continue;
    }
    req += k + ": " + v + "\r\n";
  }
  req += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  req += "Content-Length: " + std::to_string(d.body.size()) + "\r\n\r\n";
  req += d.body;
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string all;
  char buf[4096];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      break; // the server closes the connection (HTTP/1.0)
    }
    all.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (response != nullptr) {
    *response = all;
  }
  if (all.rfind("HTTP/1.", 0) != 0 || all.size() < 12) {
    return -1;
  }
  return std::stoi(all.substr(9, 3));
}

class ReceiverFixture : public ::testing::Test {
protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("wcc-receiver-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    journal_.reset();
    std::filesystem::remove_all(dir_);
  }
  void start(WebhookServerOptions o = {}) {
    journal_ = std::make_unique<Journal>(path(), JournalOptions{});
    o.secret = o.secret.empty() ? kSecret : o.secret;
    o.journal_path = path();
    server_ = std::make_unique<WebhookServer>(o, *journal_);
    server_->start();
  }
  std::string path() const { return (dir_ / "journal.db").string(); }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(5, 0);
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<WebhookServer> server_;
};

httplib::Headers signed_headers(const std::string &body, const std::string &topic,
                                const std::string &source = "https://127.0.0.1:8443/") {
  auto dot = topic.find('.');
  return {{"X-WC-Webhook-Signature", compute_signature(body, kSecret)},
          {"X-WC-Webhook-Topic", topic},
          {"X-WC-Webhook-Resource", topic.substr(0, dot)},
          {"X-WC-Webhook-Event", topic.substr(dot + 1)},
          {"X-WC-Webhook-Source", source},
          {"X-WC-Webhook-ID", "3"},
          {"X-WC-Webhook-Delivery-ID", "d1"}};
}

} // namespace

TEST_F(ReceiverFixture, RealDeliveriesOverHttp10AreJournaled) {
  WebhookServerOptions o;
  o.store_host = "127.0.0.1";
  start(o);
  auto vectors = load_vectors();
  ASSERT_EQ(vectors.size(), 12u);
  for (const auto &d : vectors) {
    std::string response;
    EXPECT_EQ(post_http10(server_->port(), d, &response), 200) << d.path << "\n" << response;
  }
  auto c = server_->counters();
  EXPECT_EQ(c.pings, 6);
  EXPECT_EQ(c.stored, 5); // order 4279's created+updated deliveries carry the same state
  EXPECT_EQ(c.duplicates, 1);
  EXPECT_EQ(c.rejected_signature, 0);
  EXPECT_EQ(c.source_mismatch, 0);
  JournalReader r(path());
  auto rows = r.fetch(0, 100);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].topic, "order.updated");
  EXPECT_EQ(rows[0].record_id, 4256);
  EXPECT_EQ(rows[0].webhook_id, 2);
  EXPECT_EQ(rows[0].delivery_id, "49983bbc8cc2fab59f5573bcbb7e4b08");
  EXPECT_FALSE(rows[0].date_modified_gmt.empty());
  EXPECT_EQ(rows[4].topic, "order.deleted");
  EXPECT_EQ(rows[4].payload, R"({"id":4279})");
  // The journal keeps the raw bytes: they still verify.
  for (const auto &row : rows) {
    bool found = false;
    for (const auto &d : vectors) {
      found = found || d.body == row.payload;
    }
    EXPECT_TRUE(found);
  }
}

TEST_F(ReceiverFixture, ForgedMissingAndReplayedSignaturesAreRejected) {
  start();
  auto cli = client();
  std::string body = R"({"id":5,"date_modified_gmt":"2026-11-29T01:00:00"})";
  // Signed with another secret.
  auto h = signed_headers(body, "order.updated");
  h.erase("X-WC-Webhook-Signature");
  h.emplace("X-WC-Webhook-Signature", compute_signature(body, "guess"));
  auto r1 = cli.Post("/webhooks/woocommerce", h, body, "application/json");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 401);
  // A valid signature replayed with another body.
  auto h2 = signed_headers(body, "order.updated");
  auto r2 = cli.Post("/webhooks/woocommerce", h2, R"({"id":6,"date_modified_gmt":"x"})",
                     "application/json");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 401);
  // No signature, JSON body.
  auto r3 = cli.Post("/webhooks/woocommerce", body, "application/json");
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->status, 401);
  // Ping-like body with trailing junk is not a ping.
  auto r4 =
      cli.Post("/webhooks/woocommerce", "webhook_id=1&x=2", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r4);
  EXPECT_EQ(r4->status, 401);
  auto c = server_->counters();
  EXPECT_EQ(c.rejected_signature, 4);
  EXPECT_EQ(c.stored, 0);
  journal_->close();
  EXPECT_EQ(JournalReader(path()).count(), 0);
}

TEST_F(ReceiverFixture, PingIsAcceptedUnsigned) {
  start();
  auto cli = client();
  auto r = cli.Post("/anything", "webhook_id=17", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server_->counters().pings, 1);
}

TEST_F(ReceiverFixture, SourceHostMismatchIsCountedButSignatureDecides) {
  WebhookServerOptions o;
  o.store_host = "shop.example.com";
  start(o);
  auto cli = client();
  std::string body = R"({"id":5,"date_modified_gmt":"2026-11-29T01:00:00"})";
  auto r = cli.Post("/h", signed_headers(body, "order.updated", "https://evil.example/"), body,
                    "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto ok = cli.Post("/h", signed_headers(body, "order.updated", "https://SHOP.example.com/"), body,
                     "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto c = server_->counters();
  EXPECT_EQ(c.source_mismatch, 1);
  EXPECT_EQ(c.stored, 1);
  EXPECT_EQ(c.duplicates, 1);
}

TEST_F(ReceiverFixture, OversizedBodyGets413) {
  WebhookServerOptions o;
  o.max_body_bytes = 1024;
  start(o);
  auto cli = client();
  std::string body = R"({"id":5,"x":")" + std::string(4000, 'a') + "\"}";
  auto r = cli.Post("/h", signed_headers(body, "order.updated"), body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(server_->counters().stored, 0);
}

TEST_F(ReceiverFixture, UnusableSignedPayloadsAreAcknowledgedNotStored) {
  start();
  auto cli = client();
  std::string action = R"({"action":"woocommerce_x","arg":1})";
  auto r1 =
      cli.Post("/h", signed_headers(action, "action.woocommerce_x"), action, "application/json");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 200);
  std::string error_obj = R"({"code":"woocommerce_rest_cannot_view","data":{"status":401}})";
  auto r2 =
      cli.Post("/h", signed_headers(error_obj, "order.updated"), error_obj, "application/json");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 200);
  EXPECT_EQ(server_->counters().ignored, 2);
  EXPECT_EQ(server_->counters().stored, 0);
}

TEST_F(ReceiverFixture, HealthReportsCounters) {
  start();
  auto cli = client();
  cli.Post("/x", "webhook_id=1", "application/x-www-form-urlencoded");
  auto r = cli.Get("/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto v = boost::json::parse(r->body).as_object();
  EXPECT_EQ(v.at("status").as_string(), "ok");
  EXPECT_EQ(v.at("pings").as_int64(), 1);
  EXPECT_EQ(r->body.find(kSecret), std::string::npos);
}

TEST_F(ReceiverFixture, ChangesEndpointNeedsTokenAndMapsRecords) {
  WebhookServerOptions o;
  o.journal_token = "reader-token-123";
  start(o);
  auto cli = client();
  std::string variation =
      R"({"id":77,"parent_id":70,"type":"variation","date_modified_gmt":"2026-11-29T01:00:00"})";
  ASSERT_EQ(
      cli.Post("/h", signed_headers(variation, "product.updated"), variation, "application/json")
          ->status,
      200);
  std::string del = R"({"id":4279})";
  ASSERT_EQ(cli.Post("/h", signed_headers(del, "order.deleted"), del, "application/json")->status,
            200);
  EXPECT_EQ(cli.Get("/changes")->status, 401);
  EXPECT_EQ(cli.Get("/changes", {{"Authorization", "Bearer wrong-token-123"}})->status, 401);
  auto r = cli.Get("/changes?after=0&limit=10", {{"Authorization", "Bearer reader-token-123"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto v = boost::json::parse(r->body).as_object();
  auto &changes = v.at("changes").as_array();
  ASSERT_EQ(changes.size(), 2u);
  auto &c0 = changes[0].as_object();
  EXPECT_EQ(c0.at("stream").as_string(), "product_variations");
  EXPECT_EQ(c0.at("record").as_object().at("product_id").as_int64(), 70);
  auto &c1 = changes[1].as_object();
  EXPECT_EQ(c1.at("stream").as_string(), "orders");
  EXPECT_EQ(c1.at("event").as_string(), "deleted");
  EXPECT_TRUE(c1.at("record").as_object().contains("_ab_cdc_deleted_at"));
  EXPECT_EQ(v.at("last_seq").as_int64(), c1.at("seq").as_int64());
  EXPECT_TRUE(v.at("gaps").is_array());
  auto after = cli.Get("/changes?after=" + std::to_string(c0.at("seq").as_int64()),
                       {{"Authorization", "Bearer reader-token-123"}});
  EXPECT_EQ(boost::json::parse(after->body).at("changes").as_array().size(), 1u);
}

TEST_F(ReceiverFixture, ChangesEndpointDisabledWithoutToken) {
  start();
  auto cli = client();
  auto r = cli.Get("/changes", {{"Authorization", "Bearer "}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

// `serve` stops on SIGTERM right after it says "Listening on", which follows start() at once.
// httplib's stop() does nothing until its listening thread has begun, so without start()
// waiting for it a quick stop left the listener running and stop() joining it forever
// (py_test_front_door hung this way under load). A stuck stop is caught by the watchdog.
TEST_F(ReceiverFixture, StopRightAfterStartEndsTheListener) {
  std::atomic<bool> done{false};
  std::thread cycles([&] {
    for (int i = 0; i < 50; ++i) {
      start();
      server_->stop();
      server_.reset();
      journal_.reset();
    }
    done = true;
  });
  for (int waited_ms = 0; waited_ms < 60000 && !done; waited_ms += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!done) {
    ADD_FAILURE() << "stop() right after start() did not end the listener within 60 s";
    std::_Exit(1); // the stuck thread cannot be joined
  }
  cycles.join();
}
