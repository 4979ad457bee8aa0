#pragma once
// Incoming state: per-stream STREAM messages, GLOBAL and LEGACY formats, and the states written
// by Airbyte's own WooCommerce connector, normalised to one JSON blob per stream.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/time_util.hpp"

namespace wc::state {

class StateStore {
public:
  // Throws wc::Error(kConfig) naming the problem when the state is malformed.
  static StateStore parse(const boost::json::value &state,
                          const std::function<void(const std::string &)> &warn);
  StateStore() = default;

  // The stream's blob, or nullptr when there is none.
  const boost::json::object *stream(const std::string &name) const;
  bool has(const std::string &name) const { return streams_.count(name) > 0; }
  const std::map<std::string, boost::json::object> &all() const { return streams_; }

private:
  std::map<std::string, boost::json::object> streams_;
};

// Reads a cursor value from a stream blob: our own form {"<field>": "...", "boundary_ids": [..]},
// Airbyte's {"date_modified_gmt": "..."} and its date-range slices. Throws wc::Error(kConfig)
// on a malformed value.
std::optional<UnixSeconds> cursor_value(const boost::json::object &blob, const std::string &field,
                                        const std::string &stream);

} // namespace wc::state
