#pragma once
// A small cache of filtered+sorted id lists, keyed by the query's filter part and invalidated by
// the store generation, so paging through a million orders does not re-sort per page.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wc::demo {

class ListCache {
public:
  using Ids = std::vector<std::int64_t>;
  std::shared_ptr<const Ids> get(const std::string &key, std::uint64_t generation,
                                 const std::function<Ids()> &compute);

private:
  std::mutex mu_;
  std::map<std::string, std::pair<std::uint64_t, std::shared_ptr<const Ids>>> entries_;
};

} // namespace wc::demo
