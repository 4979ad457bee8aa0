#include "source/id_ranges.hpp"

#include <algorithm>
#include <iterator>

#include "core/error.hpp"

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

boost::json::array IdRanges::to_json() const {
  boost::json::array out;
  for (const auto &[first, last] : ranges_) {
    out.push_back(boost::json::array{first, last});
  }
  return out;
}

IdRanges IdRanges::from_json(const boost::json::value *value, const char *what) {
  IdRanges r;
  if (value == nullptr || value->is_null()) {
    return r;
  }
  if (!value->is_array()) {
    throw config_error(std::string("state: ") + what + " must be a list of [first, last] id pairs");
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  for (const auto &pair : value->as_array()) {
    const auto *p = pair.if_array();
    if (p == nullptr || p->size() != 2 || !(*p)[0].is_int64() || !(*p)[1].is_int64() ||
        (*p)[0].as_int64() > (*p)[1].as_int64()) {
      throw config_error(std::string("state: ") + what + " holds a malformed id range");
    }
    pairs.emplace_back((*p)[0].as_int64(), (*p)[1].as_int64());
  }
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
