# Embeds data files (stream definitions, JSON schemas, the spec) into a generated C++ source so the
# binary is self-contained: wcc_embed(OUT_CPP file...) defines
#   const wc::EmbeddedFile* wc::embedded_files(); (terminated by a {nullptr, nullptr} entry)
function(wcc_embed out_cpp)
  string(REPLACE ";" "|" files_arg "${ARGN}")
  # Generated at build time by a small script so edits to data files trigger a rebuild.
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DROOT=${PROJECT_SOURCE_DIR} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding data files" VERBATIM)
endfunction()
