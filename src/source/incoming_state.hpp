#pragma once
// A stream's incoming state as the engine holds it while reading: the blob as it came (echoed
// exactly when the stream did not move, docs/incremental.md) and the typed checkpoint read from
// it ONCE, with the stream's cursor field and its parents' (state::from_json: a malformed value
// is a config_error naming the stream and the key). Every STATE the engine writes is
// state::to_json of a checkpoint (ReadContext::checkpoint), or that echo (unchanged).
#include <boost/json/object.hpp>

#include "source/stream_definition.hpp"
#include "state/stream_checkpoint.hpp"

namespace wc::source {

struct IncomingState {
  const boost::json::object *blob = nullptr; // nullptr: the state holds nothing for the stream
  state::StreamCheckpoint checkpoint;        // read from blob (empty, at its cursor field, if none)

  static IncomingState read(const StreamDefinition &d, const boost::json::object *blob);

  // The checkpoint of a stream whose cursor did not move: the blob exactly as it came when
  // `updated` changes none of its members (state::echo_or_update), else to_json(updated).
  boost::json::object unchanged(const state::StreamCheckpoint &updated) const;
};

} // namespace wc::source
