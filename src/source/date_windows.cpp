#include "source/date_windows.hpp"

#include <mutex>

#include "source/record_cursor.hpp"

namespace wc::source {
namespace json = boost::json;

bool read_in_windows(ReadContext &ctx, const StreamDefinition &d, const CursorQuery &q,
                     const CursorState &start,
                     const std::function<void(ReadContext &, json::object &)> &emit_one,
                     const std::function<void(const CursorState &)> &checkpoint, bool &nothing) {
  const int width = ctx.parallel_pages;
  if (width <= 1 || !ctx.ceiling || ctx.executor == nullptr) {
    return false;
  }
  // One record, or enough to see that only the boundary second's records already emitted are
  // left.
  const int probe_size =
      std::min<int>(q.page_size, static_cast<int>(start.boundary_ids.size()) + 1);
  PageRequest probe_request = q.listing.with_page(1, probe_size);
  probe_request.window = TimeWindow{q.time, std::nullopt, std::nullopt};
  if (start.cursor) {
    probe_request.window->after = *start.cursor - 1;
  }
  probe_request.order = Ordering::kByWindowTime;
  probe_request.members = {"id", q.field};
  probe_request.probe = true;
  Page probe = ctx.pages.fetch(probe_request, q.label);
  if (q.on_total && probe.total >= 0) {
    q.on_total(probe.total);
  }
  // The probe asked what the first page of read_by_cursor would: an answer holding nothing but
  // the boundary records already emitted ends the read (a sync where nothing changed: one
  // request).
  const auto probed = probe.body.is_array() ? static_cast<int>(probe.body.as_array().size()) : -1;
  if (probed >= 0 && (probed < probe_size || (probe.total >= 0 && probe.total <= probed))) {
    nothing = true; // the probe saw every record after the cursor; are they all emitted already?
    for (const auto &item : probe.body.as_array()) {
      const auto *rec = item.if_object();
      const auto t = rec != nullptr ? record_time(*rec, q.field) : std::nullopt;
      const auto id = rec != nullptr ? record_id(*rec) : std::nullopt;
      nothing = nothing && t && id && start.cursor && *t == *start.cursor &&
                start.boundary_ids.count(*id) > 0;
    }
  }
  if (!probe.body.is_array() || probe.body.as_array().empty() ||
      probe.total < static_cast<std::int64_t>(q.page_size) * 4) {
    return false;
  }
  const auto *first = probe.body.as_array()[0].if_object();
  const auto lo_time = first != nullptr ? record_time(*first, q.field) : std::nullopt;
  const UnixSeconds hi = *ctx.ceiling;
  const int windows = width * 2;
  if (!lo_time || hi - *lo_time < windows * 2) {
    return false;
  }
  const UnixSeconds lo = *lo_time;
  std::vector<UnixSeconds> bounds; // window i is [bounds[i], bounds[i+1]); the last is open
  for (int i = 0; i < windows; ++i) {
    bounds.push_back(lo + (hi - lo) * i / windows);
  }
  std::mutex mu;
  std::vector<std::optional<CursorState>> finished(static_cast<std::size_t>(windows));
  std::size_t lowest = 0;
  std::vector<std::int64_t> emitted(static_cast<std::size_t>(windows), 0);
  auto run_window = [&](std::size_t i) {
    CursorQuery wq = q;
    wq.on_total = nullptr; // the probe gave the estimate
    if (i + 1 < bounds.size()) {
      wq.until = bounds[i + 1];
    }
    CursorState ws = i == 0 ? start : CursorState{bounds[i], {}};
    ReadContext wctx = ctx;
    wctx.emitted = 0;
    CursorState last = ws;
    read_by_cursor(
        ctx.pages, wq, ws, [&](json::object &rec) { emit_one(wctx, rec); },
        [&](const CursorState &s) { last = s; });
    std::lock_guard lock(mu);
    emitted[i] = wctx.emitted;
    finished[i] = last;
    while (lowest < finished.size() && finished[lowest]) {
      checkpoint(*finished[lowest]);
      ++lowest;
    }
  };
  // The windows run on the executor; this thread reads the ones no worker took yet.
  std::vector<core::Task<void>> running;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    running.push_back(ctx.executor->submit([&run_window, i] { run_window(i); }));
  }
  std::exception_ptr failure;
  try {
    core::wait_all(running); // every window ends before the first failure is rethrown
  } catch (...) {
    failure = std::current_exception();
  }
  for (auto n : emitted) {
    ctx.emitted += n;
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
  ctx.out.log(protocol::LogLevel::kDebug,
              d.name + ": read in " + std::to_string(windows) + " date windows at once");
  return true;
}

} // namespace wc::source
