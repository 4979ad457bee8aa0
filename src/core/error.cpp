#include "core/error.hpp"

namespace wc {

std::string_view to_string(FailureType type) {
  switch (type) {
  case FailureType::kConfig:
    return "config_error";
  case FailureType::kTransient:
    return "transient_error";
  case FailureType::kSystem:
    return "system_error";
  }
  return "system_error";
}

} // namespace wc
