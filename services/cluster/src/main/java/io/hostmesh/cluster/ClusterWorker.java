package io.hostmesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Offers a node's cores to whichever coordinator runs: says hello, then asks for an item whenever
 * a core is free, runs it with the {@link PartitionExecutor} of its kind and sends the result
 * back. It outlives runs and coordinators: with no coordinator it waits (asking again every
 * second and whenever a coordinator announces work), and a new coordinator that does not know it
 * gets a new hello.
 *
 * <p>{@link #refused()} completes when a coordinator refuses this worker (another hostmesh
 * version): the command prints the reason and exits.
 *
 * <p>Threading: state on this verticle's context; executors run wherever they like and their
 * completions hop back.
 */
public final class ClusterWorker extends VerticleBase {
  private static final long ASK_TIMEOUT_MS = 10_000;
  private static final long TICK_MS = 1_000;

  private final ClusterNode node;
  private final int cores;
  private final Map<String, PartitionExecutor> executors;
  private final Consumer<String> log;
  private final Signer signer;
  private final String prefix;
  private final String workerId = UUID.randomUUID().toString().substring(0, 8);
  private final Promise<String> refused = Promise.promise();
  private boolean accepted;
  private boolean asking;
  private boolean waitingLogged;
  private int busy;
  private int completed;
  /** Item id → how far it has got; written by executors from any thread, sent every tick. */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> reached = new java.util.concurrent.ConcurrentHashMap<>();

  public ClusterWorker(ClusterNode node, int cores, Map<String, PartitionExecutor> executors, Consumer<String> log) {
    this.node = node;
    this.cores = Math.max(1, cores);
    this.executors = Map.copyOf(executors);
    this.log = log;
    this.signer = new Signer(node.settings().secret());
    this.prefix = node.settings().addressPrefix();
  }

  public static Future<ClusterWorker> start(ClusterNode node, int cores, Map<String, PartitionExecutor> executors,
      Consumer<String> log) {
    ClusterWorker w = new ClusterWorker(node, cores, executors, log);
    return node.vertx().deployVerticle(w).map(id -> w);
  }

  /** Completes with the coordinator's reason when it refuses this worker. */
  public Future<String> refused() {
    return refused.future();
  }

  public String id() {
    return workerId;
  }

  /** Items this worker has finished (results sent). */
  public int completed() {
    return completed;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(0, TICK_MS, t -> tick());
    return vertx.eventBus().<Buffer>consumer(prefix + "work", m -> {
      if (signer.open(m) != null) {
        tick();
      }
    }).completion();
  }

  private void tick() {
    if (refused.future().isComplete()) {
      return;
    }
    if (accepted && !reached.isEmpty()) {
      JsonObject items = new JsonObject();
      reached.forEach(items::put);
      send("progress", new JsonObject().put("workerId", workerId).put("reached", items));
    }
    if (!accepted) {
      hello();
    } else {
      fill();
    }
  }

  private void hello() {
    if (asking) {
      return;
    }
    asking = true;
    ask("hello", new JsonObject().put("workerId", workerId).put("nodeId", node.nodeId())
        .put("version", node.settings().version()).put("cores", cores))
        .onComplete(ar -> {
          asking = false;
          if (ar.failed()) {
            if (!waitingLogged) {
              waitingLogged = true;
              log.accept("worker " + workerId + ": waiting for a coordinator (" + reason(ar.cause()) + ")");
            }
            return;
          }
          JsonObject r = ar.result();
          if (r.containsKey("refused")) {
            refused.tryComplete(r.getString("refused"));
          } else if (r.getBoolean("accepted", false)) {
            accepted = true;
            waitingLogged = false;
            log.accept("worker " + workerId + ": joined a coordinator, offering " + cores + " core(s)");
            fill();
          }
        });
  }

  private void fill() {
    if (asking || busy >= cores || !accepted) {
      return;
    }
    asking = true;
    ask("next", new JsonObject().put("workerId", workerId)).onComplete(ar -> {
      asking = false;
      if (ar.failed()) {
        accepted = false; // the coordinator went away: hello to the next one
        return;
      }
      JsonObject r = ar.result();
      if (r.getBoolean("unknown", false)) {
        accepted = false;
        hello();
      } else if (r.containsKey("item")) {
        runItem(r.getJsonObject("item"));
        fill();
      } // idle: wait for the next tick or announcement
    });
  }

  private void runItem(JsonObject item) {
    busy++;
    String id = item.getString("id");
    PartitionExecutor executor = executors.get(item.getString("kind"));
    Future<Buffer> run;
    if (executor == null) {
      run = Future.failedFuture("no runner for kind " + item.getString("kind") + " on this worker");
    } else {
      try {
        reached.put(id, 0L);
        run = executor.run(vertx, Buffer.buffer(Base64.getDecoder().decode(item.getString("spec"))),
            value -> reached.computeIfPresent(id, (k, v) -> Math.max(v, value)));
      } catch (RuntimeException e) {
        run = Future.failedFuture(e);
      }
    }
    run.onComplete(ar -> context.runOnContext(v -> {
      busy--;
      reached.remove(id);
      JsonObject answer = new JsonObject().put("workerId", workerId).put("id", id)
          .put("attempt", item.getInteger("attempt"));
      if (ar.succeeded()) {
        completed++;
        answer.put("ok", true).put("result", Base64.getEncoder().encodeToString(ar.result().getBytes()));
      } else {
        answer.put("ok", false).put("error", String.valueOf(ar.cause().getMessage()));
      }
      ask("result", answer); // lost if the coordinator is gone: it re-runs what it never heard of
      fill();
    }));
  }

  private void send(String what, JsonObject json) {
    Buffer body = signer.body(json);
    vertx.eventBus().send(prefix + what, body, signer.sign(body, new DeliveryOptions()));
  }

  private Future<JsonObject> ask(String what, JsonObject json) {
    Buffer body = signer.body(json);
    return vertx.eventBus().<Buffer>request(prefix + what, body,
            signer.sign(body, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS)))
        .compose(reply -> {
          JsonObject r = signer.open(reply);
          return r == null ? Future.failedFuture("unsigned answer dropped") : Future.succeededFuture(r);
        });
  }

  private static String reason(Throwable t) {
    if (t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return "none in the cluster yet";
    }
    return t.getMessage();
  }
}
