package io.hostmesh.fleet;

import io.hostmesh.cluster.PartitionExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
    PartitionSpec partition = PartitionSpec.fromBytes(spec.getBytes());
    Promise<Buffer> done = Promise.promise();
    // the partition makes a Vert.x of its own (its loop is its clock): start it off this worker's
    // event loop, as a one-JVM run does from the command's thread
    Thread starter = new Thread(() -> FleetPartition.run(partition, progress, -1).onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete(Buffer.buffer(ar.result().toBytes()));
      } else {
        done.fail(ar.cause());
      }
    }), "fleet-partition-" + partition.partition());
    starter.setDaemon(true);
    starter.start();
    return done.future();
  }
}
