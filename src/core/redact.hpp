#pragma once
// The process-wide secret filter. Every secret (consumer key and secret, webhook secret,
// tokens) is registered once, as soon as the config is read; every line that leaves the
// process (stdout, stderr, error texts) goes through redact(). Registered values are also
// matched in their URL-encoded and base64 forms, since they travel in query strings and
// Authorization headers. Checking reads the registered set without a lock while it is
// unchanged (each thread keeps the set it last saw; registering or clearing publishes a new one).
#include <string>
#include <string_view>

namespace wc {

inline constexpr std::string_view kRedacted = "**********";

// Registers a secret. Values shorter than 4 characters are ignored (they would mask noise).
void register_secret(std::string_view secret);
// Forgets every registered secret (tests).
void clear_secrets();
// Returns text with every registered secret replaced by kRedacted.
std::string redact(std::string_view text);
// True if text contains any registered secret (fast path for writers).
bool contains_secret(std::string_view text);

} // namespace wc
