#!/usr/bin/env bash
# The cost of a device command over SSH into a sim device (issue 17): `ssh ... 'systemctl is-active
# chronyd'` (a shim: curl to the device's API) against `ssh ... true` (the login and the device view
# alone), N of each, alternating; medians in ms. Then the shim alone: N runs inside one session.
# usage: deploy/bench/ssh-shell.sh JAR [N] [noview]   e.g. deploy/bench/ssh-shell.sh deploy/target/hostmesh.jar 50
#   noview: sessions without the device view (units.ssh-socket.deviceView false): `ssh ... true`
#   only (the device's commands need the view), for the view's own cost
# Needs root (sshd -i, the view's namespaces), sshd, ssh-keygen, jq, curl; the device runs on
# 127.0.0.77 with free ports; its root and the key are temp folders removed at the end.
set -euo pipefail
jar=$(readlink -f "$1"); n=${2:-50}; view=${3:-view}
dir=$(mktemp -d /tmp/hostmesh-bench-ssh-XXXXXX)
root="$dir/dev"; addr=127.0.0.77
pid=
trap 'if [ -n "$pid" ]; then kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; fi; if [ -n "${KEEP_LOG:-}" ]; then cp "$dir/run.log" "$KEEP_LOG"; fi; rm -rf "$dir"' EXIT
java -jar "$jar" sim init "$root" --address $addr --port 0 --ssh-port 0 >/dev/null
ssh-keygen -q -N '' -t ed25519 -f "$dir/key"
jq --arg k "$(cat "$dir/key.pub")" '.os.sshKeys=[$k] | .developmentMode=true' "$root/mnt/boot/config.json" > "$dir/c.json"
mv "$dir/c.json" "$root/mnt/boot/config.json"
if [ "$view" = noview ]; then
  jq '.units["ssh-socket"].deviceView=false' "$root/etc/hostmesh/hostmesh.json" > "$dir/h.json"
  mv "$dir/h.json" "$root/etc/hostmesh/hostmesh.json"
fi
java -jar "$jar" run --profile sim --root "$root" >"$dir/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do   # settled (at most 60 s)
  port=$(cat "$root/run/hostmesh/api.port" 2>/dev/null || true)
  if [ -n "$port" ] && curl -s --max-time 1 "http://$addr:$port/health" | grep -q '"settled":true'; then break; fi
  sleep 0.1
done
sshport=$(curl -s "http://$addr:$port/v1/state" | jq '."ssh.socket.status".port')
run() { ssh -F /dev/null -p "$sshport" -i "$dir/key" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$addr" "$1" >/dev/null; }
ms() { echo $(( ($2 - $1) / 1000 )); }   # microseconds
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }
run true   # warm-up
: > "$dir/true"; : > "$dir/shim"
if [ "$view" = noview ]; then
  for _ in $(seq 1 "$n"); do
    t0=$(date +%s%N); run true; t1=$(date +%s%N); ms "$t0" "$t1" >> "$dir/true"
  done
  printf "ssh ... true, without the device view, median of %d: %s ms\n" "$n" "$(median < "$dir/true")"
  exit 0
fi
run 'systemctl is-active chronyd'
for _ in $(seq 1 "$n"); do
  t0=$(date +%s%N); run true; t1=$(date +%s%N); ms "$t0" "$t1" >> "$dir/true"
  t0=$(date +%s%N); run 'systemctl is-active chronyd'; t1=$(date +%s%N); ms "$t0" "$t1" >> "$dir/shim"
done
inside=$(ssh -F /dev/null -p "$sshport" -i "$dir/key" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$addr" \
  "for i in \$(seq 1 $n); do t0=\$(date +%s%N); systemctl is-active chronyd >/dev/null; t1=\$(date +%s%N); echo \$(( (t1 - t0) / 1000 )); done")
printf "ssh ... true                          median of %d: %s ms\n" "$n" "$(median < "$dir/true")"
printf "ssh ... 'systemctl is-active chronyd' median of %d: %s ms\n" "$n" "$(median < "$dir/shim")"
printf "systemctl is-active chronyd inside one session, median of %d: %s ms\n" "$n" "$(echo "$inside" | median)"
