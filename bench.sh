#!/usr/bin/env bash
# Runs a benchmark main class from a module's test sources with the module's test class path.
# usage: ./bench.sh MODULE FQCN [args...]     e.g. ./bench.sh services io.hostmesh.bench.BootBenchmark
set -euo pipefail
m=$1; cls=$2; shift 2
cd "$(dirname "$0")"
mvn -q -pl "$m" -am install -DskipTests >/dev/null
mvn -q -pl "$m" test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
exec java -cp "$m/target/test-classes:$m/target/classes:$(cat "$m/target/bench.cp")" "$cls" "$@"
