#!/usr/bin/env bash
# Installs what the NBIS side-by-side measurements need (root or sudo, Debian 12): Debian's libfprint,
# which carries NBIS (mindtct + bozorth3), its GObject bindings for Python, and Pillow. Used by
# `npm run bench:verify` and `test/bench/synth/hard-mix-eer.ts --nbis` (and ../shared/tools/nbis).
# No test needs it, so .ci/setup does not install it. Safe to run again.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(libfprint-2-2 gir1.2-fprint-2.0 python3-gi python3-pil)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c 'import gi; gi.require_version("FPrint", "2.0"); from gi.repository import FPrint; print("NBIS through libfprint", FPrint.Context().__class__.__name__, "ready")'
