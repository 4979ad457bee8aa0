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

#include "protocol/forwarding_sink.hpp"
#include "relational/json_tape.hpp"
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
  // Writes `raw`'s relational record(s) of `stream`; `version` is computed at most once per
  // record (empty until then).
  struct Scratch;
  struct PerPlan;
  PerPlan &per_plan(Scratch &scratch, const StreamPlan &plan);
  void convert(std::string_view stream, const StreamPlan &plan, const TapeValue &raw,
               std::string &version, Scratch &scratch);
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
