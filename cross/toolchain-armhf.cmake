# 32-bit ARM rack controllers with hardware float (ARMv7: Cortex-A7/A8/A9: Zynq-7000, AM335x,
# Allwinner H3, ...). Debian multiarch: `cross/build armhf` installs what it needs.
set(RK_CROSS_TRIPLET arm-linux-gnueabihf)
set(RK_CROSS_PROCESSOR armv7l)
set(RK_CROSS_QEMU qemu-arm)
set(RK_CROSS_DEB_ARCH armhf)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
