#include "config/option_rules.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <charconv>
#include <limits>
#include <stdexcept>

#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc {
namespace json = boost::json;
namespace {

constexpr std::int64_t kIntMin = std::numeric_limits<int>::min();
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

std::string normalised(std::string_view s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  auto first = std::find_if(s.begin(), s.end(), not_space);
  auto last = std::find_if(s.rbegin(), s.rend(), not_space).base();
  std::string out(first, first < last ? last : first);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string field(const OptionRule &r) { return "config field '" + r.name + "'"; }

// "a, b or c"
std::string one_of(const std::vector<std::string> &allowed) {
  std::string text;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  }
  return text;
}

std::string bounds(const OptionRule &r) {
  return "between " + std::to_string(r.minimum) + " and " + std::to_string(r.maximum);
}

json::value check_integer(const OptionRule &r, const json::value &v) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.as_int64();
  } else if (v.is_uint64()) {
    throw config_error(field(r) + " must be " + bounds(r) + ", got " +
                       std::to_string(v.as_uint64()));
  } else if (v.is_string()) {
    const auto &s = v.as_string();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) {
      throw config_error(field(r) + " must be an integer, got \"" + std::string(s) + "\"");
    }
  } else {
    throw config_error(field(r) + " must be an integer, got " + json_kind(v));
  }
  if (n < r.minimum || n > r.maximum) {
    throw config_error(field(r) + " must be " + bounds(r) + ", got " + std::to_string(n));
  }
  return n;
}

json::value check_boolean(const OptionRule &r, const json::value &v) {
  if (v.is_bool()) {
    return v.as_bool();
  }
  if (v.is_string()) {
    const auto s = normalised(v.as_string());
    if (s == "true" || s == "false") {
      return s == "true";
    }
  }
  throw config_error(field(r) + " must be true or false, got " + json_kind(v));
}

json::value check_string(const OptionRule &r, const json::value &v) {
  if (!v.is_string()) {
    throw config_error(field(r) + " must be a string, got " + json_kind(v));
  }
  if (r.allowed.empty()) {
    return v;
  }
  const std::string s = normalised(v.as_string());
  if (std::find(r.allowed.begin(), r.allowed.end(), s) == r.allowed.end()) {
    // The value as given: a secret pasted into the wrong field stays recognisable to redact().
    throw config_error(field(r) + " must be " + one_of(r.allowed) + ", got \"" +
                       std::string(v.as_string()) + "\"");
  }
  return json::string(s);
}

// An object of strings: keys and values trimmed and lower-cased, values within the enum if any.
json::value check_object(const OptionRule &r, const json::value &v) {
  if (!v.is_object()) {
    throw config_error(field(r) + " must be an object (key: value pairs), got " + json_kind(v));
  }
  json::object out;
  for (const auto &kv : v.as_object()) {
    const std::string key = normalised(kv.key());
    if (key.empty()) {
      throw config_error(field(r) + " has an empty key");
    }
    if (!kv.value().is_string()) {
      throw config_error(field(r) + " entry '" + key + "' must be a string, got " +
                         json_kind(kv.value()));
    }
    const std::string value = normalised(kv.value().as_string());
    if (!r.allowed.empty() &&
        std::find(r.allowed.begin(), r.allowed.end(), value) == r.allowed.end()) {
      throw config_error(field(r) + " entry '" + key + "' must be " + one_of(r.allowed) +
                         ", got \"" + std::string(kv.value().as_string()) + "\"");
    }
    out[key] = value;
  }
  return out;
}

json::value check(const OptionRule &r, const json::value &v) {
  switch (r.type) {
  case OptionRule::Type::kObject:
    return check_object(r, v);
  case OptionRule::Type::kInteger:
    return check_integer(r, v);
  case OptionRule::Type::kBoolean:
    return check_boolean(r, v);
  case OptionRule::Type::kString:
    break;
  }
  return check_string(r, v);
}

std::int64_t spec_bound(const json::object &p, const std::string &name, const char *key) {
  const auto *b = p.if_contains(key);
  if (b == nullptr || !b->is_int64() || b->as_int64() < kIntMin || b->as_int64() > kIntMax) {
    throw std::logic_error("spec property '" + name + "' is an integer without a " + key +
                           " that fits an int");
  }
  return b->as_int64();
}

OptionRule rule_of(const std::string &name, const json::object &p) {
  OptionRule r;
  r.name = name;
  const auto *type = p.if_contains("type");
  const std::string t = type != nullptr && type->is_string() ? std::string(type->as_string()) : "";
  if (t == "integer") {
    r.type = OptionRule::Type::kInteger;
    r.minimum = spec_bound(p, name, "minimum");
    r.maximum = spec_bound(p, name, "maximum");
  } else if (t == "boolean") {
    r.type = OptionRule::Type::kBoolean;
  } else if (t == "string") {
    r.type = OptionRule::Type::kString;
  } else if (t == "object") {
    r.type = OptionRule::Type::kObject;
  } else {
    throw std::logic_error("spec property '" + name + "' has no type the connector knows");
  }
  const json::object *values = &p;
  if (const auto *a = p.if_contains("additionalProperties");
      r.type == OptionRule::Type::kObject && a != nullptr && a->is_object()) {
    values = &a->as_object();
  }
  if (const auto *e = values->if_contains("enum"); e != nullptr && e->is_array()) {
    for (const auto &v : e->as_array()) {
      if (!v.is_string() || normalised(v.as_string()) != v.as_string()) {
        throw std::logic_error("spec property '" + name +
                               "' has an enum value that is not a "
                               "lower-case string");
      }
      r.allowed.emplace_back(v.as_string());
    }
  }
  if (const auto *d = p.if_contains("default")) {
    try {
      r.default_value = check(r, *d);
    } catch (const Error &e) {
      throw std::logic_error("spec property '" + name +
                             "' has a default that breaks its own "
                             "rule: " +
                             e.what());
    }
  }
  return r;
}

} // namespace

std::string json_kind(const json::value &v) {
  switch (v.kind()) {
  case json::kind::string:
    return "a string";
  case json::kind::int64:
  case json::kind::uint64:
  case json::kind::double_:
    return "a number";
  case json::kind::bool_:
    return "a boolean";
  case json::kind::array:
    return "a list";
  case json::kind::object:
    return "an object";
  case json::kind::null:
    return "null";
  }
  return "a value";
}

const OptionRules &OptionRules::spec() {
  static const OptionRules rules = [] {
    auto text = embedded_file("spec/spec.json");
    if (!text) {
      throw std::logic_error("spec/spec.json is not compiled into this binary");
    }
    return OptionRules(json::parse(*text));
  }();
  return rules;
}

OptionRules::OptionRules(const json::value &spec_document) {
  const auto *spec = spec_document.is_object()
                         ? spec_document.as_object().if_contains("connectionSpecification")
                         : nullptr;
  const auto *props =
      spec != nullptr && spec->is_object() ? spec->as_object().if_contains("properties") : nullptr;
  if (props == nullptr || !props->is_object()) {
    throw std::logic_error("the spec has no connectionSpecification.properties");
  }
  for (const auto &kv : props->as_object()) {
    if (!kv.value().is_object()) {
      throw std::logic_error("spec property '" + std::string(kv.key()) + "' is not an object");
    }
    rules_.push_back(rule_of(std::string(kv.key()), kv.value().as_object()));
  }
}

const OptionRule &OptionRules::rule(std::string_view name) const {
  for (const auto &r : rules_) {
    if (r.name == name) {
      return r;
    }
  }
  throw std::logic_error("the spec has no option '" + std::string(name) + "'");
}

OptionValues OptionRules::apply(const json::object &config) const {
  OptionValues out;
  out.rules_ = this;
  for (const auto &r : rules_) {
    const auto *v = config.if_contains(r.name);
    if (v != nullptr && !v->is_null()) {
      out.values_[r.name] = check(r, *v);
      out.given_.insert(r.name);
    } else if (r.default_value) {
      out.values_[r.name] = *r.default_value;
    }
  }
  return out;
}

const json::value *OptionValues::value(std::string_view name) const {
  (void)rules_->rule(name); // a name outside the spec is a programming error
  return values_.if_contains(name);
}

bool OptionValues::given(std::string_view name) const {
  (void)rules_->rule(name);
  return given_.count(name) != 0;
}

int OptionValues::integer(std::string_view name) const {
  const auto *v = value(name);
  if (v == nullptr || !v->is_int64()) {
    throw std::logic_error("option '" + std::string(name) + "' is not an integer with a default");
  }
  return static_cast<int>(v->as_int64()); // within the rule's int bounds
}

bool OptionValues::boolean(std::string_view name) const {
  const auto *v = value(name);
  if (v == nullptr || !v->is_bool()) {
    throw std::logic_error("option '" + std::string(name) + "' is not a boolean with a default");
  }
  return v->as_bool();
}

std::optional<std::string> OptionValues::string(std::string_view name) const {
  const auto *v = value(name);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    throw std::logic_error("option '" + std::string(name) + "' is not a string");
  }
  return std::string(v->as_string());
}

json::object OptionValues::object(std::string_view name) const {
  const auto *v = value(name);
  if (v == nullptr) {
    return {};
  }
  if (!v->is_object()) {
    throw std::logic_error("option '" + std::string(name) + "' is not an object");
  }
  return v->as_object();
}

} // namespace wc
