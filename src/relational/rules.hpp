#pragma once
// The rules of the relational output as data: catalog/relational.yaml (compiled into the binary)
// read into plain values. No YAML::Node leaves this file.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wc::relational {

// Net revenue on a parent row: refunded_total and net_total from the record's own money.
struct NetRevenueRule {
  std::string total;        // raw field holding the record's total ("total")
  std::string refunds;      // raw list of refunds ("refunds")
  std::string refund_total; // field of each refund entry, negative as WooCommerce sends it
};

// A stream whose rows are the items of a list inside another stream's records (countries and
// states inside /data/continents; issue #13's nested lists later). `lists` is the path of list
// keys from the record down to the rows' list ("countries[].states[]" -> {countries, states});
// each carried column takes a field of an enclosing level: level 0 is the record, level k the
// item of lists[k-1] ("countries[].code" -> level 1, field "code").
struct CarriedField {
  std::string column; // the row's column ("country_code")
  std::size_t level = 0;
  std::string field; // the field at that level ("code")
};
struct RowsFromRule {
  std::string records_of; // the stream whose raw schema describes the records read
  std::vector<std::string> lists;
  // The innermost level is a map ("settings{}"): one row per entry, its key in column `key`.
  bool map = false;
  // A `position` column: the item's index in its list (0-based), for lists whose order is stable.
  bool position = false;
  // A `_parent_version` column: the `_version` of the record the row came from (nested-list
  // streams of a versioned root; docs/relational.md "Nested-list streams").
  bool parent_version = false;
  std::vector<CarriedField> carry; // in the rule's order, before the item's own columns
  std::vector<std::vector<std::string>> primary_key; // the rows' key, as discover declares it
};

// How a root record's `_version` is made: its modification time (the raw UTC field `field`)
// then "/" and the sync's id; with an empty field (full-refresh roots), the sync's id alone.
struct VersionRule {
  std::string field;
};

inline constexpr const char *kVersionColumn = "_version";
inline constexpr const char *kParentVersionColumn = "_parent_version";
inline constexpr const char *kPositionColumn = "position";
inline constexpr const char *kMapKeyColumn = "key";
inline constexpr const char *kValueColumn = "value";

// Parses a rows_from path: "countries[].states[]" -> {countries, states}; every part must end
// with "[]". Throws wc::Error(kSystem) naming `where`.
std::vector<std::string> parse_list_path(const std::string &path, const std::string &where);
// Parses a carried field's path: "code" -> {0, code}; "countries[].code" -> {1, code}. The level
// must be one of `lists`' enclosing levels (lower than lists.size()) and match its list names.
CarriedField parse_carried(const std::string &column, const std::string &path,
                           const std::vector<std::string> &lists, const std::string &where);

// One stream's rules. Field paths are raw paths with "." between levels.
struct StreamRules {
  std::set<std::string, std::less<>> money;
  std::set<std::string, std::less<>> decimals;
  std::set<std::string, std::less<>> integers;
  std::set<std::string, std::less<>> maps;
  std::set<std::string, std::less<>> drop;
  std::optional<NetRevenueRule> net_revenue;
  std::optional<RowsFromRule> rows_from;
  std::optional<VersionRule> version;
  std::set<std::string, std::less<>> json; // lists kept as one JSON column (not nested streams)
};

// A nested-list stream: the name the naming rule gives it and its rows_from rule.
struct NestedStream {
  std::string name; // "<root>_<list path, [] and {} dropped, . -> _>"
  std::string root; // the stream whose records hold the list
  std::string path; // the list path as written ("line_items[].taxes[]")
  RowsFromRule rule;
  std::set<std::string, std::less<>> money, decimals; // the items' fields, as for any stream
};

// The nested-list stream name of a list path of `root`: "orders", "line_items[].taxes[]" ->
// "orders_line_items_taxes".
std::string nested_stream_name(std::string_view root, std::string_view path);

struct Rules {
  StreamRules defaults; // applied to every stream
  // Every stream's rules: the entries of `streams`, plus one per nested-list stream (its
  // rows_from made from its root's `nested` table).
  std::map<std::string, StreamRules, std::less<>> streams;
  // The nested-list streams, in the order of the roots' `nested` tables.
  std::vector<NestedStream> nested;

  // The stream's rules merged with the defaults.
  StreamRules for_stream(std::string_view stream) const;
};

// Parses rules text; throws wc::Error(kSystem) naming the problem.
Rules parse_rules(std::string_view yaml_text);
// The built-in rules (embedded catalog/relational.yaml), loaded once.
const Rules &builtin_rules();

} // namespace wc::relational
