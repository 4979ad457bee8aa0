#pragma once
// The one validator of the config's options. Every option's type, default, minimum, maximum and
// enum come from spec/spec.json (compiled into the binary), the document `spec` prints; no
// default or bound is written in C++. parse_config (connector_config.cpp) reads every option
// through it, so `read`, `check`, `discover`, `webhooks` and `serve` see the same values.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wc {

// One property of the spec's connectionSpecification.
struct OptionRule {
  // kObject: an object whose values are strings (`additionalProperties` with a type string and
  // optionally an enum, which `allowed` then holds).
  enum class Type { kString, kInteger, kBoolean, kObject };
  std::string name;
  Type type = Type::kString;
  std::optional<boost::json::value> default_value;
  // Integers only; the spec's bounds (an integer option without one is refused when the rules
  // are built: every value must fit the int the connector keeps it in).
  std::int64_t minimum = 0;
  std::int64_t maximum = 0;
  std::vector<std::string> allowed; // the spec's enum (strings; an object's values), or empty
};

class OptionValues;

class OptionRules {
public:
  // The rules of the embedded spec/spec.json, read once.
  static const OptionRules &spec();
  // The rules of a spec document ({"connectionSpecification": {"properties": ...}}). Throws
  // std::logic_error when the document cannot serve as rules (a property without a type, an
  // integer without bounds or with bounds beyond int, a default that breaks its own rule).
  explicit OptionRules(const boost::json::value &spec_document);

  const std::vector<OptionRule> &all() const { return rules_; }
  // Throws std::logic_error for a name the spec does not have (a programming error).
  const OptionRule &rule(std::string_view name) const;

  // Checks every option of the spec found in `config` (null counts as absent): its type, its
  // enum (matched without regard to case or surrounding blanks), its minimum and maximum. Throws
  // wc::Error(kConfig) naming the field and the rule it breaks. Keys the spec does not have are
  // left alone (additionalProperties: aliases, Airbyte's connector's keys).
  OptionValues apply(const boost::json::object &config) const;

private:
  std::vector<OptionRule> rules_;
};

// A config's options after OptionRules::apply: the given value, checked and normalised (integers
// as int64, "true"/"false" as booleans, enum values in the spec's spelling), or else the spec's
// default.
class OptionValues {
public:
  bool given(std::string_view name) const; // present in the config (not null)
  int integer(std::string_view name) const;
  bool boolean(std::string_view name) const;
  // nullopt when neither given nor defaulted.
  std::optional<std::string> string(std::string_view name) const;
  // An object option's entries (empty when neither given nor defaulted).
  boost::json::object object(std::string_view name) const;

private:
  friend class OptionRules;
  const boost::json::value *value(std::string_view name) const;
  const OptionRules *rules_ = nullptr;
  boost::json::object values_;
  std::set<std::string, std::less<>> given_;
};

// "a string", "a number", "a boolean", "a list", "an object", "null": for error messages.
std::string json_kind(const boost::json::value &v);

} // namespace wc
