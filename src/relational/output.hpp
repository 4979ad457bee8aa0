#pragma once
// The output switch (config `output: raw | relational`, docs/relational.md) as discover, read and
// Singer mode use it: which catalog is offered, and which sink records go through.
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <string>

#include "config/connector_config.hpp"
#include "protocol/message_writer.hpp"
#include "relational/relational_schema.hpp"

namespace wc::relational {

Options options_from(const ConnectorConfig &cfg);

// The plans of the relational family: every built-in stream plus the reference-data streams.
std::map<std::string, StreamPlan, std::less<>> relational_plans(const Options &options);

// The relational family's AirbyteCatalog: the same stream names and keys, relational schemas,
// cursors renamed by the naming rule (date_modified_gmt -> date_modified_at).
boost::json::object build_relational_catalog(const Options &options);

// What discover offers: today's catalog with output raw, the relational family otherwise.
boost::json::object offered_catalog(const ConnectorConfig &cfg);

// The sink read writes records through: nullptr with output raw (write to `out` directly), a
// RelationalSink around `out` otherwise (it says so in an INFO line).
std::unique_ptr<protocol::MessageSink> output_sink(const ConnectorConfig &cfg,
                                                   protocol::MessageSink &out);

} // namespace wc::relational
