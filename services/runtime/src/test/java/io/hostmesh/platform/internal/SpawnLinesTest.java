package io.hostmesh.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.EventLoops;
import io.hostmesh.platform.Poll;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A long-running program's output, line by line, from a real process: on an epoll loop the pipe
 * is read by the loop (no thread, no descriptor left once the program ends); on NIO by a thread.
 */
@Timeout(60)
class SpawnLinesTest {
  /** Both streams, a line longer than the pipe buffer, and a last line without a newline. */
  private static final List<String> PROGRAM = List.of("sh", "-c",
      "echo one; echo two >&2; head -c 40000 /dev/zero | tr '\\0' x; echo; printf last");

  private Vertx vertx;
  private LocalProcesses processes;

  /** A Vert.x on epoll or NIO, with the device platform's processes on it; a context of it. */
  private Context start(boolean epoll) {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll));
    processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    return vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    processes.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void onEpollTheLoopReadsThePipeAndNothingIsLeftWhenTheProgramEnds() throws Exception {
    Context context = start(true);
    assertNotNull(EventLoops.epoll(context), "an epoll loop: " + vertx.unavailableNativeTransportCause());
    Set<String> pipesBefore = Pipes.ours();
    List<String> lines = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    Process p = processes.spawnLines(PROGRAM, Map.of(), context, line -> {
      threads.add(Thread.currentThread().getName());
      lines.add(line);
    }).await(20, TimeUnit.SECONDS);
    assertEquals(0, p.waitFor(), "the program ran");
    until("every line", () -> lines.size() == 6);
    List<String> pieces = new ArrayList<>(List.of("one", "two", "x".repeat(PipeLines.MAX_LINE),
        "x".repeat(PipeLines.MAX_LINE), "x".repeat(40000 - 2 * PipeLines.MAX_LINE), "last"));
    assertEquals(pieces, lines, "in order; a long line in pieces of " + PipeLines.MAX_LINE);
    assertTrue(threads.stream().allMatch(t -> t.startsWith("vert.x-eventloop")), threads.toString());
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("sh-output")),
        "no thread reads the pipe");
    until("the pipe's descriptors closed", () -> Pipes.ours().equals(pipesBefore));
  }

  @Test
  void onNioAThreadReadsTheSameLines() throws Exception {
    Context context = start(false);
    assertNull(EventLoops.epoll(context));
    List<String> lines = new CopyOnWriteArrayList<>();
    Process p = processes.spawnLines(List.of("sh", "-c", "echo one; echo two >&2; printf last"), Map.of(), context,
        lines::add).await(20, TimeUnit.SECONDS);
    assertEquals(0, p.waitFor());
    until("every line", () -> lines.size() == 3);
    assertEquals(List.of("one", "two", "last"), lines);
  }

  @Test
  void aProgramThatCannotStartIsReportedAndLeavesNoDescriptor() throws Exception {
    Context context = start(true);
    Set<String> pipesBefore = Pipes.ours();
    List<String> lines = new CopyOnWriteArrayList<>();
    io.vertx.core.Future<Process> started = processes.spawnLines(List.of("/nonexistent/daemon"), Map.of(), context,
        lines::add);
    Throwable failed = started.map(p -> (Throwable) null).otherwise(t -> t).await(20, TimeUnit.SECONDS);
    if (failed != null) { // started as it is: the JDK refuses
      assertTrue(String.valueOf(failed.getMessage()).contains("/nonexistent/daemon"), failed.getMessage());
    } else { // started through setpriv (ParentDeath), which then cannot execute it and says so
      assertTrue(started.result().waitFor() != 0, "setpriv failed");
      until("setpriv's message", () -> lines.stream().anyMatch(l -> l.contains("/nonexistent/daemon")));
    }
    until("both ends of the pipe closed", () -> Pipes.ours().equals(pipesBefore));
  }

  private void until(String what, BooleanSupplier condition) throws Exception {
    Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), what, condition).await(15, TimeUnit.SECONDS);
  }
}
