#include "demo_store/stats.hpp"

namespace wc::demo {

void Stats::record(const std::string &route, int status) {
  std::lock_guard lock(mu_);
  ++requests_;
  ++by_route_[route];
  ++by_status_[status];
}

void Stats::enter() {
  const int now = ++in_flight_;
  int prev = max_in_flight_.load();
  while (now > prev && !max_in_flight_.compare_exchange_weak(prev, now)) {
  }
}

boost::json::object Stats::to_json(std::int64_t violations) const {
  std::lock_guard lock(mu_);
  boost::json::object routes, statuses;
  for (const auto &[k, v] : by_route_) {
    routes[k] = v;
  }
  for (const auto &[k, v] : by_status_) {
    statuses[std::to_string(k)] = v;
  }
  return {{"requests", requests_},
          {"by_route", std::move(routes)},
          {"status_counts", std::move(statuses)},
          {"rate_limited", rate_limited_.load()},
          {"faults_injected", faults_.load()},
          {"max_in_flight", max_in_flight_.load()},
          {"in_flight", in_flight_.load()},
          {"violations", violations}};
}

void Stats::reset() {
  std::lock_guard lock(mu_);
  requests_ = 0;
  by_route_.clear();
  by_status_.clear();
  rate_limited_ = 0;
  faults_ = 0;
  max_in_flight_ = in_flight_.load();
}

} // namespace wc::demo
