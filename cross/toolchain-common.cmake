# Shared part of the rack-controller toolchains (Debian multiarch). Include it after setting
# RK_CROSS_TRIPLET (aarch64-linux-gnu, arm-linux-gnueabihf), RK_CROSS_PROCESSOR and
# RK_CROSS_QEMU. The target's libraries are the Debian packages of that architecture
# (`apt-get install libfoo-dev:arm64`), which live beside the host's in /usr/lib/<triplet> and
# /usr/include/<triplet>; the cross compilers search those folders by themselves.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${RK_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${RK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${RK_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${RK_CROSS_TRIPLET})

# Programs (protoc, git, ...) are the build machine's; libraries, headers and CMake packages are
# searched in the cross toolchain's root and in the multiarch folders of /usr, never in the host
# architecture's own folders.
set(CMAKE_FIND_ROOT_PATH /usr/${RK_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
execute_process(COMMAND dpkg-architecture -qDEB_BUILD_MULTIARCH
                OUTPUT_VARIABLE _rk_build_multiarch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_rk_build_multiarch)
  list(APPEND CMAKE_IGNORE_PATH /usr/lib/${_rk_build_multiarch} /lib/${_rk_build_multiarch}
       /usr/lib/${_rk_build_multiarch}/cmake /usr/include/${_rk_build_multiarch})
endif()

# pkg-config, should a dependency be found through it, must read the target's .pc files, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${RK_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# ctest runs the target's binaries under qemu-user; the ELF interpreter and the libraries come
# from the :ARCH packages installed through multiarch, so no -L sysroot is needed.
find_program(RK_CROSS_QEMU_PATH ${RK_CROSS_QEMU})
if(RK_CROSS_QEMU_PATH)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${RK_CROSS_QEMU_PATH})
endif()

# dpkg names of the architecture, for CPack.
set(RK_DEB_ARCH ${RK_CROSS_DEB_ARCH} CACHE STRING "Debian architecture of the packages")
