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
# same flags as hostmesh.service, so the archive is accepted at run time
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss256k -XX:-UsePerfData -XX:ArchiveClassesAtExit="$tmp" \
  -jar "$jar" demo --exit-when-ready >/dev/null
mv -f "$tmp" "$jsa"
echo "make-cds-archive: $jsa ($(du -k "$jsa" | cut -f1) KB)"
