#!/usr/bin/env bash
# Installs what building and testing rigkeeper needs, from Debian's packages, if missing.
# Sourced by scripts/test and scripts/demo; safe to run again.
set -euo pipefail

RK_PACKAGES=(
  build-essential cmake pkg-config ccache git
  libboost-dev libpaho-mqttpp-dev libpaho-mqtt-dev libsqlite3-dev
  libspdlog-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libssl-dev libexpected-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  mosquitto mosquitto-clients openssl sqlite3 clang-format procps
  libpugixml-dev rapidjson-dev
)

rk_install_deps() {
  local missing=()
  for p in "${RK_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "== installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The packaged mosquitto service is not what tests use (they start their own on free ports);
# make sure an installed-but-started one does not get in the way of the demo's port choice.
rk_install_deps
