#pragma once
// A growable byte buffer for text written in many small pieces (the converter's cells): no
// zero-fill on growth, no capacity check per byte, and short copies done inline instead of
// through a call to memcpy. Cleared, it keeps its memory for the next record.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace wc::relational {

// Copies n bytes with at most two overlapping word moves for n < 16 (the usual cell, key or
// number), memcpy beyond.
inline void copy_bytes(char *dst, const char *src, std::size_t n) {
  if (n >= 16) {
    std::memcpy(dst, src, n);
  } else if (n >= 8) {
    std::uint64_t a = 0, b = 0;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a = 0, b = 0;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      dst[i] = src[i];
    }
  }
}

class TextBuffer {
public:
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  std::string_view view() const { return {buf_.get(), size_}; }
  char &operator[](std::size_t i) { return buf_[i]; }

  // Room for n more bytes at the end: where to write them (they count as written).
  char *extend(std::size_t n) {
    if (cap_ - size_ < n) {
      grow(size_ + n);
    }
    char *at = buf_.get() + size_;
    size_ += n;
    return at;
  }
  void append(std::string_view s) { copy_bytes(extend(s.size()), s.data(), s.size()); }
  void push_back(char c) { *extend(1) = c; }

private:
  void grow(std::size_t need) {
    std::size_t cap = cap_ < 256 ? 256 : cap_ * 2;
    while (cap < need) {
      cap *= 2;
    }
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (size_ > 0) {
      std::memcpy(bigger.get(), buf_.get(), size_);
    }
    buf_ = std::move(bigger);
    cap_ = cap;
  }
  std::unique_ptr<char[]> buf_;
  std::size_t size_ = 0, cap_ = 0;
};

} // namespace wc::relational
