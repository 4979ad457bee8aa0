#pragma once
// The relational output stage: a MessageSink decorator that converts each record of a relational
// stream before passing it on; everything else passes through untouched. Created only with
// output: relational, so the raw path costs nothing. Records reach it after the engine's
// transforms (payment gateway secrets are masked before it sees them).
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/json_tape.hpp"
#include "protocol/forwarding_sink.hpp"
#include "relational/relational_schema.hpp"

namespace wc::relational {

class RelationalSink : public protocol::ForwardingSink {
public:
  // `sync_id`: this read's id (version.hpp), in every _version and _parent_version it writes.
  RelationalSink(protocol::MessageSink &out, std::map<std::string, StreamPlan, std::less<>> plans,
                 Options options, std::string sync_id);
  ~RelationalSink() override;
  void record(std::string_view stream, std::string_view data_json) override;
  // The record parsed once, then converted (or expanded into rows) for each stream.
  void record_for(const std::vector<std::string> &streams, std::string_view data_json) override;

private:
  struct Scratch;
  struct PerPlan;
  // The record being converted: read once, its version and whether it is a tombstone found at
  // most once, for all its streams.
  struct Current {
    TapeValue raw;
    std::string version; // empty until a stream needs it
    int tombstone = -1;  // -1: not looked at yet
  };
  PerPlan &per_plan(Scratch &scratch, const StreamPlan &plan);
  const std::vector<const StreamPlan *> &plans_for(Scratch &scratch,
                                                   const std::vector<std::string> &streams) const;
  // Writes the current record's relational record or rows for `stream`.
  void convert(std::string_view stream, const StreamPlan &plan, Current &current, Scratch &scratch);
  std::unique_ptr<Scratch> take_scratch();
  void give_back(std::unique_ptr<Scratch> scratch);
  // Logs "<stream>.<column>: <message>" as a WARN, once per (stream, column) per sync.
  void warn_once(const std::string &stream, const std::string &column, const std::string &message);
  const std::map<std::string, StreamPlan, std::less<>> plans_;
  const Options options_;
  const std::string sync_id_;
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> warned_; // (stream, column), once per sync
  std::vector<std::unique_ptr<Scratch>> scratch_;        // idle buffers, one per concurrent record
};

} // namespace wc::relational
