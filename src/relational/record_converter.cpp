#include "relational/record_converter.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/time_util.hpp"
#include "relational/decimal_text.hpp"
#include "relational/json_text.hpp"

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

} // namespace

class Converter {
public:
  Converter(const StreamPlan &plan, const Options &options, const ConversionWarn &warn)
      : plan_(plan), options_(options), warn_(warn), cells_(plan.columns.size()) {
    arena_.reserve(512);
  }

  void walk(const TapeValue &obj, const FieldMap &fields) {
    obj.for_each_member([&](const TapeValue &key, const TapeValue &value) {
      member(key.escaped() ? key.string(key_) : key.raw(), value, fields);
    });
  }

  // One member of the object being walked (a top-level one: `fields` = plan.fields).
  void member(std::string_view key, const TapeValue &value, const FieldMap &fields) {
    const Field *found = lookup(key, fields);
    if (found == nullptr) {
      extra(prefix() + std::string(key), value);
      return;
    }
    const Field &f = *found;
    switch (f.what) {
    case Field::What::kDrop:
      break;
    case Field::What::kColumn:
      cell(f.column, value);
      break;
    case Field::What::kObject:
      if (value.is_object()) {
        walk_object(value, f);
      } else if (value.is_null() || (value.is_array() && value.empty())) {
        // null, or [] (PHP's empty object): every column of it stays absent
      } else {
        extra(f.flat_name, value); // an unexpected shape: kept as sent
      }
      break;
    }
  }

  // A top-level column set from text the converter writes itself (a row's _parent_version).
  void text_member(std::string_view key, std::string_view text) {
    if (const Field *f = top_level_column(key)) {
      set_string(f->column, text);
    }
  }

  // A top-level integer column set by the converter (a row's position).
  void integer_member(std::string_view key, std::int64_t n) {
    if (const Field *f = top_level_column(key)) {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, n);
      put(f->column, std::string_view(buf, r.ptr - buf));
    }
  }

  void net_revenue(const TapeValue &raw) {
    const auto &rule = *plan_.net_revenue;
    std::optional<Decimal> total;
    if (const TapeValue t = raw.find(rule.total)) {
      bool empty = false;
      if (auto text = decimal_text_of(t, empty, scratch_)) {
        total = Decimal::parse(*text);
      }
    }
    std::optional<Decimal> refunded = total ? Decimal::zero_like(*total) : Decimal::zero();
    if (const TapeValue r = raw.find(rule.refunds); r && r.is_array()) {
      bool stop = false;
      r.for_each_item([&](const TapeValue &entry) {
        if (stop) {
          return;
        }
        const TapeValue v = entry.find(rule.refund_total); // absent unless an object
        bool empty = false;
        auto text = v ? decimal_text_of(v, empty, scratch_) : std::nullopt;
        auto amount = text ? Decimal::parse(*text) : std::nullopt;
        if (!amount) {
          warn_(plan_.columns[plan_.refunded_column].name,
                "a refunds[]." + rule.refund_total + " that is not a decimal");
          refunded.reset();
          stop = true;
          return;
        }
        refunded = refunded->minus(*amount); // refunds[].total is negative: refunded is positive
        stop = !refunded;
      });
    }
    set_decimal(plan_.refunded_column,
                refunded ? std::optional<std::string>(refunded->text()) : std::nullopt);
    std::optional<Decimal> net;
    if (total && refunded) {
      net = total->minus(*refunded);
    }
    set_decimal(plan_.net_column, net ? std::optional<std::string>(net->text()) : std::nullopt);
  }

  void set_text(std::size_t i, std::string_view text) { set_string(i, text); }

  // Ready for the next record or row of the same plan (the buffers are kept).
  void reset() {
    std::fill(cells_.begin(), cells_.end(), Cell{});
    arena_.clear();
    extra_.clear();
    objects_.clear();
    in_order_ = true;
    any_ = false;
    last_ = 0;
    next_ = 0;
  }

  // The relational record's JSON text, appended to `out`.
  void finish(std::string &out) const {
    out.push_back('{');
    if (in_order_) {
      if (any_) {
        out.append(arena_, 1, std::string::npos); // without the first cell's comma
      }
    } else {
      bool first = true;
      for (const Cell &c : cells_) {
        if (c.present) {
          out.append(arena_, c.offset + (first ? 1 : 0), c.size - (first ? 1 : 0));
          first = false;
        }
      }
    }
    if (!extra_.empty()) {
      if (any_) {
        out.push_back(',');
      }
      append_json_string(out, kExtraColumn);
      out += ":{";
      for (std::size_t i = 0; i < extra_.size(); ++i) {
        if (i > 0) {
          out.push_back(',');
        }
        append_json_string(out, extra_[i].first);
        out.push_back(':');
        out += extra_[i].second;
      }
      out.push_back('}');
    }
    out.push_back('}');
  }

private:
  const Field *top_level_column(std::string_view key) const {
    auto it = plan_.fields.find(key);
    return it != plan_.fields.end() && it->second.what == Field::What::kColumn ? &it->second
                                                                               : nullptr;
  }

  void walk_object(const TapeValue &obj, const Field &parent) {
    objects_.push_back(&parent);
    walk(obj, parent.children);
    objects_.pop_back();
  }

  // The flattened name of the object being walked, with its "_" ("billing_"), or "".
  std::string prefix() const {
    return objects_.empty() ? std::string() : objects_.back()->flat_name + "_";
  }

  // An unknown field, kept in _extra as the JSON text it has in the record (a name seen twice:
  // the last value).
  void extra(const std::string &name, const TapeValue &v) {
    for (auto &e : extra_) {
      if (e.first == name) {
        e.second = std::string(v.text());
        return;
      }
    }
    extra_.emplace_back(name, std::string(v.text()));
  }

  // fields.find(key), remembered by the position of the lookup in the record: records and rows
  // of one stream come with their keys in the same order, so the lookup is mostly a comparison
  // with the key seen at the same position of the previous one.
  const Field *lookup(std::string_view key, const FieldMap &fields) {
    if (next_ < seen_.size() && seen_[next_].fields == &fields && seen_[next_].key == key) {
      return seen_[next_++].field;
    }
    auto it = fields.find(key);
    const Field *field = it == fields.end() ? nullptr : &it->second;
    if (next_ < seen_.size()) {
      seen_[next_] = Seen{&fields, std::string(key), field};
    } else if (next_ < kMaxSeen) {
      seen_.push_back(Seen{&fields, std::string(key), field});
    } else {
      return field;
    }
    ++next_;
    return field;
  }

  // Each cell is written into the arena as `,"column":value`; `start` is where it begins.
  std::size_t begin(std::size_t i) {
    const std::size_t start = arena_.size();
    arena_.push_back(',');
    arena_ += plan_.columns[i].quoted_key;
    return start;
  }
  void put(std::size_t i, std::string_view text) {
    const std::size_t start = begin(i);
    arena_.append(text);
    done(start, i);
  }
  void set_string(std::size_t i, std::string_view text) {
    const std::size_t start = begin(i);
    append_json_string(arena_, text);
    done(start, i);
  }
  // A string value as JSON text: as it lies in the record when it has no escape (then nothing in
  // it needs one: json_tape.hpp refuses raw control characters), else unescaped and written the
  // way serialize writes it.
  void set_tape_string(std::size_t i, const TapeValue &v) {
    if (!v.escaped()) {
      put(i, v.text());
    } else {
      set_string(i, v.string(scratch_));
    }
  }
  void done(std::size_t start, std::size_t i) {
    cells_[i] = Cell{true, static_cast<std::uint32_t>(start),
                     static_cast<std::uint32_t>(arena_.size() - start)};
    // Cells set in column order, each once: the arena is the record's text already.
    in_order_ = in_order_ && (!any_ || i > last_);
    any_ = true;
    last_ = i;
  }
  void set_null(std::size_t i) { put(i, kNull); }
  void set_decimal(std::size_t i, const std::optional<std::string_view> &text) {
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
  void set_decimal(std::size_t i, const std::optional<std::string> &text) {
    set_decimal(i, text ? std::optional<std::string_view>(*text) : std::nullopt);
  }
  void bad(std::size_t i, const std::string &why) {
    warn_(plan_.columns[i].name, why);
    set_null(i);
  }
  bool empty_string(const TapeValue &v) const { return v.is_string() && v.raw().empty(); }

  void cell(std::size_t i, const TapeValue &v) {
    const Column &c = plan_.columns[i];
    if (v.is_null()) {
      set_null(i);
      return;
    }
    switch (c.kind) {
    case ColumnKind::kInteger:
      if (v.is_integer()) {
        put(i, v.raw());
      } else if (empty_string(v)) {
        set_null(i);
      } else if (const auto s = v.is_string() ? v.string(scratch_) : std::string_view();
                 v.is_string() && digits_only(s)) {
        // Through from_chars: "007" is not a JSON number, 7 is (digits_only bounds the length).
        std::int64_t n = 0;
        std::from_chars(s.data(), s.data() + s.size(), n);
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, n);
        put(i, std::string_view(buf, r.ptr - buf));
      } else {
        bad(i, "a value that is not an integer");
      }
      break;
    case ColumnKind::kNumber:
      if (v.is_number()) {
        put(i, v.raw());
      } else if (empty_string(v)) {
        set_null(i);
      } else if (const auto s = v.is_string() ? v.string(scratch_) : std::string_view();
                 v.is_string() && is_decimal_text(s)) {
        put(i, s);
      } else {
        bad(i, "a value that is not a number");
      }
      break;
    case ColumnKind::kDecimal:
    case ColumnKind::kComputed: {
      bool empty = false;
      auto text = decimal_text_of(v, empty, scratch_);
      if (!text && !empty) {
        bad(i, "text that is not a decimal");
        break;
      }
      set_decimal(i, text);
      break;
    }
    case ColumnKind::kBoolean:
      if (v.is_bool()) {
        put(i, v.get_bool() ? std::string_view("true") : std::string_view("false"));
      } else if (empty_string(v)) {
        set_null(i);
      } else {
        bad(i, "a value that is not a boolean");
      }
      break;
    case ColumnKind::kString:
      if (v.is_string()) {
        set_tape_string(i, v);
      } else if (v.is_number() || v.is_bool()) {
        set_string(i, v.text()); // the token as text: 12.50 -> "12.50", true -> "true"
      } else {
        bad(i, "a list or object where text belongs");
      }
      break;
    case ColumnKind::kTimestampUtc:
      if (empty_string(v)) {
        set_null(i);
      } else if (auto t = v.is_string() ? parse_utc(v.string(scratch_)) : std::nullopt) {
        set_string(i, format_rfc3339(*t));
      } else {
        bad(i, "a value that is not a UTC time");
      }
      break;
    case ColumnKind::kLocalTime:
    case ColumnKind::kJson:
      if (v.is_string()) {
        set_tape_string(i, v);
      } else {
        put(i, v.text()); // the value's JSON text as it lies in the record
      }
      break;
    }
  }

  const StreamPlan &plan_;
  const Options options_; // two flags: a copy, so a temporary Options cannot dangle
  const ConversionWarn &warn_;
  std::vector<Cell> cells_;
  struct Seen {
    const FieldMap *fields;
    std::string key;
    const Field *field; // nullptr: not in the map
  };
  static constexpr std::size_t kMaxSeen = 1024; // lookups remembered per record
  std::vector<Seen> seen_;                      // by position of the lookup in the record
  std::size_t next_ = 0;
  bool in_order_ = true; // every cell set once, in column order (finish copies the arena)
  bool any_ = false;     // a cell was set
  std::size_t last_ = 0; // the column of the last cell set
  std::string arena_;    // every cell's text, one after the other (json_text.hpp)
  std::vector<std::pair<std::string, std::string>> extra_; // (name, JSON text), in order
  std::vector<const Field *> objects_; // the objects being walked (their flat names)
  std::string key_;                    // a key with escapes, unescaped
  std::string scratch_;                // a string value with escapes, unescaped
};

PlanConverter::PlanConverter(const StreamPlan &plan, const Options &options,
                             const ConversionWarn &warn)
    : plan_(plan), converter_(std::make_unique<Converter>(plan, options, warn)) {}

PlanConverter::~PlanConverter() = default;

void PlanConverter::row(const RowParts &row, std::string &out) {
  Converter &c = *converter_;
  c.reset();
  const auto &rule = *plan_.rows_from;
  for (std::size_t i = 0; i < row.carried.size(); ++i) {
    if (row.carried[i]) {
      c.member(rule.carry[i].column, row.carried[i], plan_.fields);
    }
  }
  if (rule.map) {
    c.text_member(kMapKeyColumn, row.map_key);
  }
  if (rule.position) {
    c.integer_member(kPositionColumn, row.position);
  }
  if (row.item.is_object()) {
    c.walk(row.item, plan_.fields);
  } else {
    c.member(kValueColumn, row.item, plan_.fields);
  }
  if (rule.parent_version) {
    c.text_member(kParentVersionColumn, row.parent_version);
  }
  c.finish(out);
}

std::string convert_row(const StreamPlan &plan, const Options &options, const RowParts &row,
                        const ConversionWarn &warn) {
  PlanConverter c(plan, options, warn);
  std::string out;
  c.row(row, out);
  return out;
}

void PlanConverter::record(const TapeValue &raw, std::string_view version, std::string &out) {
  Converter &c = *converter_;
  c.reset();
  c.walk(raw, plan_.fields);
  if (plan_.version) {
    c.set_text(plan_.version_column, version);
  }
  if (plan_.net_revenue) {
    c.net_revenue(raw);
  }
  c.finish(out);
}

void PlanConverter::record(const json::object &raw, std::string_view version, std::string &out) {
  text_ = json::serialize(raw);
  tape_.index(text_); // serialize's text is JSON
  record(tape_.root(), version, out);
}

void convert_record(const StreamPlan &plan, const Options &options, const json::object &raw,
                    const ConversionWarn &warn, std::string_view version, std::string &out) {
  PlanConverter(plan, options, warn).record(raw, version, out);
}

std::string convert_record(const StreamPlan &plan, const Options &options, const json::object &raw,
                           const ConversionWarn &warn, std::string_view version) {
  std::string out;
  convert_record(plan, options, raw, warn, version, out);
  return out;
}

} // namespace wc::relational
