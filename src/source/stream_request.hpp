#pragma once
// One stream to read and how: what read_stream and custom readers take.
#include "source/stream_definition.hpp"

namespace wc::source {

enum class SyncMode { kFullRefresh, kIncremental };

struct StreamRequest {
  const StreamDefinition *definition = nullptr;
  SyncMode sync_mode = SyncMode::kFullRefresh;
};

} // namespace wc::source
