#include "commands/commands.hpp"
#include "config/connector_config.hpp"
#include "relational/output.hpp"
#include "unified/unified_streams.hpp"

namespace wc::commands {

int run_discover(const cli::Invocation &inv, protocol::MessageSink &out) {
  // The catalog does not depend on the store, but a broken config must still be reported.
  const ConnectorConfig cfg = load_config_file(inv.flags.at("config"));
  // output: raw offers today's catalog; relational the relational family (docs/relational.md).
  if (cfg.output == OutputShape::kRelational) {
    out.log(protocol::LogLevel::kInfo, "output: relational: the relational family (flattened, "
                                       "typed records; see docs/relational.md)");
  }
  out.message(boost::json::object{{"type", "CATALOG"}, {"catalog", unified::offered_catalog(cfg)}});
  return 0;
}

} // namespace wc::commands
