#pragma once
// The request rate the adaptive budget learned, kept in the state so the next sync starts under
// it: one small member of every stream's state blob,
//   "request_budget": {"requests": 22, "window_ms": 10500,
//                      "learned_at": "2026-12-06T21:30:00Z", "expires_at": "2026-12-09T21:30:00Z"}
// On load the most recently learned unexpired one across streams wins. After expires_at it is
// dropped, so a store whose limit was raised (or whose overload passed) gets the full rate back.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/time_util.hpp"
#include "state/state_store.hpp"

namespace wc::state {

inline constexpr const char *kRequestBudget = "request_budget";
// How long a learned rate is kept: three days, so daily syncs start under it twice before one
// probes the store's rate again.
inline constexpr UnixSeconds kRequestBudgetTtl = 3 * 24 * 3600;

struct SavedBudget {
  int requests = 0;
  std::int64_t window_ms = 0;
  UnixSeconds learned_at = 0;
  UnixSeconds expires_at = 0;
};

boost::json::object to_json(const SavedBudget &budget);
// The member's value as a budget; nullopt when it is not one (not an object, a count out of
// range, a date that does not parse).
std::optional<SavedBudget> parse_saved_budget(const boost::json::value &member);
// Reads one member; nullopt (and a WARN naming the stream) when it is malformed.
std::optional<SavedBudget> saved_budget_of(const boost::json::object &blob,
                                           const std::string &stream,
                                           const std::function<void(const std::string &)> &warn);
// The most recently learned request budget among the streams' blobs that has not expired at
// `now`; nullopt when there is none.
std::optional<SavedBudget>
latest_saved_budget(const StateStore &states, UnixSeconds now,
                    const std::function<void(const std::string &)> &warn);

} // namespace wc::state
