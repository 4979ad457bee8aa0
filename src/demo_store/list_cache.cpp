#include "demo_store/list_cache.hpp"

namespace wc::demo {

std::shared_ptr<const ListCache::Ids> ListCache::get(const std::string &key,
                                                     std::uint64_t generation,
                                                     const std::function<Ids()> &compute) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.first == generation) {
      return it->second.second;
    }
  }
  auto ids = std::make_shared<const Ids>(compute());
  std::lock_guard lock(mu_);
  if (entries_.size() >= 64) {
    entries_.clear();
  }
  entries_[key] = {generation, ids};
  return ids;
}

} // namespace wc::demo
