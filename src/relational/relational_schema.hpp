#pragma once
// A stream's relational shape, derived from its raw JSON schema and its rules: the columns (in
// the raw schema's order), where each comes from, how its value is converted, and the JSON schema
// discover declares for it. Derived at run time, by discover and read alike.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "relational/rules.hpp"

namespace wc::relational {

inline constexpr const char *kExtraColumn = "_extra";

struct Options {
  bool money_as_number = false;  // money_as: number
  bool keep_local_times = false; // keep the site-local date columns
};

enum class ColumnKind {
  kInteger,      // integers; digit strings too; "" -> null
  kNumber,       // JSON numbers; "" -> null
  kDecimal,      // money and decimals: decimal text, as a string or a number token
  kBoolean,      // booleans
  kString,       // text
  kTimestampUtc, // a *_gmt time -> RFC 3339 with Z
  kLocalTime,    // a site-local time kept as sent (keep_local_times)
  kJson,         // any JSON (maps, unions), as sent
  kComputed,     // filled by the converter (net revenue), a decimal
};

struct Column {
  std::string name; // the relational column
  std::string path; // the raw path ("billing.address_1"); "" for computed columns
  ColumnKind kind = ColumnKind::kString;
  boost::json::object schema; // what discover declares
  std::string quoted_key;     // "\"name\":", ready to write
};

// The raw record's shape: what becomes of each key. Looked up once per member of every record
// and row converted: a hash map with string_view lookups.
struct Field;
struct FieldNameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using FieldMap = std::unordered_map<std::string, Field, FieldNameHash, std::equal_to<>>;
struct Field {
  enum class What { kColumn, kObject, kDrop } what = What::kDrop;
  std::size_t column = 0; // kColumn
  FieldMap children;      // kObject: flattened with "_"
  std::string flat_name;  // the name unknown children get in _extra
};

struct StreamPlan {
  std::string stream;
  std::vector<Column> columns;
  FieldMap fields; // top-level raw keys
  std::optional<NetRevenueRule> net_revenue;
  std::size_t refunded_column = 0, net_column = 0; // with net_revenue
  std::size_t total_column = 0;                    // the column of net_revenue.total
  std::vector<std::string> required;               // the raw schema's required, renamed
  std::optional<RowsFromRule> rows_from; // rows are list items of the records (rows_from.hpp)
  std::optional<VersionRule> version;    // a root: its records carry _version
  std::size_t version_column = 0;        // with version
  std::optional<std::string> relational_name(std::string_view raw_path) const;
};

// The relational name of a raw field path, by the naming rule: parts joined with "_", a *_gmt
// time renamed <name>_at. Used for the cursor too.
std::string relational_field_name(std::string_view raw_path);

// Derives a stream's plan (with rules.rows_from, `raw_schema` is the rows' schema:
// rows_from.hpp's rows_schema). Throws wc::Error(kSystem) when two fields would get the same column
// name or a rule names a field the schema does not have.
StreamPlan derive_plan(std::string_view stream, const boost::json::object &raw_schema,
                       const StreamRules &rules, const Options &options);

// The relational JSON schema of a plan: every column typed, additionalProperties false, unknown
// fields only through _extra.
boost::json::object relational_schema(const StreamPlan &plan, std::string_view title);

} // namespace wc::relational
