#!/bin/sh
# Makes the AppCDS archive of hostmesh once: the classes loaded while a throw-away demo device
# boots (hostmesh demo --exit-when-ready), dumped with -XX:ArchiveClassesAtExit. The archive only
# fits the jar path and JVM it was made with, so it is made on the device, and again after an
# update (the jar is newer than the archive).
# usage: make-cds-archive.sh [JAR] [ARCHIVE]   (defaults: $HOSTMESH_JAR, $HOSTMESH_CDS)
set -eu
jar=${1:-${HOSTMESH_JAR:-/usr/lib/hostmesh/hostmesh.jar}}
jsa=${2:-${HOSTMESH_CDS:-/var/lib/hostmesh/hostmesh.jsa}}
if [ -f "$jsa" ] && [ "$jsa" -nt "$jar" ]; then
  exit 0
fi
mkdir -p "$(dirname "$jsa")"
tmp="$jsa.tmp.$$"
root=$(mktemp -d "${TMPDIR:-/tmp}/hostmesh-cds.XXXXXX")
log="$root.log"
trap 'rm -rf "$root" "$log" "$tmp"' EXIT
# same flags as hostmesh.service, so the archive is accepted at run time. The demo is not the
# service: it must not talk to systemd (under ExecStartPre NOTIFY_SOCKET is set), and its log,
# warnings included, stays out of the journal unless it fails.
if ! env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID -u JOURNAL_STREAM \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss256k -XX:-UsePerfData -Xms8m -Xmx48m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=16m -XX:ArchiveClassesAtExit="$tmp" \
    -Djava.io.tmpdir="$root" -jar "$jar" demo --exit-when-ready --root "$root/device" >"$log" 2>&1; then
  echo "make-cds-archive: the demo boot failed; its output:" >&2
  cat "$log" >&2
  exit 1
fi
mv -f "$tmp" "$jsa"
echo "make-cds-archive: $jsa ($(du -k "$jsa" | cut -f1) KB)"
