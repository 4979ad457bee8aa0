#pragma once
// The memory of a listing page read as raw records (record_page.hpp): the monotonic resource its
// records live in and, when they carry their tokens (RecordShape::tokens), the tape the page was
// read into. A record then keeps a reference to its tokens in that tape, not a copy of them (16
// bytes per token, about twice its text). A reference is read only while its page is in hand on
// the reading thread (PageInHand): the code that hands the page's records out holds the page
// then, so what the reference names is alive. Anywhere else (a record copied out of its page, a
// page long gone) it reads as no tokens, and the reader downstream reads the text itself.
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/storage_ptr.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/json_tape.hpp"

namespace wc {

class PageArena {
public:
  // `first_block`: the resource's first block, in bytes. `with_tape`: the page is read with
  // tokens; its tape comes from a pool (its capacity kept from page to page) and goes back to it.
  PageArena(std::size_t first_block, bool with_tape);
  ~PageArena();
  PageArena(const PageArena &) = delete;
  PageArena &operator=(const PageArena &) = delete;

  // The records' storage: refers to the resource without counting (it dies with the arena).
  boost::json::storage_ptr storage() { return boost::json::storage_ptr(&resource_); }
  JsonTape *tape() { return tape_.get(); } // null without tokens
  std::uint64_t id() const { return id_; } // never reused by another arena

  // A reference to `tokens` (bytes of this arena's tape, JsonTape::tokens_of), as kept beside a
  // record's text.
  std::string reference(std::string_view tokens) const;

private:
  boost::json::monotonic_resource resource_;
  std::unique_ptr<JsonTape> tape_;
  std::uint64_t id_;
};

// While it lives, `arena`'s records are the ones this thread hands out: their references
// resolve. Scopes nest (the outer page is in hand again after an inner scope); null: none.
class PageInHand {
public:
  explicit PageInHand(const PageArena *arena);
  ~PageInHand();
  PageInHand(const PageInHand &) = delete;
  PageInHand &operator=(const PageInHand &) = delete;

private:
  std::uint64_t previous_;
};

// The tokens a reference names when its page is in hand on this thread, else empty.
std::string_view resolve_tokens(std::string_view reference);

} // namespace wc
