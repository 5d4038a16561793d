#!/usr/bin/env bash
# Build (once) and cache a Debian 12 (bookworm) rootfs for the netns test hosts.
#
# Usage: tests/hosts/rootfs.sh [ensure|path|key|rebuild|clean]
#   ensure  (default) build the tarball if missing, extract it once, print the
#           extracted directory on stdout (everything else goes to stderr)
#   path    print the extracted directory that `ensure` would produce
#   key     print the cache key (hash of suite + arch + package list + recipe)
#   rebuild drop this key's tarball and extracted tree, then ensure
#   clean   remove every cached rootfs (tarballs and extracted trees)
#
# Environment:
#   COLLAB_FW_CACHE   cache dir (default: <repo>/.cache/rootfs)
#   COLLAB_FW_MIRROR  Debian mirror URL (default: the one in this machine's apt sources)
set -euo pipefail

SUITE=bookworm
RECIPE_VERSION=1   # bump when the post-install configuration below changes
PACKAGES=(
  openssh-server python3 iptables ipset nftables firewalld dbus iproute2
  netcat-openbsd socat procps ca-certificates adduser
  libpam-systemd  # polkitd (firewalld dep) needs a logind provider; debootstrap does not resolve virtual deps
)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# default: <checkout>/.cache/rootfs; for a copy outside a git checkout (tests/run.sh's
# ansible_collections tree, rebuilt on every run) a per-user cache, so it survives the copy
if [[ -e "$REPO/.git" ]]; then DEFAULT_CACHE="$REPO/.cache/rootfs"; else DEFAULT_CACHE="${HOME:-/root}/.cache/collab-fw/rootfs"; fi
CACHE="${COLLAB_FW_CACHE:-$DEFAULT_CACHE}"

log() { printf '[rootfs] %s\n' "$*" >&2; }
die() { printf '[rootfs] ERROR: %s\n' "$*" >&2; exit 1; }

arch() { dpkg --print-architecture 2>/dev/null || echo amd64; }

cache_key() {
  # sorted, de-duplicated package list + suite + arch + recipe version
  local sorted
  sorted="$(printf '%s\n' "${PACKAGES[@]}" | LC_ALL=C sort -u | tr '\n' ' ')"
  printf 'suite=%s arch=%s recipe=%s pkgs=%s\n' "$SUITE" "$(arch)" "$RECIPE_VERSION" "$sorted" \
    | sha256sum | cut -c1-16
}

# The Debian mirror this machine's apt uses (main archive, not -security).
detect_mirror() {
  if [[ -n "${COLLAB_FW_MIRROR:-}" ]]; then echo "$COLLAB_FW_MIRROR"; return; fi
  local f uri=""
  # deb822 *.sources: first stanza whose Suites has "$SUITE" itself
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v suite="$SUITE" '
      function flush() { if (!done && uris != "" && has && !enabled_no && types ~ /(^| )deb( |$)/) { split(uris, u, " "); print u[1]; done=1; exit } uris=""; has=0; enabled_no=0; types="" }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      tolower($1) == "types:"   { $1=""; types=$0 }
      tolower($1) == "uris:"    { $1=""; sub(/^ +/, ""); uris=$0 }
      tolower($1) == "enabled:" { if (tolower($2) == "no") enabled_no=1 }
      tolower($1) == "suites:"  { for (i=2; i<=NF; i++) if ($i == suite) has=1 }
      END { flush() }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
  # one-line *.list: "deb [opts] URI bookworm comp..."
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v suite="$SUITE" '
      $1 == "deb" { i=2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                    if ($(i+1) == suite) { print $i; exit } }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
  die "no '$SUITE' Debian mirror found in /etc/apt/sources.list(.d); set COLLAB_FW_MIRROR"
}

KEY="$(cache_key)"
TARBALL="$CACHE/$SUITE-$KEY.tar.gz"
TREE="$CACHE/$SUITE-$KEY"

ensure_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return
  log "debootstrap missing: apt-get update && apt-get install -y debootstrap"
  apt-get update -q >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2 || die "cannot install debootstrap"
}

# Configuration baked into the image (per-host state is added at `up` time).
configure_tree() {
  local t="$1"
  # no daemons may start from maintainer scripts inside this chroot
  printf '#!/bin/sh\nexit 101\n' >"$t/usr/sbin/policy-rc.d"; chmod 755 "$t/usr/sbin/policy-rc.d"
  # host keys are generated per host at start: never share the build's keys
  rm -f "$t"/etc/ssh/ssh_host_*
  mkdir -p "$t/etc/ssh/sshd_config.d" "$t/root/.ssh"
  chmod 700 "$t/root/.ssh"
  cat >"$t/etc/ssh/sshd_config.d/collab-fw.conf" <<'EOF'
# collab.firewall netns test host
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
MaxStartups 100:30:200
MaxSessions 50
EOF
  # firewalld: no modprobe / module loading in a netns; keep the nftables backend
  if [[ -f "$t/etc/firewalld/firewalld.conf" ]]; then
    sed -i -e 's/^FirewallBackend=.*/FirewallBackend=nftables/' "$t/etc/firewalld/firewalld.conf"
  fi
  rm -f "$t/etc/machine-id" "$t/var/lib/dbus/machine-id"
  : >"$t/etc/machine-id"
  rm -rf "$t"/var/cache/apt/archives/*.deb "$t"/var/lib/apt/lists/* "$t"/usr/share/doc/* \
         "$t"/usr/share/man/* "$t"/usr/share/info/* 2>/dev/null || true
  echo "$KEY" >"$t/etc/collab-fw-rootfs"
}

build() {
  ensure_debootstrap
  local mirror tmp start end incl
  mirror="$(detect_mirror)"
  mkdir -p "$CACHE"
  tmp="$CACHE/.build-$KEY.$$"
  trap 'umount_under "$tmp"; rm -rf --one-file-system "$tmp" "$TARBALL.tmp"' EXIT
  incl="$(IFS=,; echo "${PACKAGES[*]}")"
  log "building $SUITE rootfs (key $KEY) from $mirror with: $incl"
  start=$(date +%s)
  debootstrap --variant=minbase --components=main --include="$incl" \
    "$SUITE" "$tmp" "$mirror" >"$CACHE/build-$KEY.log" 2>&1 \
    || { cp -f "$tmp/debootstrap/debootstrap.log" "$CACHE/debootstrap-$KEY.log" 2>/dev/null || true
         tail -n 30 "$CACHE/build-$KEY.log" >&2; die "debootstrap failed (log: $CACHE/build-$KEY.log)"; }
  umount_under "$tmp"
  configure_tree "$tmp"
  log "creating tarball $TARBALL"
  tar --numeric-owner --xattrs --xattrs-include='*' --one-file-system -C "$tmp" -czf "$TARBALL.tmp" .
  mv -f "$TARBALL.tmp" "$TARBALL"
  # the freshly built tree is exactly what extracting the tarball would give
  rm -rf --one-file-system "$TREE"
  mv "$tmp" "$TREE"
  trap - EXIT
  end=$(date +%s)
  log "built in $((end - start))s; tarball $(du -h "$TARBALL" | cut -f1), tree $(du -sh "$TREE" | cut -f1)"
  echo "build_seconds=$((end - start)) tarball_bytes=$(stat -c %s "$TARBALL")" >"$CACHE/build-$KEY.stats"
}

umount_under() {
  local d="$1" m
  [[ -n "$d" && -d "$d" ]] || return 0
  # deepest first
  for m in $(awk -v d="$d" '$5 == d || index($5, d"/") == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

extract() {
  local tmp="$CACHE/.extract-$KEY.$$"
  log "extracting $TARBALL -> $TREE"
  rm -rf --one-file-system "$tmp"; mkdir -p "$tmp"
  tar --numeric-owner --xattrs --xattrs-include='*' -C "$tmp" -xzf "$TARBALL" \
    || { rm -rf --one-file-system "$tmp"; die "cannot extract $TARBALL"; }
  mv "$tmp" "$TREE"
}

ensure() {
  [[ $EUID -eq 0 ]] || die "must run as root (debootstrap, device nodes)"
  mkdir -p "$CACHE"
  # one builder at a time per cache dir
  exec 9>"$CACHE/.lock"
  flock -w 1800 9 || die "timed out waiting for $CACHE/.lock"
  if [[ -f "$TARBALL" ]]; then
    [[ -f "$TREE/etc/collab-fw-rootfs" ]] || { rm -rf --one-file-system "$TREE"; extract; }
    log "cached: $TARBALL"
  else
    build
  fi
  echo "$TREE"
}

case "${1:-ensure}" in
  ensure)  ensure ;;
  path)    echo "$TREE" ;;
  key)     echo "$KEY" ;;
  mirror)  detect_mirror ;;
  rebuild) rm -f "$TARBALL"; rm -rf --one-file-system "$TREE"; ensure ;;
  clean)   rm -rf --one-file-system "$CACHE"/"$SUITE"-* "$CACHE"/.build-* "$CACHE"/.extract-*; log "cleaned $CACHE" ;;
  *) echo "usage: $0 [ensure|path|key|mirror|rebuild|clean]" >&2; exit 2 ;;
esac
