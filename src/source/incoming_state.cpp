#include "source/incoming_state.hpp"

namespace wc::source {

IncomingState IncomingState::read(const StreamDefinition &d, const boost::json::object *blob) {
  IncomingState in;
  in.blob = blob;
  if (blob == nullptr) {
    in.checkpoint.cursor_field = d.cursor_field;
    return in;
  }
  in.checkpoint = state::from_json(*blob, d.cursor_field, d.name,
                                   d.parent ? d.parent->cursor_field
                                            : std::string(state::kDefaultParentCursorField));
  return in;
}

boost::json::object IncomingState::unchanged(const state::StreamCheckpoint &updated) const {
  return blob != nullptr ? state::echo_or_update(*blob, checkpoint, updated)
                         : state::to_json(updated);
}

} // namespace wc::source
