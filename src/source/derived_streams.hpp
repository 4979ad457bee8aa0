#pragma once
// One read feeds several streams. A derived stream (StreamDefinition::fed_by) is made from the
// records of other streams (its "sources") rather than read itself: the relational output's
// nested-list streams (orders_line_items from orders), countries and states (from continents),
// and issue #14's unified streams (unified_customers from orders AND customers). This file holds
// the pure planning and the sink that routes what a source's read writes to every selected
// stream it feeds; what a member's records ARE is the output stage's business (the relational
// sink expands a record into a member's rows in MessageSink::record_for).
//
// The rules (docs/relational.md, "Nested-list streams"):
//  - Each source is read ONCE per sync, whether or not it is selected itself (its own records
//    are written only when it is), for all the selected streams it feeds ("members").
//  - Each member keeps ITS OWN state blob: fed by one source, the source's checkpoint shape
//    (state/stream_checkpoint.hpp) exactly; fed by several, {"sources": {"<source>": <that
//    source's checkpoint>, ...}}. The source is read from the LOWEST state among its members
//    (a member without one: a full read), so a member selected later, or reset alone, backfills
//    from its own start. Every record read goes to every member (a backfill re-emits its
//    siblings' rows for that range: harmless with dedup, and it keeps each nested row's
//    _parent_version equal to what its parent table holds), and every checkpoint the read
//    writes is written for every member.
//  - Statuses and errors are reported for every member (a member fed by several sources is
//    STARTED with its first source and COMPLETE/INCOMPLETE when its last one ends).
//
// Plugging in another family: give its streams definitions whose fed_by names the streams they
// come from (and whose key and sync modes are theirs), offer them through the configured
// catalog's lookup (catalog::parse_configured_catalog's `find`), and give the output stage a
// record_for that turns a source record into the member's records. Nothing here changes.
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/message_writer.hpp"
#include "source/stream_request.hpp"

namespace wc::source {

inline constexpr const char *kSourcesKey = "sources";

// One read of a source stream and the selected streams it feeds.
struct SourceRead {
  const StreamDefinition *source = nullptr;
  // Incremental when the source can be and every member asked for it; else a full read.
  SyncMode sync_mode = SyncMode::kFullRefresh;
  bool source_selected = false;
  std::vector<std::string> members; // the selected streams fed, in catalog order (the source too)
};

// Groups the selected streams by the streams that feed them, in catalog order of each source's
// first member. `find` resolves a fed_by name. Throws wc::Error(kSystem) when a fed_by names no
// stream, or a stream that is itself derived.
std::vector<SourceRead>
plan_source_reads(const std::vector<StreamRequest> &selected,
                  const std::function<const StreamDefinition *(std::string_view)> &find);

// A member's incoming checkpoint for `source`: its own blob (fed by one source or the source
// itself), or blob["sources"][source] (fed by several); nullptr when it has none.
const boost::json::object *member_checkpoint(const StreamDefinition &member,
                                             const boost::json::object *blob,
                                             const std::string &source);

// The state a source is read from: nullptr (a full read) when any member has none, else the
// member checkpoint whose start cursor (state::StreamCheckpoint::start_cursor, read with the
// source's cursor field) is lowest; a checkpoint without a cursor is the lowest of all. Throws
// wc::Error(kConfig) when a blob is malformed (naming the member).
const boost::json::object *
lowest_checkpoint(const StreamDefinition &source,
                  const std::vector<std::pair<std::string, const boost::json::object *>> &members);

// Routes what each source's read writes (under the source's name) to its members; everything
// else passes through. Thread-safe (the sources are read in parallel).
class FanOutSink : public protocol::MessageSink {
public:
  // `incoming`: the members' incoming blobs (for members fed by several sources, whose blob
  // holds the checkpoints of the sources not read yet).
  FanOutSink(protocol::MessageSink &out, const std::vector<SourceRead> &plan,
             const std::function<const StreamDefinition *(std::string_view)> &find,
             std::map<std::string, boost::json::object> incoming);

  void record(std::string_view source, std::string_view data_json) override;
  void record_for(const std::vector<std::string> &streams, std::string_view data_json) override;
  void stream_state(std::string_view source, const boost::json::value &state) override;
  void log(protocol::LogLevel level, std::string_view message) override {
    out_.log(level, message);
  }
  void stream_status(std::string_view source, protocol::StreamStatus status,
                     std::int64_t rate_limited_until_ms = 0) override;
  void estimate(std::string_view source, std::int64_t rows) override;
  void error(FailureType type, std::string_view message, std::string_view internal,
             std::string_view source) override;
  void message(const boost::json::object &msg) override { out_.message(msg); }

  // The members of a source (empty: not a source of this read).
  const std::vector<std::string> &members(std::string_view source) const;
  // The last checkpoint written for a source in this read (empty when none).
  boost::json::object last(const std::string &source);

private:
  protocol::MessageSink &out_;
  std::map<std::string, std::vector<std::string>, std::less<>> members_; // source -> members
  // Members fed by several sources: their sources, what each one last wrote, and which ended.
  struct Multi {
    std::vector<std::string> sources;
    boost::json::object checkpoints; // source -> checkpoint
    std::set<std::string> started, ended;
    bool failed = false;
  };
  std::map<std::string, Multi, std::less<>> multi_;
  std::map<std::string, boost::json::object, std::less<>> last_; // source -> last checkpoint
  std::mutex mu_;
};

} // namespace wc::source
