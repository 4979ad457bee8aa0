#pragma once
// A set of record ids kept as sorted, merged ranges, so a million consecutive ids cost one pair
// in the state instead of a million numbers.
#include <cstdint>
#include <map>
#include <vector>

#include "state/stream_checkpoint.hpp"

namespace wc::source {

class IdRanges {
public:
  void insert(std::int64_t id);
  void insert(const IdRanges &other);
  bool contains(std::int64_t id) const;
  std::size_t range_count() const { return ranges_.size(); }
  std::int64_t size() const;
  // Ids of this set missing from `other`, at most `limit` of them.
  std::vector<std::int64_t> minus(const IdRanges &other, std::size_t limit) const;
  // The one conversion between these ranges and the checkpoint's [first, last] pairs
  // (state::SweepProgress): pairs in any order, overlapping or adjacent, are merged.
  static IdRanges from_pairs(const state::IdRangeList &pairs);
  state::IdRangeList pairs() const; // sorted, disjoint, not adjacent

private:
  std::map<std::int64_t, std::int64_t> ranges_; // first -> last, disjoint, not adjacent
};

} // namespace wc::source
