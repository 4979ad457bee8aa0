#pragma once
// The one decision table of the unified order, payment and fulfilment statuses
// (catalog/unified/status_table.json, docs/unified.md). Precedence, first match wins:
//  1. a tombstone status (trash) or a deleted record: no statuses, a tombstone (the caller);
//  2. the row of the platform status (WooCommerce's own), else the custom row, whose order
//     status the config's unified_status_map may set;
//  3. payment: the row's fixed value, else the payment rules in their order (refunds at least
//     the total -> refunded; refunds above 0 -> partially_refunded; no date_paid_gmt -> unpaid;
//     otherwise paid).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "relational/decimal_text.hpp"
#include "unified/context.hpp"

namespace wc::unified {

struct Statuses {
  std::string order;
  std::string payment;
  std::string fulfillment;
};

struct PaymentFacts {
  bool paid = false; // date_paid_gmt set
  std::optional<relational::Decimal> refunded;
  std::optional<relational::Decimal> total;
};

class StatusTable {
public:
  struct Row {
    std::string order, payment, fulfillment; // payment "derived": the payment rules decide
  };
  // The embedded catalog/unified/status_table.json, read once.
  static const StatusTable &builtin();
  // Throws wc::Error(kSystem) naming the problem when the document is not a valid table.
  explicit StatusTable(const boost::json::value &doc);

  bool is_tombstone(std::string_view platform_status) const;
  bool is_platform_status(std::string_view platform_status) const; // a row of its own
  const std::vector<std::string> &order_statuses() const { return order_statuses_; }
  Statuses decide(std::string_view platform_status, const PaymentFacts &facts,
                  const Context &ctx) const;
  // The payment rules alone (for a row whose payment is derived).
  std::string derive_payment(const PaymentFacts &facts) const;

private:
  std::map<std::string, Row, std::less<>> rows_;
  Row custom_;
  std::vector<std::string> tombstones_;
  std::vector<std::string> order_statuses_;
  std::vector<std::pair<std::string, std::string>> payment_rules_; // (when, payment)
};

} // namespace wc::unified
