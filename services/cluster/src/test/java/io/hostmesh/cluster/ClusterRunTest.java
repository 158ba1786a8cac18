package io.hostmesh.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A coordinator and workers as real Hazelcast members on 127.0.0.1 in this JVM: results by id,
 * work shared, a worker joining mid-run, another version refused, another secret never meets the
 * cluster, unsigned messages dropped, a partition failing the same way twice reported by id.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterRunTest {
  private static final String SECRET = "correct horse battery staple";
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void leave() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().await();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private ClusterNode node(ClusterSettings s) {
    ClusterNode n = ClusterNode.join(s, 1).await();
    nodes.add(n);
    return n;
  }

  private ClusterSettings settings(int port, String version) {
    return new ClusterSettings("t", SECRET, "127.0.0.1", port, List.of("127.0.0.1:" + port), version);
  }

  private ClusterWorker worker(ClusterSettings s) {
    return ClusterWorker.start(node(s), 1, Map.of(HashExecutor.KIND, new HashExecutor()), log::add).await();
  }

  @Test
  void everyItemHasItsResultAndWorkIsShared() throws Exception {
    int port = freePort();
    Coordinator c = Coordinator.start(node(settings(port, "v1")), log::add).await();
    ClusterWorker a = worker(settings(port, "v1"));
    ClusterWorker b = worker(settings(port, "v1"));
    List<WorkItem> work = IntStream.range(0, 12).mapToObj(n -> HashExecutor.item(n, 40)).toList();
    List<Progress> seen = new CopyOnWriteArrayList<>();
    RunOutcome out = c.run(work, seen::add).await();

    assertTrue(out.complete(), () -> "failed: " + out.failed());
    assertEquals(12, out.results().size());
    out.results().forEach((id, r) ->
        assertEquals(HashExecutor.expected(Integer.parseInt(id.substring(1))), r.toString(), id));
    assertEquals(List.copyOf(out.results().keySet()), work.stream().map(WorkItem::id).sorted().toList(),
        "results come back in id order, whoever finished first");
    assertTrue(a.completed() > 0 && b.completed() > 0, "both workers took work: " + a.completed() + "/" + b.completed());
    assertEquals(2, out.workersSeen());
    assertTrue(out.busBytes() > 0);
    assertTrue(seen.get(seen.size() - 1).line().contains("12/12 done"), seen.get(seen.size() - 1).line());
    List<String> listening = listeningAddresses();
    assertTrue(listening.size() >= 6, "3 Hazelcast + 3 event-bus ports: " + listening);
    assertTrue(listening.stream().allMatch(addr -> addr.startsWith("127.0.0.1:")), "loopback only, never 0.0.0.0: " + listening);
  }

  /** Local addresses of this JVM's listening TCP sockets, from {@code ss} (iproute2). */
  static List<String> listeningAddresses() throws Exception {
    Process p = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    String me = "pid=" + ProcessHandle.current().pid() + ",";
    return out.lines().filter(l -> l.contains(me)).map(l -> l.trim().split("\\s+")[3].replace("[::ffff:", "").replace("]", "")).toList();
  }

  @Test
  void aWorkerJoiningMidRunGetsWork() throws Exception {
    int port = freePort();
    Coordinator c = Coordinator.start(node(settings(port, "v1")), log::add).await();
    // the first worker finishes its first item, then holds the next until the late worker is in:
    // the run cannot end before the late worker could ask
    io.vertx.core.Promise<Void> lateIn = io.vertx.core.Promise.promise();
    PartitionExecutor gated = new PartitionExecutor() {
      final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

      @Override
      public String kind() {
        return HashExecutor.KIND;
      }

      @Override
      public Future<Buffer> run(io.vertx.core.Vertx vertx, Buffer spec, java.util.function.LongConsumer reached) {
        Future<Void> gate = started.incrementAndGet() == 1 ? Future.succeededFuture() : lateIn.future();
        return gate.compose(v -> new HashExecutor().run(vertx, spec, reached));
      }
    };
    ClusterWorker first = ClusterWorker.start(node(settings(port, "v1")), 1, Map.of(HashExecutor.KIND, gated), log::add)
        .await();
    List<WorkItem> work = IntStream.range(0, 10).mapToObj(n -> HashExecutor.item(n, 200)).toList();
    List<ClusterWorker> late = new CopyOnWriteArrayList<>();
    Future<RunOutcome> run = c.run(work, p -> {
      if (p.done() == 1 && late.isEmpty()) {
        late.add(first); // placeholder: start the late worker once, off the coordinator's context
        new Thread(() -> {
          late.set(0, worker(settings(port, "v1")));
          lateIn.complete();
        }).start();
      }
    });
    RunOutcome out = run.await();
    assertTrue(out.complete());
    assertEquals(2, out.workersSeen());
    assertTrue(late.get(0) != first && late.get(0).completed() > 0, "the worker that joined mid-run did some of it");
    assertEquals(10, first.completed() + late.get(0).completed());
  }

  @Test
  void theProgressOfRunningItemsReachesTheCoordinator() throws Exception {
    int port = freePort();
    Coordinator c = Coordinator.start(node(settings(port, "v1")), log::add).await();
    // each item says how far it got (its number × 1000), then waits until the coordinator has seen
    // both running items' progress: what the line shows is what the workers sent
    io.vertx.core.Promise<Void> seen = io.vertx.core.Promise.promise();
    PartitionExecutor reporting = new PartitionExecutor() {
      @Override
      public String kind() {
        return HashExecutor.KIND;
      }

      @Override
      public Future<Buffer> run(io.vertx.core.Vertx vertx, Buffer spec, java.util.function.LongConsumer reached) {
        reached.accept(new JsonObject(spec).getInteger("n") * 1000L);
        return seen.future().compose(v -> new HashExecutor().run(vertx, spec, x -> {}));
      }
    };
    for (int i = 0; i < 2; i++) {
      ClusterWorker.start(node(settings(port, "v1")), 1, Map.of(HashExecutor.KIND, reporting), log::add).await();
    }
    List<Progress> all = new CopyOnWriteArrayList<>();
    RunOutcome out = c.run(List.of(HashExecutor.item(1, 0), HashExecutor.item(2, 0)), p -> {
      all.add(p);
      if (p.running() == 2 && p.reached() == 1000 && p.furthest() == 2000) {
        seen.tryComplete();
      }
    }).await();
    assertTrue(out.complete());
    assertTrue(all.stream().anyMatch(p -> p.reached() == 1000 && p.furthest() == 2000), "seen: " + all);
    assertEquals(-1, all.get(all.size() - 1).reached(), "none running at the end");
  }

  @Test
  void aWorkerOfAnotherVersionIsRefusedWithBothVersions() throws Exception {
    int port = freePort();
    Coordinator.start(node(settings(port, "0.2.0")), log::add).await();
    ClusterWorker old = worker(settings(port, "0.1.0"));
    String why = old.refused().await(60, TimeUnit.SECONDS);
    assertTrue(why.contains("0.1.0") && why.contains("0.2.0") && why.contains("same hostmesh version"), why);
  }

  @Test
  void aNodeWithAnotherSecretNeverMeetsTheCluster() throws Exception {
    int port = freePort();
    ClusterNode coordinatorNode = node(settings(port, "v1"));
    Coordinator c = Coordinator.start(coordinatorNode, log::add).await();
    ClusterSettings wrong = new ClusterSettings("t", "another secret, just as long", "127.0.0.1", port,
        List.of("127.0.0.1:" + port), "v1");
    ClusterWorker outsider = worker(wrong);
    ClusterWorker insider = worker(settings(port, "v1"));
    RunOutcome out = c.run(List.of(HashExecutor.item(1, 0), HashExecutor.item(2, 0)), p -> {}).await();
    assertTrue(out.complete());
    assertEquals(0, outsider.completed(), "the outsider got no work");
    assertEquals(2, insider.completed());
    assertEquals(2, coordinatorNode.members(), "the outsider is not a member");
    assertEquals(1, nodes.get(1).members(), "the outsider formed a cluster of its own");
  }

  @Test
  void unsignedOrWronglySignedMessagesAreDropped() throws Exception {
    int port = freePort();
    Coordinator c = Coordinator.start(node(settings(port, "v1")), log::add).await();
    ClusterNode intruder = node(settings(port, "v1")); // in the cluster, but signs with another key
    c.run(List.of(HashExecutor.item(1, 0)), p -> {});
    Signer wrongKey = new Signer("not the cluster's secret at all");
    Buffer hello = new JsonObject().put("workerId", "x").put("nodeId", intruder.nodeId()).put("version", "v1").toBuffer();
    String prefix = settings(port, "v1").addressPrefix();
    var bus = intruder.vertx().eventBus();
    Throwable unsigned = bus.request(prefix + "hello", hello, new DeliveryOptions().setSendTimeout(500))
        .toCompletionStage().handle((ok, err) -> err).toCompletableFuture().get();
    Throwable forged = bus.request(prefix + "hello", hello, wrongKey.sign(hello, new DeliveryOptions().setSendTimeout(500)))
        .toCompletionStage().handle((ok, err) -> err).toCompletableFuture().get();
    assertTrue(unsigned != null && unsigned.getMessage().contains("Timed out"), String.valueOf(unsigned));
    assertTrue(forged != null && forged.getMessage().contains("Timed out"), String.valueOf(forged));
    assertFalse(log.stream().anyMatch(l -> l.contains("joined")), "no worker joined: " + log);
  }

  @Test
  void aPartitionFailingTheSameWayTwiceIsReportedByIdNotRetriedForEver() throws Exception {
    int port = freePort();
    Coordinator c = Coordinator.start(node(settings(port, "v1")), log::add).await();
    worker(settings(port, "v1"));
    WorkItem bad = new WorkItem("p002", HashExecutor.KIND,
        new JsonObject().put("n", 2).put("fail", "disk model exploded").toBuffer());
    RunOutcome out = c.run(List.of(HashExecutor.item(1, 0), bad, HashExecutor.item(3, 0)), p -> {}).await();
    assertFalse(out.complete());
    assertEquals(List.of("p001", "p003"), List.copyOf(out.results().keySet()));
    assertEquals(List.of("p002"), List.copyOf(out.failed().keySet()));
    assertTrue(out.failed().get("p002").contains("failed 2 times") && out.failed().get("p002").contains("disk model exploded"),
        out.failed().get("p002"));
    assertEquals(1, out.reruns(), "tried once more, then given up");
  }

  @Test
  void settingsRefuseWhatCannotWork() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings("t", "", "127.0.0.1", 5701, List.of(), "v"));
    assertTrue(e.getMessage().contains("secret is required"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings("t", "short", "127.0.0.1", 5701, List.of(), "v"));
    assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings("bad name;rm", SECRET, "127.0.0.1", 5701, List.of(), "v"));
    assertTrue(e.getMessage().contains("cluster name"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings("t", SECRET, "127.0.0.1", 5701, List.of("a b"), "v"));
    assertTrue(e.getMessage().contains("--join"), e.getMessage());
    assertFalse(settings(5701, "v").toString().contains(SECRET), "the secret is never printed");
    assertTrue(settings(5701, "v").loopbackOnly());
    assertFalse(settings(5701, "v").hazelcastClusterName().contains(SECRET));
  }

  @Test
  void joinTakesMemberListsOrAKubernetesServiceAndNeverMulticast() {
    var tcp = ClusterNode.hazelcastConfig(new ClusterSettings("t", SECRET, "127.0.0.1", 5801,
        List.of("127.0.0.1:5801", "127.0.0.2:5801"), "v")).getNetworkConfig();
    assertFalse(tcp.getJoin().getMulticastConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.2:5801"), tcp.getJoin().getTcpIpConfig().getMembers());
    assertEquals(List.of("127.0.0.1"), List.copyOf(tcp.getInterfaces().getInterfaces()));
    var k8s = ClusterNode.hazelcastConfig(new ClusterSettings("t", SECRET, "10.1.2.3", 5701,
        List.of("k8s:hostmesh-fleet.fleet.svc.cluster.local"), "v")).getNetworkConfig().getJoin();
    assertTrue(k8s.getKubernetesConfig().isEnabled());
    assertFalse(k8s.getTcpIpConfig().isEnabled());
    assertFalse(k8s.getMulticastConfig().isEnabled());
    assertEquals("hostmesh-fleet.fleet.svc.cluster.local", k8s.getKubernetesConfig().getProperty("service-dns"));
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
