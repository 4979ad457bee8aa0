#include "singer/singer_state.hpp"

#include "core/error.hpp"
#include "state/stream_checkpoint.hpp"

namespace wc::singer {
namespace json = boost::json;

bool is_airbyte_state(const json::value &state) {
  if (state.is_array()) {
    return true;
  }
  if (!state.is_object()) {
    return false;
  }
  const auto &o = state.as_object();
  if (const auto *t = o.if_contains("type"); t && t->is_string()) {
    return t->as_string() == "STREAM" || t->as_string() == "GLOBAL" || t->as_string() == "LEGACY";
  }
  return o.contains("stream") || o.contains("global");
}

json::object singer_bookmarks(const json::value &state) {
  if (state.is_null()) {
    return {};
  }
  if (!state.is_object()) {
    throw config_error("state: a Singer state must be a JSON object {\"bookmarks\": {...}}");
  }
  const json::object *obj = &state.as_object();
  // A STATE message, or its value.
  if (const auto *v = obj->if_contains("value"); v != nullptr) {
    if (v->is_null()) {
      return {};
    }
    if (!v->is_object()) {
      throw config_error("state: \"value\" must be an object {\"bookmarks\": {...}}");
    }
    obj = &v->as_object();
  }
  const auto *b = obj->if_contains("bookmarks");
  if (b == nullptr || b->is_null()) {
    return {};
  }
  if (!b->is_object()) {
    throw config_error("state: \"bookmarks\" must be an object of stream name -> bookmark");
  }
  for (const auto &kv : b->as_object()) {
    if (!kv.value().is_object()) {
      throw config_error("state: the bookmark of stream '" + std::string(kv.key()) +
                         "' must be an object");
    }
    // A bookmark is a stream checkpoint: one written by a newer source-woocommerce, or with a
    // malformed member, fails here, before anything is read. (The cursor is read by the engine,
    // which knows each stream's cursor field.)
    state::from_json(kv.value().as_object(), "", std::string(kv.key()));
  }
  return b->as_object();
}

json::array airbyte_state(const json::object &bookmarks) {
  json::array out;
  for (const auto &kv : bookmarks) {
    out.push_back(json::object{
        {"type", "STREAM"},
        {"stream", json::object{{"stream_descriptor", json::object{{"name", kv.key()}}},
                                {"stream_state", kv.value()}}}});
  }
  return out;
}

} // namespace wc::singer
