#!/usr/bin/env bash
# Runs a benchmark main class from a module's test sources with the module's test class path.
# usage: ./bench.sh MODULE FQCN [args...]     e.g. ./bench.sh services/units io.hostmesh.bench.BootBenchmark
# The class path comes from the reactor (the modules' target/classes), so nothing is installed
# into ~/.m2; set BENCH_JAVA_OPTS for JVM flags of the benchmark itself.
set -euo pipefail
m=$1; cls=$2; shift 2
cd "$(dirname "$0")"
mvn -q -B ${BENCH_MVN_OPTS:-} -pl "$m" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
read -r -a jopts <<< "${BENCH_JAVA_OPTS:-}"
exec java "${jopts[@]}" -cp "$m/target/test-classes:$m/target/classes:$(cat "$m/target/bench.cp")" "$cls" "$@"
