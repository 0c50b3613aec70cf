# 32-bit ARM rack controllers with hardware float (ARMv7: Cortex-A7/A8/A9: Zynq-7000, AM335x,
# Allwinner H3, ...). Debian multiarch: `cross/build armhf` installs what it needs.
set(RK_CROSS_TRIPLET arm-linux-gnueabihf)
set(RK_CROSS_PROCESSOR armv7l)
set(RK_CROSS_QEMU qemu-arm)
set(RK_CROSS_DEB_ARCH armhf)
# GCC notes on 32-bit ARM that the passing of some std::map iterators "changed in GCC 7.1"
# (-Wpsabi): an ABI note about mixing objects from GCC < 7.1, which never happens here (every
# object and every Debian library is built by GCC 12); without this the build log drowns in it.
set(CMAKE_CXX_FLAGS_INIT "-Wno-psabi")
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
