#pragma once
// Live progress for people, on stderr: a MessageSink decorator that forwards every message to the
// real sink (stdout stays pure protocol) and keeps, per stream, the records emitted so far, the
// X-WP-Total estimate, the rate and the rate-limit wait. A display thread redraws it in place with
// ANSI escapes on a terminal (at most 4 times a second), or prints plain lines every few seconds
// and on every status change when forced into a pipe (--progress).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "protocol/message_writer.hpp"

namespace wc::cli {

// --quiet wins, then --progress, else only when stderr is a terminal.
bool progress_wanted(const std::map<std::string, std::string> &flags, bool stderr_is_tty);

struct ProgressOptions {
  bool ansi = true;                            // redraw in place (a terminal)
  std::chrono::milliseconds redraw{250};       // ANSI mode: at most this often
  std::chrono::milliseconds plain_every{5000}; // plain mode: a line per running stream this often
  std::function<std::int64_t()> clock;         // milliseconds; defaults to the wall clock
};

class ProgressSink : public protocol::MessageSink {
public:
  ProgressSink(protocol::MessageSink &inner, std::FILE *out, ProgressOptions options = {});
  ~ProgressSink() override;
  ProgressSink(const ProgressSink &) = delete;
  ProgressSink &operator=(const ProgressSink &) = delete;

  void record(std::string_view stream, std::string_view data_json) override;
  void stream_state(std::string_view stream, const boost::json::value &state) override;
  void log(protocol::LogLevel level, std::string_view message) override;
  void stream_status(std::string_view stream, protocol::StreamStatus status,
                     std::int64_t rate_limited_until_ms = 0) override;
  void estimate(std::string_view stream, std::int64_t rows) override;
  void error(FailureType type, std::string_view message, std::string_view internal,
             std::string_view stream) override;
  void message(const boost::json::object &msg) override;

  // Prints a text line for people (a log line of Singer mode) above the live display.
  void print_line(std::string_view line);
  // Starts the display thread (the constructor does not, so tests can drive render()).
  void start();
  // Stops the display thread and prints the final picture; idempotent, also run by the destructor.
  void finish();
  // The display as text lines (no escapes), as of `now_ms`.
  std::vector<std::string> render(std::int64_t now_ms) const;

private:
  struct Stream {
    std::int64_t records = 0;
    std::int64_t estimate = -1;
    std::int64_t started_ms = 0;
    std::int64_t ended_ms = 0;
    std::int64_t waiting_until_ms = 0;
    std::string status = "queued"; // queued, running, done, failed
  };
  Stream &stream(std::string_view name); // mu_ held
  std::vector<std::string> render_locked(std::int64_t now_ms) const;
  void draw_locked(bool final_frame);
  void event_locked(const std::string &line);
  void loop();
  std::int64_t now() const;

  protocol::MessageSink &inner_;
  std::FILE *out_;
  ProgressOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;
  bool stopping_ = false;
  bool finished_ = false;
  std::int64_t started_ms_ = 0;
  std::size_t drawn_lines_ = 0; // ANSI mode: lines of the last frame, to move back over
  std::vector<std::string> order_;
  std::map<std::string, Stream, std::less<>> streams_;
};

} // namespace wc::cli
