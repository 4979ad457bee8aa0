#include "relational/record_converter.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "core/time_util.hpp"
#include "relational/decimal_text.hpp"
#include "relational/json_text.hpp"
#include "relational/text_buffer.hpp"

namespace wc::relational {
namespace json = boost::json;
namespace {

// A column's converted value: JSON, or a decimal written as a bare number token.
struct Cell {
  bool present = false;
  std::uint32_t offset = 0, size = 0; // its JSON text (or number token) in the arena
};

constexpr const char *kNull = "null";

// a == b without a call (keys are short): eight bytes at a time, the last word overlapping the
// one before it; below eight bytes, two overlapping loads of four, two or one.
template <typename Word> bool same_ends(const char *p, const char *q, std::size_t n) {
  Word x = 0, y = 0, u = 0, v = 0;
  std::memcpy(&x, p, sizeof x);
  std::memcpy(&y, q, sizeof y);
  std::memcpy(&u, p + n - sizeof u, sizeof u);
  std::memcpy(&v, q + n - sizeof v, sizeof v);
  return ((x ^ y) | (u ^ v)) == 0;
}

bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) {
    return false;
  }
  const char *p = a.data();
  const char *q = b.data();
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::uint64_t x = 0, y = 0;
      std::memcpy(&x, p + i, 8);
      std::memcpy(&y, q + i, 8);
      if (x != y) {
        return false;
      }
    }
    return same_ends<std::uint64_t>(p + n - 8, q + n - 8, 8);
  }
  if (n >= 4) {
    return same_ends<std::uint32_t>(p, q, n);
  }
  if (n >= 2) {
    return same_ends<std::uint16_t>(p, q, n);
  }
  return n == 0 || *p == *q;
}

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
  // What a lookup found, with the field's kind and column copied beside it: the lookups of a
  // record read this vector in order, not the map's nodes spread over the heap.
  struct Found {
    const Field *field; // nullptr: not in the map
    Field::What what;
    std::size_t column;
  };
  struct Seen {
    const FieldMap *fields;
    std::string key;
    Found found;
  };
  static Found found_of(const Field *field) {
    return field == nullptr ? Found{nullptr, Field::What::kDrop, 0}
                            : Found{field, field->what, field->column};
  }

public:
  Converter(const StreamPlan &plan, const Options &options, const ConversionWarn &warn)
      : plan_(plan), options_(options), warn_(warn), cells_(plan.columns.size()),
        map_key_(top_level_column(kMapKeyColumn)), position_(top_level_column(kPositionColumn)),
        parent_version_(top_level_column(kParentVersionColumn)) {
    keys_.reserve(plan.columns.size());
    for (const auto &c : plan.columns) {
      keys_.push_back("," + c.quoted_key);
      kinds_.push_back(c.kind);
    }
  }

  void walk(const TapeValue &obj, const FieldMap &fields) {
    obj.for_each_member([&](const TapeValue &key, const TapeValue &value) {
      member(key.escaped() ? key.string(key_) : key.raw(), value, fields);
    });
  }

  // One member of the object being walked (a top-level one: `fields` = plan.fields). Inlined in
  // walk, with the usual cells: a call per member and per cell cost a tenth of a nested read.
  [[gnu::always_inline]] void member(std::string_view key, const TapeValue &value,
                                     const FieldMap &fields) {
    const Found found = lookup(key, fields);
    if (found.field == nullptr) {
      unknown_member(key, value);
      return;
    }
    switch (found.what) {
    case Field::What::kDrop:
      break;
    case Field::What::kColumn:
      usual_cell(found.column, value);
      break;
    case Field::What::kObject:
      object_member(*found.field, value);
      break;
    }
  }

  // A member the plan does not know: kept in _extra under its flattened name.
  [[gnu::noinline]] void unknown_member(std::string_view key, const TapeValue &value) {
    extra(prefix() + std::string(key), value);
  }

  // An object with fixed keys: flattened, its columns prefixed with its name.
  [[gnu::noinline]] void object_member(const Field &field, const TapeValue &value) {
    if (value.is_object()) {
      walk_object(value, field);
    } else if (value.is_null() || (value.is_array() && value.empty())) {
      // null, or [] (PHP's empty object): every column of it stays absent
    } else {
      extra(field.flat_name, value); // an unexpected shape: kept as sent
    }
  }

  // The columns a row gets from the converter itself rather than from the record.
  void map_key(std::string_view text) { text_member(map_key_, text); }
  void parent_version(std::string_view text) { // a version's fixed form needs no escape
    if (parent_version_ != nullptr) {
      put_quoted(parent_version_->column, text);
    }
  }
  void position(std::int64_t n) {
    if (position_ != nullptr) {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, n);
      put(position_->column, std::string_view(buf, r.ptr - buf));
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
  // Text the converter made itself in a fixed form that needs no escape (a version).
  void set_plain_text(std::size_t i, std::string_view text) { put_quoted(i, text); }

  // Ready for the next record or row of the same plan (the buffers are kept).
  void reset() {
    std::fill(cells_.begin(), cells_.end(), Cell{});
    arena_.clear();
    extra_.clear();
    objects_.clear();
    once_ = true;
    next_ = 0;
  }

  // The relational record's JSON text: valid until the next reset().
  std::string_view finish() {
    TextBuffer *text = &arena_;
    const bool any = !arena_.empty();
    if (once_) {
      // Each column set once: the arena is the text already, its members in the order the record
      // gave them (the order of a JSON object's members carries nothing), but for its first comma.
      if (any) {
        arena_[0] = '{';
      } else {
        arena_.push_back('{');
      }
    } else {
      out_.clear();
      out_.push_back('{');
      bool first = true;
      for (const Cell &c : cells_) {
        if (c.present) {
          out_.append(arena_.view().substr(c.offset + (first ? 1 : 0), c.size - (first ? 1 : 0)));
          first = false;
        }
      }
      text = &out_;
    }
    if (!extra_.empty()) {
      std::string tail = any ? "," : "";
      append_json_string(tail, kExtraColumn);
      tail += ":{";
      for (std::size_t i = 0; i < extra_.size(); ++i) {
        if (i > 0) {
          tail.push_back(',');
        }
        append_json_string(tail, extra_[i].first);
        tail.push_back(':');
        tail += extra_[i].second;
      }
      tail.push_back('}');
      text->append(tail);
    }
    text->push_back('}');
    return text->view();
  }

private:
  const Field *top_level_column(std::string_view key) const {
    auto it = plan_.fields.find(key);
    return it != plan_.fields.end() && it->second.what == Field::What::kColumn ? &it->second
                                                                               : nullptr;
  }
  void text_member(const Field *f, std::string_view text) {
    if (f != nullptr) {
      set_string(f->column, text);
    }
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
  [[gnu::always_inline]] Found lookup(std::string_view key, const FieldMap &fields) {
    if (next_ < seen_.size() && seen_[next_].fields == &fields &&
        same_text(seen_[next_].key, key)) {
      return seen_[next_++].found;
    }
    return lookup_in_map(key, fields);
  }
  [[gnu::noinline]] Found lookup_in_map(std::string_view key, const FieldMap &fields) {
    auto it = fields.find(key);
    const Found found = found_of(it == fields.end() ? nullptr : &it->second);
    if (next_ < seen_.size()) {
      seen_[next_] = Seen{&fields, std::string(key), found};
    } else if (next_ < kMaxSeen) {
      seen_.push_back(Seen{&fields, std::string(key), found});
    } else {
      return found;
    }
    ++next_;
    return found;
  }

  // Each cell is written into the arena as `,"column":value`.
  [[gnu::always_inline]] void put(std::size_t i, std::string_view text) {
    const std::string_view key = keys_[i];
    const std::size_t start = arena_.size();
    char *at = arena_.extend(key.size() + text.size());
    copy_bytes(at, key.data(), key.size());
    copy_bytes(at + key.size(), text.data(), text.size());
    done(start, i);
  }
  // Text that needs no escape, between quotes.
  [[gnu::always_inline]] void put_quoted(std::size_t i, std::string_view text) {
    const std::string_view key = keys_[i];
    const std::size_t start = arena_.size();
    char *at = arena_.extend(key.size() + text.size() + 2);
    copy_bytes(at, key.data(), key.size());
    at[key.size()] = '"';
    copy_bytes(at + key.size() + 1, text.data(), text.size());
    at[key.size() + 1 + text.size()] = '"';
    done(start, i);
  }
  void set_string(std::size_t i, std::string_view text) {
    if (!needs_json_escape(text)) {
      put_quoted(i, text);
      return;
    }
    std::string escaped;
    append_json_string(escaped, text);
    put(i, escaped);
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
  [[gnu::always_inline]] void done(std::size_t start, std::size_t i) {
    // A column set twice (a repeated key, a field flattened onto another's column): the last
    // value counts, and finish writes the cells column by column.
    once_ = once_ && !cells_[i].present;
    cells_[i] = Cell{true, static_cast<std::uint32_t>(start),
                     static_cast<std::uint32_t>(arena_.size() - start)};
  }
  [[gnu::always_inline]] void set_null(std::size_t i) { put(i, kNull); }
  void set_decimal(std::size_t i, const std::optional<std::string_view> &text) {
    if (!text) {
      set_null(i);
      return;
    }
    if (options_.money_as_number) {
      put(i, *text); // the store's own decimal text as the number token
    } else {
      put_quoted(i, *text); // decimal text: digits, a dot, a sign
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

  // The cells of nearly every value, written here; the others (null, a value to convert or to
  // refuse) through cell(). Each case writes what cell() writes for it.
  [[gnu::always_inline]] void usual_cell(std::size_t i, const TapeValue &v) {
    switch (kinds_[i]) {
    case ColumnKind::kString:
      if (v.is_string() && !v.escaped()) {
        put(i, v.text());
        return;
      }
      break;
    case ColumnKind::kInteger:
      if (v.is_integer()) {
        put(i, v.raw());
        return;
      }
      break;
    case ColumnKind::kDecimal:
      if (v.is_string() && !v.escaped()) {
        const std::string_view raw = v.raw();
        if (!raw.empty() && is_decimal_text(raw)) {
          put(i, options_.money_as_number ? raw : v.text()); // text(): the digits in quotes
          return;
        }
      }
      break;
    case ColumnKind::kLocalTime:
    case ColumnKind::kJson:
      if (!v.is_string() || !v.escaped()) {
        put(i, v.text()); // null's text is null
        return;
      }
      break;
    case ColumnKind::kTimestampUtc:
      if (v.is_string() && !v.escaped() && is_canonical_naive_utc(v.raw())) {
        const std::string_view raw = v.raw();
        char text[20];
        std::memcpy(text, raw.data(), 19);
        text[19] = 'Z'; // what format_rfc3339 writes for it
        put_quoted(i, std::string_view(text, sizeof text));
        return;
      }
      break;
    default:
      break;
    }
    cell(i, v);
  }

  [[gnu::noinline]] void cell(std::size_t i, const TapeValue &v) {
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
        char text[20];
        if (format_rfc3339_to(*t, text)) {
          put_quoted(i, std::string_view(text, sizeof text)); // digits, "-", ":", "T", "Z"
        } else {
          put_quoted(i, format_rfc3339(*t));
        }
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
  const Field *map_key_, *position_, *parent_version_; // a row's own columns (null: none)
  static constexpr std::size_t kMaxSeen = 1024;        // lookups remembered per record
  std::vector<Seen> seen_;                             // by position of the lookup in the record
  std::size_t next_ = 0;
  bool once_ = true;              // every cell set once (finish writes the arena as it is)
  std::vector<std::string> keys_; // per column: `,"name":`
  std::vector<ColumnKind> kinds_; // per column: its kind (plan_.columns[i].kind, side by side)
  TextBuffer arena_;              // every cell's text, one after the other
  TextBuffer out_;                // the record's text when a column was set twice
  std::vector<std::pair<std::string, std::string>> extra_; // (name, JSON text), in order
  std::vector<const Field *> objects_; // the objects being walked (their flat names)
  std::string key_;                    // a key with escapes, unescaped
  std::string scratch_;                // a string value with escapes, unescaped
};

PlanConverter::PlanConverter(const StreamPlan &plan, const Options &options,
                             const ConversionWarn &warn)
    : plan_(plan), converter_(std::make_unique<Converter>(plan, options, warn)) {}

PlanConverter::~PlanConverter() = default;

std::string_view PlanConverter::row(const RowParts &row) {
  Converter &c = *converter_;
  c.reset();
  const auto &rule = *plan_.rows_from;
  for (std::size_t i = 0; i < row.carried.size(); ++i) {
    if (row.carried[i]) {
      c.member(rule.carry[i].column, row.carried[i], plan_.fields);
    }
  }
  if (rule.map) {
    c.map_key(row.map_key);
  }
  if (rule.position) {
    c.position(row.position);
  }
  if (row.item.is_object()) {
    c.walk(row.item, plan_.fields);
  } else {
    c.member(kValueColumn, row.item, plan_.fields);
  }
  if (rule.parent_version) {
    c.parent_version(row.parent_version);
  }
  return c.finish();
}

std::string convert_row(const StreamPlan &plan, const Options &options, const RowParts &row,
                        const ConversionWarn &warn) {
  PlanConverter c(plan, options, warn);
  return std::string(c.row(row));
}

std::string_view PlanConverter::record(const TapeValue &raw, std::string_view version) {
  Converter &c = *converter_;
  c.reset();
  c.walk(raw, plan_.fields);
  if (plan_.version) {
    c.set_plain_text(plan_.version_column, version);
  }
  if (plan_.net_revenue) {
    c.net_revenue(raw);
  }
  return c.finish();
}

void PlanConverter::record(const json::object &raw, std::string_view version, std::string &out) {
  text_ = json::serialize(raw);
  tape_.index(text_); // serialize's text is JSON
  out += record(tape_.root(), version);
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
