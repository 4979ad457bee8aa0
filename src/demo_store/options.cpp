#include "demo_store/options.hpp"

#include <sstream>
#include <stdexcept>

namespace wc::demo {
namespace {

std::vector<int> version_parts(const std::string &v) {
  std::vector<int> parts;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, '.')) {
    try {
      parts.push_back(std::stoi(item));
    } catch (const std::exception &) {
      parts.push_back(0);
    }
  }
  while (parts.size() < 3) {
    parts.push_back(0);
  }
  return parts;
}

std::vector<std::string> split_commas(const std::string &s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

int to_int(const std::string &flag, const std::string &v) {
  try {
    std::size_t used = 0;
    int n = std::stoi(v, &used);
    if (used != v.size() || n < 0) {
      throw std::invalid_argument(v);
    }
    return n;
  } catch (const std::exception &) {
    throw std::invalid_argument(flag + " expects a non-negative integer, got '" + v + "'");
  }
}

} // namespace

bool version_at_least(const std::string &version, const std::string &minimum) {
  return version_parts(version) >= version_parts(minimum);
}

std::string usage() {
  return "usage: woo-demo-store [--host 127.0.0.1] [--http-port N] [--https-port N] [--seed N]\n"
         "  [--orders N] [--products N] [--customers N] [--coupons N] [--bulk-second N]\n"
         "  [--ready-file PATH] [--ca-out PATH] [--threads N] [--latency-ms N]\n"
         "  [--plain-permalinks] [--strip-auth-header] [--strip-route-args] [--wc-version X.Y.Z]\n"
         "  [--base-path /shop] [--key K] [--secret S] [--gzip] [--rate-limit N/SECONDS]\n"
         "  [--fault-rate P] [--faults kind,...] [--rest-route-auth legacy|modern]\n"
         "  [--app-user NAME] [--app-password PW] [--no-app-passwords]\n"
         "  [--wp-environment production|local]\n"
         "\n"
         "Authentication:\n"
         "  --key/--secret            the shop manager's API key (default ck_demo_key /\n"
         "                            cs_demo_secret); ck_demo_readonly / cs_demo_readonly is a\n"
         "                            key whose user may not read manager-only routes.\n"
         "  --rest-route-auth MODE    API keys on ?rest_route= URLs (--plain-permalinks). legacy\n"
         "                            (default) = WooCommerce 10.0.x: keys count only when the\n"
         "                            raw request URI contains wp-json/wc/ (an extra parameter\n"
         "                            such as wc_route_hint=/wp-json/wc/v3/orders does it);\n"
         "                            modern = newer WooCommerce, which reads rest_route itself.\n"
         "  --app-user/--app-password WordPress application password of an administrator\n"
         "                            (default demo-admin / \"Demo Appl Pass 2024 Wooc Test\",\n"
         "                            spaces optional); HTTP Basic on every route. The user\n"
         "                            demo-customer / \"Cust Omer Appl Pass 0000 0001\" is logged\n"
         "                            in but has no shop rights (403).\n"
         "  --no-app-passwords        application passwords disabled, as by a security plugin\n"
         "                            (401 application_passwords_disabled).\n"
         "  --wp-environment TYPE     production (default): application passwords only over\n"
         "                            HTTPS, as WordPress does; local: over plain HTTP too.\n";
}

Options parse_options(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    bool has_inline = false;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_inline = true;
    }
    auto next = [&]() -> std::string {
      if (has_inline) {
        return value;
      }
      if (i + 1 >= argc) {
        throw std::invalid_argument(flag + " needs a value");
      }
      return argv[++i];
    };
    if (flag == "--host") {
      o.host = next();
    } else if (flag == "--http-port") {
      o.http_port = to_int(flag, next());
    } else if (flag == "--https-port") {
      o.https_port = to_int(flag, next());
    } else if (flag == "--seed") {
      o.seed = static_cast<std::uint64_t>(to_int(flag, next()));
    } else if (flag == "--orders") {
      o.orders = to_int(flag, next());
    } else if (flag == "--products") {
      o.products = to_int(flag, next());
    } else if (flag == "--customers") {
      o.customers = to_int(flag, next());
    } else if (flag == "--coupons") {
      o.coupons = to_int(flag, next());
    } else if (flag == "--bulk-second") {
      o.bulk_second = to_int(flag, next());
    } else if (flag == "--ready-file") {
      o.ready_file = next();
    } else if (flag == "--ca-out") {
      o.ca_out = next();
    } else if (flag == "--threads") {
      o.threads = std::max(1, to_int(flag, next()));
    } else if (flag == "--latency-ms") {
      o.latency_ms = to_int(flag, next());
    } else if (flag == "--plain-permalinks") {
      o.plain_permalinks = true;
    } else if (flag == "--strip-auth-header") {
      o.strip_auth_header = true;
    } else if (flag == "--strip-route-args") {
      o.strip_route_args = true;
    } else if (flag == "--wc-version") {
      o.wc_version = next();
    } else if (flag == "--base-path") {
      o.base_path = next();
      while (!o.base_path.empty() && o.base_path.back() == '/') {
        o.base_path.pop_back();
      }
      if (!o.base_path.empty() && o.base_path.front() != '/') {
        o.base_path.insert(o.base_path.begin(), '/');
      }
    } else if (flag == "--key") {
      o.key = next();
    } else if (flag == "--secret") {
      o.secret = next();
    } else if (flag == "--rest-route-auth") {
      o.rest_route_auth = next();
      if (o.rest_route_auth != "legacy" && o.rest_route_auth != "modern") {
        throw std::invalid_argument("--rest-route-auth expects legacy or modern");
      }
    } else if (flag == "--app-user") {
      o.app_user = next();
    } else if (flag == "--app-password") {
      o.app_password = next();
    } else if (flag == "--no-app-passwords") {
      o.app_passwords = false;
    } else if (flag == "--wp-environment") {
      o.wp_environment = next();
      if (o.wp_environment != "production" && o.wp_environment != "local") {
        throw std::invalid_argument("--wp-environment expects production or local");
      }
    } else if (flag == "--gzip") {
      o.gzip = true;
    } else if (flag == "--rate-limit") {
      std::string v = next();
      auto slash = v.find('/');
      if (slash == std::string::npos) {
        throw std::invalid_argument("--rate-limit expects N/SECONDS");
      }
      o.rate_requests = to_int(flag, v.substr(0, slash));
      o.rate_window_seconds = to_int(flag, v.substr(slash + 1));
    } else if (flag == "--fault-rate") {
      try {
        o.fault_rate = std::stod(next());
      } catch (const std::exception &) {
        throw std::invalid_argument("--fault-rate expects a number between 0 and 1");
      }
    } else if (flag == "--faults") {
      o.fault_kinds = split_commas(next());
    } else if (flag == "--help" || flag == "-h") {
      throw std::invalid_argument("help");
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  return o;
}

} // namespace wc::demo
