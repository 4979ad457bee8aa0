#include "relational/rules.hpp"

#include <yaml-cpp/yaml.h>

#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc::relational {
namespace {

const char *const kFile = "catalog/relational.yaml";

std::set<std::string, std::less<>> string_set(const YAML::Node &n, const std::string &where) {
  std::set<std::string, std::less<>> out;
  if (!n) {
    return out;
  }
  if (!n.IsSequence()) {
    throw system_error(std::string(kFile) + ": " + where + " must be a list of field paths");
  }
  for (const auto &item : n) {
    out.insert(item.as<std::string>());
  }
  return out;
}

StreamRules stream_rules(const YAML::Node &n, const std::string &where) {
  StreamRules r;
  if (!n || n.IsNull()) {
    return r;
  }
  if (!n.IsMap()) {
    throw system_error(std::string(kFile) + ": " + where + " must be a map");
  }
  for (const auto &kv : n) {
    const auto key = kv.first.as<std::string>();
    if (key != "money" && key != "decimals" && key != "integers" && key != "maps" &&
        key != "drop" && key != "net_revenue" && key != "rows_from" && key != "version" &&
        key != "json" && key != "nested") {
      throw system_error(std::string(kFile) + ": " + where + " has an unknown key '" + key + "'");
    }
  }
  r.money = string_set(n["money"], where + ".money");
  r.decimals = string_set(n["decimals"], where + ".decimals");
  r.integers = string_set(n["integers"], where + ".integers");
  r.maps = string_set(n["maps"], where + ".maps");
  r.drop = string_set(n["drop"], where + ".drop");
  r.json = string_set(n["json"], where + ".json");
  if (const auto v = n["version"]) {
    if (!v.IsScalar()) {
      throw system_error(std::string(kFile) + ": " + where +
                         ".version must be a UTC time field or 'sync'");
    }
    const auto field = v.as<std::string>();
    r.version = VersionRule{field == "sync" ? std::string() : field};
  }
  if (const auto nr = n["net_revenue"]) {
    if (!nr.IsMap() || !nr["total"] || !nr["refunds"] || !nr["refund_total"]) {
      throw system_error(std::string(kFile) + ": " + where +
                         ".net_revenue needs total, refunds and refund_total");
    }
    r.net_revenue = NetRevenueRule{nr["total"].as<std::string>(), nr["refunds"].as<std::string>(),
                                   nr["refund_total"].as<std::string>()};
  }
  if (const auto rf = n["rows_from"]) {
    const std::string at = std::string(kFile) + ": " + where + ".rows_from";
    if (!rf.IsMap() || !rf["records_of"] || !rf["path"] || !rf["primary_key"] ||
        !rf["primary_key"].IsSequence()) {
      throw system_error(at + " needs records_of (a stream), path (\"list[].list[]\") and "
                              "primary_key (the rows' key, [[field], ...])");
    }
    RowsFromRule rule;
    rule.records_of = rf["records_of"].as<std::string>();
    rule.lists = parse_list_path(rf["path"].as<std::string>(), at + ".path");
    if (const auto carry = rf["carry"]) {
      if (!carry.IsMap()) {
        throw system_error(at + ".carry must be a map of column -> field path");
      }
      for (const auto &kv : carry) {
        rule.carry.push_back(parse_carried(kv.first.as<std::string>(), kv.second.as<std::string>(),
                                           rule.lists, at + ".carry"));
      }
    }
    for (const auto &key : rf["primary_key"]) {
      rule.primary_key.push_back(key.as<std::vector<std::string>>());
    }
    r.rows_from = std::move(rule);
  }
  return r;
}

// The nested-list streams of one root (its `nested` table).
std::vector<NestedStream> nested_streams(const std::string &root, const YAML::Node &n,
                                         bool versioned) {
  const std::string at = std::string(kFile) + ": streams." + root + ".nested";
  if (!n.IsMap() || !n["lists"] || !n["lists"].IsMap()) {
    throw system_error(at + " needs lists (list path -> {key, carry, position})");
  }
  std::vector<CarriedField> root_carry;
  std::vector<std::vector<std::string>> root_key;
  if (const auto carry = n["carry"]) {
    if (!carry.IsMap()) {
      throw system_error(at + ".carry must be a map of column -> field of the record");
    }
    for (const auto &kv : carry) {
      root_carry.push_back(
          CarriedField{kv.first.as<std::string>(), 0, kv.second.as<std::string>()});
      root_key.push_back({kv.first.as<std::string>()});
    }
  }
  std::vector<NestedStream> out;
  for (const auto &kv : n["lists"]) {
    NestedStream ns;
    ns.root = root;
    ns.path = kv.first.as<std::string>();
    ns.name = nested_stream_name(root, ns.path);
    const std::string where = at + ".lists." + ns.path;
    const YAML::Node &e = kv.second;
    if (!e.IsMap() || !e["key"] || !e["key"].IsSequence()) {
      throw system_error(where + " needs key (the item's columns after the carried ones)");
    }
    for (const auto &x : e) {
      const auto key = x.first.as<std::string>();
      if (key != "key" && key != "carry" && key != "position" && key != "money" &&
          key != "decimals") {
        throw system_error(where + " has an unknown key '" + key + "'");
      }
    }
    std::string list_path = ns.path;
    if (list_path.size() > 2 && list_path.compare(list_path.size() - 2, 2, "{}") == 0) {
      ns.rule.map = true;
      list_path.replace(list_path.size() - 2, 2, "[]");
    }
    ns.rule.records_of = root;
    ns.rule.lists = parse_list_path(list_path, where);
    ns.rule.carry = root_carry;
    ns.rule.primary_key = root_key;
    if (const auto carry = e["carry"]) {
      for (const auto &c : carry) {
        ns.rule.carry.push_back(parse_carried(c.first.as<std::string>(), c.second.as<std::string>(),
                                              ns.rule.lists, where));
      }
    }
    for (const auto &k : e["key"]) {
      ns.rule.primary_key.push_back({k.as<std::string>()});
    }
    ns.rule.position = e["position"] && e["position"].as<bool>();
    ns.money = string_set(e["money"], where + ".money");
    ns.decimals = string_set(e["decimals"], where + ".decimals");
    ns.rule.parent_version = versioned;
    out.push_back(std::move(ns));
  }
  return out;
}

} // namespace

std::string nested_stream_name(std::string_view root, std::string_view path) {
  std::string name(root);
  name += '_';
  for (std::size_t i = 0; i < path.size(); ++i) {
    if ((path[i] == '[' || path[i] == '{') && i + 1 < path.size()) {
      ++i; // "[]" and "{}" dropped
    } else if (path[i] == '.') {
      name += '_';
    } else {
      name += path[i];
    }
  }
  return name;
}

std::vector<std::string> parse_list_path(const std::string &path, const std::string &where) {
  std::vector<std::string> lists;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.size() <= 2 || part.compare(part.size() - 2, 2, "[]") != 0) {
      throw system_error(where + ": '" + path + "' must be list keys, each with [] (\"a[].b[]\")");
    }
    lists.push_back(part.substr(0, part.size() - 2));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return lists;
}

CarriedField parse_carried(const std::string &column, const std::string &path,
                           const std::vector<std::string> &lists, const std::string &where) {
  CarriedField c;
  c.column = column;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    if (dot == std::string::npos) {
      c.field = path.substr(start);
      break;
    }
    const std::string part = path.substr(start, dot - start);
    if (c.level >= lists.size() || part != lists[c.level] + "[]") {
      throw system_error(where + ": " + column + ": '" + path +
                         "' must name a field of the record or of an enclosing list item of "
                         "the rows' path");
    }
    ++c.level;
    start = dot + 1;
  }
  if (c.field.empty() || c.field.find('[') != std::string::npos || c.level >= lists.size()) {
    throw system_error(where + ": " + column + ": '" + path +
                       "' must name a field of the record or of an enclosing list item of the "
                       "rows' path");
  }
  return c;
}

StreamRules Rules::for_stream(std::string_view stream) const {
  StreamRules r = defaults;
  auto it = streams.find(stream);
  if (it == streams.end()) {
    return r;
  }
  const StreamRules &s = it->second;
  r.money.insert(s.money.begin(), s.money.end());
  r.decimals.insert(s.decimals.begin(), s.decimals.end());
  r.integers.insert(s.integers.begin(), s.integers.end());
  r.maps.insert(s.maps.begin(), s.maps.end());
  r.drop.insert(s.drop.begin(), s.drop.end());
  if (s.net_revenue) {
    r.net_revenue = s.net_revenue;
  }
  if (s.rows_from) {
    r.rows_from = s.rows_from;
  }
  if (s.version) {
    r.version = s.version;
  }
  r.json.insert(s.json.begin(), s.json.end());
  return r;
}

Rules parse_rules(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception &e) {
    throw system_error(std::string(kFile) + " is not valid YAML: " + e.what());
  }
  Rules rules;
  try {
    rules.defaults = stream_rules(root["defaults"], "defaults");
    const auto streams = root["streams"];
    if (streams && !streams.IsMap()) {
      throw system_error(std::string(kFile) + ": streams must be a map of stream name -> rules");
    }
    for (const auto &kv : streams) {
      const auto name = kv.first.as<std::string>();
      StreamRules r = stream_rules(kv.second, "streams." + name);
      if (const auto nested = kv.second["nested"]) {
        for (auto &ns : nested_streams(name, nested, r.version.has_value())) {
          rules.nested.push_back(ns);
        }
      }
      rules.streams.emplace(name, std::move(r));
    }
    for (const auto &ns : rules.nested) {
      StreamRules r;
      r.rows_from = ns.rule;
      r.money = ns.money;
      r.decimals = ns.decimals;
      if (!rules.streams.emplace(ns.name, std::move(r)).second) {
        throw system_error(std::string(kFile) + ": nested-list stream " + ns.name + " (" + ns.root +
                           "." + ns.path + ") has the name of another stream");
      }
    }
  } catch (const YAML::Exception &e) {
    throw system_error(std::string(kFile) + ": " + e.what());
  }
  return rules;
}

const Rules &builtin_rules() {
  static const Rules rules = [] {
    auto text = embedded_file(kFile);
    if (!text) {
      throw system_error(std::string(kFile) + " is not compiled into this binary");
    }
    return parse_rules(*text);
  }();
  return rules;
}

} // namespace wc::relational
