#include "catalog/definition_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc::catalog {
namespace {

std::string where(const YAML::Node &node) {
  return " (catalog/streams.yaml line " + std::to_string(node.Mark().line + 1) + ")";
}

std::string text(const YAML::Node &node, const char *key, bool required, const YAML::Node &ctx) {
  if (!node[key]) {
    if (required) {
      throw system_error(std::string("stream definition lacks '") + key + "'" + where(ctx));
    }
    return {};
  }
  return node[key].as<std::string>();
}

http::Params params(const YAML::Node &node) {
  http::Params out;
  if (node) {
    for (const auto &kv : node) {
      out.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    }
  }
  return out;
}

source::StreamDefinition decode(const YAML::Node &n) {
  source::StreamDefinition d;
  d.name = text(n, "name", true, n);
  d.kind = n["kind"] ? n["kind"].as<std::string>() : "rest";
  d.path = text(n, "path", true, n);
  d.fallback_path = text(n, "fallback_path", false, n);
  d.fallback_reason = text(n, "fallback_reason", !d.fallback_path.empty(), n);
  for (const auto &key : n["primary_key"]) {
    d.primary_key.push_back(key.as<std::vector<std::string>>());
  }
  if (d.primary_key.empty()) {
    throw system_error("stream " + d.name + " has no primary_key" + where(n));
  }
  auto paging = text(n, "paging", true, n);
  if (paging == "pages") {
    d.paging = source::Paging::kPages;
  } else if (paging == "single") {
    d.paging = source::Paging::kSingle;
  } else {
    throw system_error("stream " + d.name + ": paging must be pages or single" + where(n));
  }
  d.params = params(n["params"]);
  d.full_params = params(n["full_params"]);
  if (auto c = n["cursor"]) {
    auto kind = text(c, "kind", true, c);
    if (kind == "modified") {
      d.cursor_kind = source::CursorKind::kModified;
    } else if (kind == "created") {
      d.cursor_kind = source::CursorKind::kCreated;
    } else if (kind == "client") {
      d.cursor_kind = source::CursorKind::kClient;
    } else if (kind == "parent") {
      d.cursor_kind = source::CursorKind::kParent;
    } else {
      throw system_error("stream " + d.name + ": unknown cursor kind " + kind + where(c));
    }
    d.cursor_field = text(c, "field", true, c);
  }
  if (auto p = n["parent"]) {
    source::ParentRef ref;
    ref.stream = text(p, "stream", true, p);
    ref.key = text(p, "key", true, p);
    ref.type = text(p, "type", false, p);
    ref.source_field = text(p, "source_field", false, p);
    d.parent = ref;
  }
  d.permission = n["permission"] ? n["permission"].as<std::string>() : "read";
  d.family = text(n, "family", true, n);
  d.trash = n["trash"] && n["trash"].as<bool>();
  d.transform = text(n, "transform", false, n);
  if (auto f = n["fed_by"]) {
    d.fed_by = f.IsSequence() ? f.as<std::vector<std::string>>()
                              : std::vector<std::string>{f.as<std::string>()};
  }
  return d;
}

} // namespace

std::vector<source::StreamDefinition> load_definitions(std::string_view yaml_text) {
  std::vector<source::StreamDefinition> out;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    std::set<std::string> names;
    for (const auto &n : root["streams"]) {
      auto d = decode(n);
      if (!names.insert(d.name).second) {
        throw system_error("stream " + d.name + " is defined twice" + where(n));
      }
      out.push_back(std::move(d));
    }
  } catch (const YAML::Exception &e) {
    throw system_error("catalog/streams.yaml: " + e.msg + " (line " +
                       std::to_string(e.mark.line + 1) + ")");
  }
  for (auto &d : out) {
    if (!d.parent) {
      continue;
    }
    auto parent = std::find_if(out.begin(), out.end(),
                               [&](const auto &p) { return p.name == d.parent->stream; });
    if (parent == out.end() || parent->parent) {
      throw system_error("stream " + d.name + " names an unknown or nested parent " +
                         d.parent->stream);
    }
    d.parent->path = parent->path;
    d.parent->params = parent->params;
    d.parent->paging = parent->paging;
    d.parent->cursor_field = parent->cursor_field;
    if (d.parent->cursor_field.empty() &&
        (d.cursor_kind == source::CursorKind::kParent || !d.fallback_path.empty())) {
      throw system_error("stream " + d.name + " finds changed parents but its parent " +
                         parent->name + " has no cursor field");
    }
  }
  return out;
}

const std::vector<source::StreamDefinition> &builtin_definitions() {
  static const std::vector<source::StreamDefinition> defs = [] {
    auto text = embedded_file("catalog/streams.yaml");
    if (!text) {
      throw system_error("catalog/streams.yaml is not compiled into this binary");
    }
    return load_definitions(*text);
  }();
  return defs;
}

const std::vector<source::StreamDefinition> &reference_definitions() {
  static const std::vector<source::StreamDefinition> defs = [] {
    auto text = embedded_file("catalog/reference_streams.yaml");
    if (!text) {
      throw system_error("catalog/reference_streams.yaml is not compiled into this binary");
    }
    return load_definitions(*text);
  }();
  return defs;
}

const source::StreamDefinition *find_definition(std::string_view name) {
  for (const auto &d : builtin_definitions()) {
    if (d.name == name) {
      return &d;
    }
  }
  for (const auto &d : reference_definitions()) {
    if (d.name == name) {
      return &d;
    }
  }
  return nullptr;
}

} // namespace wc::catalog
