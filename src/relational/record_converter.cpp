#include "relational/record_converter.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/time_util.hpp"
#include "relational/decimal_text.hpp"

namespace wc::relational {
namespace json = boost::json;
namespace {

// A column's converted value: JSON, or a decimal written as a bare number token.
struct Cell {
  bool present = false;
  std::uint32_t offset = 0, size = 0; // its JSON text (or number token) in the arena
};

constexpr const char *kNull = "null";

bool digits_only(std::string_view s) {
  std::size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() - i > 18) {
    return false;
  }
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

class Converter {
public:
  Converter(const StreamPlan &plan, const Options &options, const ConversionWarn &warn)
      : plan_(plan), options_(options), warn_(warn), cells_(plan.columns.size()) {
    arena_.reserve(512);
  }

  void walk(const json::object &obj, const FieldMap &fields) {
    for (const auto &kv : obj) {
      member(kv.key(), kv.value(), fields);
    }
  }

  // One member of the object being walked (a top-level one: `fields` = plan.fields).
  void member(std::string_view key, const json::value &value, const FieldMap &fields) {
    auto it = fields.find(key);
    if (it == fields.end()) {
      extra(prefix() + std::string(key), value);
      return;
    }
    const Field &f = it->second;
    switch (f.what) {
    case Field::What::kDrop:
      break;
    case Field::What::kColumn:
      cell(f.column, value);
      break;
    case Field::What::kObject:
      if (value.is_object()) {
        walk_object(value.get_object(), f);
      } else if (value.is_null() || (value.is_array() && value.get_array().empty())) {
        // null, or [] (PHP's empty object): every column of it stays absent
      } else {
        extra(f.flat_name, value); // an unexpected shape: kept as sent
      }
      break;
    }
  }

  // A top-level column set from text the converter writes itself (a row's _parent_version).
  void text_member(std::string_view key, std::string_view text) {
    auto it = plan_.fields.find(key);
    if (it != plan_.fields.end() && it->second.what == Field::What::kColumn) {
      set_text(it->second.column, text);
    }
  }

  void net_revenue(const json::object &raw) {
    const auto &rule = *plan_.net_revenue;
    std::optional<Decimal> total;
    if (const auto *t = raw.if_contains(rule.total)) {
      bool empty = false;
      if (auto text = decimal_text_of(*t, empty)) {
        total = Decimal::parse(*text);
      }
    }
    std::optional<Decimal> refunded = total ? Decimal::zero_like(*total) : Decimal::zero();
    if (const auto *r = raw.if_contains(rule.refunds); r != nullptr && r->is_array()) {
      for (const auto &entry : r->get_array()) {
        const json::value *v =
            entry.is_object() ? entry.get_object().if_contains(rule.refund_total) : nullptr;
        bool empty = false;
        auto text = v == nullptr ? std::nullopt : decimal_text_of(*v, empty);
        auto amount = text ? Decimal::parse(*text) : std::nullopt;
        if (!amount) {
          warn_(plan_.columns[plan_.refunded_column].name,
                "a refunds[]." + rule.refund_total + " that is not a decimal");
          refunded.reset();
          break;
        }
        refunded = refunded->minus(*amount); // refunds[].total is negative: refunded is positive
        if (!refunded) {
          break;
        }
      }
    }
    set_decimal(plan_.refunded_column, refunded ? std::optional(refunded->text()) : std::nullopt);
    std::optional<Decimal> net;
    if (total && refunded) {
      net = total->minus(*refunded);
    }
    set_decimal(plan_.net_column, net ? std::optional(net->text()) : std::nullopt);
  }

  void set_text(std::size_t i, std::string_view text) { set_string(i, text); }

  std::string finish() const {
    std::string out;
    out.reserve(512);
    out.push_back('{');
    bool first = true;
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      if (!cells_[i].present) {
        continue;
      }
      if (!first) {
        out.push_back(',');
      }
      first = false;
      out += plan_.columns[i].quoted_key;
      out.append(arena_, cells_[i].offset, cells_[i].size);
    }
    if (!extra_.empty()) {
      if (!first) {
        out.push_back(',');
      }
      out += json::serialize(json::string(kExtraColumn));
      out.push_back(':');
      out += json::serialize(extra_);
    }
    out.push_back('}');
    return out;
  }

private:
  void walk_object(const json::object &obj, const Field &parent) {
    prefix_stack_.push_back(parent.flat_name + "_");
    walk(obj, parent.children);
    prefix_stack_.pop_back();
  }

  // The flattened name of the object being walked, with its "_" ("billing_"), or "".
  std::string prefix() const {
    return prefix_stack_.empty() ? std::string() : prefix_stack_.back();
  }

  void extra(const std::string &name, const json::value &v) { extra_[name] = v; }

  void put(std::size_t i, std::string_view text) {
    cells_[i] = Cell{true, static_cast<std::uint32_t>(arena_.size()),
                     static_cast<std::uint32_t>(text.size())};
    arena_.append(text);
  }
  void set_string(std::size_t i, std::string_view text) {
    const std::size_t start = arena_.size();
    serializer_.reset(text);
    append_serialized(start, i);
  }
  void append_serialized(std::size_t start, std::size_t i) {
    char buf[2048];
    while (!serializer_.done()) {
      arena_.append(serializer_.read(buf, sizeof buf));
    }
    cells_[i] = Cell{true, static_cast<std::uint32_t>(start),
                     static_cast<std::uint32_t>(arena_.size() - start)};
  }
  void set_json(std::size_t i, const json::value &v) {
    const std::size_t start = arena_.size();
    serializer_.reset(&v);
    append_serialized(start, i);
  }
  void set_null(std::size_t i) { put(i, kNull); }
  void set_decimal(std::size_t i, const std::optional<std::string> &text) {
    if (!text) {
      set_null(i);
      return;
    }
    if (options_.money_as_number) {
      put(i, *text); // the store's own decimal text as the number token
    } else {
      set_string(i, *text);
    }
  }
  void bad(std::size_t i, const std::string &why) {
    warn_(plan_.columns[i].name, why);
    set_null(i);
  }

  void cell(std::size_t i, const json::value &v) {
    const Column &c = plan_.columns[i];
    if (v.is_null()) {
      set_null(i);
      return;
    }
    switch (c.kind) {
    case ColumnKind::kInteger:
      if (v.is_int64() || v.is_uint64()) {
        set_json(i, v);
      } else if (v.is_string() && v.get_string().empty()) {
        set_null(i);
      } else if (v.is_string() && digits_only(v.get_string())) {
        // Through stoll: "007" is not a JSON number, 7 is (digits_only bounds the length).
        put(i, std::to_string(std::stoll(std::string(v.get_string()))));
      } else {
        bad(i, "a value that is not an integer");
      }
      break;
    case ColumnKind::kNumber:
      if (v.is_number()) {
        set_json(i, v);
      } else if (v.is_string() && v.get_string().empty()) {
        set_null(i);
      } else if (v.is_string() && is_decimal_text(v.get_string())) {
        put(i, v.get_string());
      } else {
        bad(i, "a value that is not a number");
      }
      break;
    case ColumnKind::kDecimal:
    case ColumnKind::kComputed: {
      bool empty = false;
      auto text = decimal_text_of(v, empty);
      if (!text && !empty) {
        bad(i, "text that is not a decimal");
        break;
      }
      set_decimal(i, text);
      break;
    }
    case ColumnKind::kBoolean:
      if (v.is_bool()) {
        set_json(i, v);
      } else if (v.is_string() && v.get_string().empty()) {
        set_null(i);
      } else {
        bad(i, "a value that is not a boolean");
      }
      break;
    case ColumnKind::kString:
      if (v.is_string()) {
        set_json(i, v);
      } else if (v.is_number() || v.is_bool()) {
        set_json(i, json::string(json::serialize(v)));
      } else {
        bad(i, "a list or object where text belongs");
      }
      break;
    case ColumnKind::kTimestampUtc:
      if (v.is_string() && v.get_string().empty()) {
        set_null(i);
      } else if (auto t = v.is_string() ? parse_utc(v.get_string()) : std::nullopt) {
        set_json(i, json::string(format_rfc3339(*t)));
      } else {
        bad(i, "a value that is not a UTC time");
      }
      break;
    case ColumnKind::kLocalTime:
    case ColumnKind::kJson:
      set_json(i, v);
      break;
    }
  }

  const StreamPlan &plan_;
  const Options &options_;
  const ConversionWarn &warn_;
  std::vector<Cell> cells_;
  std::string arena_;           // every cell's text, one after the other
  json::serializer serializer_; // writes into the arena, no string per cell
  json::object extra_;
  std::vector<std::string> prefix_stack_;
};

} // namespace

std::string convert_row(const StreamPlan &plan, const Options &options, const RowParts &row,
                        const ConversionWarn &warn) {
  Converter c(plan, options, warn);
  const auto &rule = *plan.rows_from;
  for (std::size_t i = 0; i < row.carried.size(); ++i) {
    if (row.carried[i] != nullptr) {
      c.member(rule.carry[i].column, *row.carried[i], plan.fields);
    }
  }
  if (rule.map) {
    c.text_member(kMapKeyColumn, row.map_key);
  }
  if (rule.position) {
    c.member(kPositionColumn, json::value(row.position), plan.fields);
  }
  if (row.item->is_object()) {
    c.walk(row.item->get_object(), plan.fields);
  } else {
    c.member(kValueColumn, *row.item, plan.fields);
  }
  if (rule.parent_version) {
    c.text_member(kParentVersionColumn, row.parent_version);
  }
  return c.finish();
}

std::string convert_record(const StreamPlan &plan, const Options &options, const json::object &raw,
                           const ConversionWarn &warn, std::string_view version) {
  Converter c(plan, options, warn);
  c.walk(raw, plan.fields);
  if (plan.version) {
    c.set_text(plan.version_column, version);
  }
  if (plan.net_revenue) {
    c.net_revenue(raw);
  }
  return c.finish();
}

} // namespace wc::relational
