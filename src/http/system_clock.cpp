#include <thread>

#include "http/http_client.hpp"

namespace wc::http {
namespace {

class SteadyClock final : public Clock {
public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  void sleep_until(std::chrono::steady_clock::time_point t) override {
    std::this_thread::sleep_until(t);
  }
};

} // namespace

Clock &system_clock() {
  static SteadyClock clock;
  return clock;
}

} // namespace wc::http
