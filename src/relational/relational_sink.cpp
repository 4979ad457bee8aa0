#include "relational/relational_sink.hpp"

#include <optional>
#include <unordered_map>

#include "core/error.hpp"
#include "core/json_tape.hpp"
#include "core/raw_record.hpp"
#include "relational/record_converter.hpp"
#include "relational/rows_from.hpp"
#include "relational/text_buffer.hpp"
#include "relational/version.hpp"
#include "source/deletions.hpp"

namespace wc::relational {
namespace json = boost::json;

RelationalSink::RelationalSink(protocol::MessageSink &out,
                               std::map<std::string, StreamPlan, std::less<>> plans,
                               Options options, std::string sync_id)
    : ForwardingSink(out), plans_(std::move(plans)), options_(options),
      sync_id_(std::move(sync_id)) {}

namespace {

// The record read in place into `tape` (json_tape.hpp): no tree is built. A record emitted as its
// raw text brings the tokens its page's reading found (core/raw_record.hpp, EmittedTokens): they
// are taken over instead of reading the text again.
TapeValue index_record(std::string_view stream, std::string_view data_json, JsonTape &tape) {
  const std::string_view tokens = EmittedTokens::of(data_json);
  if (!tokens.empty() && tape.adopt(data_json, tokens) && tape.root().is_object()) {
    return tape.root();
  }
  if (!tape.index(data_json) || !tape.root().is_object()) {
    // The engine only emits JSON objects; anything else is a bug, not data.
    throw system_error(std::string(stream) + ": a record that is not a JSON object reached the "
                                             "relational output");
  }
  return tape.root();
}

bool is_tombstone(const TapeValue &raw) {
  const TapeValue d = raw.find(source::kDeletedAt);
  return d && !d.is_null();
}

} // namespace

// What converting one record needs besides the plans, kept between records so that a row costs
// no allocation once the buffers have grown: per plan its warn callback, its row converter and
// the version rule of its records; the text of the record or row being written.
struct RelationalSink::PerPlan {
  ConversionWarn warn;
  std::unique_ptr<PlanConverter> converter;
  const VersionRule *rule = nullptr; // the version of the record read
};

struct RelationalSink::Scratch {
  std::unordered_map<const StreamPlan *, std::unique_ptr<PerPlan>> plans;
  JsonTape tape;                                // the record being converted, read in place
  std::vector<std::string> streams;             // the last record_for's streams
  std::vector<const StreamPlan *> stream_plans; // and their plans (plans_for)
  // The lines made of the record, handed on together (MessageSink::records): a converted text
  // is copied into `texts` (its converter reuses its buffer), a record passed through is not.
  struct Pending {
    std::string_view stream;
    std::string_view as_is; // a record passed through; else the text is texts[offset, +size)
    std::size_t offset = 0, size = 0;
  };
  TextBuffer texts;
  std::vector<Pending> pending;
  std::vector<protocol::RecordLine> lines;

  void add(std::string_view stream, std::string_view converted) {
    pending.push_back(Pending{stream, {}, texts.size(), converted.size()});
    texts.append(converted);
  }
  void pass(std::string_view stream, std::string_view data_json) {
    pending.push_back(Pending{stream, data_json, 0, 0});
  }
  void hand_on(protocol::MessageSink &out) {
    if (pending.empty()) {
      return;
    }
    lines.clear();
    const std::string_view all = texts.view();
    for (const Pending &p : pending) {
      lines.push_back(protocol::RecordLine{
          p.stream, p.as_is.data() != nullptr ? p.as_is : all.substr(p.offset, p.size)});
    }
    out.records(lines);
    pending.clear();
    texts.clear();
  }
};

std::unique_ptr<RelationalSink::Scratch> RelationalSink::take_scratch() {
  {
    std::lock_guard lock(mu_);
    if (!scratch_.empty()) {
      auto s = std::move(scratch_.back());
      scratch_.pop_back();
      return s;
    }
  }
  return std::make_unique<Scratch>();
}

void RelationalSink::give_back(std::unique_ptr<Scratch> scratch) {
  std::lock_guard lock(mu_);
  scratch_.push_back(std::move(scratch));
}

RelationalSink::~RelationalSink() = default;

RelationalSink::PerPlan &RelationalSink::per_plan(Scratch &scratch, const StreamPlan &plan) {
  auto &slot = scratch.plans[&plan];
  if (slot) {
    return *slot;
  }
  slot = std::make_unique<PerPlan>();
  const std::string *name = &plan.stream;
  slot->warn = [this, name](const std::string &column, const std::string &why) {
    warn_once(*name, column,
              why + " was written as null (relational output; said once per field per sync)");
  };
  // The version of the record read: its own stream's rule (a root), or for rows the rule of the
  // stream whose records they come from.
  slot->rule = plan.version ? &*plan.version : nullptr;
  if (slot->rule == nullptr && plan.rows_from && plan.rows_from->parent_version) {
    auto root = plans_.find(plan.rows_from->records_of);
    slot->rule = root != plans_.end() && root->second.version ? &*root->second.version : nullptr;
  }
  slot->converter = std::make_unique<PlanConverter>(plan, options_, slot->warn);
  return *slot;
}

void RelationalSink::record(std::string_view stream, std::string_view data_json) {
  auto it = plans_.find(stream);
  if (it == plans_.end()) {
    out_.record(stream, data_json);
    return;
  }
  auto scratch = take_scratch();
  Current current;
  current.raw = index_record(stream, data_json, scratch->tape);
  convert(stream, it->second, current, *scratch);
  scratch->hand_on(out_);
  give_back(std::move(scratch));
}

// The plans of a record_for's streams (null: a stream without one), found once for a list of
// streams and kept while the next record comes with the same list (a source's members: always).
const std::vector<const StreamPlan *> &
RelationalSink::plans_for(Scratch &scratch, const std::vector<std::string> &streams) const {
  if (scratch.streams != streams) {
    scratch.streams = streams;
    scratch.stream_plans.clear();
    for (const auto &stream : streams) {
      auto it = plans_.find(stream);
      scratch.stream_plans.push_back(it == plans_.end() ? nullptr : &it->second);
    }
  }
  return scratch.stream_plans;
}

void RelationalSink::record_for(const std::vector<std::string> &streams,
                                std::string_view data_json) {
  auto scratch = take_scratch();
  const auto &plans = plans_for(*scratch, streams);
  Current current; // read once, when a stream needs it
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (plans[i] == nullptr) {
      scratch->pass(streams[i], data_json);
      continue;
    }
    if (!current.raw) {
      current.raw = index_record(streams[i], data_json, scratch->tape);
    }
    convert(streams[i], *plans[i], current, *scratch);
  }
  scratch->hand_on(out_);
  give_back(std::move(scratch));
}

void RelationalSink::convert(std::string_view stream, const StreamPlan &plan, Current &current,
                             Scratch &scratch) {
  PerPlan &pp = per_plan(scratch, plan);
  if (pp.rule != nullptr && current.version.empty()) {
    current.version = record_version(*pp.rule, current.raw, sync_id_);
  }
  if (!plan.rows_from) {
    scratch.add(stream, pp.converter->record(current.raw, current.version));
    return;
  }
  // A tombstone flows to its own stream only: the view's inner join on _parent_version drops
  // the rows of a deleted record (docs/relational.md).
  if (current.tombstone < 0) {
    current.tombstone = is_tombstone(current.raw) ? 1 : 0;
  }
  if (current.tombstone == 1) {
    return;
  }
  // One record, any number of rows (rows_from.hpp): the items of a list inside it, converted
  // where they lie (no row object built).
  // The callbacks capture one pointer each, so that std::function keeps them without allocating.
  struct Context {
    RelationalSink *sink;
    const StreamPlan *plan;
    std::string_view stream;
    PlanConverter *converter;
    Scratch *scratch;
  } context{this, &plan, stream, pp.converter.get(), &scratch};
  const Context *c = &context;
  for_each_row(
      *plan.rows_from, current.raw, current.version,
      [c](const std::string &list_path) {
        c->sink->warn_once(c->plan->stream, list_path,
                           "a value that is not a list of objects gave no rows (relational "
                           "output; said once per list per sync)");
      },
      [c](const RowParts &row) { c->scratch->add(c->stream, c->converter->row(row)); });
}

void RelationalSink::warn_once(const std::string &stream, const std::string &column,
                               const std::string &message) {
  {
    std::lock_guard lock(mu_);
    if (!warned_.emplace(stream, column).second) {
      return;
    }
  }
  out_.log(protocol::LogLevel::kWarn, stream + "." + column + ": " + message);
}

} // namespace wc::relational
