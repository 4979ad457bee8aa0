#pragma once
// Versions of root records and their nested rows (docs/relational.md, "Nested-list streams"):
// every emission of a root record carries `_version` = its modification time in UTC, fixed width
// ("2026-11-29T01:10:39Z"), then "/" and the sync's id (the read's start, fixed width with
// milliseconds: "2026-12-07T03:16:30.123Z"), so versions sort by modification time, then by
// sync. Full-refresh roots (no modification time) use the sync's id alone. Every nested row
// carries the `_version` of the emission it came from as `_parent_version`.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_tape.hpp"
#include "relational/rules.hpp"

namespace wc::relational {

// The sync's id: the read's start time, "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string sync_id(std::int64_t start_millis);

// A root record's _version. A record whose modification time is missing or not a UTC time (a
// tombstone holding only its id) gets "0000-00-00T00:00:00Z/<sync id>": still fixed width, it
// sorts before every real version.
std::string record_version(const VersionRule &rule, const boost::json::object &raw,
                           std::string_view sync);
// The same for a record read in place (json_tape.hpp).
std::string record_version(const VersionRule &rule, const TapeValue &raw, std::string_view sync);

} // namespace wc::relational
