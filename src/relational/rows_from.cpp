#include "relational/rows_from.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"

namespace wc::relational {
namespace json = boost::json;
namespace {

std::string list_path(const RowsFromRule &rule, std::size_t levels) {
  std::string out;
  for (std::size_t i = 0; i < levels; ++i) {
    const bool map = rule.map && i + 1 == rule.lists.size();
    out += (i == 0 ? "" : ".") + rule.lists[i] + (map ? "{}" : "[]");
  }
  return out;
}

const json::object *object_at(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

bool contains_string(const json::object &schema, std::string_view name) {
  const auto *req = schema.if_contains("required");
  if (req == nullptr || !req->is_array()) {
    return false;
  }
  for (const auto &r : req->get_array()) {
    if (r.is_string() && r.get_string() == name) {
      return true;
    }
  }
  return false;
}

class Expander {
public:
  // `parts` and `enclosing`: buffers kept between calls (rows cost no allocation once warm).
  Expander(const RowsFromRule &rule, std::string_view parent_version,
           const std::function<void(const std::string &)> &unexpected,
           const std::function<void(const RowParts &)> &row, RowParts &parts,
           std::vector<TapeValue> &enclosing)
      : rule_(rule), unexpected_(unexpected), row_(row), parts_(parts), enclosing_(enclosing) {
    parts_.parent_version = parent_version;
    parts_.carried.assign(rule.carry.size(), TapeValue());
    enclosing_.clear();
  }

  void level(std::size_t depth, const TapeValue &obj) {
    enclosing_.push_back(obj);
    const bool last = depth + 1 == rule_.lists.size();
    const TapeValue list = obj.find(rule_.lists[depth]);
    if (!list || list.is_null() || ((list.is_object() || list.is_array()) && list.empty())) {
      // absent, null, {} or [] (PHP's empty array or object): no rows
    } else if (last && rule_.map) {
      carry();
      if (!list.is_object()) {
        unexpected_(list_path(rule_, depth + 1));
      } else {
        std::int64_t i = 0;
        list.for_each_member([&](const TapeValue &key, const TapeValue &value) {
          row(value, i++, key.string(key_));
        });
      }
    } else if (!list.is_array()) {
      unexpected_(list_path(rule_, depth + 1));
    } else {
      if (last) {
        carry();
      }
      std::int64_t i = 0;
      list.for_each_item([&](const TapeValue &item) {
        if (!last) {
          if (item.is_object()) {
            level(depth + 1, item);
          } else {
            unexpected_(list_path(rule_, depth + 1));
          }
        } else {
          row(item, i, {});
        }
        ++i;
      });
    }
    enclosing_.pop_back();
  }

private:
  // The carried fields of the innermost list's rows: the same for each of its items, looked up
  // once per list.
  void carry() {
    for (std::size_t i = 0; i < rule_.carry.size(); ++i) {
      const auto &c = rule_.carry[i];
      parts_.carried[i] = enclosing_[c.level].find(c.field);
    }
  }

  void row(const TapeValue &item, std::int64_t index, std::string_view map_key) {
    parts_.map_key = map_key;
    parts_.position = index;
    parts_.item = item;
    row_(parts_);
  }

  const RowsFromRule &rule_;
  const std::function<void(const std::string &)> &unexpected_;
  const std::function<void(const RowParts &)> &row_;
  RowParts &parts_;
  std::vector<TapeValue> &enclosing_;
  std::string key_; // a map key with escapes, unescaped
};

} // namespace

json::object rows_schema(std::string_view stream, const json::object &records_schema,
                         const RowsFromRule &rule) {
  const std::string where = "catalog/relational.yaml: " + std::string(stream) + ".rows_from";
  // levels[k]: the schema of level k (0: the record, k: the item of lists[k-1])
  std::vector<const json::object *> levels{&records_schema};
  const json::object *last_items = nullptr; // the innermost list's items (or map's values)
  for (std::size_t i = 0; i < rule.lists.size(); ++i) {
    const bool last = i + 1 == rule.lists.size();
    const json::object *props = object_at(*levels.back(), "properties");
    const json::object *list = props != nullptr ? object_at(*props, rule.lists[i]) : nullptr;
    const json::object *items = nullptr;
    if (list != nullptr && last && rule.map) {
      if (const auto *pattern = object_at(*list, "patternProperties");
          pattern != nullptr && !pattern->empty() && pattern->begin()->value().is_object()) {
        items = &pattern->begin()->value().get_object();
      } else {
        static const json::object kAny;
        items = object_at(*list, "additionalProperties");
        items = items != nullptr ? items : &kAny;
      }
    } else if (list != nullptr) {
      items = object_at(*list, "items");
    }
    if (items == nullptr || (!last && object_at(*items, "properties") == nullptr)) {
      throw system_error(where + ": " + rule.records_of + "'s schema has no " +
                         (last ? (rule.map ? "map" : "list") : "list of objects") + " at " +
                         list_path(rule, i + 1));
    }
    if (last) {
      last_items = items;
    } else {
      levels.push_back(items);
    }
  }
  json::object properties;
  json::array required;
  auto add = [&](std::string_view column, json::value schema, bool is_required) {
    if (properties.contains(column)) {
      throw system_error(where + ": column " + std::string(column) +
                         " would be made twice (a carried or added column clashes with a field "
                         "of the rows' items)");
    }
    properties[column] = std::move(schema);
    if (is_required) {
      required.emplace_back(column);
    }
  };
  for (const auto &c : rule.carry) {
    const json::object *props = object_at(*levels[c.level], "properties");
    const json::object *field = props != nullptr ? object_at(*props, c.field) : nullptr;
    if (field == nullptr) {
      throw system_error(where + ": carried column " + c.column + ": " + rule.records_of +
                         "'s schema has no field '" + c.field + "' at " +
                         (c.level == 0 ? std::string("the record") : list_path(rule, c.level)));
    }
    add(c.column, *field, contains_string(*levels[c.level], c.field));
  }
  if (rule.map) {
    add(kMapKeyColumn, json::object{{"type", "string"}, {"description", "The entry's key."}}, true);
  }
  if (rule.position) {
    add(kPositionColumn,
        json::object{{"type", "integer"},
                     {"description", "The item's position in its list (0-based)."}},
        true);
  }
  if (const json::object *item_props = object_at(*last_items, "properties")) {
    for (const auto &kv : *item_props) {
      add(kv.key(), kv.value(), contains_string(*last_items, kv.key()));
    }
  } else {
    json::object value = *last_items;
    if (!value.contains("description")) {
      value["description"] = "The list's value.";
    }
    add(kValueColumn, std::move(value), false);
  }
  if (rule.parent_version) {
    add(kParentVersionColumn,
        json::object{{"type", "string"},
                     {"description", "The _version of the record this row came from "
                                     "(docs/relational.md, Nested-list streams)."}},
        true);
  }
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) {
    schema["required"] = std::move(required);
  }
  return schema;
}

void for_each_row(const RowsFromRule &rule, const TapeValue &record,
                  std::string_view parent_version,
                  const std::function<void(const std::string &list_path)> &unexpected,
                  const std::function<void(const RowParts &)> &row) {
  // Per thread, reused: for_each_row does not call itself (a row callback that did would see
  // its parts change under it, so it must not).
  thread_local RowParts parts;
  thread_local std::vector<TapeValue> enclosing;
  Expander e(rule, parent_version, unexpected, row, parts, enclosing);
  if (!rule.lists.empty()) {
    e.level(0, record);
  }
}

std::vector<json::object>
expand_rows(const RowsFromRule &rule, const json::object &record, std::string_view parent_version,
            const std::function<void(const std::string &list_path)> &unexpected) {
  const std::string text = json::serialize(record);
  JsonTape tape;
  tape.index(text); // serialize's text is JSON
  auto tree = [](const TapeValue &v) { return json::parse(v.text()); };
  std::vector<json::object> rows;
  for_each_row(rule, tape.root(), parent_version, unexpected, [&](const RowParts &p) {
    json::object r;
    for (std::size_t i = 0; i < rule.carry.size(); ++i) {
      if (p.carried[i]) {
        r[rule.carry[i].column] = tree(p.carried[i]);
      }
    }
    if (rule.map) {
      r[kMapKeyColumn] = p.map_key;
    }
    if (rule.position) {
      r[kPositionColumn] = p.position;
    }
    if (p.item.is_object()) {
      std::string scratch;
      p.item.for_each_member([&](const TapeValue &key, const TapeValue &value) {
        r[key.string(scratch)] = tree(value);
      });
    } else {
      r[kValueColumn] = tree(p.item); // a list of values (or a map of values): one `value` column
    }
    if (rule.parent_version) {
      r[kParentVersionColumn] = p.parent_version;
    }
    rows.push_back(std::move(r));
  });
  return rows;
}

} // namespace wc::relational
