#include "source/derived_streams.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "core/error.hpp"
#include "state/stream_checkpoint.hpp"

namespace wc::source {
namespace json = boost::json;
using protocol::StreamStatus;

std::vector<SourceRead>
plan_source_reads(const std::vector<StreamRequest> &selected,
                  const std::function<const StreamDefinition *(std::string_view)> &find) {
  std::vector<SourceRead> reads;
  std::vector<bool> all_incremental;
  auto group = [&](const StreamDefinition *source) -> std::size_t {
    for (std::size_t i = 0; i < reads.size(); ++i) {
      if (reads[i].source->name == source->name) {
        return i;
      }
    }
    reads.push_back(SourceRead{source, SyncMode::kFullRefresh, false, {}});
    all_incremental.push_back(source->incremental());
    return reads.size() - 1;
  };
  for (const auto &s : selected) {
    const StreamDefinition &d = *s.definition;
    const bool incremental = s.sync_mode == SyncMode::kIncremental;
    if (d.fed_by.empty()) {
      const std::size_t i = group(&d);
      reads[i].source_selected = true;
      reads[i].members.push_back(d.name);
      all_incremental[i] = all_incremental[i] && incremental;
      continue;
    }
    for (const auto &name : d.fed_by) {
      const StreamDefinition *source = find(name);
      if (source == nullptr || !source->fed_by.empty()) {
        throw system_error("stream " + d.name + " is fed by '" + name +
                           "', which is not a stream read by itself");
      }
      const std::size_t i = group(source);
      reads[i].members.push_back(d.name);
      all_incremental[i] = all_incremental[i] && incremental;
    }
  }
  for (std::size_t i = 0; i < reads.size(); ++i) {
    reads[i].sync_mode = all_incremental[i] ? SyncMode::kIncremental : SyncMode::kFullRefresh;
  }
  return reads;
}

const json::object *member_checkpoint(const StreamDefinition &member, const json::object *blob,
                                      const std::string &source) {
  if (blob == nullptr || member.fed_by.size() <= 1) {
    return blob;
  }
  const auto *sources = blob->if_contains(kSourcesKey);
  const auto *cp = sources != nullptr && sources->is_object()
                       ? sources->get_object().if_contains(source)
                       : nullptr;
  return cp != nullptr && cp->is_object() ? &cp->get_object() : nullptr;
}

const json::object *
lowest_checkpoint(const StreamDefinition &source,
                  const std::vector<std::pair<std::string, const json::object *>> &members) {
  const json::object *lowest = nullptr;
  std::int64_t lowest_progress = std::numeric_limits<std::int64_t>::max();
  for (const auto &[name, blob] : members) {
    if (blob == nullptr) {
      return nullptr; // a member without state: read from the start
    }
    const state::StreamCheckpoint cp = state::from_json(*blob, source.cursor_field, name);
    // How far the blob has come: its cursor (incremental), else its full refresh's next page.
    std::optional<UnixSeconds> cursor =
        source.cursor_kind == CursorKind::kParent
            ? (cp.parent_cursor ? cp.parent_cursor->value : std::nullopt)
            : cp.start_cursor();
    std::int64_t progress = 0;
    if (source.incremental()) {
      progress = cursor ? *cursor : std::numeric_limits<std::int64_t>::min();
    } else {
      progress = cp.first_page();
    }
    if (lowest == nullptr || progress < lowest_progress) {
      lowest = blob;
      lowest_progress = progress;
    }
  }
  return lowest;
}

FanOutSink::FanOutSink(protocol::MessageSink &out, const std::vector<SourceRead> &plan,
                       const std::function<const StreamDefinition *(std::string_view)> &find,
                       std::map<std::string, json::object> incoming)
    : out_(out) {
  for (const auto &r : plan) {
    members_[r.source->name] = r.members;
    for (const auto &m : r.members) {
      const StreamDefinition *d = m == r.source->name ? r.source : find(m);
      if (d == nullptr || d->fed_by.size() <= 1 || multi_.count(m)) {
        continue;
      }
      Multi &x = multi_[m];
      x.sources = d->fed_by;
      auto it = incoming.find(m);
      if (it != incoming.end()) {
        if (const auto *s = it->second.if_contains(kSourcesKey); s != nullptr && s->is_object()) {
          x.checkpoints = s->get_object();
        }
      }
    }
  }
}

const std::vector<std::string> &FanOutSink::members(std::string_view source) const {
  static const std::vector<std::string> kNone;
  auto it = members_.find(source);
  return it == members_.end() ? kNone : it->second;
}

void FanOutSink::record(std::string_view source, std::string_view data_json) {
  auto it = members_.find(source);
  if (it == members_.end() || (it->second.size() == 1 && it->second[0] == source)) {
    out_.record(source, data_json); // a stream read for itself alone: as before
    return;
  }
  out_.record_for(it->second, data_json);
}

void FanOutSink::record_for(const std::vector<std::string> &streams, std::string_view data_json) {
  out_.record_for(streams, data_json);
}

void FanOutSink::stream_state(std::string_view source, const json::value &state) {
  auto it = members_.find(source);
  if (it == members_.end()) {
    out_.stream_state(source, state);
    return;
  }
  std::vector<std::pair<std::string, json::value>> writes;
  {
    std::lock_guard lock(mu_);
    if (state.is_object()) {
      last_[std::string(source)] = state.get_object();
    }
    for (const auto &m : it->second) {
      auto multi = multi_.find(m);
      if (multi == multi_.end()) {
        writes.emplace_back(m, state);
        continue;
      }
      multi->second.checkpoints[source] = state;
      writes.emplace_back(m, json::object{{kSourcesKey, multi->second.checkpoints}});
    }
  }
  for (const auto &[m, blob] : writes) {
    out_.stream_state(m, blob);
  }
}

void FanOutSink::stream_status(std::string_view source, StreamStatus status,
                               std::int64_t rate_limited_until_ms) {
  auto it = members_.find(source);
  if (it == members_.end()) {
    out_.stream_status(source, status, rate_limited_until_ms);
    return;
  }
  std::vector<std::pair<std::string, StreamStatus>> writes;
  {
    std::lock_guard lock(mu_);
    for (const auto &m : it->second) {
      auto multi = multi_.find(m);
      if (multi == multi_.end()) {
        writes.emplace_back(m, status);
        continue;
      }
      Multi &x = multi->second;
      const std::string s(source);
      switch (status) {
      case StreamStatus::kStarted:
        if (x.started.empty()) {
          writes.emplace_back(m, status);
        }
        x.started.insert(s);
        break;
      case StreamStatus::kRunning:
        writes.emplace_back(m, status);
        break;
      case StreamStatus::kComplete:
      case StreamStatus::kIncomplete:
        x.failed = x.failed || status == StreamStatus::kIncomplete;
        if (x.ended.insert(s).second && x.ended.size() == x.sources.size()) {
          writes.emplace_back(m, x.failed ? StreamStatus::kIncomplete : StreamStatus::kComplete);
        }
        break;
      }
    }
  }
  for (const auto &[m, st] : writes) {
    out_.stream_status(m, st, rate_limited_until_ms);
  }
}

void FanOutSink::estimate(std::string_view source, std::int64_t rows) {
  const auto &m = members(source);
  // The source's count says nothing about its members' rows: only the source's own.
  if (m.empty() || std::find(m.begin(), m.end(), source) != m.end()) {
    out_.estimate(source, rows);
  }
}

void FanOutSink::error(FailureType type, std::string_view message, std::string_view internal,
                       std::string_view source) {
  auto it = members_.find(source);
  if (it == members_.end()) {
    out_.error(type, message, internal, source);
    return;
  }
  for (const auto &m : it->second) {
    out_.error(type, message, internal, m);
  }
}

json::object FanOutSink::last(const std::string &source) {
  std::lock_guard lock(mu_);
  auto it = last_.find(source);
  return it == last_.end() ? json::object{} : it->second;
}

} // namespace wc::source
