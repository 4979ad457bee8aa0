#pragma once
// A stream as data: what catalog/streams.yaml says about it. Nothing here knows the store beyond
// names; the engine reads these and the woocommerce/ module adds the quirks.
#include <optional>
#include <string>
#include <vector>

#include "http/http_types.hpp"

namespace wc::source {

enum class Paging { kPages, kSingle };
// modified: a server-side modified-time window; created: a creation-time window; client:
// filtered on our side; parent: children of the parents modified since the parent cursor.
enum class CursorKind { kNone, kModified, kCreated, kClient, kParent };

struct ParentRef {
  std::string stream;       // parent stream name
  std::string key;          // field added to each child record (order_id, product_id, ...)
  std::string type;         // optional filter on the parent listing (type=variable)
  std::string source_field; // when the child payload already names its parent (parent_id)
  // How to list the parents, copied from the parent's definition by the loader.
  std::string path;
  http::Params params;
  Paging paging = Paging::kPages;
  std::string cursor_field; // the parent's cursor field, by which changed parents are found
};

struct StreamDefinition {
  std::string name;
  std::string kind = "rest";   // rest | inventory
  std::string path;            // may hold {parent_id}
  std::string fallback_path;   // per-parent route when the store-wide one is missing
  std::string fallback_reason; // why a store lacks the store-wide route, for warnings
  std::vector<std::vector<std::string>> primary_key;
  Paging paging = Paging::kPages;
  http::Params params;
  http::Params full_params;
  CursorKind cursor_kind = CursorKind::kNone;
  std::string cursor_field;
  std::optional<ParentRef> parent;
  std::string permission = "read";
  std::string family;
  bool trash = false;
  std::string transform;
  // A derived stream (source/derived_streams.hpp): the streams whose records feed it; they are
  // read (once per sync, whoever else they feed) and this stream's records are made from theirs.
  // Empty: the stream is read itself.
  std::vector<std::string> fed_by;

  bool incremental() const { return cursor_kind != CursorKind::kNone; }
  bool deletable() const { return trash || kind == "inventory"; }
};

} // namespace wc::source
