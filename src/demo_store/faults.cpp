#include "demo_store/faults.hpp"

#include <array>
#include <stdexcept>

namespace wc::demo {
namespace {
constexpr std::array<const char *, 13> kNames{"500",     "502html",   "503retry", "reset", "notice",
                                              "bom",     "html200",   "timeout",  "empty", "noid",
                                              "scalars", "totaldrop", "emptypage"};
// "All kinds" (no kinds named) means the first ones: the wrong-shape listings only when named.
constexpr std::size_t kRandomKinds = 9;
} // namespace

std::optional<FaultKind> parse_fault_kind(const std::string &s) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (s == kNames[i]) {
      return static_cast<FaultKind>(i);
    }
  }
  return std::nullopt;
}

std::string to_string(FaultKind k) { return kNames[static_cast<std::size_t>(k)]; }

void Faults::configure(const FaultConfig &config) {
  std::lock_guard lock(mu_);
  config_ = config;
  rng_.seed(config.seed);
  injected_ = 0;
}

FaultConfig Faults::config() const {
  std::lock_guard lock(mu_);
  return config_;
}

std::optional<FaultKind> Faults::decide(bool is_index, int per_page, int page) {
  std::lock_guard lock(mu_);
  if (config_.rate <= 0.0 || (is_index && !config_.index) ||
      (config_.min_per_page > 0 && per_page < config_.min_per_page) ||
      (config_.min_page > 0 && page < config_.min_page) ||
      (config_.limit >= 0 && injected_ >= config_.limit)) {
    return std::nullopt;
  }
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  const std::uint64_t pick = rng_();
  if (draw >= config_.rate) {
    return std::nullopt;
  }
  ++injected_;
  if (config_.kinds.empty()) {
    return static_cast<FaultKind>(pick % kRandomKinds);
  }
  return config_.kinds[pick % config_.kinds.size()];
}

FaultConfig fault_config_from_json(const boost::json::value &v) {
  FaultConfig c;
  const auto &o = v.as_object();
  if (auto *r = o.if_contains("rate")) {
    c.rate = r->to_number<double>();
  }
  if (auto *k = o.if_contains("kinds")) {
    for (const auto &name : k->as_array()) {
      auto kind = parse_fault_kind(std::string(name.as_string()));
      if (!kind) {
        throw std::invalid_argument("unknown fault kind " + std::string(name.as_string()));
      }
      c.kinds.push_back(*kind);
    }
  }
  if (auto *s = o.if_contains("seed")) {
    c.seed = s->to_number<std::uint64_t>();
  }
  if (auto *t = o.if_contains("timeout_ms")) {
    c.timeout_ms = t->to_number<int>();
  }
  if (auto *m = o.if_contains("min_per_page")) {
    c.min_per_page = m->to_number<int>();
  }
  if (auto *m = o.if_contains("min_page")) {
    c.min_page = m->to_number<int>();
  }
  if (auto *l = o.if_contains("limit")) {
    c.limit = l->to_number<int>();
  }
  if (auto *i = o.if_contains("index")) {
    c.index = i->as_bool();
  }
  return c;
}

} // namespace wc::demo
