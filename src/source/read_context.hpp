#pragma once
// What a stream's reading works with: the services every stream of one read shares (where pages
// come from, where records and states go, the options, what the store can do, the hooks), built
// by name (ReadServices{.pages = ..., .out = ...}), and one stream's own counter (ReadContext).
#include <atomic>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/executor.hpp"
#include "http/in_flight_limit.hpp"
#include "protocol/message_writer.hpp"
#include "source/page_source.hpp"
#include "source/read_options.hpp"
#include "source/stream_definition.hpp"
#include "source/stream_request.hpp"
#include "state/stream_checkpoint.hpp"

namespace wc::source {

struct StoreCapabilities {
  // Routes the store lacks (e.g. "/refunds" or "/variations" on older stores).
  std::function<bool(const std::string &path)> has_route = [](const std::string &) { return true; };
  // False when the store ignores the modified-time window (old stores).
  bool modified_filter = true;
  // The store's own clock at the start of the sync (its Date header).
  std::optional<UnixSeconds> store_now;
};

struct ReadContext;
// A record transform: returns false to drop the record. Applied before serialization.
using Transform = std::function<bool(const StreamDefinition &, boost::json::object &)>;
// A reader for a derived stream kind (e.g. "inventory").
using CustomReader = std::function<void(ReadContext &, const StreamRequest &,
                                        const boost::json::object *incoming_state)>;

// Shared by every stream of one read.
struct ReadServices {
  PageSource &pages;
  protocol::MessageSink &out;
  ReadOptions options{};
  StoreCapabilities capabilities{};
  std::optional<UnixSeconds> ceiling{}; // store time at sync start
  std::map<std::string, Transform> transforms{};
  std::map<std::string, CustomReader> custom_readers{};
  std::atomic<bool> *cancelled = nullptr;
  int parallel_pages = 1; // pages of a known-size listing fetched ahead (1 = one at a time)
  // Where date windows and pages ahead run (no executor: one at a time, parallel_pages aside).
  core::Executor *executor = nullptr;
  // The requests' adaptive in-flight width (the HttpClient's), which also bounds the pages ahead.
  const http::InFlightLimit *in_flight = nullptr;

  // The same services reading pages from `source`.
  ReadServices with_pages(PageSource &source) const {
    return ReadServices{.pages = source,
                        .out = out,
                        .options = options,
                        .capabilities = capabilities,
                        .ceiling = ceiling,
                        .transforms = transforms,
                        .custom_readers = custom_readers,
                        .cancelled = cancelled,
                        .parallel_pages = parallel_pages,
                        .executor = executor,
                        .in_flight = in_flight};
  }
};

// One stream's reading: the services and what this stream counts.
struct ReadContext : ReadServices {
  explicit ReadContext(const ReadServices &services) : ReadServices(services) {}

  std::int64_t emitted = 0; // records emitted by this context (one context per stream)

  void warn(const std::string &message) { out.log(protocol::LogLevel::kWarn, message); }
  // Serializes the record once and emits it.
  void emit(const StreamDefinition &definition, boost::json::object &record);
  // Writes the stream's STATE: state::to_json(checkpoint), the one way the engine shapes a blob.
  void checkpoint(const StreamDefinition &definition, const state::StreamCheckpoint &checkpoint) {
    out.stream_state(definition.name, state::to_json(checkpoint));
  }
};

} // namespace wc::source
