#pragma once
// One function per Airbyte verb. Each takes the parsed invocation and the sink, returns an exit
// code, and leaves process concerns (files, signals, exiting) to app/main.cpp.
#include <atomic>

#include "cli/invocation.hpp"
#include "protocol/message_writer.hpp"

namespace wc::commands {

int run_spec(protocol::MessageSink &out);
int run_check(const cli::Invocation &inv, protocol::MessageSink &out);
int run_discover(const cli::Invocation &inv, protocol::MessageSink &out);
int run_read(const cli::Invocation &inv, protocol::MessageSink &out, std::atomic<bool> &cancelled);

} // namespace wc::commands
