#pragma once
// Guests (orders without a customer account) as unified customers: keyed by a stable id derived
// from the store and the normalized email, so the same buyer gets the same id in every sync,
// and two stores' guests never share one.
#include <optional>
#include <string>
#include <string_view>

namespace wc::unified {

// The email trimmed (ASCII blanks) and lower-cased (ASCII); nullopt when nothing is left or it
// has no '@'.
std::optional<std::string> normalized_email(std::string_view email);

// "guest-" + the first 32 hex digits (128 bits) of SHA-256(store_id + "|" + normalized email).
std::string guest_id(std::string_view store_id, std::string_view normalized);

} // namespace wc::unified
