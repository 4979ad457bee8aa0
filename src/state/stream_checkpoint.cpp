#include "state/stream_checkpoint.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "state/state_store.hpp"

namespace wc::state {
namespace json = boost::json;
namespace {

// The bound of a page number or counter in a state (as the engine has always checked it).
constexpr std::int64_t kMaxCounter = 100000000;

Error malformed(const std::string &stream, const std::string &what) {
  return config_error("state of stream '" + stream + "': " + what);
}

int counter(const json::value &v, const std::string &key, const std::string &stream) {
  if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > kMaxCounter) {
    throw malformed(stream, "'" + key + "' must be a non-negative integer");
  }
  return static_cast<int>(v.as_int64());
}

std::set<std::int64_t> id_list(const json::value &v, const std::string &key,
                               const std::string &stream) {
  if (!v.is_array()) {
    throw malformed(stream, key + " must be a list of ids");
  }
  std::set<std::int64_t> ids;
  for (const auto &id : v.as_array()) {
    if (!id.is_int64()) {
      throw malformed(stream, key + " must hold integers");
    }
    ids.insert(id.as_int64());
  }
  return ids;
}

json::array id_array(const std::set<std::int64_t> &ids) {
  json::array out;
  out.reserve(ids.size());
  for (auto id : ids) {
    out.push_back(id);
  }
  return out;
}

std::optional<UnixSeconds> date_or_null(const json::value &v, const std::string &key,
                                        const std::string &stream) {
  if (v.is_null()) {
    return std::nullopt;
  }
  auto t = v.is_string() ? parse_utc(v.as_string()) : std::nullopt;
  if (!t) {
    throw malformed(stream,
                    "'" + key + "' is not a date-time (expected YYYY-MM-DDTHH:MM:SS in UTC)");
  }
  return t;
}

json::value date_json(const std::optional<UnixSeconds> &t) {
  return t ? json::value(format_naive_utc(*t)) : json::value(nullptr);
}

CursorSubState sub_cursor(const json::value &v, const char *key, const std::string &field,
                          const std::string &stream) {
  const json::object *o = v.if_object();
  if (o == nullptr) {
    throw malformed(stream, std::string(key) + " must be an object");
  }
  CursorSubState sub;
  sub.field = field;
  for (const auto &kv : *o) {
    const std::string name(kv.key());
    if (!field.empty() && name == field) {
      sub.value = date_or_null(kv.value(), std::string(key) + "." + name, stream);
    } else if (name == kBoundaryIdsKey) {
      sub.boundary_ids = id_list(kv.value(), std::string(key) + ".boundary_ids", stream);
    } else {
      sub.extra.emplace(kv.key(), kv.value());
    }
  }
  return sub;
}

json::object sub_cursor_json(const CursorSubState &sub) {
  json::object out = sub.extra;
  if (!sub.field.empty()) {
    out[sub.field] = date_json(sub.value);
  }
  out[kBoundaryIdsKey] = id_array(sub.boundary_ids);
  return out;
}

IdRangeList id_ranges(const json::value &v, const std::string &key, const std::string &stream) {
  IdRangeList out;
  if (v.is_null()) {
    return out;
  }
  if (!v.is_array()) {
    throw malformed(stream, key + " must be a list of [first, last] id pairs");
  }
  for (const auto &pair : v.as_array()) {
    const auto *p = pair.if_array();
    if (p == nullptr || p->size() != 2 || !(*p)[0].is_int64() || !(*p)[1].is_int64() ||
        (*p)[0].as_int64() > (*p)[1].as_int64()) {
      throw malformed(stream, key + " holds a malformed id range (expected [first, last])");
    }
    out.emplace_back((*p)[0].as_int64(), (*p)[1].as_int64());
  }
  return out;
}

json::array id_ranges_json(const IdRangeList &ranges) {
  json::array out;
  out.reserve(ranges.size());
  for (const auto &[first, last] : ranges) {
    out.push_back(json::array{first, last});
  }
  return out;
}

SweepProgress sweep_of(const json::value &v, const std::string &stream) {
  const json::object *o = v.if_object();
  if (o == nullptr) {
    throw malformed(stream, "sweep must be an object");
  }
  SweepProgress sweep;
  for (const auto &kv : *o) {
    const std::string name(kv.key());
    if (name == "known") {
      sweep.known = id_ranges(kv.value(), "sweep.known", stream);
    } else if (name == "seen") {
      sweep.seen = id_ranges(kv.value(), "sweep.seen", stream);
    } else if (name == "phase") {
      const auto &p = kv.value();
      if (!p.is_string() || (p.as_string() != "any" && p.as_string() != "trash")) {
        throw malformed(stream, "sweep.phase must be \"any\" or \"trash\"");
      }
      sweep.phase = std::string(p.as_string());
    } else if (name == "page") {
      const auto &p = kv.value();
      if (!p.is_int64() || p.as_int64() < 1 || p.as_int64() > kMaxCounter) {
        throw malformed(stream, "sweep.page must be a positive integer");
      }
      sweep.page = p.as_int64();
    } else {
      sweep.extra.emplace(kv.key(), kv.value());
    }
  }
  return sweep;
}

json::object sweep_json(const SweepProgress &sweep) {
  json::object out = sweep.extra;
  out["known"] = id_ranges_json(sweep.known);
  if (sweep.seen) {
    out["seen"] = id_ranges_json(*sweep.seen);
  }
  out["phase"] = sweep.phase;
  out["page"] = sweep.page;
  return out;
}

int version_of(const json::value &v, const std::string &stream) {
  if (!v.is_int64() || v.as_int64() < 1) {
    throw malformed(stream, std::string("'") + kCheckpointVersionKey +
                                "' must be a positive integer (the state's format version)");
  }
  if (v.as_int64() > kCheckpointVersion) {
    throw malformed(stream, "it was written by a newer source-woocommerce (" +
                                std::string(kCheckpointVersionKey) + " " +
                                std::to_string(v.as_int64()) + "; this version reads up to " +
                                std::to_string(kCheckpointVersion) +
                                "): upgrade the connector, or reset this stream's state");
  }
  return static_cast<int>(v.as_int64());
}

} // namespace

int StreamCheckpoint::first_page() const {
  if (full_refresh_complete) {
    return 1;
  }
  return std::max(1, resume_page.value_or(1));
}

StreamCheckpoint StreamCheckpoint::full_refresh_page(int next_page) {
  StreamCheckpoint c;
  c.resume_page = next_page;
  return c;
}

StreamCheckpoint StreamCheckpoint::full_refresh_complete_marker() {
  StreamCheckpoint c;
  c.full_refresh_complete = true;
  return c;
}

StreamCheckpoint StreamCheckpoint::carried() const {
  StreamCheckpoint c = *this;
  c.version = kCheckpointVersion;
  c.has_cursor = false;
  c.cursor.reset();
  c.boundary_ids.reset();
  c.syncs_since_full.reset();
  c.resume_page.reset();
  return c;
}

StreamCheckpoint StreamCheckpoint::with_cursor(std::optional<UnixSeconds> value,
                                               std::set<std::int64_t> ids, int syncs) const {
  StreamCheckpoint c = carried();
  c.has_cursor = true;
  c.cursor = value;
  c.boundary_ids = std::move(ids);
  c.syncs_since_full = syncs;
  return c;
}

StreamCheckpoint StreamCheckpoint::with_parent_cursor(std::optional<UnixSeconds> value,
                                                      std::set<std::int64_t> ids,
                                                      const std::string &parent_field) const {
  StreamCheckpoint c = carried();
  c.parent_cursor = CursorSubState{parent_field, value, std::move(ids), {}};
  return c;
}

StreamCheckpoint from_json(const json::object &blob, const std::string &cursor_field,
                           const std::string &stream, const std::string &parent_cursor_field) {
  StreamCheckpoint cp;
  cp.cursor_field = cursor_field;
  cp.version = 1;
  if (const auto *v = blob.if_contains(kCheckpointVersionKey)) {
    cp.version = version_of(*v, stream); // first: a newer format is not read at all
  }
  for (const auto &kv : blob) {
    const std::string key(kv.key());
    const json::value &v = kv.value();
    if (key == kCheckpointVersionKey) {
      continue;
    }
    if (!cursor_field.empty() && key == cursor_field) {
      cp.has_cursor = true;
      cp.cursor = cursor_value(blob, cursor_field, stream); // its rules and messages
    } else if (key == kBoundaryIdsKey) {
      cp.boundary_ids = id_list(v, kBoundaryIdsKey, stream);
    } else if (key == kSyncsSinceFullKey) {
      cp.syncs_since_full = counter(v, key, stream);
    } else if (key == kResumePageKey) {
      cp.resume_page = counter(v, key, stream);
    } else if (key == kFullRefreshCompleteKey) {
      if (!v.is_bool()) {
        throw malformed(stream, std::string("'") + kFullRefreshCompleteKey + "' must be true");
      }
      cp.full_refresh_complete = v.as_bool();
    } else if (key == kParentCursorKey) {
      cp.parent_cursor = sub_cursor(v, kParentCursorKey, parent_cursor_field, stream);
    } else if (key == kTrashKey) {
      cp.trash = sub_cursor(v, kTrashKey, cursor_field, stream);
    } else if (key == kSweepKey) {
      cp.sweep = sweep_of(v, stream);
    } else if (key == kWebhookSeqKey) {
      if (!v.is_int64() || v.as_int64() < 0) {
        throw malformed(stream, std::string("'") + kWebhookSeqKey +
                                    "' must be a non-negative integer (the webhook journal's "
                                    "position)");
      }
      cp.webhook_seq = v.as_int64();
    } else if (key == kRequestBudget) {
      cp.request_budget = parse_saved_budget(v); // malformed: dropped (see the header)
    } else {
      cp.extra.emplace(kv.key(), v);
    }
  }
  if (!cp.has_cursor && !cursor_field.empty() && blob.contains("slices")) {
    cp.slices_cursor = cursor_value(blob, cursor_field, stream);
  }
  return cp;
}

std::optional<StreamCheckpoint> incoming_checkpoint(const StateStore &states,
                                                    const std::string &stream,
                                                    const std::string &cursor_field,
                                                    const std::string &parent_cursor_field) {
  const json::object *blob = states.stream(stream);
  if (blob == nullptr) {
    return std::nullopt;
  }
  return from_json(*blob, cursor_field, stream, parent_cursor_field);
}

json::object to_json(const StreamCheckpoint &cp) {
  json::object out = cp.extra;
  if (cp.has_cursor && !cp.cursor_field.empty()) {
    out[cp.cursor_field] = date_json(cp.cursor);
  }
  if (cp.boundary_ids) {
    out[kBoundaryIdsKey] = id_array(*cp.boundary_ids);
  }
  if (cp.syncs_since_full) {
    out[kSyncsSinceFullKey] = *cp.syncs_since_full;
  }
  if (cp.resume_page) {
    out[kResumePageKey] = *cp.resume_page;
  }
  if (cp.full_refresh_complete) {
    out[kFullRefreshCompleteKey] = *cp.full_refresh_complete;
  }
  if (cp.parent_cursor) {
    out[kParentCursorKey] = sub_cursor_json(*cp.parent_cursor);
  }
  if (cp.trash) {
    out[kTrashKey] = sub_cursor_json(*cp.trash);
  }
  if (cp.sweep) {
    out[kSweepKey] = sweep_json(*cp.sweep);
  }
  if (cp.webhook_seq) {
    out[kWebhookSeqKey] = *cp.webhook_seq;
  }
  if (cp.request_budget) {
    out[kRequestBudget] = to_json(*cp.request_budget);
  }
  // Airbyte's completion marker alone stays exactly Airbyte's: no version changes its meaning.
  if (!(out.size() == 1 && cp.full_refresh_complete)) {
    out[kCheckpointVersionKey] = kCheckpointVersion;
  }
  return out;
}

json::object echo_or_update(const json::object &incoming, const StreamCheckpoint &updated) {
  const std::string parent_field =
      updated.parent_cursor ? updated.parent_cursor->field : kDefaultParentCursorField;
  const StreamCheckpoint before = from_json(incoming, updated.cursor_field, "", parent_field);
  json::object after = to_json(updated);
  return to_json(before) == after ? incoming : after;
}

json::object with_request_budget(json::object blob, const std::optional<SavedBudget> &budget) {
  if (budget) {
    blob[kRequestBudget] = to_json(*budget);
  } else {
    blob.erase(kRequestBudget);
  }
  return blob;
}

} // namespace wc::state
