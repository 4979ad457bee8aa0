#pragma once
// Shared fakes for the engine's unit tests (tests/unit/engine_*_test.cpp):
//  - FakeStore: a PageSource serving store-like listings from records held in memory, with the
//    semantics of WooCommerce 10.0.2 (docs: /work/shared/reference/real-store.md and
//    woocommerce-api.md §1.2, §7): page/per_page (max 100, default 10), X-WP-Total and
//    X-WP-TotalPages, a page past the end answering [] with the totals; modified_after/
//    modified_before and after/before as EXCLUSIVE bounds at one-second resolution (only with
//    dates_are_gmt=true: the fake refuses date filters without it); orderby (date, modified, id)
//    with the id tie-break; order (default desc); status (any = everything but trash, trash,
//    or one status); include=; type=; _fields. Every request is recorded, and a test hook runs
//    before each answer (outside the store's lock), so a test can hold a request on a latch.
//  - RecordingSink: a MessageSink keeping records and states in order, which can run a check on
//    every state against what was emitted before it (a checkpoint must never cover records not
//    yet emitted).
#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog/configured_catalog.hpp"
#include "catalog/definition_loader.hpp"
#include "core/executor.hpp"
#include "core/time_util.hpp"
#include "protocol/message_writer.hpp"
#include "source/page_source.hpp"
#include "source/stream_reader.hpp"
#include "woocommerce/page_query.hpp"

namespace wc::test {
namespace json = boost::json;

// A fixed base time for the tests: 2026-11-20T10:00:00 UTC.
inline UnixSeconds base_time() { return *parse_utc("2026-11-20T10:00:00"); }
inline std::string at(UnixSeconds t) { return format_naive_utc(t); }
inline std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

struct Request {
  std::string path;
  http::Params params;

  bool has(const std::string &name) const {
    return std::any_of(params.begin(), params.end(),
                       [&](const auto &p) { return p.first == name; });
  }
  std::string get(const std::string &name) const {
    for (const auto &[k, v] : params) {
      if (k == name) {
        return v;
      }
    }
    return "";
  }
  std::string describe() const { // as woo::describe_query, without "GET "
    std::string s = path;
    char sep = '?';
    for (const auto &[k, v] : params) {
      s += sep + k + "=" + v;
      sep = '&';
    }
    return s;
  }
};

// A record as the store holds it: id, both dates (UTC), status, plus anything given in `extra`.
inline json::object make_record(std::int64_t id, UnixSeconds modified,
                                std::optional<UnixSeconds> created = std::nullopt,
                                const std::string &status = "processing", json::object extra = {}) {
  json::object rec = std::move(extra);
  rec["id"] = id;
  rec["status"] = status;
  rec["date_created_gmt"] = at(created.value_or(modified));
  rec["date_modified_gmt"] = at(modified);
  return rec;
}

class FakeStore : public source::PageSource {
public:
  // Adds the record to the listing at `path`, replacing the record with the same id.
  void put(const std::string &path, json::object record) {
    std::lock_guard lock(mu_);
    auto &list = listings_[path];
    const auto id = record.at("id").as_int64();
    for (auto &r : list) {
      if (r.at("id").as_int64() == id) {
        r = std::move(record);
        return;
      }
    }
    list.push_back(std::move(record));
  }
  // Deletes the record for good (no trace left, as a permanent delete).
  void erase(const std::string &path, std::int64_t id) {
    std::lock_guard lock(mu_);
    auto &list = listings_[path];
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const json::object &r) { return r.at("id").as_int64() == id; }),
               list.end());
  }
  // A copy of the records at `path` (the truth tests compare with).
  std::vector<json::object> records(const std::string &path) const {
    std::lock_guard lock(mu_);
    auto it = listings_.find(path);
    return it == listings_.end() ? std::vector<json::object>{} : it->second;
  }
  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void clear_requests() {
    std::lock_guard lock(mu_);
    requests_.clear();
  }

  // Runs before each answer, outside the store's lock (from whichever thread fetches).
  std::function<void(const Request &)> on_request;

  // Recorded and answered as the store's query (woocommerce/page_query.hpp): the store's own
  // semantics, on the parameters the connector really sends.
  std::string describe(const source::PageRequest &request) const override {
    return woo::describe_query(request);
  }
  source::Page fetch(const source::PageRequest &request, std::string_view) override {
    Request req{request.path, woo::to_query(request)};
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req);
    }
    if (on_request) {
      on_request(req);
    }
    std::lock_guard lock(mu_);
    return answer(req);
  }

private:
  static UnixSeconds time_of(const json::object &r, const char *field) {
    const auto *v = r.if_contains(field);
    if (v == nullptr || !v->is_string()) {
      throw std::logic_error(std::string("fake store: record without ") + field);
    }
    return *parse_utc(v->as_string());
  }

  source::Page answer(const Request &req) const {
    const int per_page = req.has("per_page") ? std::stoi(req.get("per_page")) : 10;
    const int page = req.has("page") ? std::stoi(req.get("page")) : 1;
    if (per_page < 1 || per_page > 100 || page < 1) {
      throw std::logic_error("fake store: 400 rest_invalid_param: " + req.describe());
    }
    const bool date_filter = req.has("modified_after") || req.has("modified_before") ||
                             req.has("after") || req.has("before");
    if (date_filter && req.get("dates_are_gmt") != "true") {
      throw std::logic_error("fake store: a date filter without dates_are_gmt=true (site-local "
                             "time): " +
                             req.describe());
    }
    auto bound = [&](const char *name) -> std::optional<UnixSeconds> {
      if (!req.has(name)) {
        return std::nullopt;
      }
      auto t = parse_utc(req.get(name));
      if (!t) {
        throw std::logic_error("fake store: malformed date in " + req.describe());
      }
      return t;
    };
    const auto modified_after = bound("modified_after");
    const auto modified_before = bound("modified_before");
    const auto created_after = bound("after");
    const auto created_before = bound("before");
    std::set<std::int64_t> include;
    if (req.has("include")) {
      std::stringstream ss(req.get("include"));
      std::string item;
      while (std::getline(ss, item, ',')) {
        include.insert(std::stoll(item));
      }
    }
    const std::string status = req.has("status") ? req.get("status") : "any";

    std::vector<const json::object *> rows;
    auto it = listings_.find(req.path);
    if (it != listings_.end()) {
      for (const auto &r : it->second) {
        const auto *st = r.if_contains("status");
        const std::string rs = st != nullptr && st->is_string() ? std::string(st->as_string()) : "";
        if (status == "any" ? rs == "trash" : rs != status) {
          continue;
        }
        if (req.has("include") && include.count(r.at("id").as_int64()) == 0) {
          continue;
        }
        if (req.has("type")) {
          const auto *ty = r.if_contains("type");
          if (ty == nullptr || !ty->is_string() || ty->as_string() != req.get("type")) {
            continue;
          }
        }
        // Exclusive bounds, as WP_Date_Query: a bound equal to the record's second leaves it out.
        if ((modified_after && !(time_of(r, "date_modified_gmt") > *modified_after)) ||
            (modified_before && !(time_of(r, "date_modified_gmt") < *modified_before)) ||
            (created_after && !(time_of(r, "date_created_gmt") > *created_after)) ||
            (created_before && !(time_of(r, "date_created_gmt") < *created_before))) {
          continue;
        }
        rows.push_back(&r);
      }
    }
    const std::string orderby = req.has("orderby") ? req.get("orderby") : "date";
    const bool asc = req.get("order") == "asc"; // WooCommerce's default order is desc
    auto key = [&](const json::object *r) {
      const auto id = r->at("id").as_int64();
      if (orderby == "modified") {
        return std::make_pair(time_of(*r, "date_modified_gmt"), id);
      }
      if (orderby == "id") {
        return std::make_pair(UnixSeconds{0}, id);
      }
      return std::make_pair(time_of(*r, "date_created_gmt"), id); // date, with the ID tie-break
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const json::object *a, const json::object *b) {
      return asc ? key(a) < key(b) : key(b) < key(a);
    });

    std::vector<std::string> fields;
    if (req.has("_fields")) {
      std::stringstream ss(req.get("_fields"));
      std::string f;
      while (std::getline(ss, f, ',')) {
        fields.push_back(f);
      }
    }
    json::array body;
    const std::size_t first = static_cast<std::size_t>(page - 1) * per_page;
    for (std::size_t i = first; i < rows.size() && i < first + per_page; ++i) {
      if (fields.empty()) {
        body.push_back(*rows[i]);
      } else {
        json::object projected;
        for (const auto &f : fields) {
          if (const auto *v = rows[i]->if_contains(f)) {
            projected[f] = *v;
          }
        }
        body.push_back(std::move(projected));
      }
    }
    source::Page p;
    p.body = std::move(body);
    p.total = static_cast<std::int64_t>(rows.size());
    p.total_pages = (p.total + per_page - 1) / per_page;
    return p;
  }

  mutable std::mutex mu_;
  std::map<std::string, std::vector<json::object>> listings_;
  std::vector<Request> requests_;
};

class RecordingSink : public protocol::MessageSink {
public:
  struct State {
    std::string stream;
    json::value blob;
    std::size_t records_before; // records emitted (all streams) before this state
  };

  // Runs on every state, under the sink's lock, with the records emitted so far.
  std::function<void(const std::string &stream, const json::value &blob,
                     const std::vector<std::pair<std::string, json::object>> &records)>
      check_state;

  void record(std::string_view stream, std::string_view data_json) override {
    {
      std::lock_guard lock(mu_);
      records_.emplace_back(std::string(stream), json::parse(data_json).as_object());
    }
    cv_.notify_all();
  }
  void stream_state(std::string_view stream, const json::value &state) override {
    std::lock_guard lock(mu_);
    if (check_state) {
      check_state(std::string(stream), state, records_);
    }
    states_.push_back({std::string(stream), state, records_.size()});
  }
  void log(protocol::LogLevel level, std::string_view message) override {
    std::lock_guard lock(mu_);
    logs_.emplace_back(level, std::string(message));
  }
  void stream_status(std::string_view, protocol::StreamStatus, std::int64_t) override {}
  void estimate(std::string_view, std::int64_t) override {}
  void error(FailureType, std::string_view, std::string_view, std::string_view) override {}
  void message(const json::object &) override {}

  std::vector<std::pair<std::string, json::object>> records() const {
    std::lock_guard lock(mu_);
    return records_;
  }
  std::vector<State> states() const {
    std::lock_guard lock(mu_);
    return states_;
  }
  std::vector<std::pair<protocol::LogLevel, std::string>> logs() const {
    std::lock_guard lock(mu_);
    return logs_;
  }
  // The ids of the records emitted for `stream`, in emission order.
  std::vector<std::int64_t> ids(const std::string &stream) const {
    std::lock_guard lock(mu_);
    std::vector<std::int64_t> out;
    for (const auto &[s, r] : records_) {
      if (s == stream) {
        out.push_back(r.at("id").as_int64());
      }
    }
    return out;
  }
  const json::object &last_state(const std::string &stream) const {
    std::lock_guard lock(mu_);
    for (auto it = states_.rbegin(); it != states_.rend(); ++it) {
      if (it->stream == stream) {
        return it->blob.as_object();
      }
    }
    throw std::logic_error("no state for " + stream);
  }
  // Waits (bounded: a deadlock guard, not a timing assertion) until `pred(records)` holds.
  bool wait_records(
      const std::function<bool(const std::vector<std::pair<std::string, json::object>> &)> &pred) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return pred(records_); });
  }

private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, json::object>> records_;
  std::vector<State> states_;
  std::vector<std::pair<protocol::LogLevel, std::string>> logs_;
};

// A RecordingSink::check_state failing the test when a state of `stream` claims a record of
// `truth` (not trashed) as read while it was not emitted yet: a cursor state {<field>: c,
// boundary_ids: B} (under `nest` when given, e.g. "parent_cursor") claims every record modified
// before c and those of second c in B. `before` holds the ids emitted by earlier syncs (what the
// incoming state already claims).
inline auto claims_only_emitted(std::vector<json::object> truth, std::string stream,
                                std::string field = "date_modified_gmt", std::string nest = "",
                                std::set<std::int64_t> before = {}) {
  return [truth = std::move(truth), stream = std::move(stream), field = std::move(field),
          nest = std::move(nest), before = std::move(before)](
             const std::string &s, const json::value &blob,
             const std::vector<std::pair<std::string, json::object>> &emitted) {
    if (s != stream || !blob.is_object()) {
      return;
    }
    const json::object *cur = &blob.as_object();
    if (!nest.empty()) {
      const auto *n = cur->if_contains(nest);
      if (n == nullptr || !n->is_object()) {
        return;
      }
      cur = &n->as_object();
    }
    const auto *c = cur->if_contains(field);
    if (c == nullptr || !c->is_string()) {
      return;
    }
    const UnixSeconds cursor = *parse_utc(c->as_string());
    std::set<std::int64_t> boundary;
    if (const auto *b = cur->if_contains("boundary_ids"); b != nullptr && b->is_array()) {
      for (const auto &id : b->as_array()) {
        boundary.insert(id.as_int64());
      }
    }
    std::set<std::int64_t> done = before;
    for (const auto &[es, r] : emitted) {
      if (es == stream) {
        done.insert(r.at("id").as_int64());
      }
    }
    std::vector<std::int64_t> missing;
    for (const auto &r : truth) {
      if (r.at("status").as_string() == "trash") {
        continue;
      }
      const auto id = r.at("id").as_int64();
      const UnixSeconds t = *parse_utc(r.at(field).as_string());
      if ((t < cursor || (t == cursor && boundary.count(id) > 0)) && done.count(id) == 0) {
        missing.push_back(id);
      }
    }
    if (!missing.empty()) {
      std::string ids;
      for (auto id : missing) {
        ids += (ids.empty() ? "" : ",") + std::to_string(id);
      }
      ADD_FAILURE() << "state " << json::serialize(blob) << " of " << stream << " claims "
                    << missing.size() << " records not emitted yet: " << ids;
    }
  };
}

// A configuration for engine tests: small pages, no start date.
inline source::ReadOptions test_config(int per_page = 10) {
  source::ReadOptions config;
  config.page_size = per_page;
  return config;
}

inline source::ReadContext make_context(source::PageSource &pages, protocol::MessageSink &out,
                                        const source::ReadOptions &config,
                                        std::optional<UnixSeconds> ceiling) {
  return source::ReadContext(
      source::ReadServices{.pages = pages, .out = out, .options = config, .ceiling = ceiling});
}

// Reads the built-in stream `name` (catalog/streams.yaml) once, as `read` would, with a fresh
// context; `tweak` adjusts the context first (capabilities, parallel_pages).
inline void read_once(source::PageSource &pages, protocol::MessageSink &out,
                      const source::ReadOptions &config, const std::string &name,
                      source::SyncMode mode, const json::object *state,
                      std::optional<UnixSeconds> ceiling,
                      const std::function<void(source::ReadContext &)> &tweak = {}) {
  const source::StreamDefinition *d = catalog::find_definition(name);
  if (d == nullptr) {
    throw std::logic_error("no built-in stream " + name);
  }
  source::ReadContext ctx = make_context(pages, out, config, ceiling);
  core::Executor executor(4); // what windows and pages ahead run on (read.cpp: max_concurrency)
  ctx.executor = &executor;
  if (tweak) {
    tweak(ctx);
  }
  source::StreamRequest stream{d, mode};
  source::read_stream(ctx, stream, state);
}

// The incoming state Airbyte would send back for one stream's blob.
inline json::value stream_state_message(const std::string &stream, const json::value &blob) {
  return json::array{
      json::object{{"type", "STREAM"},
                   {"stream", json::object{{"stream_descriptor", json::object{{"name", stream}}},
                                           {"stream_state", blob}}}}};
}

} // namespace wc::test
