// The one validator of the config's options (config/option_rules.cpp): every default, bound and
// enum of spec/spec.json is what parse_config applies, and none is written in C++.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "config/connector_config.hpp"
#include "config/option_rules.hpp"
#include "core/embedded_files.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"

namespace json = boost::json;
using namespace wc;

namespace {

// The least a config needs besides options: where the store is and both kinds of credentials.
json::object minimal() {
  return json::object{{"store_url", "https://shop.example"},
                      {"consumer_key", "ck_0123456789"},
                      {"consumer_secret", "cs_0123456789"},
                      {"username", "shop-manager"},
                      {"application_password", "abcd efgh ijkl mnop qrst uvwx"}};
}

ConnectorConfig parse(json::object cfg, const OptionRules &rules = OptionRules::spec()) {
  return parse_config(json::serialize(cfg), rules);
}

ConnectorConfig parse_with(const std::string &option, json::value value) {
  json::object cfg = minimal();
  cfg[option] = std::move(value);
  return parse(cfg);
}

json::value spec_document() { return json::parse(*embedded_file("spec/spec.json")); }

std::string budget_name(http::BudgetMode m) {
  switch (m) {
  case http::BudgetMode::kAdaptive:
    return "adaptive";
  case http::BudgetMode::kFixed:
    return "fixed";
  case http::BudgetMode::kOff:
    return "off";
  }
  return "?";
}

std::string deletion_name(DeletionDetection d) {
  switch (d) {
  case DeletionDetection::kOff:
    return "off";
  case DeletionDetection::kTrash:
    return "trash";
  case DeletionDetection::kTrashAndSweep:
    return "trash_and_sweep";
  }
  return "?";
}

// Where parse_config puts each option that has a default, in the spec's terms.
using Field = std::function<json::value(const ConnectorConfig &)>;
const std::map<std::string, Field> &fields() {
  static const std::map<std::string, Field> f = {
      {"auth_method",
       [](const ConnectorConfig &c) { return json::value(to_string(c.auth_method)); }},
      {"verify_tls", [](const ConnectorConfig &c) { return json::value(c.verify_tls); }},
      {"per_page", [](const ConnectorConfig &c) { return json::value(c.per_page); }},
      {"request_timeout_seconds",
       [](const ConnectorConfig &c) { return json::value(c.request_timeout_seconds); }},
      {"max_concurrency", [](const ConnectorConfig &c) { return json::value(c.max_concurrency); }},
      {"max_retries", [](const ConnectorConfig &c) { return json::value(c.client.max_retries); }},
      {"max_retry_seconds",
       [](const ConnectorConfig &c) { return json::value(c.client.max_retry_time.count()); }},
      {"requests_per_window",
       [](const ConnectorConfig &c) { return json::value(c.client.requests_per_window); }},
      {"window_seconds",
       [](const ConnectorConfig &c) { return json::value(c.client.window_seconds); }},
      {"request_budget",
       [](const ConnectorConfig &c) { return json::value(budget_name(c.client.budget)); }},
      {"initial_backoff_ms",
       [](const ConnectorConfig &c) { return json::value(c.client.initial_backoff.count()); }},
      {"lookback_window_seconds",
       [](const ConnectorConfig &c) { return json::value(c.lookback_window_seconds); }},
      {"full_resync_every",
       [](const ConnectorConfig &c) { return json::value(c.full_resync_every_syncs); }},
      {"deletion_detection",
       [](const ConnectorConfig &c) { return json::value(deletion_name(c.deletion_detection)); }},
      {"sweep_requests_per_sync",
       [](const ConnectorConfig &c) { return json::value(c.sweep_requests_per_sync); }},
      {"order_notes_full_pass",
       [](const ConnectorConfig &c) { return json::value(c.order_notes_full_pass); }},
      {"webhook_retention_days",
       [](const ConnectorConfig &c) { return json::value(c.webhook_retention_days); }},
      {"output",
       [](const ConnectorConfig &c) {
         return json::value(c.output == OutputShape::kRelational ? "relational" : "raw");
       }},
      {"money_as",
       [](const ConnectorConfig &c) {
         return json::value(c.money_as_number ? "number" : "string");
       }},
      {"keep_local_times",
       [](const ConnectorConfig &c) { return json::value(c.keep_local_times); }},
      {"unified", [](const ConnectorConfig &c) { return json::value(c.unified); }},
  };
  return f;
}

// The message of the config_error parsing `cfg` throws ("" and a test failure if none).
std::string config_error_of(const json::object &cfg) {
  try {
    (void)parse(cfg);
  } catch (const Error &e) {
    EXPECT_EQ(e.type(), FailureType::kConfig) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << json::serialize(cfg);
  return "";
}

} // namespace

// Guards the defaults: an empty config gets exactly the spec's default of every option (and this
// test knows where each option with a default lands, so a new one cannot be forgotten here).
TEST(OptionRules, EmptyConfigGetsEveryDefaultOfTheSpec) {
  const ConnectorConfig cfg = parse(minimal());
  int defaults = 0;
  for (const OptionRule &rule : OptionRules::spec().all()) {
    if (!rule.default_value) {
      continue;
    }
    ++defaults;
    auto field = fields().find(rule.name);
    ASSERT_NE(field, fields().end()) << rule.name << ": a spec default this test does not check";
    EXPECT_EQ(field->second(cfg), *rule.default_value) << rule.name;
  }
  EXPECT_EQ(defaults, static_cast<int>(fields().size())) << "a checked field lost its default";
}

// Guards "no default in C++": with every default of the spec changed, an empty config gets the
// changed values. A default written in parse_config (or left to a member initializer) keeps the
// old value and fails here.
TEST(OptionRules, DefaultsComeFromTheSpecNotFromTheCode) {
  json::value doc = spec_document();
  auto &props = doc.at("connectionSpecification").at("properties").as_object();
  std::map<std::string, json::value> changed;
  for (auto &kv : props) {
    auto &p = kv.value().as_object();
    if (!p.contains("default")) {
      continue;
    }
    json::value &d = p["default"];
    if (d.is_bool()) {
      d = !d.as_bool();
    } else if (d.is_int64()) {
      d = d.as_int64() + 1 <= p.at("maximum").as_int64() ? d.as_int64() + 1 : d.as_int64() - 1;
    } else {
      const auto &values = p.at("enum").as_array();
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] == d) {
          d = values[(i + 1) % values.size()];
          break;
        }
      }
    }
    changed[std::string(kv.key())] = d;
  }
  const OptionRules rules(doc);
  const ConnectorConfig cfg = parse(minimal(), rules);
  ASSERT_EQ(changed.size(), fields().size());
  for (const auto &[name, value] : changed) {
    EXPECT_EQ(fields().at(name)(cfg), value) << name;
  }
}

// Guards the bounds: every minimum and maximum of the spec is accepted, one beyond is a
// config_error naming the option and both bounds, and an accepted value lands in the config.
TEST(OptionRules, EveryMinimumAndMaximumOfTheSpecIsEnforced) {
  int checked = 0;
  for (const OptionRule &rule : OptionRules::spec().all()) {
    if (rule.type != OptionRule::Type::kInteger) {
      continue;
    }
    ++checked;
    const std::string bounds =
        "between " + std::to_string(rule.minimum) + " and " + std::to_string(rule.maximum);
    for (std::int64_t ok : {rule.minimum, rule.maximum}) {
      ConnectorConfig cfg;
      ASSERT_NO_THROW(cfg = parse_with(rule.name, ok)) << rule.name << " = " << ok;
      if (auto field = fields().find(rule.name); field != fields().end()) {
        EXPECT_EQ(field->second(cfg), json::value(ok)) << rule.name;
      }
    }
    for (std::int64_t bad : {rule.minimum - 1, rule.maximum + 1}) {
      json::object cfg = minimal();
      cfg[rule.name] = bad;
      const std::string message = config_error_of(cfg);
      EXPECT_NE(message.find("'" + rule.name + "'"), std::string::npos) << message;
      EXPECT_NE(message.find(bounds), std::string::npos) << message;
    }
  }
  EXPECT_EQ(checked, 12); // the spec's integer options
}

// Guards the enums: every value of the spec is accepted (any case, surrounding blanks), another
// value is a config_error naming the option and the values it may take.
TEST(OptionRules, EveryEnumOfTheSpecIsEnforced) {
  int checked = 0;
  for (const OptionRule &rule : OptionRules::spec().all()) {
    if (rule.allowed.empty() || rule.type == OptionRule::Type::kObject) {
      continue; // an object's enum is its values' (ObjectOfStringsTakesItsEnum)
    }
    ++checked;
    for (const auto &value : rule.allowed) {
      std::string shouted = " " + value + " ";
      for (auto &c : shouted) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      for (const auto &given : {value, shouted}) {
        ConnectorConfig cfg;
        ASSERT_NO_THROW(cfg = parse_with(rule.name, json::string(given))) << rule.name;
        EXPECT_EQ(fields().at(rule.name)(cfg), json::value(value)) << rule.name << " " << given;
      }
    }
    json::object cfg = minimal();
    cfg[rule.name] = "sideways";
    const std::string message = config_error_of(cfg);
    EXPECT_NE(message.find("'" + rule.name + "'"), std::string::npos) << message;
    for (const auto &value : rule.allowed) {
      EXPECT_NE(message.find(value), std::string::npos) << message;
    }
  }
  EXPECT_EQ(checked, 5); // auth_method, deletion_detection, request_budget, output, money_as
}

// Guards the types: each option takes its spec type (integers also as digits in a string,
// booleans also as "true"/"false"), anything else is a config_error naming the option.
TEST(OptionRules, EveryTypeOfTheSpecIsEnforced) {
  for (const OptionRule &rule : OptionRules::spec().all()) {
    std::vector<json::value> wrong;
    switch (rule.type) {
    case OptionRule::Type::kInteger:
      wrong = {json::value("many"), json::value(1.5), json::value(true), json::array{1}};
      break;
    case OptionRule::Type::kBoolean:
      wrong = {json::value("perhaps"), json::value(1), json::object{}};
      break;
    case OptionRule::Type::kString:
      wrong = {json::value(5), json::value(false), json::array{"x"}};
      break;
    case OptionRule::Type::kObject:
      wrong = {json::value("x"), json::value(5), json::array{"x"}, json::object{{"k", 1}}};
      break;
    }
    for (const auto &value : wrong) {
      json::object cfg = minimal();
      cfg[rule.name] = value;
      const std::string message = config_error_of(cfg);
      EXPECT_NE(message.find("'" + rule.name + "'"), std::string::npos)
          << rule.name << " = " << json::serialize(value) << ": " << message;
    }
  }
  EXPECT_EQ(parse_with("per_page", "25").per_page, 25);
  EXPECT_FALSE(parse_with("verify_tls", "FALSE").verify_tls);
  EXPECT_EQ(parse_with("per_page", nullptr).per_page, 100); // null: not given
}

// Guards object options (unified_status_map): entries are trimmed and lower-cased, a value outside
// the spec's additionalProperties enum is a config_error naming the option, the entry and the
// values it may take; absent, the map is empty.
TEST(OptionRules, ObjectOfStringsTakesItsEnum) {
  const auto &rule = OptionRules::spec().rule("unified_status_map");
  ASSERT_EQ(rule.type, OptionRule::Type::kObject);
  ASSERT_FALSE(rule.allowed.empty());
  EXPECT_TRUE(parse(minimal()).unified_status_map.empty());
  const ConnectorConfig cfg =
      parse_with("unified_status_map", json::object{{" Awaiting-Shipment ", " OPEN "}});
  ASSERT_EQ(cfg.unified_status_map.size(), 1U);
  EXPECT_EQ(cfg.unified_status_map.at("awaiting-shipment"), "open");
  json::object bad = minimal();
  bad["unified_status_map"] = json::object{{"awaiting-shipment", "shipped"}};
  const std::string message = config_error_of(bad);
  EXPECT_NE(message.find("'unified_status_map'"), std::string::npos) << message;
  EXPECT_NE(message.find("awaiting-shipment"), std::string::npos) << message;
  for (const auto &value : rule.allowed) {
    EXPECT_NE(message.find(value), std::string::npos) << message;
  }
}

// Guards the rules themselves: a spec the validator cannot apply safely is refused when read,
// not when a user's value meets it.
TEST(OptionRules, RefusesASpecItCannotApply) {
  EXPECT_NO_THROW((void)OptionRules::spec());
  auto with_property = [](json::object p) {
    json::object properties;
    properties["n"] = std::move(p);
    json::object spec;
    spec["properties"] = std::move(properties);
    json::object doc;
    doc["connectionSpecification"] = std::move(spec);
    return json::value(std::move(doc));
  };
  // Integers need both bounds, within int (the connector keeps them in ints).
  EXPECT_THROW(OptionRules(with_property({{"type", "integer"}, {"minimum", 0}})), std::logic_error);
  EXPECT_THROW(
      OptionRules(with_property({{"type", "integer"}, {"minimum", 0}, {"maximum", 1LL << 40}})),
      std::logic_error);
  // A default that breaks its own rule.
  EXPECT_THROW(OptionRules(with_property(
                   {{"type", "integer"}, {"minimum", 1}, {"maximum", 5}, {"default", 9}})),
               std::logic_error);
  EXPECT_THROW(OptionRules(with_property(
                   {{"type", "string"}, {"enum", json::array{"a"}}, {"default", "b"}})),
               std::logic_error);
  EXPECT_THROW(OptionRules(with_property({{"title", "no type"}})), std::logic_error);
  EXPECT_THROW(OptionRules::spec().rule("no_such_option"), std::logic_error);
}

// Guards the redaction of refused values: a secret pasted into an enum field is quoted as given,
// so redact() still recognises it (a lower-cased copy would slip through).
TEST(OptionRules, ARefusedEnumValueIsQuotedAsGivenSoSecretsAreRedacted) {
  json::object cfg = minimal();
  cfg["consumer_secret"] = "cs_ABCdef0123456789";
  cfg["deletion_detection"] = "cs_ABCdef0123456789";
  const std::string shown = redact(config_error_of(cfg));
  EXPECT_NE(shown.find("deletion_detection"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("ABCdef0123456789"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("abcdef0123456789"), std::string::npos) << shown;
}
