package io.hostmesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.LongConsumer;

/**
 * Runs one kind of {@link WorkItem} on a worker: spec bytes in, result bytes out. The fleet
 * provides one (kind {@code fleet-partition}); a worker finds them with {@link
 * java.util.ServiceLoader}. A failed future is reported to the coordinator with its message,
 * which re-runs the item elsewhere unless it failed the same way before.
 */
public interface PartitionExecutor {
  String kind();

  /**
   * Runs one item. {@code reached} takes how far it has got, in the executor's own measure (a
   * fleet partition: virtual milliseconds), from any thread, as often as it likes: the worker
   * sends the latest value to the coordinator every 2 s.
   */
  Future<Buffer> run(Vertx vertx, Buffer spec, LongConsumer reached);
}
