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
         "  [--fault-rate P] [--faults kind,...]\n";
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
