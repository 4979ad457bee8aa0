#include "relational/output.hpp"

#include <boost/json/parse.hpp>

#include "catalog/catalog_builder.hpp"
#include "catalog/definition_loader.hpp"
#include "core/embedded_files.hpp"
#include "core/error.hpp"
#include "core/time_util.hpp"
#include "relational/relational_sink.hpp"
#include "relational/rows_from.hpp"
#include "relational/rules.hpp"
#include "relational/version.hpp"

namespace wc::relational {
namespace json = boost::json;
namespace {

// A stream's raw schema: catalog/schemas/ for the built-in streams, catalog/reference_schemas/
// for the reference-data streams (kept apart so the raw family's files stay as they are).
json::object raw_schema(const source::StreamDefinition &d) {
  if (auto text = embedded_file("catalog/reference_schemas/" + d.name + ".json")) {
    boost::system::error_code ec;
    json::value v = json::parse(*text, ec);
    if (ec || !v.is_object()) {
      throw system_error("catalog/reference_schemas/" + d.name + ".json is not a JSON object");
    }
    return v.get_object();
  }
  return catalog::stream_schema(d).as_object();
}

template <class Fn> void for_each_definition(Fn fn) {
  for (const auto &d : catalog::builtin_definitions()) {
    fn(d);
  }
  for (const auto &d : catalog::reference_definitions()) {
    fn(d);
  }
  for (const auto &d : nested_definitions()) {
    fn(d);
  }
}

// The raw schema a stream's plan is derived from: its own, or with rows_from the schema of the
// rows inside the records of the stream it names.
json::object plan_schema(const source::StreamDefinition &d, const StreamRules &rules) {
  if (!rules.rows_from) {
    return raw_schema(d);
  }
  const source::StreamDefinition *records_of = nullptr;
  for_each_definition([&](const source::StreamDefinition &x) {
    if (x.name == rules.rows_from->records_of) {
      records_of = &x;
    }
  });
  if (records_of == nullptr) {
    throw system_error("catalog/relational.yaml: " + d.name + ".rows_from names stream '" +
                       rules.rows_from->records_of + "', which does not exist");
  }
  return rows_schema(d.name, raw_schema(*records_of), *rules.rows_from);
}

} // namespace

const std::vector<source::StreamDefinition> &nested_definitions() {
  static const std::vector<source::StreamDefinition> defs = [] {
    std::vector<source::StreamDefinition> out;
    for (const auto &ns : builtin_rules().nested) {
      const auto *root = catalog::find_definition(ns.root);
      if (root == nullptr) {
        throw system_error("catalog/relational.yaml: nested lists of '" + ns.root +
                           "', which is not a stream");
      }
      // The root's definition (how it is read, its sync modes), under the nested stream's name,
      // key and cursor, fed by the root.
      source::StreamDefinition d = *root;
      d.name = ns.name;
      d.primary_key = ns.rule.primary_key;
      d.fed_by = {ns.root};
      d.parent.reset();
      d.fallback_path.clear();
      if (d.incremental()) {
        d.cursor_field = kParentVersionColumn;
      }
      out.push_back(std::move(d));
    }
    return out;
  }();
  return defs;
}

const source::StreamDefinition *find_family_definition(std::string_view name) {
  for (const auto &d : nested_definitions()) {
    if (d.name == name) {
      return &d;
    }
  }
  return catalog::find_definition(name);
}

Options options_from(const ConnectorConfig &cfg) {
  Options o;
  o.money_as_number = cfg.money_as_number;
  o.keep_local_times = cfg.keep_local_times;
  return o;
}

std::map<std::string, StreamPlan, std::less<>> relational_plans(const Options &options) {
  std::map<std::string, StreamPlan, std::less<>> plans;
  const Rules &rules = builtin_rules();
  for_each_definition([&](const source::StreamDefinition &d) {
    const StreamRules stream_rules = rules.for_stream(d.name);
    plans.emplace(d.name, derive_plan(d.name, plan_schema(d, stream_rules), stream_rules, options));
  });
  return plans;
}

json::object build_relational_catalog(const Options &options) {
  auto plans = relational_plans(options);
  json::array streams;
  for_each_definition([&](const source::StreamDefinition &d) {
    json::object s = catalog::airbyte_stream(d);
    const StreamPlan &plan = plans.at(d.name);
    s["json_schema"] = relational_schema(plan, d.name);
    if (plan.rows_from) {
      json::array key;
      for (const auto &path : plan.rows_from->primary_key) {
        json::array p;
        for (const auto &part : path) {
          p.emplace_back(part);
        }
        key.push_back(std::move(p));
      }
      s["source_defined_primary_key"] = std::move(key);
    }
    if (d.incremental() && plan.rows_from && plan.rows_from->parent_version) {
      s["default_cursor_field"] = json::array{json::string(kParentVersionColumn)};
    } else if (d.incremental()) {
      const auto cursor = plan.relational_name(d.cursor_field);
      s["default_cursor_field"] =
          json::array{json::string(cursor ? *cursor : relational_field_name(d.cursor_field))};
    }
    streams.push_back(std::move(s));
  });
  return json::object{{"streams", std::move(streams)}};
}

catalog::DefinitionLookup offered_definitions(const ConnectorConfig &cfg) {
  if (cfg.output != OutputShape::kRelational) {
    return nullptr;
  }
  return [](std::string_view name) { return find_family_definition(name); };
}

json::object offered_catalog(const ConnectorConfig &cfg) {
  return cfg.output == OutputShape::kRelational ? build_relational_catalog(options_from(cfg))
                                                : catalog::build_catalog();
}

std::unique_ptr<protocol::MessageSink> output_sink(const ConnectorConfig &cfg,
                                                   protocol::MessageSink &out) {
  if (cfg.output != OutputShape::kRelational) {
    return nullptr;
  }
  const Options options = options_from(cfg);
  out.log(protocol::LogLevel::kInfo,
          std::string("output: relational (flattened, typed records; money as ") +
              (options.money_as_number ? "numbers" : "decimal strings") +
              "; see docs/relational.md)");
  return std::make_unique<RelationalSink>(out, relational_plans(options), options,
                                          sync_id(now_millis()));
}

} // namespace wc::relational
