#pragma once
// Singer state <-> our per-stream state blobs. A Singer state is {"bookmarks": {stream: blob}};
// it may also come wrapped as a STATE message ({"type": "STATE", "value": {...}}) or as its
// bare "value". The blob of each stream is exactly what `read` checkpoints for it.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace wc::singer {

// The bookmarks of a Singer state (any accepted shape). An empty object when there are none.
// Throws wc::Error(kConfig) when the state is not one of the accepted shapes, or a bookmark is
// not a stream checkpoint this build reads (state::from_json: a malformed member, a newer
// checkpoint_version).
boost::json::object singer_bookmarks(const boost::json::value &state);
// Airbyte per-stream STREAM states, the input of `read --state`.
boost::json::array airbyte_state(const boost::json::object &bookmarks);
// True when the value is already an Airbyte state (a list of state messages or one of them):
// passed to `read` unchanged, so a state saved by an Airbyte sync can seed a Singer one.
bool is_airbyte_state(const boost::json::value &state);

} // namespace wc::singer
