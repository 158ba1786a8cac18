#!/bin/sh
# Entry point of the fleet worker image: one cluster member offering its cores to whichever
# `hostmesh fleet run SCENARIO --cluster …` coordinator runs. Everything comes from the
# environment (Kubernetes sets it from the manifest in deploy/kubernetes/):
#   HOSTMESH_CLUSTER_SECRET  required; the cluster's shared secret (a Secret, never a literal)
#   HOSTMESH_CLUSTER_NAME    default hostmesh-fleet
#   HOSTMESH_CLUSTER_HOST    the address to bind (the pod's IP); default 127.0.0.1
#   HOSTMESH_JOIN            k8s:SERVICE_DNS (Hazelcast's Kubernetes discovery) or HOST:PORT,…
#   HOSTMESH_CORES           partitions run at once; default: the CPUs the container may use
#   HOSTMESH_JAVA_OPTS       default -XX:MaxRAMPercentage=75 -XX:+UseParallelGC
set -eu
: "${HOSTMESH_CLUSTER_SECRET:?set HOSTMESH_CLUSTER_SECRET (the cluster secret, from a Secret)}"
dir=$(dirname "$0")
exec java ${HOSTMESH_JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+UseParallelGC} -Djava.security.egd=file:/dev/urandom \
  -cp "$dir/hostmesh.jar:$dir/hostmesh-fleet.jar:$dir/hostmesh-cluster.jar" io.hostmesh.cli.Main fleet worker \
  --cluster-name "${HOSTMESH_CLUSTER_NAME:-hostmesh-fleet}" \
  --cluster-host "${HOSTMESH_CLUSTER_HOST:-127.0.0.1}" \
  --join "${HOSTMESH_JOIN:-}" \
  --cores "${HOSTMESH_CORES:-0}"
