#include "source/id_ranges.hpp"

#include <algorithm>
#include <iterator>

namespace wc::source {

void IdRanges::insert(std::int64_t id) {
  auto next = ranges_.upper_bound(id);
  if (next != ranges_.begin()) {
    auto prev = std::prev(next);
    if (id <= prev->second) {
      return; // already inside
    }
    if (id == prev->second + 1) {
      prev->second = id;
      if (next != ranges_.end() && next->first == id + 1) {
        prev->second = next->second;
        ranges_.erase(next);
      }
      return;
    }
  }
  if (next != ranges_.end() && next->first == id + 1) {
    const std::int64_t last = next->second;
    ranges_.erase(next);
    ranges_.emplace(id, last);
    return;
  }
  ranges_.emplace(id, id);
}

void IdRanges::insert(const IdRanges &other) {
  std::map<std::int64_t, std::int64_t> merged;
  auto add = [&merged](std::int64_t first, std::int64_t last) {
    if (!merged.empty() && std::prev(merged.end())->second + 1 >= first) {
      auto &tail = std::prev(merged.end())->second;
      tail = std::max(tail, last);
    } else {
      merged.emplace(first, last);
    }
  };
  auto a = ranges_.begin();
  auto b = other.ranges_.begin();
  while (a != ranges_.end() || b != other.ranges_.end()) {
    if (b == other.ranges_.end() || (a != ranges_.end() && a->first <= b->first)) {
      add(a->first, a->second);
      ++a;
    } else {
      add(b->first, b->second);
      ++b;
    }
  }
  ranges_ = std::move(merged);
}

bool IdRanges::contains(std::int64_t id) const {
  auto next = ranges_.upper_bound(id);
  return next != ranges_.begin() && id <= std::prev(next)->second;
}

std::int64_t IdRanges::size() const {
  std::int64_t n = 0;
  for (const auto &[first, last] : ranges_) {
    n += last - first + 1;
  }
  return n;
}

std::vector<std::int64_t> IdRanges::minus(const IdRanges &other, std::size_t limit) const {
  std::vector<std::int64_t> out;
  for (const auto &[first, last] : ranges_) {
    for (std::int64_t id = first; id <= last && out.size() < limit; ++id) {
      if (!other.contains(id)) {
        out.push_back(id);
      }
    }
  }
  return out;
}

state::IdRangeList IdRanges::pairs() const {
  return state::IdRangeList(ranges_.begin(), ranges_.end());
}

IdRanges IdRanges::from_pairs(const state::IdRangeList &given) {
  IdRanges r;
  state::IdRangeList pairs = given;
  std::sort(pairs.begin(), pairs.end());
  for (const auto &[first, last] : pairs) {
    if (!r.ranges_.empty() && std::prev(r.ranges_.end())->second + 1 >= first) {
      auto &tail = std::prev(r.ranges_.end())->second;
      tail = std::max(tail, last);
    } else {
      r.ranges_.emplace(first, last);
    }
  }
  return r;
}

} // namespace wc::source
