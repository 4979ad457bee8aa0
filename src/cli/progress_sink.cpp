#include "cli/progress_sink.hpp"

#include <algorithm>
#include <ctime>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/redact.hpp"
#include "core/time_util.hpp"

namespace wc::cli {
namespace {

std::string with_commas(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string pad_left(const std::string &s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string &s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

// Local wall-clock time of day: the person at the terminal reads it against their own clock.
std::string clock_time(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

std::string duration(std::int64_t ms) {
  std::int64_t s = std::max<std::int64_t>(0, ms / 1000);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  }
  return buf;
}

std::string rate(std::int64_t records, std::int64_t elapsed_ms) {
  if (elapsed_ms < 500 || records == 0) {
    return "-";
  }
  return with_commas(records * 1000 / elapsed_ms) + "/s";
}

std::size_t terminal_width(std::FILE *out) {
  winsize ws{};
  if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) {
    return ws.ws_col;
  }
  return 100;
}

} // namespace

bool progress_wanted(const std::map<std::string, std::string> &flags, bool stderr_is_tty) {
  if (flags.count("quiet")) {
    return false;
  }
  if (flags.count("progress")) {
    return true;
  }
  return stderr_is_tty;
}

ProgressSink::ProgressSink(protocol::MessageSink &inner, std::FILE *out, ProgressOptions options)
    : inner_(inner), out_(out), options_(std::move(options)) {
  if (!options_.clock) {
    options_.clock = [] { return now_millis(); };
  }
  started_ms_ = now();
}

ProgressSink::~ProgressSink() { finish(); }

std::int64_t ProgressSink::now() const { return options_.clock(); }

ProgressSink::Stream &ProgressSink::stream(std::string_view name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) {
    it = streams_.emplace(std::string(name), Stream{}).first;
    order_.emplace_back(name);
  }
  return it->second;
}

void ProgressSink::record(std::string_view s, std::string_view data_json) {
  inner_.record(s, data_json);
  std::lock_guard lock(mu_);
  Stream &st = stream(s);
  ++st.records;
  st.waiting_until_ms = 0; // records flow again
  if (st.status == "queued") {
    st.status = "running";
    st.started_ms = now();
  }
}

void ProgressSink::stream_state(std::string_view s, const boost::json::value &state) {
  inner_.stream_state(s, state);
}

void ProgressSink::log(protocol::LogLevel level, std::string_view message) {
  inner_.log(level, message);
}

void ProgressSink::stream_status(std::string_view s, protocol::StreamStatus status,
                                 std::int64_t rate_limited_until_ms) {
  inner_.stream_status(s, status, rate_limited_until_ms);
  std::lock_guard lock(mu_);
  Stream &st = stream(s);
  const std::int64_t t = now();
  std::string name(s);
  switch (status) {
  case protocol::StreamStatus::kStarted:
  case protocol::StreamStatus::kRunning:
    if (st.status == "queued") {
      st.status = "running";
      st.started_ms = t;
    }
    if (rate_limited_until_ms > 0) {
      st.waiting_until_ms = rate_limited_until_ms;
      event_locked(name + ": waiting on rate limit until " + clock_time(rate_limited_until_ms));
    }
    break;
  case protocol::StreamStatus::kComplete:
  case protocol::StreamStatus::kIncomplete: {
    if (st.status == "done" || st.status == "failed") {
      break;
    }
    st.status = status == protocol::StreamStatus::kComplete ? "done" : "failed";
    st.ended_ms = t;
    st.waiting_until_ms = 0;
    if (st.started_ms == 0) {
      st.started_ms = t;
    }
    std::string line = name + ": " + st.status + ", " + with_commas(st.records) + " records";
    if (st.estimate >= 0) {
      line += " (estimate " + with_commas(st.estimate) + ")";
    }
    line += " in " + duration(st.ended_ms - st.started_ms);
    event_locked(line);
    break;
  }
  }
}

void ProgressSink::estimate(std::string_view s, std::int64_t rows) {
  inner_.estimate(s, rows);
  std::lock_guard lock(mu_);
  Stream &st = stream(s);
  st.estimate = std::max(st.estimate, rows); // several passes (live, trash) each report theirs
}

void ProgressSink::error(FailureType type, std::string_view message, std::string_view internal,
                         std::string_view s) {
  inner_.error(type, message, internal, s);
  if (s.empty()) {
    return;
  }
  std::lock_guard lock(mu_);
  Stream &st = stream(s);
  if (st.status != "failed") {
    st.status = "failed";
    st.ended_ms = now();
  }
}

void ProgressSink::message(const boost::json::object &msg) { inner_.message(msg); }

std::vector<std::string> ProgressSink::render(std::int64_t now_ms) const {
  std::lock_guard lock(mu_);
  return render_locked(now_ms);
}

std::vector<std::string> ProgressSink::render_locked(std::int64_t now_ms) const {
  std::int64_t total = 0;
  int running = 0, done = 0, failed = 0;
  std::size_t name_width = 6;
  for (const auto &[name, st] : streams_) {
    total += st.records;
    running += st.status == "running";
    done += st.status == "done";
    failed += st.status == "failed";
    name_width = std::max(name_width, name.size());
  }
  std::vector<std::string> lines;
  lines.push_back("source-woocommerce: " + with_commas(total) + " records in " +
                  duration(now_ms - started_ms_) + " - " + std::to_string(running) + " running, " +
                  std::to_string(done) + " done, " + std::to_string(failed) + " failed");
  for (const auto &name : order_) {
    const Stream &st = streams_.find(name)->second;
    std::string count = with_commas(st.records);
    std::string of = st.estimate >= 0 ? " / " + with_commas(st.estimate) : "";
    std::string pct;
    if (st.estimate > 0) {
      pct = std::to_string(std::min<std::int64_t>(100, st.records * 100 / st.estimate)) + "%";
    }
    const std::int64_t end = st.ended_ms > 0 ? st.ended_ms : now_ms;
    std::string state = st.status;
    if (st.status == "running" && st.waiting_until_ms > now_ms) {
      state = "waiting on rate limit until " + clock_time(st.waiting_until_ms);
    }
    lines.push_back("  " + pad_right(name, name_width) + " " + pad_left(count, 9) +
                    pad_right(of, 12) + " " + pad_left(pct, 4) + " " +
                    pad_left(rate(st.records, end - st.started_ms), 8) + "  " + state);
  }
  return lines;
}

void ProgressSink::event_locked(const std::string &line) {
  if (!options_.ansi) {
    std::string text = "progress: " + redact(line) + "\n";
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
  }
  // In ANSI mode the next frame shows it.
}

void ProgressSink::draw_locked(bool final_frame) {
  std::vector<std::string> lines = render_locked(now());
  std::string buf;
  if (options_.ansi) {
    const std::size_t width = terminal_width(out_) - 1;
    if (drawn_lines_ > 0) {
      buf += "\r\x1b[" + std::to_string(drawn_lines_) + "A\x1b[J";
    }
    for (auto &l : lines) {
      if (l.size() > width) {
        l.resize(width);
      }
      buf += l + "\n";
    }
    drawn_lines_ = final_frame ? 0 : lines.size();
  } else {
    // Plain mode: the summary, then one line per stream still running (or all, at the end).
    buf += "progress: " + lines.front() + "\n";
    for (std::size_t i = 0; i < order_.size(); ++i) {
      const Stream &st = streams_.find(order_[i])->second;
      if (final_frame || st.status == "running") {
        buf += "progress: " + lines[i + 1] + "\n";
      }
    }
  }
  buf = redact(buf);
  std::fwrite(buf.data(), 1, buf.size(), out_);
  std::fflush(out_);
}

void ProgressSink::print_line(std::string_view line) {
  std::lock_guard lock(mu_);
  std::string buf;
  const bool redraw = options_.ansi && drawn_lines_ > 0 && !finished_;
  if (redraw) {
    buf += "\r\x1b[" + std::to_string(drawn_lines_) + "A\x1b[J";
    drawn_lines_ = 0;
  }
  buf += redact(line);
  if (buf.empty() || buf.back() != '\n') {
    buf += '\n';
  }
  std::fwrite(buf.data(), 1, buf.size(), out_);
  if (redraw) {
    draw_locked(false);
  } else {
    std::fflush(out_);
  }
}

void ProgressSink::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || finished_) {
    return;
  }
  thread_ = std::thread([this] { loop(); });
}

void ProgressSink::loop() {
  std::unique_lock lock(mu_);
  const auto every = options_.ansi ? options_.redraw : options_.plain_every;
  while (!stopping_) {
    wake_.wait_for(lock, every, [this] { return stopping_; });
    if (stopping_) {
      break;
    }
    if (options_.ansi || !order_.empty()) {
      draw_locked(false);
    }
  }
}

void ProgressSink::finish() {
  {
    std::lock_guard lock(mu_);
    if (finished_) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  std::lock_guard lock(mu_);
  finished_ = true;
  draw_locked(true);
}

} // namespace wc::cli
