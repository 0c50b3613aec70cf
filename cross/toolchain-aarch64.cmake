# 64-bit ARM rack controllers (Cortex-A53/A55/A72: Allwinner H6/H616, Amlogic, Raspberry Pi
# CM4, ...). Debian multiarch: `cross/build aarch64` installs what it needs.
set(RK_CROSS_TRIPLET aarch64-linux-gnu)
set(RK_CROSS_PROCESSOR aarch64)
set(RK_CROSS_QEMU qemu-aarch64)
set(RK_CROSS_DEB_ARCH arm64)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
