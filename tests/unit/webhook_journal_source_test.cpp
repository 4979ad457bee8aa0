#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "http/http_types.hpp"
#include "webhook/journal.hpp"
#include "webhook/journal_source.hpp"
#include "webhook/signature.hpp"
#include "webhook/webhook_server.hpp"

using wc::webhook::Delivery;
using wc::webhook::Journal;
using wc::webhook::open_journal_source;

namespace {

class TempDir {
public:
  TempDir() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("wcc-jsource-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() { std::filesystem::remove_all(dir_); }
  std::string file(const std::string &name) const { return (dir_ / name).string(); }

private:
  std::filesystem::path dir_;
};

Delivery make(const std::string &resource, const std::string &event, std::int64_t id,
              const std::string &payload) {
  Delivery d;
  d.resource = resource;
  d.event = event;
  d.topic = resource + "." + event;
  d.record_id = id;
  d.date_modified_gmt = event == "deleted" ? "" : "2026-11-29T01:00:0" + std::to_string(id % 10);
  d.received_at_ms = 1'795'914'556'000;
  d.payload = payload;
  return d;
}

void fill(Journal &j) {
  j.append(make("order", "updated", 1, R"({"id":1,"status":"completed"})"));
  j.append(make("product", "updated", 12, R"({"id":12,"parent_id":3,"type":"variation"})"));
  j.append(make("order", "deleted", 2, R"({"id":2})"));
  j.append(make("coupon", "created", 5, R"({"id":5})"));
}

void check_source(wc::webhook::JournalSource &src) {
  auto all = src.fetch(0, 100);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].stream, "orders");
  EXPECT_EQ(all[0].event, "updated");
  EXPECT_EQ(all[0].id, 1);
  EXPECT_EQ(all[1].stream, "product_variations");
  EXPECT_NE(all[1].record_json.find("\"product_id\":3"), std::string::npos);
  EXPECT_EQ(all[2].event, "deleted");
  EXPECT_NE(all[2].record_json.find("_ab_cdc_deleted_at"), std::string::npos);
  EXPECT_EQ(all[2].received_at_ms, 1'795'914'556'000);
  EXPECT_EQ(all[3].stream, "coupons");
  auto page = src.fetch(all[1].seq, 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].seq, all[2].seq);
  EXPECT_TRUE(src.fetch(all[3].seq, 10).empty());
  EXPECT_EQ(src.last_seq(), all[3].seq);
}

} // namespace

TEST(WebhookJournalSource, LocalFileWhileReceiverWrites) {
  TempDir tmp;
  Journal j(tmp.file("j.db"));
  fill(j);
  wc::ConnectorConfig cfg;
  cfg.webhook_journal = tmp.file("j.db");
  auto src = open_journal_source(cfg);
  check_source(*src);
  EXPECT_TRUE(src->gaps(0).empty()); // one run, still running
  j.close();
  auto gaps = src->gaps(0); // cleanly stopped: down since the stop
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_GT(gaps[0].to_ms, 0);
}

TEST(WebhookJournalSource, RemoteChangesEndpoint) {
  TempDir tmp;
  Journal j(tmp.file("j.db"));
  fill(j);
  wc::webhook::WebhookServerOptions o;
  o.secret = "s3cret-value";
  o.journal_token = "journal-token-xyz";
  o.journal_path = tmp.file("j.db");
  wc::webhook::WebhookServer server(o, j);
  server.start();
  wc::ConnectorConfig cfg;
  cfg.webhook_journal = "http://127.0.0.1:" + std::to_string(server.port()) + "/changes";
  cfg.webhook_journal_token = "journal-token-xyz";
  auto src = open_journal_source(cfg);
  check_source(*src);
  EXPECT_TRUE(src->gaps(0).empty());

  cfg.webhook_journal_token = "wrong-token-xyz";
  auto bad = open_journal_source(cfg);
  try {
    bad->last_seq();
    FAIL() << "a wrong token must fail";
  } catch (const wc::Error &e) {
    EXPECT_EQ(e.type(), wc::FailureType::kConfig);
    EXPECT_EQ(std::string(e.what()).find("wrong-token-xyz"), std::string::npos);
  }
}

TEST(WebhookJournalSource, ConfigErrors) {
  wc::ConnectorConfig cfg;
  EXPECT_THROW(open_journal_source(cfg), wc::Error); // not set
  cfg.webhook_journal = "http://receiver.example.com/changes";
  cfg.webhook_journal_token = "t0ken-value";
  EXPECT_THROW(open_journal_source(cfg), wc::Error); // clear http off loopback
  cfg.webhook_journal = "https://receiver.example.com/changes";
  cfg.webhook_journal_token = "";
  EXPECT_THROW(open_journal_source(cfg), wc::Error); // no token
  cfg.webhook_journal = "/nonexistent-dir/journal.db";
  EXPECT_THROW(open_journal_source(cfg), wc::Error);
}

// The port of a journal URL is range-checked like the store URL's: a bad port is a config error
// that names it, never an exception of another type or a connection to a wrapped-around port.
TEST(WebhookJournalSource, PortOutOfRangeOrMalformed) {
  wc::ConnectorConfig cfg;
  cfg.webhook_journal_token = "t0ken-value";
  for (const char *url :
       {"https://receiver.example.com:0/changes", "https://receiver.example.com:65536/changes",
        "https://receiver.example.com:99999999999/changes", "https://receiver.example.com:-443/",
        "https://receiver.example.com:443abc/changes", "https://receiver.example.com:/changes",
        "https://[::1]:70000/changes", "https://[::1]:/changes", "https://[::1]x/changes",
        "https://[::1/changes"}) {
    cfg.webhook_journal = url;
    try {
      open_journal_source(cfg);
      ADD_FAILURE() << "accepted " << url;
    } catch (const wc::Error &e) {
      EXPECT_EQ(e.type(), wc::FailureType::kConfig) << url;
    } catch (const std::exception &e) {
      ADD_FAILURE() << url << ": not a config error: " << e.what();
    }
  }
  cfg.webhook_journal = "https://receiver.example.com:65536/changes";
  try {
    open_journal_source(cfg);
  } catch (const wc::Error &e) {
    EXPECT_NE(std::string(e.what()).find("65536"), std::string::npos) << e.what();
  }
}

TEST(HttpTypes, ParsePort) {
  EXPECT_EQ(wc::http::parse_port("1"), 1);
  EXPECT_EQ(wc::http::parse_port("8443"), 8443);
  EXPECT_EQ(wc::http::parse_port("65535"), 65535);
  for (const char *bad : {"", "0", "65536", "-1", "+80", "80 ", " 80", "8o", "4294967297"}) {
    EXPECT_FALSE(wc::http::parse_port(bad).has_value()) << bad;
  }
}

namespace {

// A receiver's /changes endpoint on 127.0.0.1 that answers 503 to its first `failing` requests.
class FlakyReceiver {
public:
  explicit FlakyReceiver(int failing) : failing_(failing) {
    server_.Get("/changes", [this](const httplib::Request &req, httplib::Response &res) {
      const int n = requests_.fetch_add(1);
      if (req.get_header_value("Authorization") != "Bearer journal-token-xyz") {
        res.status = 401;
        return;
      }
      if (n < failing_) {
        res.status = 503;
        res.set_content("busy", "text/plain");
        return;
      }
      res.set_content(R"({"changes":[],"gaps":[],"last_seq":7})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until listen has begun: wait for it, bounded.
    for (int i = 0; i < 10000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~FlakyReceiver() {
    server_.stop();
    thread_.join();
  }
  wc::ConnectorConfig config() const {
    wc::ConnectorConfig cfg;
    cfg.webhook_journal = "http://127.0.0.1:" + std::to_string(port_) + "/changes";
    cfg.webhook_journal_token = "journal-token-xyz";
    cfg.client.max_retries = 3;
    cfg.client.initial_backoff = std::chrono::milliseconds(1);
    cfg.client.max_backoff = std::chrono::milliseconds(5);
    return cfg;
  }
  int requests() const { return requests_.load(); }

private:
  int failing_;
  std::atomic<int> requests_{0};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

} // namespace

// The remote journal goes through http::HttpClient: a 503 is retried like any request's.
TEST(WebhookJournalSource, RemoteRetriesA503) {
  FlakyReceiver receiver(2);
  auto src = open_journal_source(receiver.config());
  EXPECT_EQ(src->last_seq(), 7);
  EXPECT_EQ(receiver.requests(), 3);
}

// A receiver still failing after every retry is a transient error; the source then stops
// asking it for the rest of the read (each journaled stream would wait through the retries).
TEST(WebhookJournalSource, RemoteGivesUpAfterRetriesOncePerRead) {
  FlakyReceiver receiver(1000);
  auto src = open_journal_source(receiver.config());
  for (int call = 0; call < 3; ++call) {
    try {
      src->fetch(0, 10);
      FAIL() << "a receiver answering 503 must fail";
    } catch (const wc::Error &e) {
      EXPECT_EQ(e.type(), wc::FailureType::kTransient);
      EXPECT_NE(std::string(e.what()).find("HTTP 503"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("journal-token-xyz"), std::string::npos);
    }
  }
  EXPECT_EQ(receiver.requests(), 4); // the first call's attempt and its 3 retries, no more
}
