#include "relational/rows_from.hpp"

#include "core/error.hpp"

namespace wc::relational {
namespace json = boost::json;
namespace {

std::string list_path(const RowsFromRule &rule, std::size_t levels) {
  std::string out;
  for (std::size_t i = 0; i < levels; ++i) {
    out += (i == 0 ? "" : ".") + rule.lists[i] + "[]";
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
  Expander(const RowsFromRule &rule, const std::function<void(const std::string &)> &unexpected)
      : rule_(rule), unexpected_(unexpected) {}

  void level(std::size_t depth, const json::object &obj) {
    enclosing_.push_back(&obj);
    const auto *list = obj.if_contains(rule_.lists[depth]);
    if (list == nullptr || list->is_null() || (list->is_object() && list->get_object().empty())) {
      // absent, null, or {} (PHP's empty array): no rows
    } else if (!list->is_array()) {
      unexpected_(list_path(rule_, depth + 1));
    } else {
      for (const auto &item : list->get_array()) {
        if (depth + 1 < rule_.lists.size()) {
          if (item.is_object()) {
            level(depth + 1, item.get_object());
          } else {
            unexpected_(list_path(rule_, depth + 1));
          }
        } else {
          row(item);
        }
      }
    }
    enclosing_.pop_back();
  }

  std::vector<json::object> rows;

private:
  void row(const json::value &item) {
    json::object r;
    for (const auto &c : rule_.carry) {
      if (const auto *v = enclosing_[c.level]->if_contains(c.field)) {
        r[c.column] = *v;
      }
    }
    if (item.is_object()) {
      for (const auto &kv : item.get_object()) {
        r[kv.key()] = kv.value();
      }
    } else {
      r["value"] = item; // not an object: kept as sent (it lands in _extra)
    }
    rows.push_back(std::move(r));
  }

  const RowsFromRule &rule_;
  const std::function<void(const std::string &)> &unexpected_;
  std::vector<const json::object *> enclosing_;
};

} // namespace

json::object rows_schema(std::string_view stream, const json::object &records_schema,
                         const RowsFromRule &rule) {
  const std::string where = "catalog/relational.yaml: " + std::string(stream) + ".rows_from";
  // levels[k]: the schema of level k (0: the record, k: the item of lists[k-1])
  std::vector<const json::object *> levels{&records_schema};
  for (std::size_t i = 0; i < rule.lists.size(); ++i) {
    const json::object *props = object_at(*levels.back(), "properties");
    const json::object *list = props != nullptr ? object_at(*props, rule.lists[i]) : nullptr;
    const json::object *items = list != nullptr ? object_at(*list, "items") : nullptr;
    if (items == nullptr || object_at(*items, "properties") == nullptr) {
      throw system_error(where + ": " + rule.records_of + "'s schema has no list of objects at " +
                         list_path(rule, i + 1));
    }
    levels.push_back(items);
  }
  json::object properties;
  json::array required;
  for (const auto &c : rule.carry) {
    const json::object *props = object_at(*levels[c.level], "properties");
    const json::object *field = props != nullptr ? object_at(*props, c.field) : nullptr;
    if (field == nullptr) {
      throw system_error(where + ": carried column " + c.column + ": " + rule.records_of +
                         "'s schema has no field '" + c.field + "' at " +
                         (c.level == 0 ? std::string("the record") : list_path(rule, c.level)));
    }
    properties[c.column] = *field;
    if (contains_string(*levels[c.level], c.field)) {
      required.emplace_back(c.column);
    }
  }
  for (const auto &kv : levels.back()->at("properties").get_object()) {
    if (properties.contains(kv.key())) {
      throw system_error(where + ": carried column " + std::string(kv.key()) +
                         " clashes with a field of the rows' items");
    }
    properties[kv.key()] = kv.value();
    if (contains_string(*levels.back(), kv.key())) {
      required.emplace_back(kv.key());
    }
  }
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) {
    schema["required"] = std::move(required);
  }
  return schema;
}

std::vector<json::object>
expand_rows(const RowsFromRule &rule, const json::object &record,
            const std::function<void(const std::string &list_path)> &unexpected) {
  Expander e(rule, unexpected);
  if (!rule.lists.empty()) {
    e.level(0, record);
  }
  return std::move(e.rows);
}

} // namespace wc::relational
