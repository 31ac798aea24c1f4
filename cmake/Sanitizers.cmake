# Sanitizer and fuzzing builds (never the default build; each wants its own build dir).
#   SCRY_SANITIZE=ON  ASan + UBSan on everything we compile (g++ or clang); UBSan stops at
#                     the first report so ctest and the e2e suite fail loudly.
#   SCRY_FUZZ=ON      the libFuzzer targets in tests/fuzz (clang only, see scripts/fuzz.sh):
#                     everything we compile gets coverage instrumentation plus ASan and
#                     UBSan; the fuzz targets link clang's libFuzzer. LLVM itself comes
#                     from the prebuilt static libraries and is not instrumented.
#   SCRY_FUZZ_ASAN=OFF  with SCRY_FUZZ: UBSan only, about twice the executions per
#                     second, for long runs whose corpus is then replayed under ASan.
option(SCRY_FUZZ "Build the libFuzzer targets in tests/fuzz (needs clang)" OFF)
option(SCRY_FUZZ_ASAN "With SCRY_FUZZ, instrument with ASan as well as UBSan" ON)

if(SCRY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SCRY_FUZZ needs clang (e.g. CC=clang-14 CXX=clang++-14); "
                        "this build uses ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  if(SCRY_FUZZ_ASAN)
    set(SCRY_SANITIZE ON CACHE BOOL "" FORCE)
  else()
    add_compile_options(-fsanitize=undefined -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=undefined)
  endif()
endif()

if(SCRY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
