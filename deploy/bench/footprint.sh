#!/usr/bin/env bash
# Footprint of `hostmesh run --profile sim` (every unit of the jar, no demo parts) once settled and
# idle: resident memory, threads, heap after GC and the JVM's native memory by area (NMT).
# usage: deploy/bench/footprint.sh JAR [IDLE_SECONDS] -- [JVM FLAGS...]
#   e.g. deploy/bench/footprint.sh deploy/target/hostmesh.jar 20 -- $(deploy/bench/shipped-flags.sh)
# Needs a free port 48411 and 22222 (ssh-socket) on 127.0.0.1; the device root is a temp folder.
set -euo pipefail
jar=$(readlink -f "$1"); idle=${2:-20}; shift 2; [ "${1:-}" = "--" ] && shift
root=$(mktemp -d /tmp/hostmesh-footprint-XXXXXX)
pid=
# the root goes on every exit, also one during `sim init` (set -e); the device stops first
trap '[ -n "$pid" ] && { kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; }; rm -rf "$root"' EXIT
# a signal (a reader such as head closing the pipe, Ctrl-C) ends the script through the EXIT trap
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
java -jar "$jar" sim init "$root" --port 48411 >/dev/null
log="$root/run.log"
java "$@" -XX:NativeMemoryTracking=summary -jar "$jar" run --profile sim --root "$root" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do   # settled: /health says so (at most 60 s)
  if curl -s --max-time 1 http://127.0.0.1:48411/health 2>/dev/null | grep -q '"settled":true'; then break; fi
  sleep 0.1
done
curl -s http://127.0.0.1:48411/health; echo
sleep "$idle"                # idle: what a settled device holds
echo "flags: $*"
threads=$(for _ in $(seq 1 30); do sed -n 's/^Threads:\s*//p' /proc/$pid/status; sleep 1; done | sort -n)
echo "threads over 30 s (one look a second): min $(echo "$threads" | head -1), max $(echo "$threads" | tail -1), most often $(echo "$threads" | uniq -c | sort -rn | head -1 | awk '{print $2}')"
grep -E "^(VmRSS|RssAnon|RssFile|RssShmem|VmHWM|Threads)" /proc/$pid/status | tr -s ' \t' ' '
echo "resident by mapping (KB, largest first):"
awk '/^[0-9a-f]+-[0-9a-f]+ /{name=($6==""?"[anon]":$6)} /^Rss:/{rss[name]+=$2} END{for(n in rss) if(rss[n]>=512) printf "  %7d %s\n", rss[n], n}' /proc/$pid/smaps | sort -rn
jcmd $pid GC.heap_info | grep -E 'total|Metaspace|class space' | sed 's/^ */  /'
jcmd $pid GC.run >/dev/null; jcmd $pid GC.heap_info | grep -E 'def new|tenured' | sed 's/^ */  after GC: /'
jcmd $pid VM.native_memory summary | grep -E '^(Total|-  *[A-Za-z ]+ \(reserved)' | sed 's/(reserved=[0-9]*KB, //; s/^-  */  /'
echo "threads by name:"; ls /proc/$pid/task | while read -r t; do cat /proc/$pid/task/$t/comm; done | sed 's/[0-9]\+$/N/' | sort | uniq -c | sort -rn | head -20
