#!/usr/bin/env bash
# Unpack Debian packages into one tree that apimap can map, without installing them:
#   scripts/fetch-debian.sh glance python3-glance glance-common
# gives .cache/debian/glance/{usr/lib/python3/dist-packages,usr/share/glance-common,etc}.
# Uses `apt-get download` + `dpkg-deb -x`; reruns are free while the versions match.
set -euo pipefail
name=${1:?usage: fetch-debian.sh NAME PACKAGE...}
shift
[ $# -gt 0 ] || { echo "fetch-debian.sh: no packages given" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/.cache/debian/$name"
debs="$top/.cache/debian/.debs"
mkdir -p "$debs"

want=$(apt-cache policy "$@" | awk '/^[^ ]/{p=$1} /Candidate:/{print p, $2}' | sort)
if [ -z "$want" ]; then
  echo "fetch-debian.sh: apt-cache knows none of: $* (run apt-get update first)" >&2
  exit 2
fi
if [ -f "$dest/.apimap-stamp" ] && [ "$(cat "$dest/.apimap-stamp")" = "$want" ]; then
  echo "$dest"
  exit 0
fi

rm -rf "$dest"
mkdir -p "$dest"
(cd "$debs" && apt-get download -o APT::Sandbox::User=root "$@" >/dev/null)
for pkg in "$@"; do
  deb=$(ls -t "$debs/${pkg}_"*.deb | head -n 1)
  dpkg-deb -x "$deb" "$dest"
done
printf '%s\n' "$want" > "$dest/.apimap-stamp"
echo "$dest"
