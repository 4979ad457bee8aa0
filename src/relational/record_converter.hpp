#pragma once
// One raw record (WooCommerce's JSON) -> its relational record (one flat JSON object), by the
// stream's plan. The record is read in place (json_tape.hpp): a value is written as the text it
// has in the record (a number's token, a string's bytes) wherever its column keeps it as is. Never
// fails on data: a value that cannot take its column's type becomes null and is reported through
// `warn` (the caller says it once per field per sync); fields the plan does not know go into
// _extra.
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/json_tape.hpp"
#include "relational/relational_schema.hpp"
#include "relational/rows_from.hpp"

namespace wc::relational {

// (column, what was wrong with the value)
using ConversionWarn = std::function<void(const std::string &column, const std::string &why)>;

// The relational record's JSON text. `options` must be those the plan was derived with.
// `version`: the record's _version (version.hpp), written when the plan has a version column.
std::string convert_record(const StreamPlan &plan, const Options &options,
                           const boost::json::object &raw, const ConversionWarn &warn,
                           std::string_view version = {});

// The same text appended to `out`.
void convert_record(const StreamPlan &plan, const Options &options, const boost::json::object &raw,
                    const ConversionWarn &warn, std::string_view version, std::string &out);

class Converter;

// Converts the records (or the rows, for a rows_from plan) of one stream one after the other
// with the same buffers (no allocation per record or row once they have grown): convert_record's
// and convert_row's text. `plan` and `warn` must outlive it (`options` is
// copied).
class PlanConverter {
public:
  PlanConverter(const StreamPlan &plan, const Options &options, const ConversionWarn &warn);
  ~PlanConverter();
  PlanConverter(const PlanConverter &) = delete;
  PlanConverter &operator=(const PlanConverter &) = delete;
  // A record read in place (json_tape.hpp): the converter never builds a tree. The text is
  // valid until the next call.
  std::string_view record(const TapeValue &raw, std::string_view version);
  // A parsed record: its text indexed, then as above, appended to `out` (for callers that hold
  // a tree).
  void record(const boost::json::object &raw, std::string_view version, std::string &out);
  // One row of a rows_from plan; valid until the next call.
  std::string_view row(const RowParts &row);

private:
  const StreamPlan &plan_;
  std::unique_ptr<Converter> converter_;
  std::string text_; // a parsed record's text, indexed by tape_
  JsonTape tape_;
};

// One row of a rows_from stream, as rows_from.hpp's for_each_row finds it, converted without
// building the row as a JSON object first: the same text as convert_record of expand_rows' row.
std::string convert_row(const StreamPlan &plan, const Options &options, const RowParts &row,
                        const ConversionWarn &warn);

} // namespace wc::relational
