#!/usr/bin/env bash
# Makes the base of the scratch image: a jlink'd JRE under OUT/opt/jre and the shared libraries
# it needs (found with ldd) at their own paths, plus an empty /tmp. Used by the `image` profile
# of deploy/pom.xml (Jib extraDirectories) and by deploy/docker/Dockerfile.
# usage: jre-rootfs.sh OUT
set -euo pipefail
out=$1
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# java.naming/java.management: Vert.x; jdk.unsupported: Netty; java.sql: Jackson's
# optional bits (not java.desktop: it drags X11 in); jdk.crypto.ec: TLS for timesync-https
modules=java.base,java.logging,java.naming,java.management,java.xml,java.sql,jdk.unsupported,jdk.crypto.ec,jdk.zipfs
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/device"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$out/opt/jre"
# every library the JRE's executables and .so files load, and the dynamic loader itself
find "$out/opt/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \//{print $3} /^\s*\/[^ ]*ld-linux/{print $1}' | sort -u \
  | while read -r lib; do
      mkdir -p "$out$(dirname "$lib")"
      cp -L "$lib" "$out$lib"
    done
# /lib64 -> the loader path the executables ask for
interp=$(readelf -l "$out/opt/jre/bin/java" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
if [ -n "$interp" ] && [ ! -e "$out$interp" ]; then
  mkdir -p "$out$(dirname "$interp")"
  cp -L "$interp" "$out$interp"
fi
echo "jre-rootfs: $(du -sh "$out" | cut -f1) in $out"
