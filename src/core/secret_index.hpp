#pragma once
// Finds any of a fixed set of secret forms in a text in one sparse pass (every line written to
// stdout is checked, so this is hot). Every form is at least `min_len` long, so any occurrence
// holds a whole 4-byte window starting at a multiple of `stride` = min_len - 3. Only those windows
// are looked up in a filter of every 4-byte window of every form; a hit is confirmed against the
// forms that hold that window. Built once per set of forms (core/redact.cpp), then read-only.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wc {

class SecretIndex {
public:
  // Indexes `forms` (each at least 4 bytes long); the same vector is passed to any_in.
  void build(const std::vector<std::string> &forms);
  // True if `text` contains any of `forms` (the vector build() was given).
  bool any_in(std::string_view text, const std::vector<std::string> &forms) const;

private:
  struct Place {
    std::uint32_t window;
    std::size_t form;
    std::size_t offset;
  };
  // True if a form holding window `w` is in `text` with `w` at `at`.
  bool confirmed(std::string_view text, std::size_t at, std::uint32_t w,
                 const std::vector<std::string> &forms) const;
  std::size_t min_len_ = 0;
  std::size_t stride_ = 1;
  std::vector<std::uint64_t> filter_ = std::vector<std::uint64_t>((1 << 16) / 64); // bit per slot
  std::vector<Place> places_; // sorted by window
};

} // namespace wc
