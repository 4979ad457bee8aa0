#include "state/request_budget_state.hpp"

namespace wc::state {
namespace json = boost::json;
namespace {

std::optional<std::int64_t> positive(const json::object &o, const char *key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_int64() && v->as_int64() > 0) {
    return v->as_int64();
  }
  if (v->is_uint64() && v->as_uint64() > 0 && v->as_uint64() < (1ULL << 62)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

std::optional<UnixSeconds> date(const json::object &o, const char *key) {
  const auto *v = o.if_contains(key);
  return v != nullptr && v->is_string() ? parse_utc(v->as_string()) : std::nullopt;
}

} // namespace

json::object to_json(const SavedBudget &b) {
  return json::object{{"requests", b.requests},
                      {"window_ms", b.window_ms},
                      {"learned_at", format_rfc3339(b.learned_at)},
                      {"expires_at", format_rfc3339(b.expires_at)}};
}

std::optional<SavedBudget> parse_saved_budget(const json::value &member) {
  const json::object *o = member.if_object();
  if (o == nullptr) {
    return std::nullopt;
  }
  const auto requests = positive(*o, "requests");
  const auto window = positive(*o, "window_ms");
  const auto learned = date(*o, "learned_at");
  const auto expires = date(*o, "expires_at");
  if (!requests || *requests > 1'000'000 || !window || !learned || !expires) {
    return std::nullopt;
  }
  return SavedBudget{static_cast<int>(*requests), *window, *learned, *expires};
}

std::optional<SavedBudget> saved_budget_of(const json::object &blob, const std::string &stream,
                                           const std::function<void(const std::string &)> &warn) {
  const auto *v = blob.if_contains(kRequestBudget);
  if (v == nullptr || v->is_null()) {
    return std::nullopt;
  }
  auto budget = parse_saved_budget(*v);
  if (!budget) {
    if (warn) {
      warn("state of stream '" + stream +
           "': request_budget is malformed (expected {\"requests\": n, \"window_ms\": n, "
           "\"learned_at\": date, \"expires_at\": date}); it is ignored and the budget is "
           "learned again");
    }
    return std::nullopt;
  }
  return budget;
}

std::optional<SavedBudget>
latest_saved_budget(const StateStore &states, UnixSeconds now,
                    const std::function<void(const std::string &)> &warn) {
  std::optional<SavedBudget> best;
  bool warned = false; // one WARN is enough: every stream carries the same member
  auto warn_once = [&](const std::string &m) {
    if (!warned && warn) {
      warn(m);
    }
    warned = true;
  };
  for (const auto &[name, blob] : states.all()) {
    auto b = saved_budget_of(blob, name, warn_once);
    if (b && b->expires_at > now && (!best || b->learned_at > best->learned_at)) {
      best = b;
    }
  }
  return best;
}

} // namespace wc::state
