# Install rules and the Debian package.
#
#   cmake --install build --prefix /usr/local     programs and their files:
#       bin/colead-server, bin/colead, share/colead/{web,prompts/default.txt,scripts},
#       share/colead/coturn/turnserver.conf
#   cmake --install build --component system      also the systemd unit and /etc/colead/colead.conf
#                                                 (absolute paths; not part of a plain install)
#   cpack -G DEB --config build/CPackConfig.cmake colead_<version>_amd64.deb with both, the
#                                                 maintainer scripts of deploy/debian and a
#                                                 `colead` system user made on install
#
# The server looks for its files at <dir of the executable>/../share/colead first, so an
# installed server starts from any working directory.
include(GNUInstallDirs)

# Installing (and so cpack) copies what is built and builds nothing: the package holds two
# programs, and the tests and benchmarks need not be built to make it. Build first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(COLEAD_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/colead)

install(TARGETS colead-server colead RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT colead)

# The browser client: static files, without what only its tests and readers of the tree use.
install(
  DIRECTORY ${PROJECT_SOURCE_DIR}/clients/web/
  DESTINATION ${COLEAD_SHARE_DIR}/web
  COMPONENT colead
  PATTERN "README.md" EXCLUDE
  PATTERN "package.json" EXCLUDE
  PATTERN "package-lock.json" EXCLUDE
  PATTERN "node_modules" EXCLUDE
  PATTERN "*.test.*" EXCLUDE)

install(FILES ${PROJECT_SOURCE_DIR}/data/prompts/default.txt
        DESTINATION ${COLEAD_SHARE_DIR}/prompts COMPONENT colead)

file(GLOB colead_script_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/scripts/*.json)
install(FILES ${colead_script_files} DESTINATION ${COLEAD_SHARE_DIR}/scripts COMPONENT colead)

# A TURN server's settings to copy when running coturn beside Colead (docs/operations.md);
# coturn itself is the operator's choice, not a dependency.
install(FILES ${PROJECT_SOURCE_DIR}/deploy/coturn/turnserver.conf
        DESTINATION ${COLEAD_SHARE_DIR}/coturn COMPONENT colead)

# Files a system (or the package) owns at fixed places. EXCLUDE_FROM_ALL keeps a plain
# `cmake --install` from writing to /etc or /lib whatever the prefix.
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/colead.service
        DESTINATION /lib/systemd/system COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/colead.conf
        DESTINATION /etc/colead COMPONENT system EXCLUDE_FROM_ALL)

# ---- Debian package -------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME colead)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT
    "Colead maintainers <maintainers@users.noreply.h-seed-af9b1249.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "real-time rooms for collaborative pairs and trios")
# The long description; CPack puts the summary above it as the Description's first line.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Colead is a self-hosted server where a patient, a carer and a clinician (or any\n"
  "pair or trio) write a shared purpose and principles together, hold meetings and\n"
  "keep a learning log. This package runs it as the colead system service, with its\n"
  "data in /var/lib/colead and its settings in /etc/colead/colead.conf.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

# One package holding both components (the programs and the system files).
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL colead system)

# Libraries from dpkg-shlibdeps (dpkg-dev); adduser for the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
