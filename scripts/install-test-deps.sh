#!/usr/bin/env bash
# Debian packages the test suite needs: the real Routes library and the services whose live
# routers the tests compare with. Tests never import them into apimap; they run them with
# /usr/bin/python3 in probes. Idempotent; needs root (or sudo).
set -euo pipefail
pkgs=(python3-routes python3-glance python3-nova python3-neutron)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
