# hostmesh ssh-socket: the device view of one SSH session (sim profile). Runs as root in a new
# mount and UTS namespace (unshare --mount --uts --propagation private), so nothing mounted here
# reaches the host, and the namespace goes with the session's last process. Fixed text: every
# path comes as an argument. $1 the device root (host path); $2 the shims folder and $3 the
# shadow file (device paths; $3 may be empty); then the program to run (setpriv ... sshd -i ...).
# Few programs are run (each costs milliseconds per login): the mounts are two fstab files and two
# calls of mount.
set -eu
R=$1 SHIMS=$2 SHADOW=$3
shift 3
fail() { echo "hostmesh device view: $*" >&2; exit 1; }
[ -d /usr/local/sbin ] || fail "/usr/local/sbin is missing on this host (the device's commands are bound there)"
[ -d "$R" ] || fail "no device root at $R"
# the device root as it is now: everything is taken from here, even where the view hides its path
exec 3<"$R"
D=/proc/self/fd/3
# a tmpfs of this namespace for what the view adds to the host's /etc and /var: the device's files
# (copied: read-only, as at login) and the folders the device's folders are bound on
mount -t tmpfs -o mode=700 hostmesh-view /mnt
S=/mnt
mkdir -p $S/etc/NetworkManager $S/etc/udev/rules.d $S/etc/fake-hwclock $S/var/volatile
files=
for f in hostname hosts os-release timestamp; do
  [ ! -f "$D/etc/$f" ] || files="$files $D/etc/$f"
done
[ -z "$SHADOW" ] || files="$files $D$SHADOW"
[ -z "$files" ] || cp $files $S/etc/
# the host's /etc and /var with those on top, read-only; private tmpfs on /mnt, /run, /home, /root,
# /tmp (as balenaOS's) and /dev/shm: what a session writes there goes with the session
printf '%s\n' \
  "hostmesh-etc /etc overlay ro,lowerdir=$S/etc:/etc 0 0" \
  "hostmesh-var /var overlay ro,lowerdir=$S/var:/var 0 0" \
  "hostmesh-mnt /mnt tmpfs mode=755 0 0" \
  "hostmesh-run /run tmpfs mode=755 0 0" \
  "hostmesh-home /home tmpfs mode=755 0 0" \
  "hostmesh-root /root tmpfs mode=700 0 0" \
  "hostmesh-tmp /tmp tmpfs mode=1777 0 0" \
  "hostmesh-shm /dev/shm tmpfs mode=1777 0 0" > $S/view.fstab
mount -a -c --fstab $S/view.fstab
# the device's host name for hostname(1) and the shell prompt (this namespace's own UTS), before
# /proc/sys goes read-only below
if [ -s /etc/hostname ]; then
  read -r name < /etc/hostname
  echo "$name" > /proc/sys/kernel/hostname
fi
binds=
# sshd reads its configuration and keys under the device root's host path: where the view hid
# it, the root is bound there again, read-only (only ever onto the namespace's own tmpfs or overlays)
if ! [ "$R" -ef $D ]; then
  mkdir -p "$R"
  binds="$D $R none bind,ro 0 0
"
fi
# chronyc (the device's) binds its reply socket beside chronyd's, by the host path: writable
[ ! -d "$D/run/chrony" ] || binds="$binds$D/run/chrony $R/run/chrony none bind,rw 0 0
"
# the device's folders (and /run/dnsmasq.servers) over the view, where the device has them;
# read-only where the device itself would not write
bind() {
  if [ -d "$D$2" ]; then
    dirs="$dirs ${3:-$2}"
  elif [ -f "$D$2" ]; then
    : > "${3:-$2}"
  else
    return 0
  fi
  binds="$binds$D$2 ${3:-$2} none bind,$1 0 0
"
}
dirs=/run/sshd
bind rw /mnt/boot
bind rw /mnt/state
bind rw /home/root
bind rw /var/volatile
bind rw /run/chrony
bind ro /run/hostmesh
bind ro /run/dnsmasq.servers
bind ro /etc/fake-hwclock
bind ro /etc/udev/rules.d
bind ro /etc/NetworkManager
bind ro "$SHIMS" /usr/local/sbin
# the kernel's settings and, where the kernel has it, the magic SysRq key (a write there reboots
# the host, capabilities or not): read-only
binds="$binds/proc/sys /proc/sys none bind,ro 0 0
"
[ ! -e /proc/sysrq-trigger ] || binds="$binds/proc/sysrq-trigger /proc/sysrq-trigger none bind,ro 0 0
"
mkdir -p $dirs
printf '%s' "$binds" > /run/.hostmesh-view.fstab
mount -a -c --fstab /run/.hostmesh-view.fstab
rm /run/.hostmesh-view.fstab
# /sys read-only, without the host's cgroup mounts under it (mount -a skips a target already
# mounted, hence its own call); last, the host's root file system read-only in this namespace
# (/usr, /opt, /srv ...): the binds above are mounts of their own and keep their flags
mount -c -o bind,ro /sys /sys
mount -c -o remount,bind,ro /
exec 3<&-
exec "$@"
