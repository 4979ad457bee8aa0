#pragma once
// Deterministic fault injection for data routes: each request draws from a seeded RNG whether
// (and which) fault to apply. Kinds: 500, 502html, 503retry, reset, notice, bom, html200,
// timeout, empty; and, only when named (never among "all kinds"), a listing answered in another
// shape: noid (objects without an id), scalars (items that are not objects), totaldrop (the real
// page with X-WP-Total: 1 and X-WP-TotalPages: 1, as a stale cache or plugin might send),
// emptypage ("[]" with X-WP-Total: 1 and X-WP-TotalPages: 1).
#include <boost/json.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace wc::demo {

enum class FaultKind {
  k500,
  k502Html,
  k503Retry,
  kReset,
  kNotice,
  kBom,
  kHtml200,
  kTimeout,
  kEmpty,
  kNoId,
  kScalars,
  kTotalDrop,
  kEmptyPage
};

std::optional<FaultKind> parse_fault_kind(const std::string &s);
std::string to_string(FaultKind k);

struct FaultConfig {
  double rate = 0.0;
  std::vector<FaultKind> kinds; // empty = all kinds
  std::uint64_t seed = 7;
  int timeout_ms = 3000; // how long "timeout" stalls
  bool index = false;    // also inject on the route index
  int min_per_page = 0;  // only inject into requests asking for at least this many per page
  int min_page = 0;      // only inject into requests for at least this page (page=N)
  int limit = -1;        // at most this many injections (-1: no limit)
};

class Faults {
public:
  // Throws std::invalid_argument on an unknown kind name.
  void configure(const FaultConfig &config);
  FaultConfig config() const;
  // Decides for one request (deterministic sequence per configuration).
  std::optional<FaultKind> decide(bool is_index, int per_page = 0, int page = 1);

private:
  mutable std::mutex mu_;
  FaultConfig config_;
  std::mt19937_64 rng_{7};
  int injected_ = 0;
};

// Parses {"rate":..,"kinds":[..],"seed":..,"timeout_ms":..,"index":..,"min_per_page":..,
// "min_page":..,"limit":..}; throws on bad input.
FaultConfig fault_config_from_json(const boost::json::value &v);

} // namespace wc::demo
