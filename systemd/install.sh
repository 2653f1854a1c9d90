#!/bin/sh
# Installs ektp-bridge on a branch PC or kiosk from its Debian package (run as root):
#   systemd/install.sh [ektp-bridge_<version>_amd64.deb]
# Without an argument it takes the newest package in dist/ (built by `npm run package`). The package
# carries its own Node and compiled code: no Node, npm or compiler is installed on the machine. A
# branch normally gets the package from the agency's apt repository instead (README: "Install on a
# branch PC or kiosk").
set -eu
deb=${1:-$(ls -1 "$(dirname "$0")"/../dist/ektp-bridge_*_amd64.deb 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "install.sh: no package given and none in dist/ (build one with: npm run package)" >&2
  exit 2
fi
case $deb in /* | ./*) ;; *) deb=./$deb ;; esac
apt-get install -y "$deb"
ektp-bridge doctor || true
