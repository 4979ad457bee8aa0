#pragma once
// Loads catalog/streams.yaml (compiled into the binary) into StreamDefinitions, validated, with
// the YAML line and column in errors. No YAML::Node leaves this file.
#include <string_view>
#include <vector>

#include "source/stream_definition.hpp"

namespace wc::catalog {

std::vector<source::StreamDefinition> load_definitions(std::string_view yaml_text);
// The built-in definitions (embedded catalog/streams.yaml), loaded once.
const std::vector<source::StreamDefinition> &builtin_definitions();
const source::StreamDefinition *find_definition(std::string_view name);

} // namespace wc::catalog
