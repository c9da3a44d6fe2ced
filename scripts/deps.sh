#!/usr/bin/env bash
# Installs the Debian 12 packages skiff needs that are missing; quiet when all are present.
# Usage: scripts/deps.sh [build|test]   (test = build + what the test suites use)
set -euo pipefail

build_pkgs=(
  meson ninja-build pkg-config g++ ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libyaml-cpp-dev libsqlite3-dev catch2
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
)
test_pkgs=(python3 python3-pytest python3-kubernetes openssl curl etcd-client etcd-server)

pkgs=("${build_pkgs[@]}")
if [ "${1:-build}" = test ]; then
  pkgs+=("${test_pkgs[@]}")
  # Tests drive a real kubectl; Debian's (1.20) when the machine has none of its own.
  command -v kubectl >/dev/null || pkgs+=(kubernetes-client)
fi

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "skiff: missing Debian packages: ${missing[*]}" >&2
  echo "skiff: run this script as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
# Boost 1.81 and Debian's default 1.74 headers conflict; refuse instead of breaking the system.
if dpkg-query -W -f='${db:Status-Status}' libboost1.74-dev 2>/dev/null | grep -q '^installed$'; then
  echo "skiff: libboost1.74-dev is installed and conflicts with libboost1.81-dev;" \
       "remove it (apt-get remove libboost1.74-dev libboost-dev) and run again" >&2
  exit 1
fi
echo "skiff: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
