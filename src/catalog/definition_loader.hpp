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
// The reference-data streams (embedded catalog/reference_streams.yaml), offered by the relational
// output only (docs/relational.md).
const std::vector<source::StreamDefinition> &reference_definitions();
// A built-in or reference-data stream by name; nullptr when there is none.
const source::StreamDefinition *find_definition(std::string_view name);

} // namespace wc::catalog
