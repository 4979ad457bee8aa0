#pragma once
// Reads one configured stream to the sink: full refresh (resumable by page), incremental by a
// server-side cursor (cursor_pager), client-side filtered incremental, and child streams read
// through their parents. Generic: WooCommerce specifics come in through ReadContext hooks.
#include <atomic>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/executor.hpp"
#include "core/record_page.hpp"
#include "http/in_flight_limit.hpp"
#include "protocol/message_writer.hpp"
#include "source/page_source.hpp"
#include "source/read_options.hpp"
#include "source/stream_definition.hpp"
#include "source/stream_request.hpp"

namespace wc::source {

struct StoreCapabilities {
  // Routes the store lacks (e.g. "/refunds" before WooCommerce 9.0, "/variations" before 10.3).
  std::function<bool(const std::string &path)> has_route = [](const std::string &) { return true; };
  // False when the store ignores modified_after (WooCommerce older than 5.8).
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

struct ReadContext {
  PageSource &pages;
  protocol::MessageSink &out;
  ReadOptions options;
  StoreCapabilities capabilities;
  std::optional<UnixSeconds> ceiling; // store time at sync start
  std::map<std::string, Transform> transforms;
  std::map<std::string, CustomReader> custom_readers;
  std::atomic<bool> *cancelled = nullptr;
  std::int64_t emitted = 0; // records emitted by this context (one context per stream)
  int parallel_pages = 1;   // pages of a known-size listing fetched ahead (1 = one at a time)
  // Where date windows and pages ahead run (no executor: one at a time, parallel_pages aside).
  core::Executor *executor = nullptr;
  // The requests' adaptive in-flight width (the HttpClient's), which also bounds the pages ahead.
  const http::InFlightLimit *in_flight = nullptr;

  void warn(const std::string &message) { out.log(protocol::LogLevel::kWarn, message); }
  // The same context reading pages from `source`.
  ReadContext with_pages(PageSource &source) const {
    return ReadContext{source,         out,       options, capabilities,   ceiling,  transforms,
                       custom_readers, cancelled, emitted, parallel_pages, executor, in_flight};
  }
  // Serializes the record once and emits it.
  void emit(const StreamDefinition &definition, boost::json::object &record);
};

// True when the stream's records can be read as raw records (core/raw_record.hpp): plain REST
// streams without a transform, whose code reads only top-level scalars. Custom readers and
// transforms get full trees.
bool reads_raw_records(const StreamDefinition &definition);
// The top-level members raw records of these streams keep as values: every member the engine
// reads (ids, cursor fields, the parents' date_modified_gmt, parent ids in child payloads) or
// adds (parent keys, _ab_cdc_deleted_at: kept so that a payload already holding one is seen).
KeptMembers raw_record_members(const std::vector<const StreamDefinition *> &streams);

// Reads the stream; throws wc::Error on failure (the caller reports it and goes on).
void read_stream(ReadContext &ctx, const StreamRequest &stream,
                 const boost::json::object *incoming_state);

// Pages through a full listing: fixed params + per_page + page, from `first_page`, stopping on
// X-WP-TotalPages or an empty page (never a short page), and on a repeated page. Calls
// on_page(records, next_page) after each page. Returns the X-WP-Total of the first page.
// Every item must be an object holding `fields` (else a system_error names the request), and a
// page whose totals contradict it is read again, then fails the listing (transient_error).
std::int64_t page_through(ReadContext &ctx, const std::string &path, http::Params params,
                          const std::string &label, int first_page,
                          const std::function<void(boost::json::array &, int next_page)> &on_page,
                          bool estimate = true, const std::vector<std::string> &fields = {});

} // namespace wc::source
