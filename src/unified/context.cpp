#include "unified/context.hpp"

#include "core/error.hpp"
#include "unified/status_table.hpp"

namespace wc::unified {

Context context_from(const ConnectorConfig &cfg) {
  Context ctx;
  ctx.store_id = cfg.store_id;
  const StatusTable &table = StatusTable::builtin();
  for (const auto &[given, target] : cfg.unified_status_map) {
    // WooCommerce stores statuses as wc-<slug>; the REST API sends the slug.
    const std::string status = given.rfind("wc-", 0) == 0 ? given.substr(3) : given;
    if (table.is_platform_status(status)) {
      throw config_error("config field 'unified_status_map' maps '" + given +
                         "', a WooCommerce status whose unified status is fixed by the decision "
                         "table (docs/unified.md): list only custom (plugin) statuses");
    }
    ctx.status_map[status] = target;
  }
  return ctx;
}

} // namespace wc::unified
