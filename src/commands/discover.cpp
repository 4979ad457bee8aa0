#include "catalog/catalog_builder.hpp"
#include "commands/commands.hpp"
#include "config/connector_config.hpp"

namespace wc::commands {

int run_discover(const cli::Invocation &inv, protocol::MessageSink &out) {
  // The catalog does not depend on the store, but a broken config must still be reported.
  (void)load_config_file(inv.flags.at("config"));
  out.message(boost::json::object{{"type", "CATALOG"}, {"catalog", catalog::build_catalog()}});
  return 0;
}

} // namespace wc::commands
