#include "core/page_arena.hpp"

#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

namespace wc {
namespace {

std::atomic<std::uint64_t> next_id{1};
thread_local std::uint64_t in_hand = 0; // the id of the page in hand on this thread, 0: none

// Tapes of pages gone, their buffers kept: a page's tape is about a megabyte, and a fresh one per
// page would be paged in again each time. At most a few are kept (pages in flight at once).
struct TapePool {
  std::mutex mu;
  std::vector<std::unique_ptr<JsonTape>> idle;
  static constexpr std::size_t kKept = 16;
};
TapePool &pool() {
  static TapePool *p = new TapePool; // never destroyed: arenas may outlive static destruction
  return *p;
}

// What a reference holds: the page's id, then where its tokens lie and how many bytes they are.
struct Reference {
  std::uint64_t page;
  const char *data;
  std::uint64_t size;
};

} // namespace

PageArena::PageArena(std::size_t first_block, bool with_tape)
    : resource_(first_block), id_(next_id.fetch_add(1, std::memory_order_relaxed)) {
  if (!with_tape) {
    return;
  }
  {
    std::lock_guard lock(pool().mu);
    if (!pool().idle.empty()) {
      tape_ = std::move(pool().idle.back());
      pool().idle.pop_back();
    }
  }
  if (!tape_) {
    tape_ = std::make_unique<JsonTape>();
  }
}

PageArena::~PageArena() {
  if (tape_) {
    std::lock_guard lock(pool().mu);
    if (pool().idle.size() < TapePool::kKept) {
      pool().idle.push_back(std::move(tape_));
    }
  }
}

std::string PageArena::reference(std::string_view tokens) const {
  const Reference r{id_, tokens.data(), tokens.size()};
  return std::string(reinterpret_cast<const char *>(&r), sizeof r);
}

PageInHand::PageInHand(const PageArena *arena) : previous_(in_hand) {
  in_hand = arena != nullptr ? arena->id() : 0;
}
PageInHand::~PageInHand() { in_hand = previous_; }

std::string_view resolve_tokens(std::string_view reference) {
  Reference r{};
  if (reference.size() != sizeof r || in_hand == 0) {
    return {};
  }
  std::memcpy(&r, reference.data(), sizeof r);
  return r.page == in_hand ? std::string_view(r.data, r.size) : std::string_view();
}

} // namespace wc
