#include "unified/status_table.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc::unified {
namespace json = boost::json;
namespace {

constexpr const char *kFile = "catalog/unified/status_table.json";

const json::object &object_at(const json::object &o, const char *key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr || !v->is_object()) {
    throw system_error(std::string(kFile) + ": '" + key + "' is not an object");
  }
  return v->as_object();
}

std::vector<std::string> strings_at(const json::object &o, const char *key) {
  const auto *v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    throw system_error(std::string(kFile) + ": '" + key + "' is not a list");
  }
  std::vector<std::string> out;
  for (const auto &e : v->as_array()) {
    if (!e.is_string()) {
      throw system_error(std::string(kFile) + ": '" + key + "' holds a value that is not text");
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

std::string string_at(const json::object &o, const char *key, const std::string &where) {
  const auto *v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    throw system_error(std::string(kFile) + ": " + where + " has no text '" + key + "'");
  }
  return std::string(v->as_string());
}

void require_in(const std::vector<std::string> &allowed, const std::string &value,
                const std::string &where) {
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    throw system_error(std::string(kFile) + ": " + where + " is '" + value +
                       "', which is not one of its statuses");
  }
}

} // namespace

const StatusTable &StatusTable::builtin() {
  static const StatusTable table = [] {
    auto text = embedded_file(kFile);
    if (!text) {
      throw system_error(std::string(kFile) + " is not compiled into this binary");
    }
    return StatusTable(json::parse(*text));
  }();
  return table;
}

StatusTable::StatusTable(const json::value &doc) {
  if (!doc.is_object()) {
    throw system_error(std::string(kFile) + " is not a JSON object");
  }
  const json::object &o = doc.as_object();
  order_statuses_ = strings_at(o, "order_statuses");
  const auto payments = strings_at(o, "payment_statuses");
  const auto fulfillments = strings_at(o, "fulfillment_statuses");
  tombstones_ = strings_at(o, "tombstone_statuses");
  auto row_of = [&](const json::object &r, const std::string &where) {
    Row row{string_at(r, "order", where), string_at(r, "payment", where),
            string_at(r, "fulfillment", where)};
    require_in(order_statuses_, row.order, where + ".order");
    if (row.payment != "derived") {
      require_in(payments, row.payment, where + ".payment");
    }
    require_in(fulfillments, row.fulfillment, where + ".fulfillment");
    return row;
  };
  for (const auto &kv : object_at(o, "rows")) {
    if (!kv.value().is_object()) {
      throw system_error(std::string(kFile) + ": row '" + std::string(kv.key()) +
                         "' is not an object");
    }
    rows_.emplace(std::string(kv.key()),
                  row_of(kv.value().as_object(), "row " + std::string(kv.key())));
  }
  custom_ = row_of(object_at(o, "custom"), "custom");
  const auto *rules = o.if_contains("payment_rules");
  if (rules == nullptr || !rules->is_array() || rules->as_array().empty()) {
    throw system_error(std::string(kFile) + ": 'payment_rules' is not a list of rules");
  }
  for (const auto &r : rules->as_array()) {
    if (!r.is_object()) {
      throw system_error(std::string(kFile) + ": a payment rule is not an object");
    }
    std::string when = string_at(r.as_object(), "when", "a payment rule");
    std::string payment = string_at(r.as_object(), "payment", "payment rule " + when);
    static const std::vector<std::string> kConditions{
        "refunded_at_least_total", "refunded_above_zero", "date_paid_missing", "otherwise"};
    require_in(kConditions, when, "a payment rule's condition");
    require_in(payments, payment, "payment rule " + when);
    payment_rules_.emplace_back(std::move(when), std::move(payment));
  }
  if (payment_rules_.back().first != "otherwise") {
    throw system_error(std::string(kFile) + ": the last payment rule must be 'otherwise'");
  }
}

bool StatusTable::is_tombstone(std::string_view s) const {
  return std::find(tombstones_.begin(), tombstones_.end(), s) != tombstones_.end();
}

bool StatusTable::is_platform_status(std::string_view s) const {
  return rows_.find(s) != rows_.end() || is_tombstone(s);
}

std::string StatusTable::derive_payment(const PaymentFacts &f) const {
  const relational::Decimal zero = relational::Decimal::zero();
  auto sign = [&](const relational::Decimal &d) {
    const auto diff = d.minus(zero);
    const std::string t = diff ? diff->text() : "0";
    if (t[0] == '-') {
      return -1;
    }
    return t.find_first_not_of("0.") == std::string::npos ? 0 : 1;
  };
  for (const auto &[when, payment] : payment_rules_) {
    bool match = false;
    if (when == "refunded_at_least_total") {
      if (f.refunded && f.total && sign(*f.total) > 0) {
        const auto left = f.total->minus(*f.refunded);
        match = left && sign(*left) <= 0;
      }
    } else if (when == "refunded_above_zero") {
      match = f.refunded && sign(*f.refunded) > 0;
    } else if (when == "date_paid_missing") {
      match = !f.paid;
    } else {
      match = true;
    }
    if (match) {
      return payment;
    }
  }
  return "paid"; // not reached: the last rule is `otherwise`
}

Statuses StatusTable::decide(std::string_view platform_status, const PaymentFacts &facts,
                             const Context &ctx) const {
  const auto it = rows_.find(platform_status);
  Row row = it != rows_.end() ? it->second : custom_;
  if (it == rows_.end()) {
    if (auto m = ctx.status_map.find(platform_status); m != ctx.status_map.end()) {
      row.order = m->second;
    }
  }
  return Statuses{row.order, row.payment == "derived" ? derive_payment(facts) : row.payment,
                  row.fulfillment};
}

} // namespace wc::unified
