// woo-demo-store: a local WooCommerce 10 REST emulator (HTTP + HTTPS) for tests and demos.
#include "demo_store/data_gen.hpp"
#include "demo_store/http_frontend.hpp"
#include "demo_store/options.hpp"
#include "demo_store/router.hpp"
#include "demo_store/runtime.hpp"
#include "demo_store/store.hpp"
#include "demo_store/tls_certs.hpp"

#include <boost/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <unistd.h>

namespace {

std::string write_ca(const std::string &wanted, const std::string &pem) {
  std::string path = wanted;
  if (path.empty()) {
    char tmpl[] = "/tmp/woo-demo-ca-XXXXXX.pem";
    const int fd = mkstemps(tmpl, 4);
    if (fd < 0) {
      throw std::runtime_error("cannot create a temporary CA file");
    }
    close(fd);
    path = tmpl;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << pem;
  if (!out) {
    throw std::runtime_error("cannot write the CA file " + path);
  }
  return path;
}

} // namespace

int main(int argc, char **argv) {
  using namespace wc::demo;
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::invalid_argument &e) {
    if (std::string(e.what()) != "help") {
      std::cerr << "woo-demo-store: " << e.what() << "\n";
    }
    std::cerr << usage();
    return 2;
  }
  // Block the stop signals in every thread; main waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    Store store(options.wc_version);
    generate(store, {options.seed, options.orders, options.products, options.customers,
                     options.coupons, options.bulk_second});
    Runtime runtime(options, store);
    Router api, control;
    AppContext ctx{api, store, options, {}};
    ctx.control = &control;
    register_route_index(ctx);
    register_rest_routes(ctx);
    for (const auto &registrar : extra_route_registrars()) {
      registrar(ctx);
    }
    register_control_routes(control, runtime);

    TlsMaterial tls = make_tls_material();
    const std::string ca_file = write_ca(options.ca_out, tls.ca_pem);
    HttpFrontend frontend(runtime, api, control, tls);
    frontend.start();
    store.set_site_api_base("https://" + options.host + ":" +
                            std::to_string(frontend.https_port()) + options.base_path +
                            "/wp-json/wc/v3");

    const std::string ready =
        boost::json::serialize(boost::json::object{{"http_port", frontend.http_port()},
                                                   {"https_port", frontend.https_port()},
                                                   {"ca_file", ca_file},
                                                   {"key", options.key},
                                                   {"secret", options.secret},
                                                   {"app_user", options.app_user},
                                                   {"app_password", options.app_password}});
    if (!options.ready_file.empty()) {
      const std::string tmp = options.ready_file + ".tmp";
      {
        std::ofstream out(tmp, std::ios::trunc);
        out << ready << "\n";
      }
      std::rename(tmp.c_str(), options.ready_file.c_str());
    }
    std::cout << ready << std::endl;

    int sig = 0;
    sigwait(&stop_signals, &sig);
    frontend.stop();
    for (auto &hook : ctx.on_shutdown) {
      hook();
    }
  } catch (const std::exception &e) {
    std::cerr << "woo-demo-store: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
