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
  std::vector<CarriedField> carry; // in the rule's order, before the item's own columns
  std::vector<std::vector<std::string>> primary_key; // the rows' key, as discover declares it
};

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
};

struct Rules {
  StreamRules defaults; // applied to every stream
  std::map<std::string, StreamRules, std::less<>> streams;

  // The stream's rules merged with the defaults.
  StreamRules for_stream(std::string_view stream) const;
};

// Parses rules text; throws wc::Error(kSystem) naming the problem.
Rules parse_rules(std::string_view yaml_text);
// The built-in rules (embedded catalog/relational.yaml), loaded once.
const Rules &builtin_rules();

} // namespace wc::relational
