package io.hostmesh.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import picocli.CommandLine.Option;

/** The options by which {@code fleet worker} and {@code fleet run --cluster} join a cluster. */
final class ClusterOptions {
  static final String SECRET_ENV = "HOSTMESH_CLUSTER_SECRET";

  @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "hostmesh-fleet",
      description = "The cluster's name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--cluster-host", paramLabel = "H", defaultValue = "127.0.0.1",
      description = "The address this node binds and is reached at (default: ${DEFAULT-VALUE}; never 0.0.0.0 unless given).")
  String host;

  @Option(names = "--cluster-port", paramLabel = "P", defaultValue = "5701",
      description = "Hazelcast's port; the next free one above it is taken when it is in use (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--join", paramLabel = "HOST:PORT,…",
      description = "Members to join (TCP-IP, multicast is never used), or k8s:SERVICE_DNS for Hazelcast's Kubernetes discovery.")
  String join;

  @Option(names = "--secret-file", paramLabel = "FILE",
      description = "A file holding the cluster's secret (else $" + SECRET_ENV + "); every member shares it.")
  Path secretFile;

  FleetCluster.Join toJoin() {
    String secret;
    if (secretFile != null) {
      try {
        secret = Files.readString(secretFile).strip();
      } catch (NoSuchFileException e) {
        throw new CliFailure(ExitCodes.NO_INPUT, "no secret file at " + secretFile);
      } catch (IOException e) {
        throw new CliFailure(ExitCodes.NO_INPUT, "cannot read the secret file " + secretFile + ": " + e.getMessage());
      }
    } else {
      secret = System.getenv(SECRET_ENV);
    }
    return new FleetCluster.Join(name, host, port, join == null ? "" : join, secret);
  }

  static FleetCluster engine() {
    return ServiceLoader.load(FleetCluster.class).findFirst().orElseThrow(() -> new CliFailure(ExitCodes.UNAVAILABLE,
        "a fleet across machines needs the fleet module and hostmesh-cluster.jar on the class path"
            + " (./hostmesh puts services/cluster/target/hostmesh-cluster.jar there for fleet commands)"));
  }
}
