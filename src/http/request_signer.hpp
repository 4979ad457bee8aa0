#pragma once
// What the HTTP client asks of credentials: add them to one attempt of a request. The client
// knows nothing else of authentication; src/auth implements this for each method.
#include "http/http_types.hpp"
#include "http/transport.hpp"

namespace wc::http {

class RequestSigner {
public:
  virtual ~RequestSigner() = default;
  // Called once per attempt (OAuth needs a fresh nonce and timestamp every time).
  virtual void apply(Request &request, const Origin &origin) const = 0;
};

} // namespace wc::http
