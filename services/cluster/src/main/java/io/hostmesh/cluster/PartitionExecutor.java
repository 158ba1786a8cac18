package io.hostmesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Runs one kind of {@link WorkItem} on a worker: spec bytes in, result bytes out. The fleet
 * provides one (kind {@code fleet-partition}); a worker finds them with {@link
 * java.util.ServiceLoader}. A failed future is reported to the coordinator with its message,
 * which re-runs the item elsewhere unless it failed the same way before.
 */
public interface PartitionExecutor {
  String kind();

  Future<Buffer> run(Vertx vertx, Buffer spec);
}
