#pragma once
// `source-woocommerce serve --config FILE --listen HOST:PORT --journal PATH
//   [--retention-days N] [--tls-certificate F --tls-private-key F] [--verbose]`
// Runs the webhook receiver until SIGTERM/SIGINT, then stops cleanly (server stopped, journal
// flushed, clean stop recorded). Log lines for people on stderr. Exit: 0 ok, 1 failure, 2 usage.
#include <string>
#include <vector>

namespace wc::webhook {

int run_serve_command(const std::vector<std::string> &args);

} // namespace wc::webhook
