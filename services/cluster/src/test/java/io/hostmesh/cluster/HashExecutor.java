package io.hostmesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in partition for the cluster's own tests: spec {"n", "delayMs", "fail"} → the SHA-256
 * of "partition-n" after delayMs of simulated work (a timer, so a worker holds the item that
 * long), or a failure with the given message.
 */
final class HashExecutor implements PartitionExecutor {
  static final String KIND = "hash";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Future<Buffer> run(Vertx vertx, Buffer spec, java.util.function.LongConsumer reached) {
    JsonObject s = new JsonObject(spec);
    long delay = s.getLong("delayMs", 0L);
    Future<Void> worked = delay > 0 ? vertx.timer(delay).mapEmpty() : Future.succeededFuture();
    worked = worked.onSuccess(v -> reached.accept(delay)); // how far: the simulated work done
    return worked.compose(v -> s.containsKey("fail")
        ? Future.failedFuture(s.getString("fail"))
        : Future.succeededFuture(Buffer.buffer(expected(s.getInteger("n")))));
  }

  static String expected(int n) {
    return ClusterSettings.digest("partition-" + n);
  }

  static WorkItem item(int n, long delayMs) {
    return new WorkItem(String.format("p%03d", n), KIND,
        new JsonObject().put("n", n).put("delayMs", delayMs).toBuffer());
  }
}
