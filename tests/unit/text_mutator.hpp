#pragma once
// Texts near a valid one, for the tests that hold a reader to Boost.JSON's parser: a fixed seed,
// so a failure reproduces; pieces replace, are inserted or bytes are removed at random places.
#include <cstdint>
#include <string>
#include <vector>

namespace wc::test {

class TextMutator {
public:
  TextMutator(std::uint32_t seed, std::vector<std::string> pieces)
      : state_(seed), pieces_(std::move(pieces)) {}

  // A number below `bound` (a linear congruential generator: the same sequence on every machine).
  std::uint32_t next(std::uint32_t bound) {
    state_ = state_ * 1103515245u + 12345u;
    return (state_ >> 8) % bound;
  }

  // `text` with one to three edits: a byte replaced by a piece, a piece inserted, a byte removed.
  std::string mangled(std::string text) {
    const int edits = 1 + static_cast<int>(next(3));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = next(static_cast<std::uint32_t>(text.size()));
      const std::string &piece = pieces_[next(static_cast<std::uint32_t>(pieces_.size()))];
      switch (next(3)) {
      case 0:
        text.replace(at, 1, piece);
        break;
      case 1:
        text.insert(at, piece);
        break;
      default:
        text.erase(at, 1);
        break;
      }
    }
    return text;
  }

  // Each byte of `alphabet` as a piece of its own.
  static std::vector<std::string> bytes_of(const std::string &alphabet) {
    std::vector<std::string> out;
    for (char c : alphabet) {
      out.emplace_back(1, c);
    }
    return out;
  }

private:
  std::uint32_t state_;
  std::vector<std::string> pieces_;
};

} // namespace wc::test
