package io.hostmesh.cluster;

import java.util.List;
import java.util.Map;

/**
 * A worker JVM for ClusterWorkersIT: args HOST BASE_PORT JOIN SECRET. Prints "joined" once it
 * offers its core and "running <id>"/"done <id>" lines the test reads to kill it mid-item.
 */
public final class TestWorkerMain {
  public static void main(String[] args) throws Exception {
    ClusterSettings s = new ClusterSettings("it", args[3], args[0], Integer.parseInt(args[1]),
        ClusterSettings.parseMembers(args[2]), "test-1");
    ClusterNode node = ClusterNode.join(s, 1).await();
    PartitionExecutor hash = new HashExecutor();
    PartitionExecutor traced = new PartitionExecutor() {
      @Override
      public String kind() {
        return HashExecutor.KIND;
      }

      @Override
      public io.vertx.core.Future<io.vertx.core.buffer.Buffer> run(io.vertx.core.Vertx vertx,
          io.vertx.core.buffer.Buffer spec, java.util.function.LongConsumer reached) {
        String id = "n" + new io.vertx.core.json.JsonObject(spec).getInteger("n");
        System.out.println("running " + id);
        return hash.run(vertx, spec, reached).onSuccess(r -> System.out.println("done " + id));
      }
    };
    ClusterWorker.start(node, 1, Map.of(HashExecutor.KIND, traced), line -> {
      System.out.println(line);
      if (line.contains("joined a coordinator")) {
        System.out.println("joined");
      }
    }).await();
    System.out.println("node up " + node.hazelcastAddress() + " members " + List.of(node.members()));
    Thread.currentThread().join(); // until killed
  }
}
