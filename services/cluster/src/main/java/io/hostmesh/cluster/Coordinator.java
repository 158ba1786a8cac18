package io.hostmesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Hands a run's work items to the cluster's workers and collects their results.
 *
 * <p>Workers pull: a worker says hello (its version is checked here), then asks for the next item
 * whenever it has a free core, so a worker that joins mid-run simply starts asking, and a fast
 * worker takes more. When a member leaves (stopped, or killed and dropped by Hazelcast after
 * missed heartbeats) the items its workers held go back to the front of the queue. An item that
 * fails the same way twice, or whose worker dies under it three times, is reported by id and not
 * handed out again. Every message is signed ({@link Signer}); unsigned ones are dropped.
 *
 * <p>Threading: all state is touched on this verticle's context only; Hazelcast's membership
 * callbacks hop onto it.
 */
public final class Coordinator extends VerticleBase {
  static final int MAX_WORKER_LOSSES = 3;
  static final int MAX_ATTEMPTS = 3;

  private final ClusterNode node;
  private final Signer signer;
  private final String prefix;
  private final Map<String, WorkerInfo> workers = new HashMap<>();
  private final Deque<WorkItem> queue = new ArrayDeque<>();
  private final Map<String, Running> running = new HashMap<>();
  private final Map<String, WorkItem> items = new HashMap<>();
  private final SortedMap<String, Buffer> results = new TreeMap<>();
  private final SortedMap<String, String> failed = new TreeMap<>();
  private final Map<String, String> lastError = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, Integer> losses = new HashMap<>();
  private int workersSeen;
  private int reruns;
  private long busBytes;
  private Promise<RunOutcome> current;
  private Consumer<Progress> progress = p -> {};
  private Consumer<String> log = s -> {};

  private record WorkerInfo(String nodeId, int cores) {}

  private record Running(String workerId, String nodeId, int attempt) {}

  /** Item id → how far it has got, as its worker last said. */
  private final Map<String, Long> reached = new HashMap<>();

  public Coordinator(ClusterNode node) {
    this.node = node;
    this.signer = new Signer(node.settings().secret());
    this.prefix = node.settings().addressPrefix();
  }

  /** Deploys a coordinator on the node. */
  public static Future<Coordinator> start(ClusterNode node, Consumer<String> log) {
    Coordinator c = new Coordinator(node);
    c.log = log;
    return node.vertx().deployVerticle(c).map(id -> c);
  }

  @Override
  public Future<?> start() {
    node.onMemberLeft(nodeId -> context.runOnContext(v -> memberLeft(nodeId)));
    var bus = vertx.eventBus();
    return Future.all(
        bus.<Buffer>consumer(prefix + "hello", this::hello).completion(),
        bus.<Buffer>consumer(prefix + "next", this::next).completion(),
        bus.<Buffer>consumer(prefix + "result", this::result).completion(),
        bus.<Buffer>consumer(prefix + "progress", this::progress).completion());
  }

  /**
   * Runs the items; completes when each has a result or has failed for good. One run at a time.
   * {@code progress} is called on every change, on the coordinator's context.
   */
  public Future<RunOutcome> run(List<WorkItem> work, Consumer<Progress> onProgress) {
    Promise<RunOutcome> p = Promise.promise();
    context.runOnContext(v -> {
      if (current != null) {
        p.fail("a run is already going on this coordinator");
        return;
      }
      reset();
      for (WorkItem i : work) {
        if (items.put(i.id(), i) != null) {
          p.fail("work item id " + i.id() + " given twice");
          reset();
          return;
        }
        queue.add(i);
      }
      current = p;
      progress = onProgress;
      publishWork();
      report();
      finishIfDone(); // an empty run is done at once
    });
    return p.future();
  }

  private void reset() {
    queue.clear();
    running.clear();
    items.clear();
    results.clear();
    failed.clear();
    lastError.clear();
    attempts.clear();
    losses.clear();
    reached.clear();
    reruns = 0;
    busBytes = 0;
    workersSeen = workers.size();
  }

  private void hello(Message<Buffer> m) {
    JsonObject b = signer.open(m);
    if (b == null) {
      return;
    }
    String version = b.getString("version", "?");
    String workerId = b.getString("workerId", "");
    if (!node.settings().version().equals(version)) {
      log.accept("refused worker " + workerId + ": it runs hostmesh " + version + ", this coordinator "
          + node.settings().version());
      reply(m, new JsonObject().put("refused", "this worker runs hostmesh " + version + " but the coordinator runs "
          + node.settings().version() + ": run the same hostmesh version on every member"));
      return;
    }
    int cores = Math.max(1, b.getInteger("cores", 1));
    if (workers.put(workerId, new WorkerInfo(b.getString("nodeId", ""), cores)) == null) {
      workersSeen++;
      log.accept("worker " + workerId + " joined with " + cores + " core(s)");
    }
    reply(m, new JsonObject().put("accepted", true));
    report();
  }

  private void next(Message<Buffer> m) {
    JsonObject b = signer.open(m);
    if (b == null) {
      return;
    }
    WorkerInfo w = workers.get(b.getString("workerId", ""));
    if (w == null) {
      reply(m, new JsonObject().put("unknown", true)); // say hello first (a new coordinator, say)
      return;
    }
    WorkItem item = current == null ? null : queue.poll();
    if (item == null) {
      reply(m, new JsonObject().put("idle", true));
      return;
    }
    int attempt = attempts.merge(item.id(), 1, Integer::sum);
    reached.remove(item.id()); // a re-run starts from the beginning
    running.put(item.id(), new Running(b.getString("workerId"), w.nodeId(), attempt));
    busBytes += item.spec().length();
    reply(m, new JsonObject().put("item", new JsonObject()
        .put("id", item.id()).put("kind", item.kind()).put("attempt", attempt)
        .put("spec", Base64.getEncoder().encodeToString(item.spec().getBytes()))));
    report();
  }

  private void progress(Message<Buffer> m) {
    JsonObject b = signer.open(m);
    if (b == null || current == null) {
      return;
    }
    String workerId = b.getString("workerId", "");
    JsonObject items = b.getJsonObject("reached", new JsonObject());
    for (String id : items.fieldNames()) {
      Running r = running.get(id);
      if (r != null && r.workerId().equals(workerId) && items.getValue(id) instanceof Number n) {
        reached.merge(id, n.longValue(), Math::max);
      }
    }
    report();
  }

  private void result(Message<Buffer> m) {
    JsonObject b = signer.open(m);
    if (b == null) {
      return;
    }
    reply(m, new JsonObject().put("ok", true));
    String id = b.getString("id", "");
    if (current == null || !items.containsKey(id) || results.containsKey(id) || failed.containsKey(id)) {
      return; // a late answer for an item already settled (its worker was thought dead): same bytes anyway
    }
    running.remove(id);
    if (b.getBoolean("ok", false)) {
      byte[] bytes = Base64.getDecoder().decode(b.getString("result", ""));
      busBytes += bytes.length;
      queue.removeIf(i -> i.id().equals(id));
      results.put(id, Buffer.buffer(bytes));
    } else {
      String error = b.getString("error", "failed");
      String before = lastError.put(id, error);
      if (error.equals(before) || attempts.getOrDefault(id, 0) >= MAX_ATTEMPTS) {
        failed.put(id, "failed " + attempts.get(id) + " times, last: " + error);
        queue.removeIf(i -> i.id().equals(id));
        log.accept("partition " + id + " failed for good: " + error);
      } else if (queue.stream().noneMatch(i -> i.id().equals(id))) {
        reruns++;
        queue.addFirst(items.get(id));
        publishWork();
      }
    }
    report();
    finishIfDone();
  }

  private void memberLeft(String nodeId) {
    List<String> gone = new ArrayList<>();
    workers.entrySet().removeIf(e -> {
      if (e.getValue().nodeId().equals(nodeId)) {
        gone.add(e.getKey());
        return true;
      }
      return false;
    });
    if (gone.isEmpty()) {
      return;
    }
    log.accept("member " + nodeId + " left; worker(s) " + gone + " gone");
    List<String> lost = new ArrayList<>();
    running.forEach((id, r) -> {
      if (r.nodeId().equals(nodeId)) {
        lost.add(id);
      }
    });
    lost.sort(null);
    for (int i = lost.size() - 1; i >= 0; i--) { // back to the front of the queue, in id order
      String id = lost.get(i);
      running.remove(id);
      if (losses.merge(id, 1, Integer::sum) >= MAX_WORKER_LOSSES) {
        failed.put(id, "its worker left " + MAX_WORKER_LOSSES + " times while running it (killed or crashed)");
      } else {
        reruns++;
        queue.addFirst(items.get(id));
      }
    }
    publishWork();
    report();
    finishIfDone();
  }

  private void finishIfDone() {
    if (current != null && results.size() + failed.size() == items.size()) {
      Promise<RunOutcome> p = current;
      current = null;
      p.complete(new RunOutcome(new TreeMap<>(results), new TreeMap<>(failed), workersSeen, reruns, busBytes));
    }
  }

  private void publishWork() {
    Buffer body = signer.body(new JsonObject().put("work", true));
    vertx.eventBus().publish(prefix + "work", body, signer.sign(body, new DeliveryOptions()));
  }

  private void reply(Message<Buffer> m, JsonObject json) {
    Buffer body = signer.body(json);
    m.reply(body, signer.sign(body, new DeliveryOptions()));
  }

  private void report() {
    if (current != null) {
      long least = -1; // over the running items: queued ones have not started, done ones are done
      long furthest = -1;
      for (String id : running.keySet()) {
        long r = reached.getOrDefault(id, 0L);
        least = least < 0 ? r : Math.min(least, r);
        furthest = Math.max(furthest, r);
      }
      progress.accept(new Progress(workers.size(), items.size(), results.size(), failed.size(), running.size(), reruns,
          least, furthest));
    }
  }
}
