package io.hostmesh.fleet;

import io.hostmesh.cluster.PartitionExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.LongConsumer;

/**
 * A cluster worker's runner for fleet partitions: the spec's bytes in, the result's bytes out,
 * run by the same {@link FleetPartition} as in one JVM (its own loop and virtual clock), so the
 * bytes are the same wherever it runs.
 */
final class FleetPartitionExecutor implements PartitionExecutor {
  static final String KIND = "fleet-partition";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Future<Buffer> run(Vertx vertx, Buffer spec, LongConsumer reached) {
    FleetPartition.Observer progress = new FleetPartition.Observer() {
      @Override
      public void progress(int partition, long virtualMillis, int devicesUp, long tasksRun) {
        reached.accept(virtualMillis); // the coordinator's "virtual time reached"
      }
    };
    return FleetPartition.run(PartitionSpec.fromBytes(spec.getBytes()), progress, -1)
        .map(result -> Buffer.buffer(result.toBytes()));
  }
}
