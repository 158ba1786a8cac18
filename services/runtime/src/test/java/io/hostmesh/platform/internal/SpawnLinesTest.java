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
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

  @Test
  void onEpollTheLoopReadsThePipeAndNothingIsLeftWhenTheProgramEnds() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      Context context = vertx.getOrCreateContext();
      assertNotNull(EventLoops.epoll(context), "an epoll loop: " + vertx.unavailableNativeTransportCause());
      int fdsBefore = openDescriptors();
      List<String> lines = new CopyOnWriteArrayList<>();
      List<String> threads = new CopyOnWriteArrayList<>();
      LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
      Process p = processes.spawnLines(PROGRAM, Map.of(), context, line -> {
        threads.add(Thread.currentThread().getName());
        lines.add(line);
      }).await(20, TimeUnit.SECONDS);
      assertEquals(0, p.waitFor(), "the program ran");
      Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "every line", () -> lines.size() == 6)
          .await(15, TimeUnit.SECONDS);
      List<String> pieces = new ArrayList<>(List.of("one", "two", "x".repeat(PipeLines.MAX_LINE),
          "x".repeat(PipeLines.MAX_LINE), "x".repeat(40000 - 2 * PipeLines.MAX_LINE), "last"));
      assertEquals(pieces, lines, "in order; a long line in pieces of " + PipeLines.MAX_LINE);
      assertTrue(threads.stream().allMatch(t -> t.startsWith("vert.x-eventloop")), threads.toString());
      assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("sh-output")),
          "no thread reads the pipe");
      Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "the pipe's descriptor closed",
          () -> openDescriptors() <= fdsBefore).await(15, TimeUnit.SECONDS);
      processes.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void onNioAThreadReadsTheSameLines() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    try {
      Context context = vertx.getOrCreateContext();
      assertNull(EventLoops.epoll(context));
      List<String> lines = new CopyOnWriteArrayList<>();
      LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
      Process p = processes.spawnLines(List.of("sh", "-c", "echo one; echo two >&2; printf last"), Map.of(), context,
          lines::add).await(20, TimeUnit.SECONDS);
      assertEquals(0, p.waitFor());
      Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "every line", () -> lines.size() == 3)
          .await(15, TimeUnit.SECONDS);
      assertEquals(List.of("one", "two", "last"), lines);
      processes.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aProgramThatCannotStartIsReportedAndLeavesNoDescriptor() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      Context context = vertx.getOrCreateContext();
      int fdsBefore = openDescriptors();
      List<String> lines = new CopyOnWriteArrayList<>();
      LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
      io.vertx.core.Future<Process> started = processes.spawnLines(List.of("/nonexistent/daemon"), Map.of(), context,
          lines::add);
      Throwable failed = started.map(p -> (Throwable) null).otherwise(t -> t).await(20, TimeUnit.SECONDS);
      if (failed != null) { // started as it is: the JDK refuses
        assertTrue(String.valueOf(failed.getMessage()).contains("/nonexistent/daemon"), failed.getMessage());
      } else { // started through setpriv (ParentDeath), which then cannot execute it and says so
        assertTrue(started.result().waitFor() != 0, "setpriv failed");
        Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "setpriv's message",
            () -> lines.stream().anyMatch(l -> l.contains("/nonexistent/daemon"))).await(15, TimeUnit.SECONDS);
      }
      Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "both ends of the pipe closed",
          () -> openDescriptors() <= fdsBefore).await(15, TimeUnit.SECONDS);
      processes.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static int openDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? 0 : fds.length;
  }
}
