#pragma once
// Builds the AirbyteCatalog that `discover` prints, from the stream definitions and their
// JSON schemas (catalog/schemas/<stream>.json, compiled into the binary).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "source/stream_definition.hpp"

namespace wc::catalog {

boost::json::value stream_schema(const source::StreamDefinition &definition);
boost::json::object airbyte_stream(const source::StreamDefinition &definition);
boost::json::object build_catalog();

} // namespace wc::catalog
