#pragma once
// What a read ends with, for the front door (app/failure_report.*) to turn into the final message
// and the exit code. Each failed stream was reported with its own TRACE error when it failed, and
// the other streams went on.
#include <string>
#include <vector>

#include "core/error.hpp"

namespace wc::commands {

struct FailedStream {
  std::string name;
  FailureType type;
};

struct ReadResult {
  std::vector<FailedStream> failed; // in the order they failed
  bool interrupted = false;         // SIGTERM/SIGINT arrived during the read
};

} // namespace wc::commands
