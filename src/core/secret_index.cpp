#include "core/secret_index.hpp"

#include <algorithm>
#include <cstring>

namespace wc {
namespace {

std::uint32_t window(const char *p) {
  std::uint32_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

std::size_t slot(std::uint32_t w) { return (w * 2654435761u) >> 16; }

} // namespace

void SecretIndex::build(const std::vector<std::string> &forms) {
  std::fill(filter_.begin(), filter_.end(), 0);
  places_.clear();
  min_len_ = 0;
  for (std::size_t f = 0; f < forms.size(); ++f) {
    const std::string &form = forms[f];
    min_len_ = min_len_ == 0 ? form.size() : std::min(min_len_, form.size());
    for (std::size_t i = 0; i + 4 <= form.size(); ++i) {
      const std::uint32_t w = window(form.data() + i);
      filter_[slot(w) >> 6] |= std::uint64_t{1} << (slot(w) & 63);
      places_.push_back({w, f, i});
    }
  }
  std::sort(places_.begin(), places_.end(),
            [](const Place &a, const Place &b) { return a.window < b.window; });
  stride_ = min_len_ >= 4 ? min_len_ - 3 : 1;
}

bool SecretIndex::any_in(std::string_view text, const std::vector<std::string> &forms) const {
  if (min_len_ < 4 || text.size() < min_len_) {
    return false;
  }
  // Locals, so that the loop keeps them in registers: it is a few instructions per window.
  const char *data = text.data();
  const std::uint64_t *bits = filter_.data();
  const std::size_t stride = stride_;
  const std::size_t end = text.size() - 3; // windows start before `end`
  for (std::size_t p = 0; p < end; p += stride) {
    const std::uint32_t w = window(data + p);
    const std::size_t s = slot(w);
    if (((bits[s >> 6] >> (s & 63)) & 1) != 0 && confirmed(text, p, w, forms)) {
      return true;
    }
  }
  return false;
}

bool SecretIndex::confirmed(std::string_view text, std::size_t at, std::uint32_t w,
                            const std::vector<std::string> &forms) const {
  auto it = std::lower_bound(places_.begin(), places_.end(), w,
                             [](const Place &a, std::uint32_t v) { return a.window < v; });
  for (; it != places_.end() && it->window == w; ++it) {
    const std::string &form = forms[it->form];
    if (at >= it->offset && at - it->offset + form.size() <= text.size() &&
        std::memcmp(text.data() + at - it->offset, form.data(), form.size()) == 0) {
      return true;
    }
  }
  return false;
}

} // namespace wc
