#include "source/checkpoint_json.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "state/state_store.hpp"

namespace wc::source::checkpoint {
namespace json = boost::json;
namespace {

constexpr const char *kResumePage = "resume_page";
constexpr const char *kBoundaryIds = "boundary_ids";
constexpr const char *kSyncsSinceFull = "syncs_since_full";
constexpr const char *kComplete = "__ab_full_refresh_sync_complete";
constexpr const char *kParentCursor = "parent_cursor";

int int_field(const json::object *blob, const char *key, int def) {
  if (blob == nullptr) {
    return def;
  }
  const auto *v = blob->if_contains(key);
  if (v == nullptr) {
    return def;
  }
  if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > 100000000) {
    throw config_error(std::string("state: '") + key + "' must be a non-negative integer");
  }
  return static_cast<int>(v->as_int64());
}

std::set<std::int64_t> id_set(const json::object *blob, const std::string &stream) {
  std::set<std::int64_t> ids;
  if (blob == nullptr) {
    return ids;
  }
  const auto *v = blob->if_contains(kBoundaryIds);
  if (v == nullptr) {
    return ids;
  }
  if (!v->is_array()) {
    throw config_error("state of stream '" + stream + "': boundary_ids must be a list of ids");
  }
  for (const auto &id : v->as_array()) {
    if (!id.is_int64()) {
      throw config_error("state of stream '" + stream + "': boundary_ids must hold integers");
    }
    ids.insert(id.as_int64());
  }
  return ids;
}

json::object cursor_json_of(const std::string &field, const CursorState &s) {
  json::array ids;
  for (auto id : s.boundary_ids) {
    ids.push_back(id);
  }
  return json::object{
      {field, s.cursor ? json::value(format_naive_utc(*s.cursor)) : json::value(nullptr)},
      {kBoundaryIds, std::move(ids)}};
}

} // namespace

int resume_page(const json::object *state) {
  if (state != nullptr && !state->contains(kComplete)) {
    return std::max(1, int_field(state, kResumePage, 1));
  }
  return 1;
}

json::object resume_at(int next_page) { return json::object{{kResumePage, next_page}}; }

json::object complete() { return json::object{{kComplete, true}}; }

CursorCheckpoint read_cursor(const StreamDefinition &d, const json::object *state) {
  CursorCheckpoint c;
  if (state != nullptr) {
    c.cursor = state::cursor_value(*state, d.cursor_field, d.name);
    c.boundary_ids = id_set(state, d.name);
    c.syncs_since_full = int_field(state, kSyncsSinceFull, 0);
  }
  return c;
}

bool holds_cursor(const StreamDefinition &d, const json::object *state) {
  return state != nullptr && state->contains(d.cursor_field);
}

json::object carried(const StreamDefinition &d, const json::object *state) {
  json::object carry;
  if (state != nullptr) {
    for (const auto &kv : *state) {
      if (kv.key() != d.cursor_field && kv.key() != kBoundaryIds && kv.key() != kSyncsSinceFull &&
          kv.key() != kResumePage) {
        carry.emplace(kv.key(), kv.value());
      }
    }
  }
  return carry;
}

json::object cursor_blob(const StreamDefinition &d, const CursorState &s, int syncs_since_full,
                         const json::object &carry) {
  json::object blob = carry;
  blob[d.cursor_field] = s.cursor ? json::value(format_naive_utc(*s.cursor)) : json::value(nullptr);
  json::array ids;
  for (auto id : s.boundary_ids) {
    ids.push_back(id);
  }
  blob[kBoundaryIds] = std::move(ids);
  blob[kSyncsSinceFull] = syncs_since_full;
  return blob;
}

json::object unchanged(const json::object &state, const json::object &carry,
                       std::optional<int> syncs_since_full) {
  json::object blob = state;
  for (const auto &kv : carry) {
    blob[kv.key()] = kv.value();
  }
  if (syncs_since_full) {
    blob[kSyncsSinceFull] = *syncs_since_full;
  }
  return blob;
}

ParentCursor read_parent_cursor(const StreamDefinition &d, const json::object *state) {
  ParentCursor p;
  if (state == nullptr) {
    return p;
  }
  if (const auto *v = state->if_contains(kParentCursor)) {
    const json::object *pc = v->if_object();
    if (pc == nullptr) {
      throw config_error("state of stream '" + d.name + "': parent_cursor must be an object");
    }
    p.start.cursor = state::cursor_value(*pc, d.parent->cursor_field, d.name);
    p.start.boundary_ids = id_set(pc, d.name);
  } else if (!d.cursor_field.empty() && state->contains(d.cursor_field)) {
    // A state keyed by the stream's declared cursor (discover's cursor field, or Airbyte's
    // connector): the children are found through their parents, so it is read as the parents'
    // cursor.
    p.start.cursor = state::cursor_value(*state, d.cursor_field, d.name);
    p.from_declared_cursor = p.start.cursor.has_value();
  }
  return p;
}

json::object without_parent_cursor(json::object carry) {
  carry.erase(kParentCursor);
  return carry;
}

json::object with_parent_cursor(const StreamDefinition &d, const json::object &carry,
                                const CursorState &s) {
  json::object blob = carry;
  json::object parent = cursor_json_of(d.parent->cursor_field, s);
  blob[kParentCursor] = std::move(parent);
  return blob;
}

const json::object *sub_state(const json::object *state, const char *key) {
  if (state == nullptr) {
    return nullptr;
  }
  const auto *v = state->if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

CursorState read_trash(const StreamDefinition &d, const json::object *trash_state) {
  CursorState start;
  if (trash_state != nullptr) {
    start.cursor = state::cursor_value(*trash_state, d.cursor_field, d.name);
    if (const auto *v = trash_state->if_contains(kBoundaryIds); v != nullptr && v->is_array()) {
      for (const auto &id : v->as_array()) {
        if (id.is_int64()) {
          start.boundary_ids.insert(id.as_int64());
        }
      }
    }
  }
  return start;
}

json::object trash_blob(const StreamDefinition &d, const CursorState &s) {
  return cursor_json_of(d.cursor_field, s);
}

SweepCheckpoint read_sweep(const json::object *state) {
  SweepCheckpoint s;
  if (state != nullptr) {
    s.known = IdRanges::from_json(state->if_contains("known"), "sweep.known");
    s.seen = IdRanges::from_json(state->if_contains("seen"), "sweep.seen");
    if (const auto *p = state->if_contains("phase"); p && p->is_string()) {
      s.trash_phase = p->as_string() == "trash";
    }
    if (const auto *p = state->if_contains("page"); p && p->is_int64() && p->as_int64() > 0) {
      s.page = static_cast<int>(std::min<std::int64_t>(p->as_int64(), 10000000));
    }
  }
  return s;
}

json::object sweep_in_progress(const SweepCheckpoint &s) {
  return json::object{{"known", s.known.to_json()},
                      {"seen", s.seen.to_json()},
                      {"phase", s.trash_phase ? "trash" : "any"},
                      {"page", s.page}};
}

json::object sweep_complete(const IdRanges &known) {
  return json::object{{"known", known.to_json()}, {"phase", "any"}, {"page", 1}};
}

} // namespace wc::source::checkpoint
