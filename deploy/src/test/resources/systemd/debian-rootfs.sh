#!/bin/sh
# A small Debian root file system with systemd, booted by the systemd ITs with systemd-nspawn
# (deploy/src/test/java/io/hostmesh/deploy/systemd). Made with mmdebstrap from the package
# archive this machine already uses (its apt sources and apt settings), for the host's own
# release, so the host's JDK runs inside when bind-mounted. Cached: the folder is kept under
# CACHE_DIR and made again only when this script or the apt sources change.
# usage: debian-rootfs.sh CACHE_DIR   (prints the root folder on its last line)
set -eu
cache=$1
# systemd as PID 1, the daemons the device profile drives, curl for the API, NetworkManager
# with nm-online and nmcli (issue 16), util-linux's tools
packages=systemd,systemd-sysv,dbus,chrony,openssh-server,openssh-client,iproute2,procps,udev,curl,network-manager
. /etc/os-release
suite=${VERSION_CODENAME:?"no VERSION_CODENAME in /etc/os-release"}
sources=
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  if [ -s "$f" ] && grep -q '^[^#[:space:]]' "$f"; then sources=$f; break; fi
done
# the apt settings that decide whether the archive is reachable (a proxy, a snapshot's dates)
aptopts=$(apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy) ' || true)
key=$({ cat "$0"; echo "$packages $suite $aptopts"; [ -z "$sources" ] || cat "$sources"; } | sha256sum | cut -c1-16)
root="$cache/rootfs-$suite-$key"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 600 9
if [ ! -d "$root" ]; then
  for old in "$cache"/rootfs-*; do [ -e "$old" ] && rm -rf "$old"; done
  set -- --variant=minbase --include="$packages" --mode=root
  # one --aptopt per setting line
  tmpopts=$(mktemp)
  printf '%s\n' "$aptopts" > "$tmpopts"
  while IFS= read -r line; do [ -n "$line" ] && set -- "$@" --aptopt="$line"; done < "$tmpopts"
  rm -f "$tmpopts"
  # the hostmesh ITs run what they start: no sshd on 22, no timers or console getty meanwhile
  set -- "$@" --customize-hook='chroot "$1" systemctl mask ssh.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer dpkg-db-backup.timer fstrim.timer console-getty.service'
  set -- "$@" --customize-hook='echo hostmesh-ct > "$1/etc/hostname"'
  echo "debian-rootfs: mmdebstrap $suite with $packages (${sources:-default mirror})" >&2
  if [ -n "$sources" ]; then
    mmdebstrap "$@" "$suite" "$root.tmp" "$sources" >&2
  else
    mmdebstrap "$@" "$suite" "$root.tmp" >&2
  fi
  mv "$root.tmp" "$root"
fi
echo "$root"
