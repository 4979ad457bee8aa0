#pragma once
// Request statistics for /__control/stats.
#include <boost/json.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace wc::demo {

class Stats {
public:
  void record(const std::string &route, int status);
  void rate_limited() { ++rate_limited_; }
  void fault_injected() { ++faults_; }
  void enter();
  void leave() { --in_flight_; }
  // violations come from RateLimit.
  boost::json::object to_json(std::int64_t violations) const;
  void reset();

private:
  mutable std::mutex mu_;
  std::int64_t requests_ = 0;
  std::map<std::string, std::int64_t> by_route_;
  std::map<int, std::int64_t> by_status_;
  std::atomic<std::int64_t> rate_limited_{0};
  std::atomic<std::int64_t> faults_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
};

} // namespace wc::demo
