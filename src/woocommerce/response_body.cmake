# Compiled into wcc_http (it needs only http/ and core/). Guarded: src/http/CMakeLists.txt and
# src/woocommerce/CMakeLists.txt may both include it.
include_guard(GLOBAL)
target_sources(wcc_http PRIVATE ${CMAKE_CURRENT_LIST_DIR}/response_body.cpp)
