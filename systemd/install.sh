#!/usr/bin/env bash
# Installs ektp-bridge on a branch PC or kiosk (Debian 12): run as root from an unpacked release.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
DEST=/opt/ektp-bridge

# Runtime packages only (the test-only ones, vpcd, umockdev, socat and chromium, stay off kiosks).
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends pcscd libpcsclite-dev udev g++ make python3 nodejs npm
id ektp-bridge >/dev/null 2>&1 || useradd --system --home /var/lib/ektp-bridge --shell /usr/sbin/nologin ektp-bridge
usermod -a -G plugdev,dialout ektp-bridge
if [ "$SRC" != "$DEST" ]; then
  mkdir -p "$DEST"
  cp -a "$SRC/." "$DEST/"
fi
# pcsclite is built by node-gyp against the installed Node's headers
(cd "$DEST" && npm_config_nodedir=/usr npm ci --omit=dev --no-audit --no-fund)
install -d -m 0750 -o root -g ektp-bridge /etc/ektp-bridge
if [ ! -f /etc/ektp-bridge/config.json ]; then
  cat >/etc/ektp-bridge/config.json <<JSON
{
  "sam": { "secretsFile": "/etc/ektp-bridge/sam-secrets.json" },
  "security": { "allowedOrigins": [], "requireTickets": true, "ticketKeys": [] },
  "dataDir": "/var/lib/ektp-bridge"
}
JSON
  chmod 0640 /etc/ektp-bridge/config.json
  chgrp ektp-bridge /etc/ektp-bridge/config.json
fi
echo "Put the installation's PCID/CONF in /etc/ektp-bridge/sam-secrets.json:" >&2
echo '  {"pcidHex": "...", "confHex": "..."}  then: chown ektp-bridge /etc/ektp-bridge/sam-secrets.json && chmod 600 /etc/ektp-bridge/sam-secrets.json' >&2
install -m 0644 "$SRC/systemd/70-ektp-bridge.rules" /etc/udev/rules.d/70-ektp-bridge.rules
udevadm control --reload-rules 2>/dev/null || true
install -m 0644 "$SRC/systemd/ektp-bridge.service" /etc/systemd/system/ektp-bridge.service
systemctl daemon-reload
systemctl enable --now pcscd.socket ektp-bridge.service
"$DEST/src/cli/bin.js" doctor || true
