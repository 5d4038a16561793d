#!/usr/bin/env bash
# Debian packages the integration tests use: the real firewall tools and the test-host harness.
set -euo pipefail
pkgs=(iptables ipset nftables firewalld debootstrap iproute2 openssh-client socat util-linux chromium)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing packages ${missing[*]}; run as root" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
