package io.hostmesh.cli;

import java.io.PrintWriter;

/**
 * The fleet across machines behind {@code hostmesh fleet run --cluster} and {@code hostmesh fleet
 * worker}, found through {@link java.util.ServiceLoader} as {@link FleetEngine} is. Its
 * implementation needs hostmesh-cluster.jar (Hazelcast) on the class path, which the device jar
 * never carries; without it both commands say so and exit {@link ExitCodes#UNAVAILABLE}.
 */
public interface FleetCluster {
  /**
   * How this node joins: raw values from the command line, checked by the implementation.
   *
   * @param secret the cluster secret (from --secret-file or $HOSTMESH_CLUSTER_SECRET), or null
   */
  record Join(String name, String host, int port, String members, String secret) {
    @Override
    public String toString() { // never prints the secret
      return "Join[name=" + name + ", host=" + host + ", port=" + port + ", members=" + members + "]";
    }
  }

  /** Coordinates {@code run} over the cluster's workers; the same report as a single-JVM run. */
  int run(FleetEngine.Run run, Join join, PrintWriter out, PrintWriter err);

  /** Offers {@code cores} partitions at a time to the cluster's coordinators until stopped. */
  int worker(Join join, int cores, PrintWriter out, PrintWriter err);
}
