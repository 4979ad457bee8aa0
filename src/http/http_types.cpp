// placeholder until the http module lands
#include "http/http_types.hpp"
