#!/bin/sh
# The JVM flags hostmesh ships with (launcher, systemd unit, image), one place for the benchmarks.
sed -n 's/^flags=(\(.*\))$/\1/p' "$(dirname "$0")/../../hostmesh"
