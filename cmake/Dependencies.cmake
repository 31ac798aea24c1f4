# Finds scry's dependencies, all from Debian 12 packages (see README.md).
# LLVM is linked statically with only the BPF backend and what it pulls in: this keeps
# exec-to-attached start-up in single-digit milliseconds (see bench/startup.sh).

# LLVM 14 may be installed beside 19 (Debian's bpftrace needs it); LLVMConfigVersion
# matches major.minor, so ask for 19.1 explicitly.
find_package(LLVM 19.1 REQUIRED CONFIG HINTS /usr/lib/llvm-19/lib/cmake/llvm)
message(STATUS "Using LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")
llvm_map_components_to_libnames(SCRY_LLVM_LIBS bpfcodegen bpfdesc bpfinfo)
add_library(scry_llvm INTERFACE)
target_include_directories(scry_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(scry_llvm INTERFACE ${LLVM_DEFINITIONS})
target_link_libraries(scry_llvm INTERFACE ${SCRY_LLVM_LIBS})

find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf>=1.1)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
find_package(ZLIB REQUIRED)

find_package(FLEX 2.6 REQUIRED)
find_package(BISON 3.8 REQUIRED)

# Unused shared libraries named by LLVM's exports (libz3) are dropped at link time;
# gold links the static LLVM archives about twice as fast as bfd.
add_link_options(-Wl,--as-needed)
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=gold SCRY_HAVE_GOLD)
if(SCRY_HAVE_GOLD AND NOT SCRY_SANITIZE)
  add_link_options(-fuse-ld=gold)
endif()

# Start-up memory and time (issue 6, measured with bench/run.sh on a BEGIN one-liner):
# dropping the unreferenced sections of the static LLVM archives and folding identical
# functions packs the code a run touches into fewer pages (peak RSS 36.6 -> 30.0 MiB),
# and a static libstdc++ leaves the dynamic loader ~2,000 fewer symbols to bind at exec
# (27.7 MiB; 16.3M -> 13.7M instructions from exec to exit). Not with the sanitizers,
# whose runtimes expect the shared C++ library.
# Applied to the scry binary only (src/driver): the test programs link with bfd.
set(SCRY_STARTUP_LINK_OPTIONS)
if(NOT SCRY_SANITIZE AND NOT SCRY_FUZZ)
  list(APPEND SCRY_STARTUP_LINK_OPTIONS -Wl,--gc-sections -static-libstdc++ -static-libgcc)
  if(SCRY_HAVE_GOLD)
    list(APPEND SCRY_STARTUP_LINK_OPTIONS -Wl,--icf=safe)
  endif()
endif()
