package io.hostmesh.fleet;

import io.hostmesh.cli.ExitCodes;
import io.hostmesh.cli.FleetCluster;
import io.hostmesh.cli.FleetEngine;
import java.io.PrintWriter;

/**
 * The {@link FleetCluster} service: checks that hostmesh-cluster.jar is on the class path before
 * touching any of its classes (they are only in that jar), then hands over to {@link
 * ClusterFleetRun}.
 */
public final class ClusterFleet implements FleetCluster {
  @Override
  public int run(FleetEngine.Run run, Join join, PrintWriter out, PrintWriter err) {
    return present(err) ? ClusterFleetRun.coordinate(run, join, out, err) : ExitCodes.UNAVAILABLE;
  }

  @Override
  public int worker(Join join, int cores, PrintWriter out, PrintWriter err) {
    return present(err) ? ClusterFleetRun.work(join, cores, out, err) : ExitCodes.UNAVAILABLE;
  }

  private static boolean present(PrintWriter err) {
    try {
      Class.forName("io.hostmesh.cluster.ClusterNode", false, ClusterFleet.class.getClassLoader());
      Class.forName("com.hazelcast.core.Hazelcast", false, ClusterFleet.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      err.println("hostmesh fleet: a fleet across machines needs hostmesh-cluster.jar on the class path"
          + " (./hostmesh adds services/cluster/target/hostmesh-cluster.jar for fleet commands; missing: "
          + e.getMessage() + ")");
      return false;
    }
  }
}
