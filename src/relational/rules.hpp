#pragma once
// The rules of the relational output as data: catalog/relational.yaml (compiled into the binary)
// read into plain values. No YAML::Node leaves this file.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace wc::relational {

// Net revenue on a parent row: refunded_total and net_total from the record's own money.
struct NetRevenueRule {
  std::string total;        // raw field holding the record's total ("total")
  std::string refunds;      // raw list of refunds ("refunds")
  std::string refund_total; // field of each refund entry, negative as WooCommerce sends it
};

// One stream's rules. Field paths are raw paths with "." between levels.
struct StreamRules {
  std::set<std::string, std::less<>> money;
  std::set<std::string, std::less<>> decimals;
  std::set<std::string, std::less<>> integers;
  std::set<std::string, std::less<>> maps;
  std::set<std::string, std::less<>> drop;
  std::optional<NetRevenueRule> net_revenue;
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
