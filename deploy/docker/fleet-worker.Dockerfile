# The fleet worker image (issue: fleets beyond one machine). Built from the repository root:
#   mvn -B -DskipTests package
#   docker build -f deploy/docker/fleet-worker.Dockerfile -t hostmesh-fleet-worker .
# Not built or run by the tests here (no Docker engine on this machine); the same command line
# runs in ClusterFleetIT against 127.0.0.1.
FROM eclipse-temurin:17-jre
COPY deploy/target/hostmesh.jar services/fleet/target/hostmesh-fleet.jar services/cluster/target/hostmesh-cluster.jar \
  deploy/docker/fleet-worker.sh /opt/hostmesh/
# Hazelcast's port; the event bus takes a free port on the same address (members learn it
# through Hazelcast), so a NetworkPolicy should allow pod-to-pod TCP within the fleet's pods
EXPOSE 5701
USER 65532:65532
ENTRYPOINT ["/opt/hostmesh/fleet-worker.sh"]
