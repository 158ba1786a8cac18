package io.hostmesh.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three worker JVMs on 127.0.0.1 (multicast off) and a coordinator in this one. One worker is
 * killed with SIGKILL while it holds an item: Hazelcast drops it after missed heartbeats, its item
 * is re-run on the others, and the results are complete and the same as with no kill.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterWorkersIT {
  private static final String SECRET = "a secret for the IT only, 32 ch";
  private final List<Process> workers = new ArrayList<>();
  private final List<List<String>> output = new ArrayList<>();
  private ClusterNode coordinatorNode;

  @AfterEach
  void stop() throws Exception {
    for (int i = 0; i < workers.size(); i++) {
      System.out.println("worker " + i + " said: " + output.get(i));
      Process p = workers.get(i);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (coordinatorNode != null) {
      coordinatorNode.close().await();
    }
  }

  private Process startWorker(int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        TestWorkerMain.class.getName(), "127.0.0.1", String.valueOf(port), "127.0.0.1:" + port, SECRET)
        .redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (Exception e) {
        // the worker was killed: its output ends here
      }
    });
    reader.setDaemon(true);
    reader.start();
    workers.add(p);
    output.add(lines);
    return p;
  }

  /** Polls until {@code lines} holds a line equal to {@code wanted} (bounded). */
  private static void awaitLine(List<String> lines, String wanted, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!lines.contains(wanted)) {
      assertTrue(System.nanoTime() < deadline, "no '" + wanted + "' within " + seconds + " s: " + lines);
      TimeUnit.MILLISECONDS.sleep(50); // polling a child's output with a deadline, not synchronising on time
    }
  }

  @Test
  void aWorkerKilledMidItemHasItsItemReRunAndTheResultsAreComplete() throws Exception {
    int port = ClusterRunTest.freePort();
    coordinatorNode = ClusterNode.join(new ClusterSettings("it", SECRET, "127.0.0.1", port,
        List.of("127.0.0.1:" + port), "test-1"), 1).await();
    List<String> log = new CopyOnWriteArrayList<>();
    Coordinator c = Coordinator.start(coordinatorNode, l -> {
      log.add(l);
      System.out.println("coordinator: " + l);
    }).await();
    for (int i = 0; i < 3; i++) {
      startWorker(port);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (coordinatorNode.members() < 4) {
      assertTrue(System.nanoTime() < deadline, "3 workers did not join: " + output);
      TimeUnit.MILLISECONDS.sleep(100);
    }

    List<WorkItem> work = IntStream.range(0, 24).mapToObj(n -> HashExecutor.item(n, 300)).toList();
    Future<RunOutcome> run = c.run(work, p -> System.out.println("progress: " + p.line()));
    List<String> victim = output.get(0);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String holding = null;
    while (holding == null) { // the victim holds an item: it printed "running nX" and no "done nX" yet
      assertTrue(System.nanoTime() < until, "worker 0 never held an item: " + victim);
      for (String l : victim) {
        if (l.startsWith("running ") && !victim.contains("done " + l.substring(8))) {
          holding = l.substring(8);
        }
      }
      if (holding == null) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
    new ProcessBuilder("kill", "-KILL", String.valueOf(workers.get(0).pid())).start().waitFor();

    RunOutcome out = run.toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
    assertTrue(out.complete(), () -> "failed: " + out.failed());
    assertEquals(24, out.results().size());
    out.results().forEach((id, r) ->
        assertEquals(HashExecutor.expected(Integer.parseInt(id.substring(1))), r.toString(), id));
    assertTrue(out.reruns() >= 1, "the killed worker's item " + holding + " was handed out again");
    assertTrue(log.stream().anyMatch(l -> l.contains("left")), "the coordinator saw the member leave: " + log);
    int survivorsDid = (int) output.subList(1, 3).stream().flatMap(List::stream).filter(l -> l.startsWith("done ")).count();
    assertTrue(survivorsDid >= 24 - victim.stream().filter(l -> l.startsWith("done ")).count(),
        "the survivors did the rest");
  }
}
