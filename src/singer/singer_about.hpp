#pragma once
// What `--about` prints: name, version, description, capabilities and the settings (from
// spec/spec.json: name, description, default, required, secret).
#include <boost/json/object.hpp>

namespace wc::singer {

boost::json::object about();

} // namespace wc::singer
