#include "state/state_store.hpp"

#include "core/error.hpp"

namespace wc::state {
namespace json = boost::json;
namespace {

// Site-local times (Airbyte's old LEGACY state keyed by date_modified) can be up to 14 hours
// ahead of UTC (UTC+14, Line Islands): stepping back that far is always safe.
constexpr UnixSeconds kMaxLocalOffset = 14 * 3600;

std::string name_of(const json::value *descriptor, const std::string &where) {
  if (descriptor == nullptr || !descriptor->is_object()) {
    throw config_error("state: " + where + " lacks stream_descriptor");
  }
  const auto *name = descriptor->as_object().if_contains("name");
  if (name == nullptr || !name->is_string() || name->as_string().empty()) {
    throw config_error("state: " + where + " has a stream_descriptor without a name");
  }
  return std::string(name->as_string());
}

void put(std::map<std::string, json::object> &out, const std::string &name, const json::value *blob,
         const std::string &where) {
  if (blob == nullptr || blob->is_null()) {
    return; // a null stream_state resets the stream
  }
  if (!blob->is_object()) {
    throw config_error("state: " + where + " (" + name + ") must be an object, got another type");
  }
  out[name] = blob->as_object();
}

void legacy(std::map<std::string, json::object> &out, const json::object &data,
            const std::function<void(const std::string &)> &warn) {
  for (const auto &kv : data) {
    std::string name(kv.key());
    if (!kv.value().is_object()) {
      throw config_error("state: the legacy state of stream '" + name + "' must be an object");
    }
    json::object blob = kv.value().as_object();
    if (!blob.contains("date_modified_gmt") && blob.contains("date_modified")) {
      const auto &v = blob["date_modified"];
      auto t = v.is_string() ? parse_utc(v.as_string()) : std::nullopt;
      if (!t) {
        throw config_error("state: stream '" + name + "' has a date_modified that is not a date");
      }
      blob["date_modified_gmt"] = format_naive_utc(*t - kMaxLocalOffset);
      blob.erase("date_modified");
      warn("state of stream '" + name + "' uses the site-local date_modified (Airbyte's old " +
           "format); it was moved back 14 hours to be safe in any timezone, so some records are " +
           "read again once");
    }
    out[name] = std::move(blob);
  }
}

} // namespace

StateStore StateStore::parse(const json::value &state,
                             const std::function<void(const std::string &)> &warn) {
  StateStore store;
  if (state.is_null()) {
    return store;
  }
  if (state.is_object()) {
    const auto &obj = state.as_object();
    if (obj.contains("type") || obj.contains("stream") || obj.contains("global")) {
      return parse(json::array{state}, warn); // a single state message
    }
    legacy(store.streams_, obj, warn);
    return store;
  }
  if (!state.is_array()) {
    throw config_error("state must be a list of state messages or an object, got another type");
  }
  std::size_t i = 0;
  for (const auto &item : state.as_array()) {
    std::string where = "state[" + std::to_string(i++) + "]";
    if (!item.is_object()) {
      throw config_error("state: " + where + " is not an object");
    }
    const auto &msg = item.as_object();
    std::string type = "LEGACY";
    if (const auto *t = msg.if_contains("type")) {
      if (!t->is_string()) {
        throw config_error("state: " + where + ".type must be a string");
      }
      type = std::string(t->as_string());
    }
    if (type == "STREAM") {
      const auto *s = msg.if_contains("stream");
      if (s == nullptr || !s->is_object()) {
        throw config_error("state: " + where + " of type STREAM lacks \"stream\"");
      }
      const auto &so = s->as_object();
      std::string name = name_of(so.if_contains("stream_descriptor"), where);
      put(store.streams_, name, so.if_contains("stream_state"), where);
    } else if (type == "GLOBAL") {
      const auto *g = msg.if_contains("global");
      const json::value *list = nullptr;
      if (g != nullptr && g->is_object()) {
        list = g->as_object().if_contains("stream_states");
      }
      if (list == nullptr || !list->is_array()) {
        throw config_error("state: " + where + " of type GLOBAL lacks global.stream_states");
      }
      for (const auto &ss : list->as_array()) {
        if (!ss.is_object()) {
          throw config_error("state: " + where + " has a stream_states item that is not an object");
        }
        std::string name = name_of(ss.as_object().if_contains("stream_descriptor"), where);
        put(store.streams_, name, ss.as_object().if_contains("stream_state"), where);
      }
    } else if (type == "LEGACY") {
      const auto *data = msg.if_contains("data");
      if (data == nullptr || !data->is_object()) {
        throw config_error("state: " + where + " of type LEGACY lacks a \"data\" object");
      }
      legacy(store.streams_, data->as_object(), warn);
    } else {
      throw config_error("state: " + where + " has an unknown type \"" + type +
                         "\" (expected STREAM, GLOBAL or LEGACY)");
    }
  }
  return store;
}

const json::object *StateStore::stream(const std::string &name) const {
  auto it = streams_.find(name);
  return it == streams_.end() ? nullptr : &it->second;
}

std::optional<UnixSeconds> cursor_value(const json::object &blob, const std::string &field,
                                        const std::string &stream) {
  if (const auto *v = blob.if_contains(field)) {
    if (v->is_null()) {
      return std::nullopt;
    }
    auto t = v->is_string() ? parse_utc(v->as_string()) : std::nullopt;
    if (!t) {
      throw config_error("state of stream '" + stream + "': '" + field +
                         "' is not a date-time (expected YYYY-MM-DDTHH:MM:SS in UTC)");
    }
    return t;
  }
  // Airbyte's concurrent cursor: {"state_type": "date-range", "slices": [{start, end,
  // most_recent_cursor_value}]}. Everything before the first slice's end is complete.
  if (const auto *slices = blob.if_contains("slices")) {
    if (!slices->is_array()) {
      throw config_error("state of stream '" + stream + "': 'slices' must be a list");
    }
    std::optional<UnixSeconds> low;
    for (const auto &s : slices->as_array()) {
      if (!s.is_object()) {
        throw config_error("state of stream '" + stream + "': a slice is not an object");
      }
      const auto &so = s.as_object();
      const json::value *v = so.if_contains("most_recent_cursor_value");
      if (v == nullptr) {
        v = so.if_contains("end");
      }
      auto t = (v != nullptr && v->is_string()) ? parse_utc(v->as_string()) : std::nullopt;
      if (!t) {
        throw config_error("state of stream '" + stream + "': a slice has no readable end");
      }
      if (!low || *t < *low) {
        low = t;
      }
    }
    return low;
  }
  return std::nullopt;
}

} // namespace wc::state
