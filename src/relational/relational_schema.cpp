#include "relational/relational_schema.hpp"

#include <boost/json/serialize.hpp>
#include <set>

#include "core/error.hpp"

namespace wc::relational {
namespace json = boost::json;
namespace {

constexpr std::string_view kGmt = "_gmt";
constexpr const char *kDecimalPattern = "^-?[0-9]+(\\.[0-9]+)?$";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::set<std::string> types_of(const json::object &prop) {
  std::set<std::string> out;
  if (const auto *t = prop.if_contains("type")) {
    if (t->is_string()) {
      out.emplace(t->get_string());
    } else if (t->is_array()) {
      for (const auto &x : t->get_array()) {
        if (x.is_string()) {
          out.emplace(x.get_string());
        }
      }
    }
  }
  return out;
}

bool is_date_time(const json::object &prop) {
  const auto *f = prop.if_contains("format");
  return f != nullptr && f->is_string() && f->get_string() == "date-time";
}

json::array nullable(std::initializer_list<const char *> types) {
  json::array a{"null"};
  for (const char *t : types) {
    a.emplace_back(t);
  }
  return a;
}

void copy_description(const json::object &from, json::object &to) {
  if (const auto *d = from.if_contains("description")) {
    to["description"] = *d;
  }
}

json::object decimal_schema(const Options &o, std::string_view what) {
  json::object s;
  if (o.money_as_number) {
    s["type"] = nullable({"number"});
  } else {
    s["type"] = nullable({"string"});
    s["pattern"] = kDecimalPattern;
  }
  s["description"] =
      std::string(what) + (o.money_as_number ? " (the store's decimal text as a JSON number)"
                                             : " (decimal string, exact)");
  return s;
}

class Deriver {
public:
  Deriver(StreamPlan &plan, const StreamRules &rules, const Options &options)
      : plan_(plan), rules_(rules), options_(options) {}

  void object(const json::object &properties, const std::string &path_prefix,
              const std::string &name_prefix, FieldMap &out) {
    for (const auto &kv : properties) {
      const std::string key(kv.key());
      const std::string path = path_prefix.empty() ? key : path_prefix + "." + key;
      const std::string name = name_prefix.empty() ? key : name_prefix + "_" + key;
      Field &field = out[key];
      field.flat_name = name;
      if (!kv.value().is_object()) {
        add_column(field, name, path, ColumnKind::kJson, any_schema());
        continue;
      }
      const json::object &prop = kv.value().get_object();
      const auto types = types_of(prop);
      seen_.insert(path);
      if (rules_.drop.count(path) || rules_.maps.count(path)) {
        field.what = Field::What::kDrop;
        continue;
      }
      if (rules_.json.count(path)) { // a list kept as one JSON column (relational.yaml `json`)
        json::object s{{"type", prop.at("type")}};
        copy_description(prop, s);
        add_column(field, name, path, ColumnKind::kJson, std::move(s));
        continue;
      }
      const bool has_object = types.count("object") > 0;
      const auto *props = prop.if_contains("properties");
      if (types.count("array") && !has_object) {
        field.what = Field::What::kDrop; // a list: a nested-list stream, not columns
        continue;
      }
      if (has_object && props != nullptr && props->is_object()) {
        field.what = Field::What::kObject;
        object(props->get_object(), path, name, field.children);
        continue;
      }
      if (rules_.money.count(path) || rules_.decimals.count(path)) {
        json::object s = decimal_schema(options_, rules_.money.count(path) ? "money" : "decimal");
        add_column(field, name, path, ColumnKind::kDecimal, std::move(s));
        continue;
      }
      if (rules_.integers.count(path) ||
          (types.count("integer") && !types.count("boolean") && !has_object)) {
        json::object s{{"type", nullable({"integer"})}};
        copy_description(prop, s);
        add_column(field, name, path, ColumnKind::kInteger, std::move(s));
        continue;
      }
      if (types.count("string") && types.size() <= 2 && is_date_time(prop)) {
        if (ends_with(key, kGmt)) {
          json::object s{{"type", nullable({"string"})},
                         {"format", "date-time"},
                         {"airbyte_type", "timestamp_with_timezone"}};
          copy_description(prop, s);
          add_column(field, relational_field_name(name), path, ColumnKind::kTimestampUtc,
                     std::move(s));
          continue;
        }
        if (properties.contains(key + std::string(kGmt))) {
          if (!options_.keep_local_times) {
            field.what = Field::What::kDrop;
            continue;
          }
          json::object s = prop;
          s["type"] = nullable({"string"});
          add_column(field, name, path, ColumnKind::kLocalTime, std::move(s));
          continue;
        }
      }
      if (types.size() == 1 || (types.size() == 2 && types.count("null"))) {
        const std::string t = *std::find_if(types.begin(), types.end(),
                                            [](const std::string &x) { return x != "null"; });
        ColumnKind kind = t == "string"    ? ColumnKind::kString
                          : t == "number"  ? ColumnKind::kNumber
                          : t == "boolean" ? ColumnKind::kBoolean
                                           : ColumnKind::kJson;
        json::object s{{"type", kind == ColumnKind::kJson ? prop.at("type")
                                                          : json::value(nullable({t.c_str()}))}};
        for (const char *keep : {"format", "airbyte_type", "enum"}) {
          if (const auto *v = prop.if_contains(keep); v != nullptr && kind == ColumnKind::kString) {
            s[keep] = *v;
          }
        }
        if (kind == ColumnKind::kJson && t == "object") {
          s["additionalProperties"] = true;
        }
        copy_description(prop, s);
        add_column(field, name, path, kind, std::move(s));
        continue;
      }
      // A union (boolean|string, object|array) or no type: kept as sent, its types declared.
      json::object s{{"type", types.empty() ? any_schema().at("type") : prop.at("type")}};
      copy_description(prop, s);
      add_column(field, name, path, ColumnKind::kJson, std::move(s));
    }
  }

  std::size_t add_column(Field &field, const std::string &name, const std::string &path,
                         ColumnKind kind, json::object schema) {
    if (!names_.insert(name).second || name == kExtraColumn) {
      throw system_error("relational schema of " + plan_.stream + ": two fields make column '" +
                         name + "'");
    }
    field.what = Field::What::kColumn;
    field.column = plan_.columns.size();
    Column c;
    c.name = name;
    c.path = path;
    c.kind = kind;
    c.schema = std::move(schema);
    c.quoted_key = json::serialize(json::string(name)) + ":";
    plan_.columns.push_back(std::move(c));
    return field.column;
  }

  void check_rules() const {
    for (const auto *set :
         {&rules_.money, &rules_.decimals, &rules_.integers, &rules_.maps, &rules_.json}) {
      for (const auto &path : *set) {
        if (!seen_.count(path)) {
          throw system_error("catalog/relational.yaml: stream " + plan_.stream + " names field '" +
                             path + "', which its schema does not have");
        }
      }
    }
  }

  static json::object any_schema() {
    return json::object{
        {"type", json::array{"null", "object", "array", "string", "number", "boolean"}}};
  }

  std::set<std::string> names_;

private:
  StreamPlan &plan_;
  const StreamRules &rules_;
  const Options &options_;
  std::set<std::string> seen_;
};

const Column *find_by_path(const StreamPlan &plan, std::string_view path) {
  for (const auto &c : plan.columns) {
    if (c.path == path) {
      return &c;
    }
  }
  return nullptr;
}

} // namespace

std::string relational_field_name(std::string_view raw_path) {
  std::string name(raw_path);
  for (auto &ch : name) {
    if (ch == '.') {
      ch = '_';
    }
  }
  if (ends_with(name, kGmt)) {
    name.resize(name.size() - kGmt.size());
    name += "_at";
  }
  return name;
}

std::optional<std::string> StreamPlan::relational_name(std::string_view raw_path) const {
  const Column *c = find_by_path(*this, raw_path);
  return c == nullptr ? std::nullopt : std::optional<std::string>(c->name);
}

StreamPlan derive_plan(std::string_view stream, const json::object &raw_schema,
                       const StreamRules &rules, const Options &options) {
  StreamPlan plan;
  plan.stream = std::string(stream);
  Deriver d(plan, rules, options);
  static const json::object kNoProperties;
  const auto *props = raw_schema.if_contains("properties");
  d.object(props != nullptr && props->is_object() ? props->get_object() : kNoProperties, "", "",
           plan.fields);
  d.check_rules();
  plan.rows_from = rules.rows_from;
  if (rules.version) {
    Field unused;
    plan.version = rules.version;
    plan.version_column = d.add_column(
        unused, kVersionColumn, "", ColumnKind::kComputed,
        json::object{{"type", "string"},
                     {"description",
                      rules.version->field.empty()
                          ? "This emission's version: the sync's id (its start, UTC)."
                          : "This emission's version: the record's modification time (UTC) then "
                            "\"/\" and the sync's id (its start, UTC); nested rows carry it as "
                            "_parent_version."}});
  }
  if (const auto *req = raw_schema.if_contains("required"); req != nullptr && req->is_array()) {
    for (const auto &r : req->get_array()) {
      if (auto name = r.is_string() ? plan.relational_name(r.get_string()) : std::nullopt) {
        plan.required.push_back(*name);
      }
    }
  }
  if (rules.net_revenue) {
    const Column *total = find_by_path(plan, rules.net_revenue->total);
    if (total == nullptr || total->kind != ColumnKind::kDecimal) {
      throw system_error("catalog/relational.yaml: net_revenue of " + plan.stream +
                         " needs its total '" + rules.net_revenue->total + "' listed as money");
    }
    plan.total_column = static_cast<std::size_t>(total - plan.columns.data());
    plan.net_revenue = rules.net_revenue;
    Field unused;
    json::object refunded = decimal_schema(options, "money");
    refunded["description"] = "Refunded so far, a positive amount: minus the sum of the order's "
                              "refunds[].total (negative in WooCommerce); " +
                              std::string(refunded["description"].as_string());
    plan.refunded_column =
        d.add_column(unused, "refunded_total", "", ColumnKind::kComputed, std::move(refunded));
    json::object net = decimal_schema(options, "money");
    net["description"] = "total - refunded_total: what the order is worth after refunds; " +
                         std::string(net["description"].as_string());
    plan.net_column = d.add_column(unused, "net_total", "", ColumnKind::kComputed, std::move(net));
  }
  return plan;
}

json::object relational_schema(const StreamPlan &plan, std::string_view title) {
  json::object properties;
  for (const auto &c : plan.columns) {
    properties[c.name] = c.schema;
  }
  properties[kExtraColumn] =
      json::object{{"description", "Fields the schema does not know (added by plugins), as sent: "
                                   "{\"<flattened name>\": value}. Never dropped."},
                   {"type", nullable({"object"})},
                   {"additionalProperties", true}};
  json::object schema{{"$schema", "http://json-schema.org/draft-07/schema#"},
                      {"title", title},
                      {"description", "Relational (flattened, typed) records of " + plan.stream +
                                          " (output: relational, docs/relational.md)."},
                      {"type", "object"},
                      {"additionalProperties", false},
                      {"properties", std::move(properties)}};
  if (!plan.required.empty()) {
    json::array required;
    for (const auto &r : plan.required) {
      required.emplace_back(r);
    }
    schema["required"] = std::move(required);
  }
  return schema;
}

} // namespace wc::relational
