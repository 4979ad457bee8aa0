#pragma once
// A set of record ids kept as sorted, merged ranges, so a million consecutive ids cost one pair
// in the state instead of a million numbers.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <vector>

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
  boost::json::array to_json() const; // [[first, last], ...]
  // Throws wc::Error(kConfig) naming `what` when the value is not a list of [first, last] pairs.
  static IdRanges from_json(const boost::json::value *value, const char *what);

private:
  std::map<std::int64_t, std::int64_t> ranges_; // first -> last, disjoint, not adjacent
};

} // namespace wc::source
