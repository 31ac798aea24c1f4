# What `cmake --install` puts where, and the Debian package CPack builds from it
# (`cpack -G DEB` in the build directory; scripts/package.sh builds and checks it).
# The scry binary itself is installed by src/driver/CMakeLists.txt.
include(GNUInstallDirs)

# The ready-made scripts, runnable in place: scry /usr/share/scry/tools/opensnoop.bt.
install(DIRECTORY tools/ DESTINATION ${CMAKE_INSTALL_DATADIR}/scry/tools
        USE_SOURCE_PERMISSIONS FILES_MATCHING PATTERN "*.bt" PATTERN "README.md")
# The user documentation the man page points to (internals and testing stay in the tree).
install(FILES README.md CHANGELOG.md docs/language.md docs/migrating.md docs/security.md
              docs/prometheus.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES packaging/bash-completion/scry
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# scry(8), from docs/scry.8.md. pandoc (Debian package pandoc) because the page's source
# stays Markdown like the rest of docs/, readable on a forge and checked against
# `scry --help` by tests/tools/check_tools.py; ronn needs Ruby and its own dialect,
# txt2man a plain-text layout nothing else here uses. Without pandoc the build goes on
# and the page is left out.
find_program(SCRY_PANDOC pandoc)
if(SCRY_PANDOC)
  set(man_source ${CMAKE_SOURCE_DIR}/docs/scry.8.md)
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/scry.8 ${CMAKE_BINARY_DIR}/scry.8.gz
    COMMAND ${SCRY_PANDOC} --standalone --from markdown-smart --to man
            --metadata "footer=scry ${PROJECT_VERSION}" ${man_source}
            --output ${CMAKE_BINARY_DIR}/scry.8
    # -n: no name or time stamp in the archive, so the package builds reproducibly.
    COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/scry.8
    DEPENDS ${man_source}
    COMMENT "Generating the man page scry(8) with pandoc"
    VERBATIM)
  add_custom_target(man ALL DEPENDS ${CMAKE_BINARY_DIR}/scry.8.gz)
  install(FILES ${CMAKE_BINARY_DIR}/scry.8.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
else()
  message(STATUS "pandoc not found: the man page scry(8) will not be built or installed")
endif()

# The .deb: installs under /usr; its Depends come from dpkg-shlibdeps on the binary, so
# they name exactly the libraries scry links (libbpf1, libelf1, zlib1g, libzstd1, ...).
set(SCRY_PACKAGE_MAINTAINER "scry developers <scry-devel@example.org>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME scry)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "awk-like tracing language for Linux, compiled to eBPF (bpftrace compatible)")
set(CPACK_PACKAGE_DESCRIPTION
    "scry runs bpftrace programs: one-liners and scripts attached to kernel tracepoints,
user functions, USDT probes and timers, compiled to eBPF with LLVM and loaded
through libbpf. It starts in milliseconds, attaches hundreds of tracepoints at
once, and reports errors at their place in the script. Ready-made tools are in
/usr/share/scry/tools.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${SCRY_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
