#pragma once
// The output switch (config `output: raw | relational`, docs/relational.md) as discover, read and
// Singer mode use it: which catalog is offered, and which sink records go through.
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/configured_catalog.hpp"
#include "config/connector_config.hpp"
#include "protocol/message_writer.hpp"
#include "relational/relational_schema.hpp"
#include "source/stream_definition.hpp"

namespace wc::relational {

Options options_from(const ConnectorConfig &cfg);

// The nested-list streams' definitions (catalog/relational.yaml `nested`): each its root's
// definition under its own name, key and cursor (_parent_version), fed_by its root.
const std::vector<source::StreamDefinition> &nested_definitions();
// A stream of the relational family by name: a nested-list stream, or catalog::find_definition.
const source::StreamDefinition *find_family_definition(std::string_view name);

// The plans of the relational family: every built-in stream plus the reference-data streams.
std::map<std::string, StreamPlan, std::less<>> relational_plans(const Options &options);

// The relational family's AirbyteCatalog: the same stream names and keys, relational schemas,
// cursors renamed by the naming rule (date_modified_gmt -> date_modified_at).
boost::json::object build_relational_catalog(const Options &options);

// The lookup of the streams a configured catalog may select: nullptr (the built-in streams) with
// output raw, find_family_definition otherwise.
catalog::DefinitionLookup offered_definitions(const ConnectorConfig &cfg);

// What discover offers: today's catalog with output raw, the relational family otherwise.
boost::json::object offered_catalog(const ConnectorConfig &cfg);

// The sink read writes records through: nullptr with output raw (write to `out` directly), a
// RelationalSink around `out` otherwise (it says so in an INFO line).
std::unique_ptr<protocol::MessageSink> output_sink(const ConnectorConfig &cfg,
                                                   protocol::MessageSink &out);

} // namespace wc::relational
