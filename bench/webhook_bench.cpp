// Receiver benchmark (not a test): N concurrent clients post signed deliveries to an in-process
// receiver on loopback for a fixed time, each request on a new connection (Connection: close,
// as WooCommerce sends them). Prints durable deliveries per second (every 200 means the delivery
// was committed to the SQLite journal with synchronous=FULL) and p50/p99 latency to the 200.
//
// usage: webhook-bench [--clients N] [--seconds S] [--dir DIR] [--body-bytes B]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "webhook/journal.hpp"
#include "webhook/signature.hpp"
#include "webhook/webhook_server.hpp"

namespace {

constexpr const char *kSecret = "bench-webhook-secret";

std::string make_body(std::int64_t id, std::size_t pad) {
  std::string body = R"({"id":)" + std::to_string(id) +
                     R"(,"parent_id":0,"status":"processing","currency":"USD",)"
                     R"("date_modified_gmt":"2026-11-29T01:07:22","note":")" +
                     std::string(pad, 'x') + "\"}";
  return body;
}

} // namespace

int main(int argc, char **argv) {
  int clients = 16;
  int seconds = 10;
  std::size_t pad = 2000; // real order payloads are ~2.5 kB
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wcc-webhook-bench-" + std::to_string(::getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--clients") {
      clients = std::stoi(argv[i + 1]);
    } else if (a == "--seconds") {
      seconds = std::stoi(argv[i + 1]);
    } else if (a == "--dir") {
      dir = argv[i + 1];
    } else if (a == "--body-bytes") {
      pad = static_cast<std::size_t>(std::stoul(argv[i + 1]));
    }
  }
  std::filesystem::create_directories(dir);
  std::string journal_path = (dir / "bench-journal.db").string();
  std::filesystem::remove(journal_path);

  wc::webhook::Journal journal(journal_path);
  wc::webhook::WebhookServerOptions options;
  options.secret = kSecret;
  options.threads = std::max(32, clients * 2);
  wc::webhook::WebhookServer server(options, journal);
  server.start();

  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> next_id{1};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::vector<std::int64_t> failures(static_cast<std::size_t>(clients), 0);
  std::vector<std::thread> threads;
  auto t0 = std::chrono::steady_clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", server.port());
      cli.set_read_timeout(60, 0);
      while (!stop.load()) {
        std::int64_t id = next_id++;
        std::string body = make_body(id, pad);
        httplib::Headers h = {
            {"X-WC-Webhook-Signature", wc::webhook::compute_signature(body, kSecret)},
            {"X-WC-Webhook-Topic", "order.updated"},
            {"X-WC-Webhook-Resource", "order"},
            {"X-WC-Webhook-Event", "updated"},
            {"X-WC-Webhook-ID", "1"},
            {"X-WC-Webhook-Delivery-ID", "bench"},
            {"User-Agent", "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)"}};
        auto s = std::chrono::steady_clock::now();
        auto r = cli.Post("/webhooks/woocommerce", h, body, "application/json");
        auto e = std::chrono::steady_clock::now();
        if (r && r->status == 200) {
          latencies[static_cast<std::size_t>(c)].push_back(
              std::chrono::duration<double, std::milli>(e - s).count());
        } else {
          ++failures[static_cast<std::size_t>(c)];
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto &t : threads) {
    t.join();
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  server.stop();
  journal.close();

  std::vector<double> all;
  std::int64_t failed = 0;
  for (std::size_t c = 0; c < latencies.size(); ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    failed += failures[c];
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
  };
  auto stats = journal.stats();
  std::printf("webhook-bench: %d clients, %.1f s, body ~%zu bytes, journal %s\n", clients, elapsed,
              pad + 150, journal_path.c_str());
  std::printf("  acknowledged (durable) deliveries: %zu  (%.0f/s)\n", all.size(),
              static_cast<double>(all.size()) / elapsed);
  std::printf("  failed requests: %lld\n", static_cast<long long>(failed));
  std::printf("  latency to 200: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", pct(0.50), pct(0.99),
              all.empty() ? 0.0 : all.back());
  std::printf("  journal: %lld rows stored in %lld transactions (%.1f per commit)\n",
              static_cast<long long>(stats.stored), static_cast<long long>(stats.transactions),
              stats.transactions ? static_cast<double>(stats.stored) / stats.transactions : 0.0);
  std::filesystem::remove_all(dir);
  return 0;
}
