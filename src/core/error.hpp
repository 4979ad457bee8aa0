#pragma once
// One error type for everything that stops a command. The failure type decides how the
// Airbyte platform treats it: config_error (the user must fix something), transient_error
// (may pass on retry), system_error (a bug or the unexpected).
#include <stdexcept>
#include <string>
#include <string_view>

namespace wc {

enum class FailureType { kConfig, kTransient, kSystem };

std::string_view to_string(FailureType type);

class Error : public std::runtime_error {
public:
  Error(FailureType type, const std::string &message, std::string internal = {})
      : std::runtime_error(message), type_(type), internal_(std::move(internal)) {}
  FailureType type() const { return type_; }
  const std::string &internal() const { return internal_; }

private:
  FailureType type_;
  std::string internal_;
};

inline Error config_error(const std::string &m) { return Error(FailureType::kConfig, m); }
inline Error transient_error(const std::string &m) { return Error(FailureType::kTransient, m); }
inline Error system_error(const std::string &m) { return Error(FailureType::kSystem, m); }

} // namespace wc
