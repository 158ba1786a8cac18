package io.hostmesh.fleet;

import io.hostmesh.cli.ExitCodes;
import io.hostmesh.cli.FleetCluster;
import io.hostmesh.cli.FleetEngine;
import io.hostmesh.cli.Main;
import io.hostmesh.cluster.ClusterNode;
import io.hostmesh.cluster.ClusterSettings;
import io.hostmesh.cluster.ClusterWorker;
import io.hostmesh.cluster.Coordinator;
import io.hostmesh.cluster.Progress;
import io.hostmesh.cluster.RunOutcome;
import io.hostmesh.cluster.WorkItem;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fleet across machines: the coordinator ({@code fleet run --cluster}) splits the fleet into
 * the same partitions as a single-JVM run, hands them to the cluster's workers ({@code fleet
 * worker}), and merges what comes back in partition order, so report.json is byte for byte the
 * single-JVM one. Only this class and {@link FleetPartitionExecutor} touch hostmesh-cluster.jar.
 */
final class ClusterFleetRun {
  /** With no worker in the cluster for this long, a coordinator gives up and says how to start one. */
  static final long NO_WORKER_SECONDS = 60;
  private static final long MAX_WALL_HOURS = 24;

  private ClusterFleetRun() {}

  static ClusterSettings settings(FleetCluster.Join join) {
    return new ClusterSettings(join.name(), join.secret(), join.host(), join.port(),
        ClusterSettings.parseMembers(join.members()), Main.VERSION);
  }

  static int coordinate(FleetEngine.Run run, FleetCluster.Join join, PrintWriter out, PrintWriter err) {
    ClusterSettings settings;
    try {
      settings = settings(join);
    } catch (IllegalArgumentException e) {
      err.println("hostmesh fleet run: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    FleetInputs inputs = FleetInputs.check(run, err);
    if (inputs.refused()) {
      return inputs.exit();
    }
    int folder = FleetInputs.reportFolder(run, err);
    if (folder != ExitCodes.OK) {
      return folder;
    }
    List<PartitionSpec> specs = inputs.partitions(run);
    List<WorkItem> work = new ArrayList<>();
    for (PartitionSpec s : specs) {
      work.add(new WorkItem(String.format(Locale.ROOT, "p%05d", s.partition()), FleetPartitionExecutor.KIND,
          Buffer.buffer(s.toBytes())));
    }
    ClusterNode node;
    try {
      node = ClusterNode.join(settings, 1).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("hostmesh fleet run: cannot join the cluster on " + settings.host() + ": " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
    try {
      err.println("hostmesh fleet run: coordinator at " + node.hazelcastAddress() + " (workers join with --join "
          + node.hazelcastAddress() + "), " + specs.size() + " partitions of " + inputs.scenario().devices()
          + " devices");
      err.flush();
      long started = System.nanoTime();
      Coordinator coordinator = Coordinator.start(node, line -> {
        err.println("hostmesh fleet run: " + line);
        err.flush();
      }).await(30, TimeUnit.SECONDS);
      AtomicReference<Progress> last = new AtomicReference<>();
      CompletableFuture<RunOutcome> outcome = coordinator.run(work, last::set).toCompletionStage().toCompletableFuture();
      RunOutcome result = awaitWithProgress(outcome, last, inputs.scenario().durationMillis(), err);
      if (result == null) {
        return ExitCodes.UNAVAILABLE;
      }
      if (!result.complete()) {
        result.failed().forEach((id, why) -> err.println("hostmesh fleet run: partition " + id + " failed: " + why));
        return ExitCodes.SOFTWARE;
      }
      PartitionResult merged = null;
      for (Buffer b : result.results().values()) { // in partition order, as one JVM merges them
        PartitionResult r = PartitionResult.fromBytes(b.getBytes());
        merged = merged == null ? r : PartitionResult.merge(merged, r);
      }
      long wallMs = (System.nanoTime() - started) / 1_000_000;
      err.println(String.format(Locale.ROOT, "hostmesh fleet run: %d partitions on %d worker(s) in %d ms wall,"
              + " %d re-run, %d bytes on the bus (%d per partition)", specs.size(), result.workersSeen(), wallMs,
          result.reruns(), result.busBytes(), result.busBytes() / Math.max(1, specs.size())));
      for (Path f : FleetOutput.write(run.report(), merged)) {
        out.println(f);
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("hostmesh fleet run: cannot write the report into " + run.report() + ": " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    } catch (Exception e) {
      err.println("hostmesh fleet run: " + e);
      return ExitCodes.SOFTWARE;
    } finally {
      leave(node);
    }
  }

  /** Leaves the cluster (bounded): the others see this member go at once, not after missed heartbeats. */
  private static void leave(ClusterNode node) {
    try {
      node.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // leaving failed or took too long: the JVM ends anyway and Hazelcast drops the member
    }
  }

  /** Waits for the run, a progress line every 2 s; null (having said why) when no worker came. */
  private static RunOutcome awaitWithProgress(CompletableFuture<RunOutcome> outcome, AtomicReference<Progress> last,
      long endMillis, PrintWriter err) throws ExecutionException, InterruptedException {
    long noWorkerSince = System.nanoTime();
    String said = "";
    for (long i = 0; i < MAX_WALL_HOURS * 1800; i++) { // bounded: one look every 2 s
      try {
        return outcome.get(2, TimeUnit.SECONDS);
      } catch (TimeoutException stillRunning) {
        Progress p = last.get();
        String line = p == null ? null : p.line() + (p.reached() < 0 ? ""
            : ", running partitions at virtual " + LocalFleetEngine.hms(p.reached()) + " to "
                + LocalFleetEngine.hms(p.furthest()) + " of " + LocalFleetEngine.hms(endMillis));
        if (line != null && !line.equals(said)) {
          said = line;
          err.println("hostmesh fleet run: " + said);
          err.flush();
        }
        if (p != null && p.workers() > 0) {
          noWorkerSince = System.nanoTime();
        } else if (System.nanoTime() - noWorkerSince > TimeUnit.SECONDS.toNanos(NO_WORKER_SECONDS)) {
          err.println("hostmesh fleet run: no worker joined within " + NO_WORKER_SECONDS + " s: start"
              + " `hostmesh fleet worker --join HOST:PORT` (this coordinator's address) with the same cluster name and secret");
          return null;
        }
      }
    }
    err.println("hostmesh fleet run: the fleet did not finish within " + MAX_WALL_HOURS + " h of wall time");
    return null;
  }

  static int work(FleetCluster.Join join, int cores, PrintWriter out, PrintWriter err) {
    ClusterSettings settings;
    try {
      settings = settings(join);
    } catch (IllegalArgumentException e) {
      err.println("hostmesh fleet worker: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ClusterNode node;
    try {
      node = ClusterNode.join(settings, 1).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("hostmesh fleet worker: cannot join the cluster on " + settings.host() + ": " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Thread hook = new Thread(() -> {
      leave(node); // leave the cluster cleanly on SIGTERM: its partitions move at once
      stopped.complete(null);
    }, "fleet-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ClusterWorker worker = ClusterWorker.start(node, cores, Map.of(FleetPartitionExecutor.KIND,
          new FleetPartitionExecutor()), line -> {
            err.println("hostmesh fleet worker: " + line);
            err.flush();
          }).await(30, TimeUnit.SECONDS);
      err.println("hostmesh fleet worker " + worker.id() + ": member at " + node.hazelcastAddress() + ", "
          + cores + " partition(s) at a time");
      err.flush();
      String why = worker.refused().toCompletionStage().toCompletableFuture().get();
      err.println("hostmesh fleet worker: refused by the coordinator: " + why);
      return ExitCodes.CONFIG;
    } catch (Exception e) {
      err.println("hostmesh fleet worker: " + e);
      return ExitCodes.SOFTWARE;
    } finally {
      if (!stopped.isDone()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it closes the node
        }
        leave(node);
      }
    }
  }
}
