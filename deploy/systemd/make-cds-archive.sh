#!/bin/sh
# Makes the AppCDS archive of hostmesh once: the classes loaded while a throw-away demo device
# boots (hostmesh demo --exit-when-ready), dumped with -XX:ArchiveClassesAtExit. The archive only
# fits the jar path and JVM it was made with, so it is made on the device, and again after an
# update (the jar is newer than the archive).
# A failed attempt is not repeated for the same jar (ARCHIVE.failed holds why; a newer jar is
# tried again), and nothing is left behind on any exit path: no half-written archive, no demo root.
# usage: make-cds-archive.sh [JAR] [ARCHIVE]   (defaults: $HOSTMESH_JAR, $HOSTMESH_CDS)
set -eu
jar=${1:-${HOSTMESH_JAR:-/usr/lib/hostmesh/hostmesh.jar}}
jsa=${2:-${HOSTMESH_CDS:-/var/lib/hostmesh/hostmesh.jsa}}
failed="$jsa.failed"
if [ -f "$jsa" ] && [ "$jsa" -nt "$jar" ]; then
  exit 0
fi
if [ -f "$failed" ] && [ "$failed" -nt "$jar" ]; then
  exit 0 # failed for this jar already: hostmesh runs without the archive (-Xshare:auto)
fi
if [ ! -f "$jar" ]; then
  echo "make-cds-archive: no jar at $jar" >&2
  exit 66
fi
mkdir -p "$(dirname "$jsa")"
tmp="$jsa.tmp.$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/hostmesh-cds.XXXXXX")
trap 'rm -rf "$work" "$tmp"' EXIT
# a signal ends the script through its EXIT trap too
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
echo "making the start-up archive (once per build)…" >&2
# same flags as hostmesh.service, so the archive is accepted at run time. The demo is not the
# service: it must not talk to systemd (under ExecStartPre NOTIFY_SOCKET is set). Its device root
# and the JVM's temporary files live in $work.
if ! env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID -u JOURNAL_STREAM \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss256k -XX:-UsePerfData -Xms8m -Xmx48m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=16m -XX:-UseNotificationThread -XX:-MethodFlushing -XX:ArchiveClassesAtExit="$tmp" \
    -Djava.io.tmpdir="$work" -jar "$jar" demo --exit-when-ready --root "$work/device" >"$work/log" 2>&1; then
  { echo "make-cds-archive: the demo boot with $jar failed; the last lines of its output:"; tail -n 40 "$work/log"; } >"$failed"
  echo "make-cds-archive: no start-up archive: the demo boot failed (not retried for this jar; why: $failed)" >&2
  exit 1
fi
rm -f "$failed"
mv -f "$tmp" "$jsa"
echo "make-cds-archive: $jsa ($(du -k "$jsa" | cut -f1) KB)"
