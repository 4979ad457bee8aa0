#pragma once
// The mutable run-time controls shared by the HTTP front end and the /__control routes.
#include "demo_store/auth.hpp"
#include "demo_store/faults.hpp"
#include "demo_store/options.hpp"
#include "demo_store/rate_limit.hpp"
#include "demo_store/stats.hpp"
#include "demo_store/store.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace wc::demo {

struct Runtime {
  Runtime(const Options &o, Store &s);

  const Options &options;
  Store &store;
  Faults faults;
  RateLimit rate_limit;
  Stats stats;
  Authenticator auth;
  std::atomic<int> latency_ms{0};

  // Sleeps up to ms, returning early when shutting down.
  void sleep_ms(int ms);
  void begin_shutdown();

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

// /__control/* routes (no auth, never faulted or rate limited).
void register_control_routes(Router &router, Runtime &rt);

} // namespace wc::demo
